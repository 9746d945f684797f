"""Events from per-frame findings (safety.video.events): table-driven, one case a row with
what it shows. Boxes are (x1, y1, x2, y2) in video pixels; frames at 1 per second."""

from __future__ import annotations

import pytest

from safety.detections import Detection
from safety.video.events import Tracker, event_status, merge_events, status_changes


def person(x: float, status: str = "worn", y: float = 100, w: float = 60, h: float = 150):
    return Detection("person", status, "person", "", (x, y, x + w, y + h))


def fire(x: float, severity: str = "severe", size: float = 80):
    return Detection("fire", severity, "fire", "", (x, 300, x + size, 300 + size))


def walking(start: float, speed: float, frames: range, status: str = "worn"):
    """(t, [person]) for a person walking at ``speed`` pixels a second."""
    return [(t, [person(start + speed * t, status)]) for t in frames]


def together(*tracks):
    """The frames of several tracks, each frame holding every track's findings then."""
    by_t: dict[float, list] = {}
    for track in tracks:
        for t, found in track:
            by_t.setdefault(t, []).extend(found)
    return sorted(by_t.items())


CASES = [
    # (what it shows, frames, expected [(category, first_s, last_s, frames seen)])
    (
        "one object seen in 10 frames is one event",
        walking(100, 20, range(10)),
        [("person", 0, 9, 10)],
    ),
    (
        "a still object in 10 frames is one event",
        [(t, [fire(400)]) for t in range(10)],
        [("fire", 0, 9, 10)],
    ),
    (
        "two persons crossing (one walking right, one left, overlapping at t=5) stay two",
        together(walking(100, 40, range(11)), walking(500, -40, range(11))),
        [("person", 0, 10, 11), ("person", 0, 10, 11)],
    ),
    (
        "a gap longer than the limit (3 s) splits: seen 0-4, looked at and absent 5-9, seen 10-14",
        [(t, [fire(400)] if t < 5 or t >= 10 else []) for t in range(15)],
        [("fire", 0, 4, 5), ("fire", 10, 14, 5)],
    ),
    (
        "a gap within the limit does not split: absent at 5 and 6 only",
        [(t, [] if t in (5, 6) else [fire(400)]) for t in range(10)],
        [("fire", 0, 9, 8)],
    ),
    (
        "no frame looked at in between (skipped as near-duplicates) is no absence",
        [(0, [fire(400)]), (20, [fire(400)])],
        [("fire", 0, 20, 2)],
    ),
    (
        "a fire and a person at the same place are two events (categories never merge)",
        [(t, [fire(100, size=150), person(110)]) for t in range(5)],
        [("fire", 0, 4, 5), ("person", 0, 4, 5)],
    ),
    (
        "the same object far away in the next frame is another object",
        [(0, [fire(50)]), (1, [fire(900)])],
        [("fire", 0, 0, 1), ("fire", 1, 1, 1)],
    ),
]


@pytest.mark.parametrize("what, frames, expected", CASES, ids=[c[0] for c in CASES])
def test_events(what, frames, expected):
    events = merge_events(frames)
    got = sorted((e.category, e.first_s, e.last_s, len(e.frames)) for e in events)
    assert got == sorted(expected), what


def test_crossing_persons_keep_their_own_track():
    """Each event follows one walker: its boxes move one way only, through the crossing."""
    tracker = Tracker()
    right, left = walking(100, 40, range(11)), walking(500, -40, range(11))
    seen: dict[int, list[float]] = {}
    for (t, a), (_t, b) in zip(right, left, strict=True):
        ids, _best = tracker.add(t, a + b)
        for eid, d in zip(ids, a + b, strict=True):
            seen.setdefault(eid, []).append(d.box[0])
    assert len(seen) == 2
    for xs in seen.values():
        steps = {round(b - a) for a, b in zip(xs, xs[1:])}
        assert steps in ({40}, {-40}), xs


STATUS_CASES = [
    # (what it shows, statuses in time order, the event's hard-hat status, changes)
    ("most readable frames without a hard hat: missing", "MMWMMUM", "missing", []),
    ("most with: worn; single odd frames are misreadings, not changes", "WMWWUWMW", "worn", []),
    ("a tie counts as missing", "WMWM", "missing", []),
    ("never readable: unknown", "UUU", "unknown", []),
    ("took it off and kept it off: missing, with the change", "WWWWWWMM", "missing", [(6, "M")]),
    ("put it on and kept it on: worn, with the change", "MMWWWW", "worn", [(2, "W")]),
    ("took it off, put it back: majority, both changes", "WWWMMWWW", "worn", [(3, "M"), (5, "W")]),
]
NAMES = {"W": "worn", "M": "missing", "U": "unknown"}


@pytest.mark.parametrize(
    "what, seq, status, changes", STATUS_CASES, ids=[c[0] for c in STATUS_CASES]
)
def test_hard_hat_status_rule(what, seq, status, changes):
    frames = [(t, [person(200, NAMES[c])]) for t, c in enumerate(seq)]
    [event] = merge_events(frames)
    assert event.status == status, what
    assert event.detection().status == status
    assert [(t, to) for t, _was, to in event.changes] == [(t, NAMES[s]) for t, s in changes]


def test_status_helpers_directly():
    assert status_changes([0, 1, 2, 3], ["worn", "worn", "missing", "missing"]) == [
        (2, "worn", "missing")
    ]
    assert event_status("fire", ["minor", "severe", "moderate", "minor"], []) == "severe"
    assert event_status("smoke", ["unknown", "minor"], []) == "minor"


def test_best_frame_is_the_largest_clearest():
    """A bigger box wins unless its frame is blurred; the event's box is the best frame's."""
    frames = [
        (0, [fire(400, size=80)], 1.0),
        (1, [fire(400, size=120)], 0.2),  # larger but blurred: 14,400 x 0.2 < 10,000
        (2, [fire(400, size=100)], 1.0),
    ]
    [event] = merge_events(frames)
    assert event.best_t == 2
    assert event.detection().box == (400, 300, 500, 400)


def test_tracker_reports_when_the_best_frame_changes():
    """add() names the events whose best frame is now this one: the caller keeps only those
    frames' pictures."""
    tracker = Tracker()
    assert tracker.add(0, [fire(0, size=50)])[1] == [(1, "severe")]
    assert tracker.add(1, [fire(0, size=40)])[1] == []
    assert tracker.add(2, [fire(0, size=60)])[1] == [(1, "severe")]
    assert tracker.add(3, [fire(0, "minor", size=50)])[1] == [(1, "minor")]


def test_the_best_frame_shows_the_events_status():
    """A person larger while wearing the hard hat, who took it off: the best frame is the
    largest one WITHOUT it, since that is what the event says."""
    frames = [(t, [person(100, "worn", w=120, h=300)]) for t in range(3)]
    frames += [(t, [person(100, "missing", w=60, h=150)]) for t in range(3, 6)]
    [event] = merge_events(frames)
    assert event.status == "missing" and event.best.status == "missing"
    assert event.best_t == 3 and event.detection().box == (100, 100, 160, 250)
