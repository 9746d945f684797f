"""A video's result: one entry among the photos, its findings the events.

    VideoResult(ImageResult)   kind "video": duration_s, fps (sampled), frames, events;
                               ``detections`` holds one finding per event (events[i] is
                               detections[i]): what the summary counts, what review
                               confirms, rejects or corrects, what rules give actions to
    read_video(item, result, where, problems)   an entry read back (safety.results_io)

In the JSON (and each --results line) a video is::

    {"kind": "video", "source": ..., "width": W, "height": H,   upright video pixels
     "duration_s": 63.2, "fps": 1.0,                              the rate sampled
     "frames": [{"t": 0.0, "detections": [{... "box": [...], "event": 1}]}, ...],
     "events": [{"id": 1, "category": "person", "helmet": "missing", "severity": null,
                 "first_s": 3.0, "last_s": 41.0, "best_t": 12.0, "box": [...],
                 "frames": [3.0, 4.0, ...], "changes": [{"t": 20.0, "from": "worn",
                 "to": "missing"}], "review": "unreviewed"}, ...],
     "detections": [...one per event...], "video": {codec, rate, rotation, decoded, ...}}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..detections import STATUSES, ImageResult

KIND = "video"


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


@dataclass
class EventRecord:
    """An event as kept in a result (the finding itself is the matching detection)."""

    id: int
    first_s: float
    last_s: float
    best_t: float
    frames: list[float] = field(default_factory=list)
    changes: list[tuple[float, str, str]] = field(default_factory=list)

    def to_dict(self, d) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": d.category,
            "helmet": d.helmet,
            "severity": d.severity,
            "label": d.label,
            "first_s": _r(self.first_s),
            "last_s": _r(self.last_s),
            "best_t": _r(self.best_t),
            "box": d.rounded_box(),
            "frames": [_r(t) for t in self.frames],
            "changes": [{"t": _r(t), "from": a, "to": b} for t, a, b in self.changes],
            "review": d.review,
        }


@dataclass
class VideoResult(ImageResult):
    """Everything known about one video. ``width`` x ``height``: the video as shown."""

    duration_s: float | None = None
    fps: float | None = None  # frames sampled per second
    frames: list[dict[str, Any]] = field(default_factory=list)  # {"t", "detections"[, "error"]}
    events: list[EventRecord] = field(default_factory=list)
    video: dict[str, Any] = field(default_factory=dict)  # codec, rate, rotation, counts
    # Each event's best frame at display size, by event id: the report's strip and the
    # page's timeline. Never exported (the times say where to find them in the video).
    best_frames: dict[int, bytes] = field(default_factory=dict, repr=False)

    kind = KIND

    def event_of(self, n: int) -> EventRecord | None:
        return self.events[n] if 0 <= n < len(self.events) else None

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        events = [e.to_dict(d) for e, d in zip(self.events, self.detections, strict=False)]
        out.update(
            kind=KIND,
            duration_s=_r(self.duration_s),
            fps=_r(self.fps, 4),
            frames=self.frames,
            events=events,
            video=dict(self.video),
        )
        return out


def frame_record(t: float, detections, ids, error: str | None = None, notes=()) -> dict[str, Any]:
    """One sampled frame as kept in ``frames``: its time and findings (boxes in video pixels,
    each with the event it joined), its error or its notes when it has them."""
    found = []
    for d, eid in zip(detections, ids, strict=True):
        item = {k: v for k, v in d.to_dict().items() if k not in ("review",)}
        item["event"] = eid
        found.append(item)
    out: dict[str, Any] = {"t": _r(t), "detections": found}
    if error:
        out["error"] = error
    if notes:
        out["notes"] = [str(n) for n in notes]
    return out


def _time(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def read_video(item: dict, result: ImageResult, where: str, problems: list[str]) -> VideoResult:
    """The video fields of an entry read back; ``result`` holds what every entry has."""
    before = len(problems)
    duration, fps = item.get("duration_s"), item.get("fps")
    for name, value in (("duration_s", duration), ("fps", fps)):
        if value is not None and not (_time(value) and value >= 0):
            problems.append(f"{where}: {name} must be a number of seconds (or null)")
    frames = item.get("frames") or []
    if not isinstance(frames, list) or not all(
        isinstance(f, dict) and _time(f.get("t")) and isinstance(f.get("detections", []), list)
        for f in frames
    ):
        problems.append(f'{where}: frames must be a list of {{"t": seconds, "detections": [...]}}')
        frames = []
    events = []
    raw_events = item.get("events") or []
    if not isinstance(raw_events, list):
        problems.append(f"{where}: events must be a list")
        raw_events = []
    for n, e in enumerate(raw_events, start=1):
        event = _event(e, f"{where}, event {n}", problems)
        if event is not None:
            events.append(event)
    if not result.error and len(raw_events) != len(item.get("detections") or []):
        problems.append(f"{where}: a video needs one finding in detections per event")
    video = item.get("video") if isinstance(item.get("video"), dict) else {}
    fields = {name: getattr(result, name) for name in result.__dataclass_fields__}
    out = VideoResult(**fields)
    if len(problems) == before:
        out.duration_s = float(duration) if duration is not None else None
        out.fps = float(fps) if fps is not None else None
        out.frames, out.events, out.video = frames, events, video
    return out


def _event(e: Any, where: str, problems: list[str]) -> EventRecord | None:
    names = ("first_s", "last_s", "best_t")
    if not isinstance(e, dict) or not isinstance(e.get("id"), int):
        problems.append(f"{where}: an event needs a whole-number id")
        return None
    if not all(_time(e.get(k)) for k in names) or not e["first_s"] <= e["last_s"]:
        problems.append(f"{where}: first_s, last_s and best_t must be seconds, first <= last")
        return None
    times = e.get("frames") or []
    if not isinstance(times, list) or not all(_time(v) for v in times):
        problems.append(f"{where}: frames must be a list of seconds")
        return None
    changes = []
    for c in e.get("changes") or []:
        states = STATUSES["person"]
        if not (
            isinstance(c, dict)
            and _time(c.get("t"))
            and c.get("from") in states
            and c.get("to") in states
        ):
            problems.append(f"{where}: a change needs t, from and to (worn, missing, unknown)")
            return None
        changes.append((float(c["t"]), c["from"], c["to"]))
    return EventRecord(
        e["id"],
        float(e["first_s"]),
        float(e["last_s"]),
        float(e["best_t"]),
        [float(v) for v in times],
        changes,
    )
