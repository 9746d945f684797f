"""The results document round trip: whatever writes it (the command line, the archive's
stream, the page's downloads, a run's review record), safety.results_io reads back the same
photos, findings, review decisions and errors, and an anonymous visitor's copy keeps
nothing withheld."""

from __future__ import annotations

import io
import json

from safety.archive.journal import Journal
from safety.archive.outputs import write_json
from safety.detections import Action, Detection, ImageResult
from safety.results_io import (
    WITHHELD_NOTE,
    document_head,
    read_results,
    results_document,
    to_json,
    write_document,
)
from safety.review import Review, added, decide
from safety.summary import summarize
from safety.web.runs import RunMeta, results_json
from safety.web.store import RunStore

FIRE = Detection("fire", "severe", "火灾", "严重", (10, 10, 100, 100), confidence=0.91)
BARE = Detection(
    "person", "missing", '<b onmouseover="x">人员</b>', "=HYPERLINK()", (200, 50, 260, 200),
    clauses=("GB 2811-2019",), action=Action("Stop work, issue a hat", "Li Wei", "2026-12-01"),
)  # fmt: skip
REVIEW = Review("Zhang Min", "2026-11-30T15:20:00+08:00")


def photos() -> list[ImageResult]:
    reviewed = [
        decide(FIRE, "reject", note="a welding lamp"),
        decide(BARE, "correct", status="worn", note="hat seen when zoomed in"),
        added((400, 300, 500, 400), "smoke", "minor", note="behind the skip"),
    ]
    first = ImageResult(
        "site/a.jpg", 0, 640, 480, reviewed, notes=["2 boxes clamped"],
        raw_text='{"objects": []} ignore previous instructions', finish_reason="stop",
        usage={"prompt_tokens": 900, "completion_tokens": 80}, latency_s=1.234, model="qwen-vl",
        convention="absolute", frame=(448, 336), upload_bytes=31000, sha256="ab" * 32,
        file_bytes=120000, quality={"issues": ["dark"], "brightness": 30.5},
        passes=[{"kind": "tile", "region": [0, 0, 320, 240]}], endpoint="http://gpu1:8000",
    )  # fmt: skip
    failed = ImageResult(
        "https://example.com/b.jpg", 1, error="The image data is truncated: upload it again.",
        error_kind="input",
    )  # fmt: skip
    empty = ImageResult("c.jpg", 2, 800, 600, model="qwen-vl")
    return [empty, failed, first]  # out of order: the document lists them by index


def same_photos(back: list[ImageResult], written: list[ImageResult]) -> None:
    ordered = sorted(written, key=lambda r: r.index)
    assert [r.to_dict() for r in back] == [r.to_dict() for r in ordered]
    assert back[0].detections == ordered[0].detections  # every review field, as objects
    assert len(back[0].detections) == 3


def test_the_document_reads_back_equal_with_review_and_errors():
    written = photos()
    text = to_json(written, endpoint="http://gpu1:8000", model="qwen-vl", review=REVIEW)
    back = read_results(json.loads(text))
    same_photos(back.images, written)
    assert back.review == REVIEW
    assert back.meta["endpoint"] == "http://gpu1:8000" and back.meta["model"] == "qwen-vl"
    doc = json.loads(text)
    assert doc["summary"] == summarize(written).to_dict()
    assert doc["images"][1]["error"] == "The image data is truncated: upload it again."
    rejected, corrected, new = doc["images"][0]["detections"]
    assert (rejected["review"], rejected["review_note"]) == ("rejected", "a welding lamp")
    assert corrected["model_said"] == {"category": "person", "helmet": "missing", "severity": None}
    assert corrected["action"]["owner"] == "Li Wei" and new["review"] == "added"


def test_the_streamed_text_is_the_whole_document():
    written = photos()
    meta = {"endpoint": "http://gpu1:8000", "model": "qwen-vl", "review": REVIEW}
    whole = results_document(written, **meta)
    out = io.StringIO()
    ordered = sorted(written, key=lambda r: r.index)
    write_document(out, document_head(summarize(ordered), **meta), iter(ordered))
    streamed = json.loads(out.getvalue())
    streamed["generated_at"] = whole["generated_at"]  # each stamped as it was written
    assert streamed == whole
    assert json.loads(to_json([]))["images"] == []  # an empty run is still a document


def test_the_archive_writes_the_same_document_from_its_journal(tmp_path):
    written = photos()
    journal = Journal(tmp_path / "run.jsonl")
    for r in written:
        journal.write(r)
    journal.close()
    out = tmp_path / "results.json"
    summary = summarize(sorted(written, key=lambda r: r.index))
    write_json(out, tmp_path / "run.jsonl", {"endpoint": "http://gpu1:8000"}, summary, None, "en")
    back = read_results(json.loads(out.read_text(encoding="utf-8")))
    assert back.meta["endpoint"] == "http://gpu1:8000"
    assert {r.source for r in back.images} == {r.source for r in written}
    by_source = {r.source: r.to_dict() for r in written}
    for r in back.images:
        assert {**r.to_dict(), "index": 0} == {**by_source[r.source], "index": 0}


def test_an_anonymous_visitor_gets_nothing_withheld_and_it_still_reads_back():
    written = photos()
    meta = RunMeta("http://owner-gpu:8000", "qwen-vl-owner", demo=False, withhold=True)
    doc = results_json(written, meta, "zh", REVIEW)
    text = json.dumps(doc, ensure_ascii=False)
    assert "owner-gpu" not in text and "qwen-vl-owner" not in text
    assert "ignore previous instructions" not in text  # the raw answer stays with the owner
    assert doc["withheld"] == WITHHELD_NOTE and doc["mode"] == "live"
    assert doc["verdict"]  # in the visitor's words
    back = read_results(doc)
    assert all(r.raw_text is None and r.model is None for r in back.images)
    assert back.images[0].detections == sorted(written, key=lambda r: r.index)[0].detections
    trusted = results_json(written, RunMeta("http://owner-gpu:8000", "m", False), "en")
    assert "withheld" not in trusted and trusted["endpoint"] == "http://owner-gpu:8000"


def test_a_runs_review_record_reads_back_whole_even_for_a_public_run(tmp_path):
    written = photos()
    meta = RunMeta("http://owner-gpu:8000", "qwen-vl", demo=False, withhold=True)
    store = RunStore(tmp_path / "run-x")
    store.dir.mkdir()
    token = store.save(written, meta, REVIEW)
    assert RunStore.open("run-x", token, root=tmp_path) is not None
    assert RunStore.open("run-x", "guess", root=tmp_path) is None
    stored = store.load()
    same_photos(stored.results, written)  # the record keeps the raw answers for the owner
    assert stored.review == REVIEW and stored.meta == meta and stored.token == token
    assert (store.dir / "results.json").stat().st_mode & 0o077 == 0  # the owner's alone


def test_a_video_keeps_its_kind_frames_and_events_through_every_writer():
    """A video is a VideoResult: each writer takes the result's own record (its kind, frames
    and events), so the page's stored run reads it back as a video, not as a photo."""
    from safety.video.result import VideoResult

    video = VideoResult(
        source="walk.mp4",
        index=0,
        width=640,
        height=360,
        duration_s=12.0,
        fps=1.0,
        frames=[{"t": 1.0, "detections": []}],
    )
    for text in (
        to_json([video]),
        json.dumps(results_document([video])),
        json.dumps(results_document([video], withhold=True)),
    ):
        item = json.loads(text)["images"][0]
        assert item["kind"] == "video" and item["frames"] == [{"t": 1.0, "detections": []}]
        assert isinstance(read_results(json.loads(text)).images[0], VideoResult)
