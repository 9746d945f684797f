"""A reviewer's decisions (safety.review), what they do to the counts and the verdict, and a
results JSON read back with its review (safety.results_io)."""

from __future__ import annotations

import json

import pytest

from safety.detections import Detection, ImageResult
from safety.errors import InputError
from safety.results_io import ResultsError, read_results, results_document
from safety.review import ADDED_LABEL, MAX_NOTE_CHARS, Review, added, confirm_all, decide
from safety.summary import summarize, verdict_text

FIRE = Detection("fire", "severe", "火灾", "严重", (10, 10, 100, 100))
BARE = Detection("person", "missing", "人员", "未佩戴安全帽", (200, 50, 260, 200))
HAT = Detection("person", "worn", "人员", "佩戴安全帽", (300, 50, 360, 200))


# --------------------------------------------------------------------------- decisions


def test_confirm_keeps_what_the_model_said_and_tidies_the_note():
    d = decide(FIRE, "confirm", note="  hot work,\n permit   seen ")
    assert (d.review, d.category, d.status, d.model_said) == ("confirmed", "fire", "severe", None)
    assert d.review_note == "hot work, permit seen" and d.stands
    assert (d.label, d.sub_label, d.box) == (FIRE.label, FIRE.sub_label, FIRE.box)


def test_reject_keeps_the_box_and_words_but_stops_counting():
    d = decide(FIRE, "reject", note="a welding lamp")
    assert d.review == "rejected" and not d.stands
    assert (d.category, d.status, d.label, d.box) == ("fire", "severe", "火灾", FIRE.box)
    assert d.review_note == "a welding lamp"


def test_correct_keeps_what_the_model_said_beside_it():
    d = decide(BARE, "correct", status="worn", note="hat seen when zoomed in")
    assert (d.review, d.category, d.status) == ("corrected", "person", "worn")
    assert d.model_said == ("person", "missing") and not d.is_violation
    # A second correction still remembers the model's own words, not the first correction.
    again = decide(d, "correct", status="unknown")
    assert again.model_said == ("person", "missing") and again.status == "unknown"
    assert again.review_note == "hat seen when zoomed in"  # no note given: the note stays


def test_correcting_the_category_needs_a_fitting_status():
    with pytest.raises(InputError):
        decide(BARE, "correct", category="fire")  # a fire needs its severity
    with pytest.raises(InputError):
        decide(BARE, "correct", category="fire", status="worn")
    d = decide(BARE, "correct", category="smoke", status="minor")
    assert (d.category, d.status, d.model_said) == ("smoke", "minor", ("person", "missing"))


@pytest.mark.parametrize(
    "action, review",
    [("confirm", "confirmed"), ("reject", "rejected"), ("unreviewed", "unreviewed")],
)
def test_undoing_a_correction_restores_what_the_model_said(action, review):
    corrected = decide(BARE, "correct", status="worn", note="n")
    d = decide(corrected, action)
    assert (d.review, d.category, d.status, d.model_said) == (review, "person", "missing", None)
    assert d.review_note == "n"


def test_correcting_back_to_the_models_words_is_a_confirmation():
    corrected = decide(BARE, "correct", status="worn")
    d = decide(corrected, "correct", status="missing")
    assert (d.review, d.status, d.model_said) == ("confirmed", "missing", None)


def test_a_note_has_a_limit_and_an_unknown_action_is_refused():
    with pytest.raises(InputError):
        decide(FIRE, "confirm", note="x" * (MAX_NOTE_CHARS + 1))
    with pytest.raises(InputError):
        decide(FIRE, "delete")


def test_an_added_finding_stays_added_until_rejected():
    d = added((5, 5, 50, 80), "person", "unknown", note=" behind the scaffold ")
    assert (d.review, d.label, d.model_said, d.review_note) == (
        "added",
        ADDED_LABEL,
        None,
        "behind the scaffold",
    )
    assert decide(d, "confirm").review == "added"
    assert decide(d, "unreviewed").review == "added"
    changed = decide(d, "correct", status="missing")
    assert (changed.review, changed.status, changed.model_said) == ("added", "missing", None)
    assert decide(d, "reject").review == "rejected"
    with pytest.raises(InputError):
        added((50, 5, 50, 80), "person", "worn")  # no width
    with pytest.raises(InputError):
        added((5, 5, 50, 80), "person", "severe")


def test_confirm_all_leaves_decided_findings_alone():
    rejected = decide(FIRE, "reject")
    out = confirm_all([rejected, BARE, HAT])
    assert [d.review for d in out] == ["rejected", "confirmed", "confirmed"]


def test_review_now_is_iso_8601_with_its_zone():
    r = Review.now("  Zhang Min ")
    assert r.by == "Zhang Min" and r.at[10] == "T" and r.at[-6] in "+-"
    assert r.to_dict() == {"by": "Zhang Min", "at": r.at}


# --------------------------------------------------------------------------- counts, verdict


def photo_result(detections, index=0, **kw) -> ImageResult:
    return ImageResult(f"site{index}.jpg", index, 640, 480, detections, **kw)


def test_the_summary_and_verdict_stand_on_the_review():
    before = summarize([photo_result([FIRE, BARE, HAT])])
    assert before.levels == ["immediate-action", "violation"] and before.unreviewed == 3
    after_decisions = [
        decide(FIRE, "reject", note="lamp"),
        decide(BARE, "correct", status="worn"),
        HAT,
        added((400, 300, 500, 400), "smoke", "minor"),
    ]
    s = summarize([photo_result(after_decisions), photo_result([], 1, error="broken")])
    assert s.levels == ["review"]  # no fire, no violation; a minor smoke to look at
    assert (s.total("fire"), s.total("smoke"), s.total("person")) == (0, 1, 2)
    assert (s.n("person", "worn"), s.n("person", "missing")) == (2, 0)
    assert (s.rejected, s.unreviewed, s.failed) == (1, 1, 1)  # HAT is still unreviewed
    assert verdict_text(s) == (
        "REVIEW: 0 fire, 1 smoke (1 minor), 2 persons, 0 without hard hat; 2 photos, "
        "1 FAILED (not inspected)"
    )
    doc = s.to_dict()
    assert (doc["fire"], doc["smoke"], doc["persons"], doc["unreviewed"], doc["rejected"]) == (
        0,
        1,
        2,
        1,
        1,
    )


def test_a_photo_whose_findings_are_all_rejected_has_no_hazard():
    r = photo_result([decide(FIRE, "reject"), decide(BARE, "reject")])
    assert r.standing == [] and r.count("fire") == 0
    s = summarize([r])
    assert s.levels == ["no-hazard"] and s.rejected == 2 and s.unreviewed == 0


# --------------------------------------------------------------------------- read back


def test_a_results_json_reads_back_with_its_review():
    reviewed = [
        decide(FIRE, "reject", note="lamp"),
        decide(BARE, "correct", status="worn", note="hat"),
        added((400, 300, 500, 400), "smoke", "minor", note="behind the skip"),
        HAT,
    ]
    failed = ImageResult("broken.jpg", 1, error="The image data is truncated or corrupt.")
    review = Review("Zhang Min", "2026-11-30T15:20:00+08:00")
    doc = results_document(
        [photo_result(reviewed, sha256="ab" * 32), failed], model="m", review=review
    )
    back = read_results(json.loads(json.dumps(doc)))
    assert back.review == review and back.meta["model"] == "m"
    first, second = back.images
    assert first.detections == reviewed and first.sha256 == "ab" * 32
    assert second.error == failed.error and (second.width, second.height) == (0, 0)


def test_every_problem_of_a_results_json_is_named_once():
    doc = results_document([photo_result([FIRE, BARE])])
    first = doc["images"][0]
    first["detections"][0]["review"] = "maybe"
    first["detections"][1]["box"] = [600, 400, 700, 500]  # the photo is 640 x 480
    first["sha256"] = "not-a-hash"
    with pytest.raises(ResultsError) as caught:
        read_results(doc)
    problems = caught.value.problems
    assert len(problems) == 3
    assert any("finding 1" in p and "review 'maybe'" in p for p in problems)
    assert any("finding 2" in p and "not inside the 640x480 photo" in p for p in problems)
    assert any("sha256" in p for p in problems)
    assert all(p.startswith("photo 1 (site0.jpg)") for p in problems)


def test_a_failed_photo_has_no_findings():
    doc = results_document([photo_result([], error="broken")])
    doc["images"][0]["detections"] = [FIRE.to_dict()]
    with pytest.raises(ResultsError) as caught:
        read_results(doc)
    assert caught.value.problems == [
        "photo 1 (site0.jpg): detections: a photo that failed has no findings"
    ]


def test_the_review_queue_puts_the_least_confident_pending_photo_first():
    from safety.detections import Detection, ImageResult
    from safety.web.review_handlers import review_queue

    box = (1, 1, 9, 9)

    def photo(index, *found):
        return ImageResult(f"{index}.jpg", index, 10, 10, detections=list(found))

    results = [
        photo(0, Detection("fire", "minor", "f", "", box, review="confirmed")),  # all reviewed
        photo(1, Detection("fire", "minor", "f", "", box)),  # pending, no confidence
        photo(2, Detection("fire", "minor", "f", "", box, confidence=0.9)),
        photo(3, Detection("fire", "minor", "f", "", box, confidence=0.2)),
        ImageResult("4.jpg", 4, error="failed"),  # nothing to review
    ]
    assert review_queue(results) == [3, 2, 1, 0]
