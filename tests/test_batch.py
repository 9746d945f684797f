"""The Batch API round trip, as a user runs it: ``batch prepare`` over a folder of photos, a
provider played over real HTTP against the simulator (``tests.batch_provider``), then
``batch collect``. Every box lands within 1% of the truth in original pixels; a request the
provider failed, or lost, is that photo's error in the JSON, the CSV and the report.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from safety import limits
from safety.batch_api.prepare import _ordered
from safety.commands.cli import main
from tests import scenes
from tests.batch_provider import play
from tests.test_coordinates_e2e import _assert_matches

ROOT = Path(__file__).resolve().parent.parent
QWEN25 = "Qwen/Qwen2.5-VL-7B-Instruct"
QWEN3 = "Qwen/Qwen3-VL-8B-Instruct"
SECRET = "sk-batch-SECRET-73737373"

# (id, simulator settings, model, prepare flags): absolute pixels on a 28 grid with the
# convention given; Qwen3-VL's 0..1000 on a 32 grid, left to what the model name implies.
BACKENDS = [
    ("absolute", dict(convention="absolute", grid=28), QWEN25, ["--coords", "absolute"]),
    ("relative-1000", dict(convention="relative-1000", grid=32, models=(QWEN3,)), QWEN3, []),
]
# (width, height, EXIF orientation) of the UPRIGHT photo; every other one in a sub-folder.
PHOTOS = [(300, 200, 1), (640, 480, 6), (1920, 1080, 1), (1080, 1920, 8), (4000, 3000, 6)]


def run(capsys, *argv, env=None):
    """``python -m safety ARGV`` in this process: (exit status, stdout, stderr)."""
    code = main([str(a) for a in argv], environ={**os.environ, **(env or {})})
    out, err = capsys.readouterr()
    return code, out, err


def make_photos(folder: Path, sizes=PHOTOS) -> dict[str, tuple]:
    """Photos in ``folder`` (and a sub-folder): source -> (objects, width, height)."""
    truth = {}
    for n, (w, h, orientation) in enumerate(sizes):
        objects = scenes.layout(w, h, seed=n)
        place = folder / "north" if n % 2 else folder
        place.mkdir(parents=True, exist_ok=True)
        path = place / f"site{n}_{w}x{h}_o{orientation}.jpg"
        path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, objects), orientation))
        truth[str(path)] = (objects, w, h)
    return truth


def lines(path: Path) -> list[dict]:
    return [json.loads(raw) for raw in path.read_text(encoding="utf-8").splitlines() if raw]


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_text(path: Path) -> str:
    return squash("".join(p.extract_text() or "" for p in PdfReader(str(path)).pages))


def check_request_file(path: Path, model: str) -> list[str]:
    """Every line a valid OpenAI Batch API request with one photo; its custom_ids."""
    ids = []
    for item in lines(path):
        assert set(item) == {"custom_id", "method", "url", "body"}
        assert item["method"] == "POST" and item["url"] == "/v1/chat/completions"
        body = item["body"]
        assert body["model"] == model and "api_key" not in json.dumps(body)
        parts = [p for m in body["messages"] if isinstance(m["content"], list)
                 for p in m["content"]]  # fmt: skip
        images = [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]
        assert len(images) == 1 and images[0].startswith("data:image/jpeg;base64,")
        assert base64.b64decode(images[0].split(",", 1)[1])[:2] == b"\xff\xd8"
        # No path or photo name leaks into the id the provider sees.
        assert "/" not in item["custom_id"] and "site" not in item["custom_id"]
        ids.append(item["custom_id"])
    return ids


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS, ids=[b[0] for b in BACKENDS])
def test_round_trip_lands_every_box_and_keeps_every_failure(tmp_path, simulator, capsys, backend):
    _, sim, model, flags = backend
    server = simulator(**sim)
    photos = tmp_path / "photos"
    truth = make_photos(photos)
    (photos / "broken.jpg").write_bytes(b"not a photo at all")
    out = tmp_path / "batch"

    code, said, err = run(capsys, "batch", "prepare", photos, "--out", out, "--model", model,
                          *flags)  # fmt: skip
    assert code == 1  # the broken photo, recorded and not sent
    assert "broken.jpg" in err and "requests.jsonl" in said and "run_batch" in said
    manifest = lines(out / "photos.jsonl")
    assert [e["source"] for e in manifest] == sorted(e["source"] for e in manifest)
    sent = [e["custom_id"] for e in manifest if e["part"] is not None]
    assert len(manifest) == len(PHOTOS) + 1 and len(sent) == len(PHOTOS)
    ids = check_request_file(out / "requests.jsonl", model)
    assert sorted(ids) == sorted(sent) and len(set(ids)) == len(ids)
    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert batch["counts"] == {"photos": 6, "requests": 5, "failed": 1}
    assert batch["plan"]["convention"] == sim["convention"]

    by_id = {e["custom_id"]: e["source"] for e in manifest}
    failed, expired, dropped = sent[0], sent[1], sent[2]
    played = play(out / "requests.jsonl", out / "output.jsonl", server.base_url,
                  fail={failed: "500", expired: "error"}, drop={dropped},
                  errors=out / "errors.jsonl", seed=7)  # fmt: skip
    assert played.sent == 2 and played.dropped == [dropped]

    report, as_json, as_csv = tmp_path / "r.pdf", tmp_path / "r.json", tmp_path / "r.csv"
    code, said, err = run(capsys, "batch", "collect", out, out / "output.jsonl",
                          out / "errors.jsonl", "--json", as_json, "--csv", as_csv,
                          "--report", report)  # fmt: skip
    assert code == 1
    doc = json.loads(as_json.read_text(encoding="utf-8"))
    images = {im["source"]: im for im in doc["images"]}
    assert len(images) == len(PHOTOS) + 1 and doc["summary"]["failed"] == 4
    errors = {
        failed: "The provider failed this request (500): The server had an error",
        expired: "batch_expired: This request could not be executed before the completion",
        dropped: "The provider returned no answer for this photo",
    }
    for custom_id, words in errors.items():
        assert words in images[by_id[custom_id]]["error"]
        said_here = [x for x in err.splitlines() if x.startswith(f"error: {by_id[custom_id]}: ")]
        assert len(said_here) == 1 and words in said_here[0]  # one line each on stderr
    assert "not an image" in images[str(photos / "broken.jpg")]["error"]
    for source, (objects, w, h) in truth.items():
        if source in (by_id[failed], by_id[expired], by_id[dropped]):
            assert images[source]["detections"] == []
            continue
        _assert_matches(images[source], objects, w, h)
        # vLLM's token log-probabilities were asked for in the body and read back.
        assert all(d["confidence"] is not None for d in images[source]["detections"])
        if not flags:  # the convention came from the model name: every photo says so
            assert any("--coords" in note for note in images[source]["notes"])
    rows = list(csv.DictReader(io.StringIO(as_csv.read_text(encoding="utf-8"))))
    in_csv = " ".join(row["error"] for row in rows)
    assert all(words in in_csv for words in errors.values())
    text = pdf_text(report)
    for words in errors.values():
        assert squash(words) in text
    assert lines(out / "results.jsonl") and "Collected 6 photo(s), 4 failed" in said


def test_request_files_split_at_the_limits_and_all_come_back(tmp_path, simulator, capsys):
    server = simulator(convention="absolute", grid=28)
    photos = tmp_path / "photos"
    truth = make_photos(photos, [(640, 480, 1)] * 5)
    out = tmp_path / "by-count"
    code, said, _ = run(capsys, "batch", "prepare", photos, "--out", out, "--max-requests", 2)
    assert code == 0
    files = json.loads((out / "batch.json").read_text(encoding="utf-8"))["files"]
    assert [f["name"] for f in files] == [f"requests-00{n}.jsonl" for n in (1, 2, 3)]
    assert [f["requests"] for f in files] == [2, 2, 1]
    assert not (out / "requests.jsonl").exists() and "output-003.jsonl" in said
    outputs = []
    for f in files:
        check_request_file(out / f["name"], QWEN25)
        outputs.append(out / f["name"].replace("requests", "output"))
        play(out / f["name"], outputs[-1], server.base_url, seed=len(outputs))
    code, _, err = run(capsys, "batch", "collect", out, *outputs, "--json", tmp_path / "r.json")
    assert code == 0 and err == ""
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for image in doc["images"]:
        _assert_matches(image, *truth[image["source"]])

    # By size: two requests fit in a file, three do not.
    sizes = sorted(len(raw) for raw in (out / "requests-001.jsonl").read_bytes().splitlines())
    most = (2 * max(sizes) + 2) / 1e6
    code, _, _ = run(capsys, "batch", "prepare", photos, "--out", tmp_path / "by-size",
                     "--max-file-mb", most, "--provider", "openai")  # fmt: skip
    files = json.loads((tmp_path / "by-size" / "batch.json").read_text(encoding="utf-8"))["files"]
    assert code == 0 and len(files) == 3 and all(f["bytes"] <= most * 1e6 for f in files)


def test_a_request_over_the_per_request_limit_is_that_photos_error(tmp_path, capsys):
    photos = tmp_path / "photos"
    make_photos(photos, [(640, 480, 1)])
    code, said, err = run(capsys, "batch", "prepare", photos, "--out", tmp_path / "b",
                          "--max-file-mb", 0.001)  # fmt: skip
    assert code == 1 and "--max-pixels" in err and "0 request(s)" in said
    entry = lines(tmp_path / "b" / "photos.jsonl")[0]
    assert entry["part"] is None and "--max-pixels" in entry["error"]


def test_tiles_are_refused_with_the_fix_in_both_languages(tmp_path, capsys):
    photos = tmp_path / "photos"
    make_photos(photos, [(640, 480, 1)])
    code, _, err = run(capsys, "batch", "prepare", photos, "--out", tmp_path / "b",
                       "--detail", "tiles")  # fmt: skip
    assert code == 2 and "--detail high" in err and "python -m safety inspect" in err
    assert not (tmp_path / "b").exists()
    code, _, err = run(capsys, "batch", "prepare", photos, "--out", tmp_path / "b",
                       "--detail", "tiles", env={"LANG": "zh_CN.UTF-8"})  # fmt: skip
    assert code == 2 and "不能以批量方式运行" in err and "python -m safety inspect" in err


def test_dashscope_batch_holds_no_key_and_asks_for_high_resolution(tmp_path, capsys):
    photos = tmp_path / "photos"
    make_photos(photos, [(1920, 1080, 1), (640, 480, 6)])
    keys = {"DASHSCOPE_API_KEY": SECRET, "QWEN_VL_API_KEY": SECRET + "-2"}
    out = tmp_path / "b"
    code, said, _ = run(capsys, "batch", "prepare", photos, "--out", out, "--preset",
                        "dashscope", "--detail", "high", env=keys)  # fmt: skip
    assert code == 0 and "DashScope" in said and "purpose" in said
    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert batch["provider"] == "dashscope" and batch["model"] == "qwen-vl-max"
    assert batch["limits"] == {"max_requests": 50_000, "max_file_bytes": 500_000_000,
                               "max_line_bytes": 6_000_000}  # fmt: skip
    assert batch["plan"]["max_pixels"] == limits.HIGH_MAX_PIXELS
    assert batch["endpoint"] == "https://dashscope.aliyuncs.com"
    for item in lines(out / "requests.jsonl"):
        assert item["body"]["vl_high_resolution_images"] is True  # top level, not extra_body
        assert "logprobs" not in item["body"]

    # An answer that echoes the key: scrubbed before anything is written.
    answer = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "qwen-vl-max",
              "choices": [{"index": 0, "finish_reason": "stop", "message": {
                  "role": "assistant", "content": f"```json\n[]\n```\nkey {SECRET}"}}]}  # fmt: skip
    output = out / "output.jsonl"
    output.write_text("".join(
        json.dumps({"id": "b", "custom_id": item["custom_id"], "error": None, "response": {
            "status_code": 200, "request_id": "r", "body": answer}}) + "\n"
        for item in lines(out / "requests.jsonl")), encoding="utf-8")  # fmt: skip
    code, _, _ = run(capsys, "batch", "collect", out, output, "--json", tmp_path / "r.json",
                     "--report", tmp_path / "r.pdf", env=keys)  # fmt: skip
    assert code == 0
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".jpg"]
    assert len(written) >= 6
    for path in written:
        if path != output:  # the provider's own file, not ours
            data = path.read_bytes()
            assert SECRET.encode() not in data and b"batch-SECRET" not in data, path


def test_duplicate_unknown_and_broken_lines_are_reported_and_a_retry_wins(
    tmp_path, simulator, capsys
):
    server = simulator(convention="absolute", grid=28)
    photos = tmp_path / "photos"
    truth = make_photos(photos, [(640, 480, 1), (900, 600, 1)])
    out = tmp_path / "b"
    assert run(capsys, "batch", "prepare", photos, "--out", out)[0] == 0
    first = lines(out / "requests.jsonl")[0]["custom_id"]
    play(out / "requests.jsonl", out / "output.jsonl", server.base_url, fail={first: "500"})
    retry = out / "retry.jsonl"  # the failed request run again, in a second batch
    (out / "again.jsonl").write_text(
        json.dumps(lines(out / "requests.jsonl")[0]) + "\n", encoding="utf-8"
    )
    play(out / "again.jsonl", retry, server.base_url)
    with open(out / "output.jsonl", "a", encoding="utf-8") as f:
        good = next(x for x in lines(out / "output.jsonl") if x["custom_id"] != first)
        f.write(json.dumps(good) + "\n")  # the same answer twice
        f.write(json.dumps({**good, "custom_id": "photo-000001-0badcafe"}) + "\n")
        f.write("this is not JSON\n\n")
    code, _, err = run(capsys, "batch", "collect", out, out / "output.jsonl", retry,
                       "--json", tmp_path / "r.json", "--quiet")  # fmt: skip
    assert code == 0
    assert err.count("warning:") == 4
    assert "custom_id photo-000001-0badcafe is not in this batch" in err
    assert f"custom_id {good['custom_id']} is answered again" in err
    assert "line 5 is not a Batch API output line" in err
    assert f"custom_id {first} is answered again" in err  # its retry, which is used
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for image in doc["images"]:
        _assert_matches(image, *truth[image["source"]])


def test_chinese_lines_and_errors(tmp_path, capsys):
    photos = tmp_path / "photos"
    make_photos(photos, [(640, 480, 1)])
    out = tmp_path / "b"
    code, said, _ = run(capsys, "batch", "prepare", photos, "--out", out,
                        env={"LANG": "zh_CN.UTF-8"})  # fmt: skip
    assert code == 0 and "已处理 1 张照片" in said and "批量任务不做存疑人员的复核" in said
    (out / "output.jsonl").write_text("", encoding="utf-8")  # the provider lost everything
    code, said, err = run(capsys, "batch", "collect", out, out / "output.jsonl", "--lang", "zh",
                          "--json", tmp_path / "r.json")  # fmt: skip
    assert code == 1 and "服务商没有返回该照片的结果" in err and "已汇总 1 张照片" in said
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc["images"][0]["error"].startswith("服务商没有返回")


def test_configuration_problems_exit_2_and_say_the_fix(tmp_path, capsys):
    code, _, err = run(capsys, "batch", "collect", tmp_path, tmp_path / "none.jsonl")
    assert code == 2 and "batch prepare --out" in err
    photos = tmp_path / "photos"
    make_photos(photos, [(640, 480, 1)])
    out = tmp_path / "b"
    assert run(capsys, "batch", "prepare", photos, "--out", out)[0] == 0
    code, _, err = run(capsys, "batch", "collect", out, tmp_path / "none.jsonl")
    assert code == 2 and "none.jsonl" in err
    code, _, err = run(capsys, "batch", "prepare", photos, "--out", out)
    assert code == 2 and "--force" in err
    before = lines(out / "photos.jsonl")[0]["custom_id"]
    assert run(capsys, "batch", "prepare", photos, "--out", out, "--force")[0] == 0
    assert lines(out / "photos.jsonl")[0]["custom_id"] != before  # a new batch, whole
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "batch", "prepare", tmp_path / "empty", "--out", tmp_path / "c")
    assert code == 2 and "--glob" in err


def test_glob_and_shard_choose_the_photos(tmp_path, capsys):
    photos = tmp_path / "photos"
    make_photos(photos, [(640, 480, 1)] * 6)
    prepared = {}
    for name, flags in [("north", ["--glob", "north/*"]), ("one", ["--shard", "1/2"]),
                        ("two", ["--shard", "2/2"])]:  # fmt: skip
        assert run(capsys, "batch", "prepare", photos, "--out", tmp_path / name, *flags)[0] == 0
        prepared[name] = {e["source"] for e in lines(tmp_path / name / "photos.jsonl")}
    assert prepared["north"] == {str(p) for p in (photos / "north").iterdir()}
    assert not prepared["one"] & prepared["two"]
    assert len(prepared["one"] | prepared["two"]) == 6


@pytest.mark.slow
def test_the_report_finds_the_photos_from_any_folder(tmp_path, simulator, capsys, monkeypatch):
    """Sources are kept as given (relative here); collect, run from elsewhere, still finds
    each photo where prepare read it, checks it is the one sent, and blurs faces if asked."""
    server = simulator(convention="absolute", grid=28)
    make_photos(tmp_path / "photos", [(900, 600, 1), (600, 900, 6)])
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "batch", "prepare", "photos", "--out", "b")[0] == 0
    play(tmp_path / "b" / "requests.jsonl", tmp_path / "b" / "output.jsonl", server.base_url)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    code, _, err = run(capsys, "batch", "collect", "../b", "../b/output.jsonl", "--report",
                       "r.pdf", "--blur-faces")  # fmt: skip
    assert code == 0 and err == ""
    pages = PdfReader("r.pdf").pages
    assert sum(len(page.images) for page in pages) >= 2
    sources = {e["source"] for e in lines(tmp_path / "b" / "results.jsonl")}
    assert all(not Path(s).is_absolute() for s in sources)


def test_frames_are_made_a_few_at_a_time(tmp_path):
    """Memory stays flat: the photos are taken from the input only a little ahead of the
    request lines written, however long the input."""
    taken, done, ahead = [0], [0], []
    lock = threading.Lock()

    def items():
        for n in range(200):
            with lock:
                taken[0] += 1
                ahead.append(taken[0] - done[0])
            yield (n,)

    for _ in _ordered(lambda n: n, items(), workers=3):
        done[0] += 1
    assert done[0] == 200 and max(ahead) <= 2 * 3 + 1


@pytest.mark.slow
def test_the_whole_round_trip_as_separate_commands(tmp_path, simulator):
    """The three steps as processes, the provider played by its own command line."""
    server = simulator(convention="absolute", grid=28)
    photos = tmp_path / "photos"
    truth = make_photos(photos, [(900, 600, 1), (600, 900, 6)])
    out = tmp_path / "b"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASHSCOPE"))}

    def step(*argv):
        done = subprocess.run([sys.executable, "-m", *map(str, argv)], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    step("safety", "batch", "prepare", photos, "--out", out, "--coords", "absolute")
    said = step("tests.batch_provider", out / "requests.jsonl", out / "output.jsonl",
                "--base-url", server.base_url)  # fmt: skip
    assert "2 sent" in said
    step("safety", "batch", "collect", out, out / "output.jsonl", "--json", tmp_path / "r.json")
    for image in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["images"]:
        _assert_matches(image, *truth[image["source"]])
