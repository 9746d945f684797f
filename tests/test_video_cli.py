"""`python -m safety inspect walk.mp4`: videos mixed with photos and folders, driven through
the real command line against the simulator over real HTTP (its vision finds the drawn
objects in each frame). Checked: events with their times and boxes in the video's upright
pixels, a hard hat taken off, the estimate before the run, one bad video among good inputs,
JSON, CSV, --results and --resume per video, the report command reading it all back, and
the PDF read back in both languages."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from safety.commands.cli import main
from safety.i18n import t
from tests import scenes, videos
from tests.simulator import Fault

QWEN25 = "Qwen/Qwen2.5-VL-7B-Instruct"
W, H = 640, 480
SECONDS = 8


def walkthrough(t_s: float):
    """A person walking right who takes the hard hat off at 4 s; a fire that stays put;
    smoke that appears at 5 s in the top right."""
    x = int(40 + 30 * t_s)
    objects = [
        ("person" if t_s < 4 else "person-missing", (x, 60, x + 70, 230)),
        ("fire", (420, 300, 560, 420)),
    ]
    if t_s >= 5:
        objects.append(("smoke", (480, 30, 620, 130)))
    return objects


def _cli(server, *args) -> list[str]:
    return [
        "inspect",
        *map(str, args),
        "--base-url",
        server.base_url,
        "--model",
        QWEN25,
        "--coords",
        "absolute",
        "--recheck",
        "off",
        "--concurrency",
        "3",
    ]


@pytest.fixture
def walk(tmp_path) -> Path:
    """The walkthrough as a phone films it: stored turned, with the rotation flag."""
    return videos.write_video(
        tmp_path / "walk.mp4",
        videos.steady(10, SECONDS),
        videos.moving(W, H, walkthrough),
        rotation=-90,
    )


def _video(doc: dict, name: str) -> dict:
    [entry] = [e for e in doc["images"] if e["source"].endswith(name)]
    return entry


def test_a_walkthrough_gives_each_hazard_once_with_its_times(tmp_path, simulator, walk, capsys):
    server = simulator()
    photo = tmp_path / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(560, 420, [("fire", (20, 20, 120, 120))])))
    folder = tmp_path / "clips"
    folder.mkdir()
    shutil.copy(walk, folder / "copy.mkv")  # a folder's videos are taken too (the name counts)
    bad = tmp_path / "really-a-photo.mov"
    bad.write_bytes(photo.read_bytes())
    out = tmp_path / "out"
    code = main(
        _cli(
            server,
            walk,
            photo,
            bad,
            folder,
            "--json",
            out / "r.json",
            "--csv",
            out / "r.csv",
            "--report",
            out / "r.pdf",
            "--lang",
            "en",
        )
    )
    said = capsys.readouterr()
    assert code == 1  # one input failed; the others were inspected
    # The estimate before the run: 2 readable videos of 8 s at 1 fps, 1 that is not.
    assert "Videos: 3, 0:16 of footage: about 16 frames to send" in said.err
    assert t("video.is-image", "en") in said.err
    assert said.err.index("Videos: 3") < said.err.index(t("video.is-image", "en"))

    doc = json.loads((out / "r.json").read_text())
    v = _video(doc, "walk.mp4")
    assert (v["kind"], v["width"], v["height"]) == ("video", W, H)
    assert v["duration_s"] == pytest.approx(SECONDS, abs=0.11) and v["fps"] == 1.0
    assert [f["t"] for f in v["frames"]] == [float(s) for s in range(SECONDS)]
    by_cat = {e["category"]: e for e in v["events"]}
    assert sorted(by_cat) == ["fire", "person", "smoke"] and len(v["events"]) == 3
    person, fire, smoke = by_cat["person"], by_cat["fire"], by_cat["smoke"]
    assert (person["first_s"], person["last_s"], len(person["frames"])) == (0.0, 7.0, 8)
    assert person["changes"] == [{"t": 4.0, "from": "worn", "to": "missing"}]
    assert person["helmet"] == "missing"  # took it off and kept it off
    assert (smoke["first_s"], smoke["last_s"]) == (5.0, 7.0)
    assert fire["box"] == pytest.approx([420, 300, 560, 420], abs=4)  # upright video pixels
    best = person["best_t"]
    x = 40 + 30 * best
    assert person["box"] == pytest.approx([x, 60, x + 70, 230], abs=4)
    for frame in v["frames"]:  # every frame's boxes in the upright video, each on its event
        for d in frame["detections"]:
            assert 0 <= d["box"][0] < d["box"][2] <= W and 0 <= d["box"][1] < d["box"][3] <= H
            assert d["event"] in {e["id"] for e in v["events"]}
    assert len(server.requests) == 2 * SECONDS + 1  # two videos' frames and the photo

    s = doc["summary"]  # events counted, not frames
    assert (s["videos"], s["events"], s["fire"], s["smoke"], s["persons"]) == (3, 6, 3, 2, 2)
    assert s["failed"] == 1 and s["persons_without_hard_hat"] == 2
    failed = _video(doc, "really-a-photo.mov")
    assert failed["kind"] == "video" and failed["error"] == t("video.is-image", "en")

    rows = list(csv.DictReader((out / "r.csv").open(encoding="utf-8")))
    walk_rows = [r for r in rows if r["source"].endswith("walk.mp4")]
    assert len(walk_rows) == 3 and {r["kind"] for r in walk_rows} == {"video"}
    assert sorted(r["first_s"] for r in walk_rows) == ["0.0", "0.0", "5.0"]

    pages = [p.extract_text() for p in PdfReader(out / "r.pdf").pages]
    page = next(p for p in pages if "walk.mp4" in p and "Video" in p)
    assert "Each hazard at its best frame" in page and "hard hat taken off at 0:04.0" in page
    assert "0:05.0 to 0:07.0" in page  # the smoke's row


def test_results_and_resume_work_per_video(tmp_path, simulator, walk, capsys):
    server = simulator()
    results = tmp_path / "run.jsonl"
    assert main(_cli(server, walk, "--results", results, "-q")) == 0
    [line] = [json.loads(x) for x in results.read_text().splitlines()]
    assert line["kind"] == "video" and len(line["events"]) == 3
    sent = len(server.requests)
    assert sent == SECONDS

    assert main(_cli(server, walk, "--results", results, "--resume", "-q")) == 0
    assert len(server.requests) == sent  # the video is done: not one frame sent again

    videos.write_video(walk, videos.steady(10, 3), videos.moving(W, H, walkthrough))
    assert main(_cli(server, walk, "--results", results, "--resume", "-q")) == 0
    assert len(server.requests) == sent + 3  # changed since: inspected again, and once only
    [line] = [json.loads(x) for x in results.read_text().splitlines()]
    assert len(line["frames"]) == 3

    # The report command reads the journal back, and finds the best frames in the video.
    out = tmp_path / "again"
    code = main(
        [
            "report",
            str(results),
            "--json",
            str(out / "r.json"),
            "--report",
            str(out / "r.pdf"),
            "--lang",
            "zh",
        ]
    )
    assert code == 0, capsys.readouterr().err
    doc = json.loads((out / "r.json").read_text())
    assert doc["images"][0]["events"] == line["events"]
    assert doc["summary"]["events"] == len(line["events"])
    reader = PdfReader(out / "r.pdf")
    page = next(p for p in reader.pages if "视频 1 / 1" in p.extract_text())
    assert "各事件的最佳画面" in page.extract_text()
    assert len(page.images) == len(line["events"])  # each event's best frame, decoded again


def test_bad_flags_say_what_they_take(tmp_path, simulator, walk, capsys):
    server = simulator()
    assert main(_cli(server, walk, "--fps", "0")) == 2
    assert "--fps must be a number from 0.01 to 10" in capsys.readouterr().err
    assert main(_cli(server, walk, "--max-frames", "lots", "--lang", "zh")) == 2
    assert "--max-frames 须为 1 到" in capsys.readouterr().err
    assert not server.requests


def test_max_frames_and_fps_reach_the_sampling(tmp_path, simulator, walk):
    server = simulator()
    out = tmp_path / "r.json"
    assert main(_cli(server, walk, "--fps", "2", "--max-frames", "5", "--json", out, "-q")) == 0
    v = json.loads(out.read_text())["images"][0]
    assert len(v["frames"]) == 5 and len(server.requests) == 5
    assert v["fps"] == pytest.approx(5 / SECONDS, abs=0.01)  # lowered to span the video
    assert v["frames"][-1]["t"] > SECONDS - 2


def test_a_frame_that_fails_is_a_note_many_fail_the_video(tmp_path, simulator, walk):
    """One frame refused (content moderation, say): the video stands with a note. Most
    frames refused (the endpoint went away): the video fails, so a resume does it again."""
    server = simulator()
    refusal = '{"error": {"code": "DataInspectionFailed", "message": "inappropriate"}}'
    server.model.faults.append(Fault(status=400, body=refusal))
    out = tmp_path / "one.json"
    assert main(_cli(server, walk, "--json", out, "-q", "--concurrency", "1")) == 0
    v = json.loads(out.read_text())["images"][0]
    assert v["error"] is None and len(v["events"]) == 3
    assert sum(bool(f.get("error")) for f in v["frames"]) == 1 and len(v["frames"]) == SECONDS
    assert t("video.frames-failed", "en", n=1, total=SECONDS) in v["notes"]

    server.model.faults.extend(Fault(status=400, body=refusal) for _ in range(SECONDS // 2))
    out = tmp_path / "many.json"
    assert main(_cli(server, walk, "--json", out, "-q", "--concurrency", "1")) == 1
    v = json.loads(out.read_text())["images"][0]
    assert "content moderation" in v["error"] and not v["events"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_estimate_names_frames_requests_tokens_and_money(tmp_path, walk, lang):
    """At a known price the estimate says the money; the numbers follow the frames: 8 s at
    1 fps is 8 frames, each one request at standard detail, tiles cost more requests."""
    from safety.config import load_settings
    from safety.cost import per_photo
    from safety.video import SamplingOptions
    from safety.video.options import estimate

    base = {"base_url": "http://127.0.0.1:9/v1", "coords": "absolute"}
    settings = load_settings({}, model="qwen-vl-max", **base)
    line = estimate([str(walk), "photo.jpg"], settings, SamplingOptions(), lang)
    requests, tokens = per_photo("standard", W, H)
    assert f"{8 * requests:,}" in line and f"{8 * tokens:,}" in line
    assert "CNY" in line and "qwen-vl-max" in line
    assert ("about 8 frames" in line) if lang == "en" else ("约发送 8 帧" in line)

    tiles = load_settings({}, model=QWEN25, detail="tiles", **base)
    line = estimate([str(walk)], tiles, SamplingOptions(fps=0.5), lang)
    requests, tokens = per_photo("tiles", W, H)
    assert f"{4 * requests:,}" in line and "CNY" not in line  # no price known for vLLM


def test_batch_prepare_says_videos_go_through_inspect(tmp_path, walk, capsys):
    photo = tmp_path / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(560, 420, [("fire", (20, 20, 120, 120))])))
    code = main(
        [
            "batch",
            "prepare",
            str(walk),
            str(photo),
            "--out",
            str(tmp_path / "b"),
            "--model",
            "qwen-vl-max",
            "--coords",
            "absolute",
            "--provider",
            "dashscope",
            "--base-url",
            "https://dashscope.aliyuncs.com/compatible-mode/v1",
        ]
    )
    err = capsys.readouterr().err
    assert t("video.batch", "en") in err
    assert code == 1  # the photo is prepared; the video is that one input's error
