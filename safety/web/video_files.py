"""A video's pictures in a run's folder, for the page: the frames sampled (to step through)
and each event's best frame (to show it marked, and for the report written after review).

    001_frames/0007.jpg     the video's 8th frame sampled, small and unmarked (as the model's
                            answer was merged: written during the run, never held in memory)
    001_event3.jpg          event 3's best frame, small and unmarked

Marks are drawn again on these copies from the findings as they stand, so a reviewer's
decision shows at once. Nothing here knows the page's components.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from ..annotate import draw_detections
from ..detections import STATUSES, Detection, ImageResult
from ..images import encode_jpeg
from ..video.frames import marked_best_frame
from ..video.result import VideoResult


def is_video_result(result: ImageResult | None) -> bool:
    return isinstance(result, VideoResult)


def frames_dir(run_dir: Path, index: int) -> Path:
    return Path(run_dir) / f"{index + 1:03d}_frames"


def frame_path(run_dir: Path, index: int, k: int) -> Path:
    return frames_dir(run_dir, index) / f"{k:04d}.jpg"


def frame_sink(run_dir: Path):
    """``on_frame`` for safety.video.inspect_mixed: each frame's small copy to the folder."""

    def keep(index: int, k: int, jpeg: bytes) -> None:
        path = frame_path(run_dir, index, k)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(jpeg)

    return keep


def best_path(run_dir: Path, index: int, event_id: int) -> Path:
    return Path(run_dir) / f"{index + 1:03d}_event{int(event_id)}.jpg"


def save_best_frames(run_dir: Path, result: VideoResult) -> None:
    """Each event's best frame once (they do not change with review)."""
    for eid, data in result.best_frames.items():
        path = best_path(run_dir, result.index, eid)
        if data and not path.exists():
            path.write_bytes(data)


def load_best_frames(run_dir: Path, result: VideoResult) -> None:
    found = {}
    for event in result.events:
        path = best_path(run_dir, result.index, event.id)
        if path.exists():
            found[event.id] = path.read_bytes()
    result.best_frames = found


def marked_event(result: VideoResult, n: int | None, lang: str) -> bytes | None:
    """Event ``n``'s best frame with its box drawn as it stands (the first event when none
    is chosen); None when the video has no event with a picture."""
    order = ([n] if n is not None else []) + list(range(len(result.events)))
    for i in order:
        data = marked_best_frame(result, i, lang, stamp=False)
        if data:
            return data
    return None


def frame_detections(frame: dict) -> list[Detection]:
    """A sampled frame's findings, as kept in the result's ``frames`` (video pixels)."""
    out = []
    for item in frame.get("detections") or []:
        category = item.get("category")
        status = item.get("helmet") or item.get("severity") or ""
        if category not in STATUSES or status not in STATUSES[category]:
            status = "unknown" if category in ("fire", "smoke", "person") else ""
        try:
            box = tuple(float(v) for v in item.get("box") or ())
            out.append(Detection(category, status, str(item.get("label") or ""),
                                 str(item.get("sub_label") or ""), box))  # fmt: skip
        except (ValueError, TypeError):
            continue  # a hand-edited frame: show the others
    return out


def marked_frame(run_dir: Path, result: VideoResult, k: int, lang: str) -> bytes | None:
    """The k-th sampled frame with the findings the model gave for it; None without a copy."""
    path = frame_path(run_dir, result.index, k)
    if not path.exists() or not result.width or not (0 <= k < len(result.frames)):
        return None
    with Image.open(io.BytesIO(path.read_bytes())) as img:
        picture = img.convert("RGB")
    found = frame_detections(result.frames[k])
    marked = draw_detections(picture, found, scale=picture.width / result.width, lang=lang)
    return encode_jpeg(marked, quality=85)


def first_frame(run_dir: Path, result: VideoResult) -> bytes | None:
    """The first sampled frame kept, unmarked: what a video with no event shows."""
    for k in range(len(result.frames)):
        path = frame_path(run_dir, result.index, k)
        if path.exists():
            return path.read_bytes()
    return None
