"""The best frame of each event: kept from the run (small copies), written beside the
marked photos, drawn with the event's box, or decoded again from the video by its time
(``python -m safety report`` on an earlier run's results).

    keep_best_frames(r, out_dir, kept, name)   after a run: write them, keep them, drop them
    attach_best_frames(r, kept)                before a report: this run's, else the video's
    marked_best_frame(r, n, lang) -> bytes     event n's best frame with its box drawn
    frames_at(path, times, max_side) -> {t: JPEG}   decoded again by time (seeking)
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from PIL import Image

from ..annotate import draw_detections
from ..errors import SafetyError
from ..images import encode_jpeg
from .decode import open_video
from .result import VideoResult

BEST_SIDE = 800  # a best frame's long side, kept and re-decoded alike


def keep_best_frames(r: VideoResult, out_dir: Path | None, kept: dict | None, name: str) -> None:
    """``name`` is the marked photo's file name the run would use (…_marked.jpg): each event's
    marked best frame is written as …_event<id>_marked.jpg beside it."""
    if out_dir and r.ok:
        stem = name.removesuffix("_marked.jpg")
        for n, event in enumerate(r.events):
            data = marked_best_frame(r, n, "en", stamp=False)
            if data:
                (out_dir / f"{stem}_event{event.id}_marked.jpg").write_bytes(data)
    if kept is not None and r.ok:
        kept[r.source] = dict(r.best_frames)
    r.best_frames = {}


def attach_best_frames(r: VideoResult, kept: Mapping | None) -> bool:
    """Give ``r`` its events' best frames: this run's copies, else decoded again from the
    video by their times. False when the video cannot be read any more."""
    own = (kept or {}).get(r.source)
    if isinstance(own, dict) and own:
        r.best_frames = dict(own)
        return True
    if not r.events:
        return True
    try:
        found = frames_at(r.source, [e.best_t for e in r.events])
    except (SafetyError, OSError):
        return False
    r.best_frames = {e.id: found[e.best_t] for e in r.events if e.best_t in found}
    return bool(r.best_frames)


def marked_best_frame(r: VideoResult, n: int, lang: str, *, stamp: bool = True) -> bytes | None:
    """Event ``n``'s best frame with the event's box drawn (the finding as it stands)."""
    event = r.event_of(n)
    data = r.best_frames.get(event.id) if event is not None else None
    if not data or not r.width or n >= len(r.detections):
        return None
    with Image.open(io.BytesIO(data)) as img:
        picture = img.convert("RGB")
    marked = draw_detections(picture, [r.detections[n]], scale=picture.width / r.width, lang=lang)
    return encode_jpeg(marked, quality=85)


def frames_at(path: str | Path, times: Iterable[float], max_side: int = BEST_SIDE) -> dict:
    """{t: JPEG} of the frames shown at each time (the first frame at or after it), read in
    one pass from the start (a seek per time would cost a decode from the keyframe each)."""
    wanted = sorted(set(times))
    out: dict[float, bytes] = {}
    if not wanted:
        return out
    with open_video(path) as video:
        i = 0
        for raw in video.frames():
            while i < len(wanted) and raw.t + 1e-3 >= wanted[i]:
                out[wanted[i]] = encode_jpeg(raw.picture(max_side), quality=85)
                i += 1
            if i == len(wanted):
                break
    return out
