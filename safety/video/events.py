"""Events, not frames: the findings of one object across a video's frames merged into one.

    merge_events(frames, gap_s=..., min_iou=..., max_shift=...) -> list[Event]
        ``frames``: (t, detections) or (t, detections, clarity) in time order; pure
    Tracker: the same, a frame at a time (``add`` returns the events whose best frame is
    now this one, so a caller keeps that frame's picture and drops the others: at most one
    per status an event was seen with)

Same object: same category, and the box overlaps where the object was last seen (moved on
at the speed it was moving: a simple constant-velocity tracker) by EVENT_MIN_IOU or more,
or its centre is within EVENT_MAX_SHIFT of the box's size from there. Each detection joins
at most one event and each event takes at most one detection a frame, best matches first,
so two persons crossing stay two. An event ends when a frame looked at does not show its
object and it was last seen more than ``gap_s`` seconds before; seen again, it is a new
event. Frames not looked at (skipped as near-duplicates) are no evidence of absence.

The status of an event, stated:
  fire, smoke   the worst severity seen (severe > moderate > minor > unknown): a fire that
                was severe at any moment was severe;
  person        the hard-hat status of most of the frames where it was readable (worn or
                missing; a tie counts as missing); unknown when never readable. A person
                who took the hard hat off and kept it off (the last status that held for
                CHANGE_MIN_FRAMES frames is missing) is missing, whatever the majority.
  changes       each time a readable status changed and held for CHANGE_MIN_FRAMES frames:
                (t, from, to) (e.g. a hard hat taken off at 0:42).
The best frame: the largest box times the frame's clarity (1 - blur, safety.quality), among
the frames that show the event's status (a person without a hard hat is shown without it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .. import limits
from ..detections import Detection
from ..geometry import iou

SEVERITY_ORDER = ("unknown", "minor", "moderate", "severe")
CHANGE_MIN_FRAMES = 2  # a hard-hat status must hold this many readable frames to count


@dataclass
class Event:
    """One object over time. Times in seconds from the start of the video."""

    id: int
    category: str
    first_s: float
    last_s: float
    # The best frame for each status it was seen with: (score, t, finding). The event's
    # best frame is the one of its final status, so that the picture shows what it says.
    candidates: dict[str, tuple[float, float, Detection]] = field(default_factory=dict)
    frames: list[float] = field(default_factory=list)  # the times it was seen
    statuses: list[str] = field(default_factory=list)  # its status in each of those frames
    velocity: tuple[float, float] = (0.0, 0.0)  # box centre, pixels per second
    last_box: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
    missed_at: float | None = None  # a frame looked at since it was last seen, without it

    @property
    def status(self) -> str:
        return event_status(self.category, self.statuses, self.changes)

    @property
    def best_status(self) -> str:
        """Whose best frame stands for the event: its final status's, else the best seen."""
        if self.status in self.candidates:
            return self.status
        return max(self.candidates, key=lambda s: self.candidates[s][0])

    @property
    def best(self) -> Detection:
        """The finding at the best frame (its box and words there)."""
        return self.candidates[self.best_status][2]

    @property
    def best_t(self) -> float:
        return self.candidates[self.best_status][1]

    @property
    def changes(self) -> list[tuple[float, str, str]]:
        if self.category != "person":
            return []
        return status_changes(self.frames, self.statuses)

    def detection(self) -> Detection:
        """The event as one finding: the best frame's box and words, the event's status."""
        d = self.best
        return Detection(
            d.category,
            self.status,
            d.label,
            d.sub_label,
            d.box,
            confidence=d.confidence,
            permitted=d.permitted,
        )

    def predicted(self, t: float) -> tuple[float, float, float, float]:
        dt = t - self.last_s
        x1, y1, x2, y2 = self.last_box
        dx, dy = self.velocity[0] * dt, self.velocity[1] * dt
        return (x1 + dx, y1 + dy, x2 + dx, y2 + dy)


def status_changes(times: Sequence[float], statuses: Sequence[str]) -> list[tuple[float, str, str]]:
    """(t, from, to) each time the readable status changed and the new one held for
    CHANGE_MIN_FRAMES readable frames (a single odd frame is a misreading, not a change)."""
    runs: list[list] = []  # [status, first t, length]
    for t, s in zip(times, statuses, strict=True):
        if s not in ("worn", "missing"):
            continue
        if runs and runs[-1][0] == s:
            runs[-1][2] += 1
        else:
            runs.append([s, t, 1])
    held = [r for r in runs if r[2] >= CHANGE_MIN_FRAMES]
    changes, current = [], None
    for s, t, _n in held:
        if current is not None and s != current:
            changes.append((t, current, s))
        current = s
    return changes


def event_status(category: str, statuses: Sequence[str], changes) -> str:
    """The stated rule (module docstring)."""
    if category in ("fire", "smoke"):
        return max(statuses, key=SEVERITY_ORDER.index, default="unknown")
    if category != "person":
        return ""
    worn, missing = statuses.count("worn"), statuses.count("missing")
    if not worn + missing:
        return "unknown"
    if changes and changes[-1][2] == "missing":
        return "missing"  # took it off and kept it off
    return "worn" if worn > missing else "missing"


def _score(d: Detection, clarity: float) -> float:
    x1, y1, x2, y2 = d.box
    return (x2 - x1) * (y2 - y1) * max(0.05, clarity)


def _centre(box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


class Tracker:
    """Events built a frame at a time; frames must come in time order."""

    def __init__(
        self,
        gap_s: float = limits.EVENT_GAP_S,
        min_iou: float = limits.EVENT_MIN_IOU,
        max_shift: float = limits.EVENT_MAX_SHIFT,
    ):
        self.gap_s, self.min_iou, self.max_shift = gap_s, min_iou, max_shift
        self.open: list[Event] = []
        self.closed: list[Event] = []
        self._next_id = 1

    def _similarity(self, e: Event, d: Detection, t: float) -> float | None:
        """How well ``d`` continues ``e`` (higher is better), None when it does not."""
        if d.category != e.category:
            return None
        # Where it should be by now, or where it was (a box that grew or shrank fakes a
        # speed): the better of the two.
        scores = [self._near(guess, d.box) for guess in (e.predicted(t), e.last_box)]
        found = [s for s in scores if s is not None]
        return max(found) if found else None

    def _near(self, guess, box) -> float | None:
        overlap = iou(guess, box)
        if overlap >= self.min_iou:
            return 1.0 + overlap
        (ax, ay), (bx, by) = _centre(guess), _centre(box)
        size = max(guess[2] - guess[0], guess[3] - guess[1], 1.0)
        shift = math.hypot(ax - bx, ay - by) / size
        return 1.0 - shift if shift <= self.max_shift else None

    def add(self, t: float, detections: Sequence[Detection], clarity: float = 1.0):
        """Take one frame's findings. Returns (ids, best): the event id of each detection,
        and (event id, status) of the events whose best frame for that status is now this
        one (a caller keeps this frame's picture for them, and drops the one it replaces)."""
        # Seen missing in a frame looked at, and too long ago: it left (a frame skipped as a
        # near-duplicate is not a frame looked at, so a still scene keeps its events).
        self._close(lambda e: e.missed_at is not None and t - e.last_s > self.gap_s)
        pairs = []
        for i, d in enumerate(detections):
            for e in self.open:
                s = self._similarity(e, d, t)
                if s is not None:
                    pairs.append((s, i, e.id))
        by_id = {e.id: e for e in self.open}
        ids: list[int | None] = [None] * len(detections)
        taken: set[int] = set()
        for _s, i, eid in sorted(pairs, key=lambda p: -p[0]):
            if ids[i] is None and eid not in taken:
                ids[i] = eid
                taken.add(eid)
        best_now = []
        for i, d in enumerate(detections):
            if ids[i] is None:
                e = Event(self._next_id, d.category, t, t, last_box=d.box)
                self._next_id += 1
                self.open.append(e)
                ids[i] = e.id
            else:
                e = by_id[ids[i]]
                dt = t - e.last_s
                if dt > 0:
                    (ax, ay), (bx, by) = _centre(e.last_box), _centre(d.box)
                    seen = ((bx - ax) / dt, (by - ay) / dt)  # smoothed: one frame may lie
                    moved = len(e.frames) > 1
                    e.velocity = tuple(
                        (v + w) / 2 if moved else w for v, w in zip(e.velocity, seen)
                    )
                e.last_s, e.last_box = t, d.box
            e.frames.append(t)
            e.statuses.append(d.status)
            e.missed_at = None
            score = _score(d, clarity)
            if score > e.candidates.get(d.status, (0.0,))[0]:
                e.candidates[d.status] = (score, t, d)
                best_now.append((e.id, d.status))
        for e in self.open:
            if e.last_s < t:
                e.missed_at = t
        self._close(lambda e: e.missed_at is not None and t - e.last_s > self.gap_s)
        return ids, best_now

    def _close(self, gone) -> None:
        still = []
        for e in self.open:
            (self.closed if gone(e) else still).append(e)
        self.open = still

    def finish(self) -> list[Event]:
        """Every event, in the order they began."""
        self.closed += self.open
        self.open = []
        return sorted(self.closed, key=lambda e: (e.first_s, e.id))


def merge_events(
    frames: Iterable[tuple],
    gap_s: float = limits.EVENT_GAP_S,
    min_iou: float = limits.EVENT_MIN_IOU,
    max_shift: float = limits.EVENT_MAX_SHIFT,
) -> list[Event]:
    """The events of ``frames``: (t, detections) or (t, detections, clarity), in time order."""
    tracker = Tracker(gap_s, min_iou, max_shift)
    for frame in frames:
        tracker.add(*frame)
    return tracker.finish()
