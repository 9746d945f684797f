"""The pipeline against an in-process model (tests/fakes.py): no socket anywhere.

What the pipeline owes every photo, whatever answers: the frame it sends is the one the
boxes are read in, a failure stays with its photo, an unreadable answer is an error and
never "nothing found", and who answered (a live model or stored labels) is a field.
"""

from __future__ import annotations

import hashlib
import json
import threading

import pytest

from safety.backends.model import Answer
from safety.config import load_settings
from safety.errors import EndpointError
from safety.inspection import Inspector
from tests import scenes
from tests.fakes import FakeModel, frame_size


def _settings(**kw):
    return load_settings({}, base_url="http://fake.invalid/v1", model="m", coords="absolute", **kw)


def _photo(seed=0, w=800, h=600) -> bytes:
    return scenes.jpeg_bytes(scenes.scene(w, h, scenes.layout(w, h, seed)))


def _answer_for_frame(box_fraction=(0.25, 0.25, 0.5, 0.75), label="人员", sub="未佩戴安全帽"):
    """A model that boxes the same fraction of whatever frame it is sent, in its pixels."""

    def answer(question):
        w, h = frame_size(question)
        x1, y1, x2, y2 = box_fraction
        box = [round(x1 * w), round(y1 * h), round(x2 * w), round(y2 * h)]
        return "```json\n" + json.dumps([{"bbox_2d": box, "label": label, "sub_label": sub}])

    return answer


@pytest.mark.parametrize("w, h", [(800, 600), (600, 800), (4000, 3000), (300, 200)])
def test_boxes_come_back_in_original_pixels_whatever_the_frame(w, h):
    model = FakeModel(_answer_for_frame())
    result = Inspector(_settings(), model=model).inspect_one(("p.jpg", _photo(0, w, h)))
    assert result.ok, result.error
    (det,) = result.detections
    assert (det.category, det.status) == ("person", "missing")
    expected = (0.25 * w, 0.25 * h, 0.5 * w, 0.75 * h)
    assert max(abs(a - b) for a, b in zip(det.box, expected)) <= 0.01 * max(w, h)


def test_each_question_carries_the_photo_hash_and_the_prompt():
    data = _photo(3)
    model = FakeModel()
    result = Inspector(_settings(prompt="find fire"), model=model).inspect_one(("p.jpg", data))
    assert result.ok and result.detections == []
    (question,) = model.questions
    assert question.photo_sha256 == hashlib.sha256(data).hexdigest() == result.sha256
    assert question.prompt == "find fire"


def test_provenance_and_notes_of_an_answer_land_on_the_result():
    reply = Answer("```json\n[]\n```", "stop", None, 0.0, "stored", "hand-drawn", ("from labels",))
    result = Inspector(_settings(), model=FakeModel(lambda q: reply)).inspect_one(_photo())
    assert result.provenance == "hand-drawn"
    assert "from labels" in result.notes
    live = Inspector(_settings(), model=FakeModel()).inspect_one(_photo())
    assert live.provenance is None


@pytest.mark.parametrize(
    "text",
    [
        "I cannot help with that.",  # prose, no JSON
        '```json\n[{"bbox_2d": [1, 2',  # cut before any complete object
        "",  # nothing at all
    ],
)
def test_an_unreadable_answer_is_an_error_never_nothing_found(text):
    result = Inspector(_settings(), model=FakeModel(text)).inspect_one(_photo())
    assert not result.ok and result.error_kind == "model output"
    assert result.detections == []


def test_one_failure_stays_with_its_photo():
    def answer(question):
        if question.photo_sha256 == hashlib.sha256(bad).hexdigest():
            return EndpointError("the server refused this photo")
        return _answer_for_frame()(question)

    bad = _photo(2)
    photos = [("a.jpg", _photo(1)), ("b.jpg", bad), ("c.jpg", _photo(3)), ("d.jpg", b"not a jpeg")]
    results = sorted(Inspector(_settings(), model=FakeModel(answer)).inspect_many(photos),
                     key=lambda r: r.index)  # fmt: skip
    assert [r.ok for r in results] == [True, False, True, False]
    assert "refused this photo" in results[1].error
    assert results[3].error_kind == "input"
    assert all(len(r.detections) == 1 for r in results if r.ok)


def test_at_most_concurrency_questions_are_in_flight():
    gate = threading.Barrier(3, timeout=10)

    def answer(question):
        gate.wait()  # three at once, or the barrier breaks and the test fails
        return "```json\n[]\n```"

    model = FakeModel(answer)
    photos = [(f"p{i}.jpg", _photo(i, 320, 240)) for i in range(9)]
    results = list(Inspector(_settings(), model=model).inspect_many(photos, concurrency=3))
    assert len(results) == 9 and all(r.ok for r in results)
    assert model.in_flight_peak == 3


def test_cancel_stops_asking_and_closes_the_model():
    started, release = threading.Event(), threading.Event()

    def answer(question):
        started.set()
        release.wait(10)
        return "```json\n[]\n```"

    model = FakeModel(answer)
    cancel = threading.Event()
    photos = [(f"p{i}.jpg", _photo(i, 320, 240)) for i in range(8)]
    stream = Inspector(_settings(), model=model).inspect_many(photos, concurrency=2, cancel=cancel)
    done = []
    worker = threading.Thread(target=lambda: done.extend(stream))
    worker.start()
    assert started.wait(10)
    cancel.set()
    release.set()
    worker.join(10)
    assert not worker.is_alive()
    assert len(model.questions) <= 2 and model.closed
