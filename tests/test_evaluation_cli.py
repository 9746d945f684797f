"""``python -m safety evaluate`` as a user runs it: a subprocess, a VOC data set on disk, the
simulated Qwen endpoint over real HTTP; the JSON's figures, the PDF read back (text and
embedded fonts) in both languages, the cache across runs, and one-line errors (exit 2)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from safety.i18n import WORDS
from tests.evaluation_sets import photo, write_voc

ROOT = Path(__file__).resolve().parent.parent
MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
MAP = ["--map", "blue=head:worn", "--map", "none=head:missing"]

# The simulator sees saturated rectangles: red fire, blue smoke, green a person with a hard
# hat, yellow one without. Labels say what a careful labeller would, with known slips.
PHOTOS = [
    # fire and smoke, both found
    photo("s1.jpg", 800, 600, [("fire", (100, 100, 300, 260)), ("smoke", (450, 80, 700, 300))],
          [("fire", (100, 100, 300, 260)), ("smoke", (450, 80, 700, 300))]),
    # two persons labelled by their heads: found, hard hats right
    photo("s2.jpg", 640, 480,
          [("person-missing", (200, 100, 300, 400)), ("person", (400, 120, 480, 420))],
          [("none", (225, 100, 275, 150)), ("blue", (415, 120, 465, 170))]),
    # a bare head the model sees as wearing a hard hat
    photo("s3.jpg", 640, 480, [("person", (100, 100, 180, 400))], [("none", (115, 100, 165, 150))]),
    # nothing at all
    photo("s4.jpg", 600, 400),
    # an unlabelled fire (a false alarm) and a labelled smoke nobody can see (a miss)
    photo("s5.jpg", 600, 400, [("fire", (50, 50, 200, 200))], [("smoke", (300, 100, 500, 300))]),
    # a class the data set has and we do not score
    photo("s6.jpg", 600, 400, [], [("vest", (10, 10, 60, 60))]),
]  # fmt: skip


def run(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASHSCOPE"))}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "safety", "evaluate", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
    )


@pytest.fixture
def dataset(tmp_path):
    return write_voc(tmp_path / "site-set", PHOTOS)


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.slow
def test_end_to_end_over_http_in_both_languages(tmp_path, simulator, dataset):
    server = simulator(convention="absolute")
    cache = {"SAFETY_CACHE_DIR": str(tmp_path / "cache")}
    common = ["--base-url", server.base_url, "--model", MODEL, *MAP]
    done = run(str(dataset), *common, "--json", str(tmp_path / "m.json"),
               "--report", str(tmp_path / "en.pdf"), "--lang", "en", env_extra=cache)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "vest (1)" in done.stderr  # the unmapped class, named with its count
    asked = len(server.requests)
    assert asked == 6 + 1  # one per photo, and the calibration probe
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert (doc["images"], doc["failed"]) == (6, 0)
    counts = {c: (v["tp"], v["fp"], v["fn"]) for c, v in doc["classes"].items()}
    assert counts == {"fire": (1, 1, 0), "smoke": (1, 0, 1), "person": (3, 0, 0)}
    assert doc["helmet"]["scored"] == 3 and doc["helmet"]["correct"] == 2
    assert doc["helmet"]["confusion"]["missing"] == {"worn": 1, "missing": 1, "unknown": 0}
    assert doc["photos"]["correct"] == 5 and doc["photos"]["missed"] == 1
    assert doc["dataset"]["form"] == "voc" and doc["run"]["model"] == MODEL
    assert "fire (1" not in done.stdout and "TP 1, FP 1, FN 0" in done.stdout

    text = squash("\n".join(p.extract_text() or "" for p in PdfReader(tmp_path / "en.pdf").pages))
    for expected in ("Model evaluation report", "site-set", MODEL, "127.0.0.1",
                     "thisdatasetonly", "noAP", "50.0%", "66.7%", "s5.jpg"):  # fmt: skip
        assert squash(expected) in text, expected
    _fonts_embedded(tmp_path / "en.pdf")

    # Chinese, from the cache: no model call at all.
    done = run(str(dataset), *common, "--json", str(tmp_path / "zh.json"),
               "--report", str(tmp_path / "zh.pdf"), "--lang", "zh", env_extra=cache)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(server.requests) == asked
    assert json.loads((tmp_path / "zh.json").read_text())["classes"] == doc["classes"]
    zh = squash("\n".join(p.extract_text() or "" for p in PdfReader(tmp_path / "zh.pdf").pages))
    for expected in ("模型评测报告", "仅代表该数据集", "精确率", "安全帽判断正确率", "66.7%"):
        assert expected in zh, expected
    _fonts_embedded(tmp_path / "zh.pdf")
    assert "取自缓存 6 张" in done.stdout


def _fonts_embedded(pdf: Path) -> None:
    tool = shutil.which("pdffonts")
    if tool is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    out = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows and all("WenQuanYiMicroHei" in row[0] for row in rows), out
    assert all(row[-5] == "yes" for row in rows), out  # the "emb" column


@pytest.mark.slow
def test_comparisons_make_one_report_and_one_json(tmp_path, simulator, dataset):
    server = simulator(convention="absolute")
    env = {"SAFETY_CACHE_DIR": str(tmp_path / "cache")}
    done = run(str(dataset), "--base-url", server.base_url, "--model", MODEL, *MAP, "--coords",
               "absolute", "--name", "full", "--compare", "small:max_pixels=200704",
               "--json", str(tmp_path / "c.json"), "--report", str(tmp_path / "c.pdf"),
               env_extra=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads((tmp_path / "c.json").read_text())
    assert [r["run"]["name"] for r in doc["runs"]] == ["full", "small"]
    assert [r["run"]["max_pixels"] for r in doc["runs"]] == [1003520, 200704]
    assert len(server.requests) == 12  # each photo once per run
    text = squash("\n".join(p.extract_text() or "" for p in PdfReader(tmp_path / "c.pdf").pages))
    assert "Runssidebyside" in text and "Run:small" in text and "Run:full" in text


@pytest.mark.parametrize(
    "args, words",
    [
        (["{missing}"], "No such data set folder"),
        (["{data}", "--map", "none"], "--map none"),
        (["{data}", "--map", "none=helmet"], "the category is one of"),
        (["{data}", "--iou", "0"], "--iou 0"),
        (["{data}", "--compare", "x:colour=red"], "the keys are"),
        (["{broken}"], "Annotations/s1.xml"),
        (["{data}", "--map", "fire=ignore", "--map", "smoke=ignore", "--map", "none=ignore",
          "--map", "blue=ignore"], "--map NAME=CATEGORY"),
    ],
)  # fmt: skip
@pytest.mark.slow
def test_user_mistakes_are_one_line_and_exit_2(tmp_path, dataset, args, words):
    broken = tmp_path / "broken"
    shutil.copytree(dataset, broken)
    (broken / "Annotations" / "s1.xml").write_text("<annotation><object>", encoding="utf-8")
    values = {"missing": str(tmp_path / "nope"), "data": str(dataset), "broken": str(broken)}
    argv = [a.format(**values) for a in args]
    done = run(*argv, "--base-url", "http://127.0.0.1:9/v1", "--json", str(tmp_path / "x.json"))
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and words in errors[0], done.stderr
    assert not (tmp_path / "x.json").exists()


def test_evaluate_words_are_in_the_catalogue_and_all_used():
    """Every "eval.*" key the evaluation names is in the catalogue, and every "eval.*"
    phrase in the catalogue is used."""
    import re

    import safety.evaluation

    sources = [
        *Path(safety.evaluation.__file__).parent.glob("*.py"),
        *(ROOT / "safety" / "commands").glob("*.py"),
    ]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    named = set(re.findall(r'"(eval\.[a-z0-9.-]+)"', text))
    for prefix, keys in (
        ("eval.col.", ("category", "truths", "answers", "tp", "fp", "fn", "precision", "recall",
                       "f1")),
        ("eval.report.basis.", ("fire", "smoke", "missing")),
        ("eval.report.hat.", ("worn", "missing", "unknown")),
    ):  # fmt: skip
        named |= {prefix + k for k in keys}
    defined = {key for key in WORDS if key.startswith("eval.")}
    assert named - defined == set()
    assert defined - named == set()


def test_a_compare_on_another_preset_gets_its_own_address_and_key(monkeypatch, tmp_path):
    """--compare ds:preset=dashscope beside a local vLLM run: DashScope's address and key,
    never the local --api-key; a compare that changes only max_pixels keeps everything."""
    import safety.commands.evaluate as command
    from safety.commands import cli
    from safety.evaluation.runner import parse_compare

    seen = {}

    def capture(args, config, settings_for, **_):
        seen["main"] = settings_for()
        for text in args.compare:
            name, changes = parse_compare(text)
            seen[name] = settings_for(**changes)
        return 0

    monkeypatch.setattr(command, "evaluate", capture)
    argv = [
        "evaluate",
        str(tmp_path),
        "--base-url",
        "http://127.0.0.1:8000/v1",
        "--api-key",
        "sk-local-1111",
        "--json",
        str(tmp_path / "m.json"),
        "--compare",
        "ds:preset=dashscope,model=qwen-vl-max",
        "--compare",
        "small:max_pixels=401408",
    ]
    env = {"DASHSCOPE_API_KEY": "sk-dashscope-2222", "SAFETY_CACHE_DIR": str(tmp_path)}
    assert cli.main(argv, environ=env) == 0
    assert seen["main"].api_key == "sk-local-1111" and seen["main"].host == "http://127.0.0.1:8000"
    assert seen["ds"].api_key == "sk-dashscope-2222" and "dashscope" in seen["ds"].host
    assert seen["ds"].model == "qwen-vl-max"
    assert seen["small"].api_key == "sk-local-1111" and seen["small"].max_pixels == 401408
