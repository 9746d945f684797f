"""A Chinese run says everything in Chinese: the notes on what was repaired in an answer, the
boxes clamped or dropped, an answer that cannot be read, an endpoint's error, in the JSON, on
the command line and in the PDF report. Only what is legitimately ASCII stays so: model
names, URLs, file names, flags, variables, numbers, and what the model itself wrote."""

from __future__ import annotations

import json
import os
import re

import pytest
from pypdf import PdfReader

from safety.backends.calibration import CalibrationStore, Plan, plan_for
from safety.commands.cli import main
from safety.config import Settings
from safety.errors import EndpointError
from safety.i18n import WORDS, Phrase, said, t
from tests import scenes
from tests.simulator import Fault

QWEN25 = "Qwen/Qwen2.5-VL-7B-Instruct"

# Things that are ASCII on purpose, removed before looking for English sentences.
LEGIT = [
    r"\S+://\S+",  # URLs and hosts
    r"--[a-z][a-z-]*(?: (?:auto|absolute|relative-1000|off|high|standard))?",  # flags
    r"\S*[/\\]\S*",  # paths, model names with an owner
    r"\S+\.(?:jpe?g|png|pdf|json|csv)\b",  # file names
    r"\b\S*[_=0-9]\S*",  # variables, finish_reason=length, numbers, model versions
    r"\b[A-Z][a-z]+[A-Z]\w*",  # CamelCase names (DataInspectionFailed, ValueError)
]
SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}")


def english_sentences(text: str) -> list[str]:
    for pattern in LEGIT:
        text = re.sub(pattern, " ", text)
    return SENTENCE.findall(text)


def test_the_detector_finds_english_and_passes_chinese():
    assert english_sentences("Clamped 1 box(es) that reached outside the photo.")
    assert not english_sentences(t("answer.note.outside", "zh", n=2, convention="absolute"))
    assert not english_sentences("模型 Qwen/Qwen2.5-VL-7B-Instruct 在 http://127.0.0.1:8000 上")


def test_every_new_phrase_has_chinese_without_english_sentences():
    for key, (_, zh) in WORDS.items():
        if key.startswith(("answer.", "endpoint.", "pool.", "pipeline.", "review.error", "net.",
                           "results.", "site.error")):  # fmt: skip
            assert not english_sentences(zh), (key, zh)
            words = re.sub(r"\{[^}]*\}", "", zh)  # what is left of it around its values
            assert re.search(r"[\u4e00-\u9fff]", zh) or not re.search(r"[A-Za-z]", words), key


def test_an_error_says_itself_in_its_readers_language():
    exc = EndpointError(Phrase("endpoint.denied", host="h", model="'m'",
                               says=Phrase("endpoint.no-reason")), status=403)  # fmt: skip
    english = "h denied access (403): no reason given. Check that the key may use model 'm'."
    assert str(exc) == english
    assert exc.text("zh") == "h 拒绝访问（403）：未说明原因。请确认该密钥有权使用模型 'm'。"


ANSWERS = {
    # cut off in the middle of the second object, at the max_tokens limit
    "cut": Fault(
        content='```json\n[{"bbox_2d": [10, 10, 60, 90], "label": "人员", '
        '"sub_label": "未佩戴安全帽"}, {"bbox_2d": [100, ',
        finish_reason="length",
    ),
    # one box reaching far outside the frame, one wholly outside, corners swapped, a
    # trailing comma repaired
    "geometry": Fault(
        content='[{"bbox_2d": [-5, -5, 2000, 40], "label": "火灾"}, '
        '{"bbox_2d": [5000, 5000, 6000, 6000], "label": "烟雾"}, '
        '{"bbox_2d": [90, 90, 20, 20], "label": "人员",},]'
    ),
    "unreadable": Fault(content="抱歉，我无法完成这个请求。"),
    "endpoint": Fault(status=500, body=json.dumps({"error": {"message": "服务器内部错误"}})),
}


@pytest.mark.slow
def test_a_chinese_run_has_no_english_sentence(tmp_path, simulator, capsys):
    server = simulator(convention="absolute", grid=28, faults=list(ANSWERS.values()))
    photos = tmp_path / "photos"
    photos.mkdir()
    for n in range(len(ANSWERS)):
        (photos / f"site{n}.jpg").write_bytes(
            scenes.jpeg_bytes(scenes.scene(640, 480, scenes.layout(640, 480, seed=n)), 1)
        )
    (photos / "broken.jpg").write_bytes(b"not a photo at all")
    out_json, report = tmp_path / "r.json", tmp_path / "r.pdf"
    argv = ["inspect", photos, "--base-url", server.base_url, "--model", QWEN25,
            "--coords", "absolute", "--concurrency", 1, "--recheck", "off", "--retries", 0,
            "--lang", "zh", "--json", out_json, "--report", report]  # fmt: skip
    code = main([str(a) for a in argv], environ=dict(os.environ))
    shown, err = capsys.readouterr()
    assert code == 1  # three photos failed

    doc = json.loads(out_json.read_text(encoding="utf-8"))
    notes = [n for im in doc["images"] for n in im["notes"]]
    errors = [im["error"] for im in doc["images"] if im["error"]]
    assert len(errors) == 3
    assert any("该文件不是可读取的图片" in e for e in errors), errors
    # Each kind of remark is there, in Chinese.
    expected = [
        t_any("answer.note.cut"), t("answer.note.length", "zh"),
        t("answer.note.clamped", "zh", n=1), t("answer.note.dropped", "zh", n=1),
        t_any("answer.note.swapped"), t("answer.note.repaired", "zh", repairs="末尾多余的逗号"),
    ]  # fmt: skip
    for words in expected:
        assert any(words in note for note in notes), (words, notes)
    assert any("无法从模型的回答中读出检测结果" in e for e in errors), errors
    assert any("出现服务器错误（500）" in e and "服务器内部错误" in e for e in errors), errors

    for where, text in [("notes", "\n".join(notes)), ("errors", "\n".join(errors)),
                        ("stdout", shown), ("stderr", err)]:  # fmt: skip
        assert not english_sentences(text), (where, english_sentences(text), text)
    pdf = "\n".join(page.extract_text() or "" for page in PdfReader(str(report)).pages)
    assert "无法从模型的回答中读出检测结果" in pdf.replace("\n", "")
    assert not english_sentences(pdf), english_sentences(pdf)


def t_any(key: str) -> str:
    """The Chinese of a counted phrase for one thing (its words before the count)."""
    return t(f"{key}.one", "zh", n=1)


def test_a_calibration_that_cannot_tell_is_said_in_chinese(tmp_path, simulator, capsys):
    server = simulator(convention="absolute", grid=28, models=("site-vlm",),
                       faults=[Fault(content="我没看到红色矩形。")])  # fmt: skip
    photo = tmp_path / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(640, 480, scenes.layout(640, 480)), 1))
    out_json = tmp_path / "r.json"
    argv = ["inspect", photo, "--base-url", server.base_url, "--model", "site-vlm",
            "--coords", "auto", "--recheck", "off", "--lang", "zh", "--json", out_json]  # fmt: skip
    code = main([str(a) for a in argv], environ=dict(os.environ))
    shown, err = capsys.readouterr()
    assert code == 0, err
    notes = json.loads(out_json.read_text(encoding="utf-8"))["images"][0]["notes"]
    assert any("校准无法判断" in n and "暂按 absolute 坐标读取" in n for n in notes), notes
    for text in (*notes, shown, err):
        assert not english_sentences(text), text


def test_a_remembered_calibration_is_said_in_the_readers_language(tmp_path):
    settings = Settings(base_url="http://gpu:8000/v1", model="site-vlm", api_key="k",
                        cache_dir=tmp_path)  # fmt: skip
    shrinks = Phrase("calibration.shrinks", measured=250_000, max_pixels=200_704)
    CalibrationStore(tmp_path).remember(settings, Plan("absolute", 224, 200_704, "calibrated",
                                                       (shrinks,)))  # fmt: skip
    plan = plan_for(settings, None, CalibrationStore(tmp_path))
    assert plan.how == "remembered calibration"
    zh = "服务器会缩小超过约 250,000 像素的图像，因此发送的图像最多 200,704 像素，以免被缩小。"
    assert said(plan.notes[0], "zh") == zh
    assert plan.notes[0] == str(shrinks)  # and in English where no language is known


@pytest.mark.slow
def test_the_page_in_chinese_says_notes_and_errors_in_chinese(simulator, tmp_path):
    from gradio_client import Client, handle_file

    from tests.test_app_api import SECRET, live_env, running_app, two_photos

    server = simulator(convention="absolute", grid=28, api_key=SECRET,
                       faults=[ANSWERS["geometry"], ANSWERS["endpoint"]])  # fmt: skip
    with running_app(live_env(server)) as url:
        doc = Client(url, verbose=False).predict(
            files=[handle_file(str(p)) for p, _ in two_photos(tmp_path)], lang="zh",
            concurrency=1, recheck="off", api_name="/inspect",
        )  # fmt: skip
    notes = [n for im in doc["images"] for n in im["notes"]]
    errors = [im["error"] for im in doc["images"] if im["error"]]
    assert any(t("answer.note.dropped", "zh", n=1) in n for n in notes), notes
    assert len(errors) == 1 and "出现服务器错误（500）" in errors[0], errors
    for text in (*notes, *errors):
        assert not english_sentences(text), text
