"""A video's events as photos, for whoever keeps findings photo by photo (the hazard
ledger): each event becomes one result with the event's finding and, as its photo, the
event's best frame, so that a finding from a video is evidence like one from a photo.

    as_photos(results) -> Iterator[ImageResult]   photos as they are; a video's events
                                                   one by one (its best frame each)

The best frames are the run's own when it still holds them, else decoded again from the
video by their times (safety.video.frames) when the file is still there unchanged; else the
events come without a picture. The source names the video and the time:
"walk.mp4 @ 0:12 (event 3)".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..detections import ImageResult
from .frames import attach_best_frames
from .options import clock
from .pipeline import file_sha256
from .result import VideoResult


def _same_file(r: VideoResult) -> bool:
    """The video is still where it was, unchanged: its frames are the ones the boxes are
    about (a name alone could be another file)."""
    try:
        return bool(r.sha256) and file_sha256(r.source) == r.sha256
    except OSError:
        return False


def as_photos(results: Iterable[ImageResult]) -> Iterator[ImageResult]:
    for r in results:
        if not isinstance(r, VideoResult) or not r.ok or not r.events:
            yield r
            continue
        if not r.best_frames and _same_file(r):
            attach_best_frames(r, None)
        for event, finding in zip(r.events, r.detections, strict=False):
            yield ImageResult(
                source=f"{r.source} @ {clock(event.best_t)} (event {event.id})",
                index=r.index,
                width=r.width,
                height=r.height,
                sha256=r.sha256,
                model=r.model,
                detections=[finding],
                photo_jpeg=r.best_frames.get(event.id),
            )
