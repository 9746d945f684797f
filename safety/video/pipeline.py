"""Videos through the photo pipeline: each sampled frame is a photo to the Inspector.

    inspect_mixed(inspector, items, options=SamplingOptions(), lang="en")
        -> Iterator[ImageResult | VideoResult]

Photos pass through unchanged. A video is opened, sampled on a thread of its own (frames
are decoded while the model answers earlier ones, a few frames ahead at most), and each
frame goes to the Inspector as a JPEG photo: the same frame sizes, detail and re-check
settings, blur and site profile as photos, so every backend and the Batch API see nothing
new. As frame results come back (in any order) they are put in time order and merged into
events (safety.video.events); a frame's pictures are dropped at once unless it is now the
best frame of an event. When the last frame of a video is back, its VideoResult is yielded.

A video that cannot be opened is that video's error; the other inputs go on. A frame that
fails is a note in its video, unless the run's endpoints are down or more than a quarter of
its frames failed: then the video fails as a whole (a --resume then does it again).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from .. import geometry
from ..detections import Detection, ImageResult
from ..errors import InputError, SafetyError
from ..i18n import t
from ..images import DISPLAY_MIN_SIDE, encode_jpeg
from ..limits import VIDEO_SUFFIXES
from ..passes.tiles import needed_long_side
from ..source import Source, as_source
from .events import Tracker
from .result import EventRecord, VideoResult, frame_record
from .sampling import SamplingOptions, VideoFrames

log = logging.getLogger(__name__)

FRAME_QUALITY = 92  # the JPEG a sampled frame travels as (re-encoded once more to be sent)
AHEAD = 4  # frames sampled and waiting, at most, per video being read
# Frame failures that are the run's, not the frame's: the video fails as a whole, so that
# a --resume does it again. So does a video of which more than MAX_FAILED_SHARE of the
# frames failed (an endpoint that went away mid-way); fewer are a note.
_WHOLE_VIDEO_KINDS = ("endpoints down", "cancelled")
MAX_FAILED_SHARE = 0.25
MAX_NOTES = 20  # different notes of a video's frames listed; the rest are counted


def is_video(name: str) -> bool:
    return Path(name.split("?")[0]).suffix.lower() in VIDEO_SUFFIXES


def file_sha256(path: str | Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _scaled(d: Detection, k: float, width: int, height: int) -> Detection:
    """A frame's finding in the video's own upright pixels."""
    x1, y1, x2, y2 = (v * k for v in d.box)
    box = (max(0.0, x1), max(0.0, y1), min(float(width), x2), min(float(height), y2))
    if not (box[0] < box[2] and box[1] < box[3]):
        return d
    return Detection(
        d.category,
        d.status,
        d.label,
        d.sub_label,
        box,
        confidence=d.confidence,
        permitted=d.permitted,
    )


def _sized(options: SamplingOptions, info, inspector) -> SamplingOptions:
    """Frames decoded no larger than the pipeline uses them (the frame sent, the tiles,
    the display copy), as photos are decoded in draft mode: less to convert and encode."""
    plan, (w, h) = inspector.plan(), (info.width, info.height)
    fw, fh = geometry.choose_frame(w, h, plan.grid, plan.max_pixels)
    need = max(fw, fh, DISPLAY_MIN_SIDE if inspector.keep_images else 0)
    if inspector.settings.detail == "tiles":
        need = max(need, needed_long_side(w, h, plan.grid, plan.max_pixels))
    return replace(options, max_side=min(options.max_side, need))


class _Assembly:
    """One video on its way: frames handed out, their results put back in time order."""

    def __init__(self, index: int, src: Source, settings_model: str | None, lang: str):
        self.index, self.src, self.lang = index, src, lang
        self.result = VideoResult(source=src.name, index=index, model=settings_model)
        self.tracker = Tracker()
        self.times: list[float] = []  # frames handed out, in time order
        self.back: dict[float, ImageResult] = {}  # results waiting for an earlier frame
        self.fed = 0  # frames merged so far (times[:fed])
        self.all_sent = False
        self.frames: VideoFrames | None = None
        self.notes: dict[str, int] = {}
        self.failed = 0
        self.whole_error: ImageResult | None = None  # a frame failed for the run's sake
        self.first_failure: ImageResult | None = None
        self.best: dict[tuple[int, str], bytes] = {}  # (event, status) -> its best frame

    def fail(self, error: str, kind: str) -> None:
        """The video could not be read: its error when no frame was, else a note."""
        if not self.times:
            self.result.error, self.result.error_kind = error, kind
        else:
            self.result.notes.append(error)

    @property
    def complete(self) -> bool:
        return self.all_sent and self.fed == len(self.times)

    def take(self, t: float, r: ImageResult) -> None:
        # Only the small unmarked copy can become a best frame: the rest goes now, before
        # the result waits for an earlier frame (one slow request must not hold many).
        r.marked_jpeg = r.photo_jpeg = None
        self.back[t] = r
        while self.fed < len(self.times) and self.times[self.fed] in self.back:
            frame_t = self.times[self.fed]
            self._merge(frame_t, self.back.pop(frame_t))
            self.fed += 1

    def _merge(self, t: float, r: ImageResult) -> None:
        out = self.result
        for note in r.notes:
            self.notes[note] = self.notes.get(note, 0) + 1
        if not r.ok:
            self.failed += 1
            self.first_failure = self.first_failure or r
            if r.error_kind in _WHOLE_VIDEO_KINDS and self.whole_error is None:
                self.whole_error = r
            out.frames.append(frame_record(t, [], [], r.error))
            return
        k = out.width / r.width if r.width else 1.0
        found = [_scaled(d, k, out.width, out.height) for d in r.detections]
        clarity = 1.0 - float((r.quality or {}).get("blur") or 0.0)
        ids, best_now = self.tracker.add(t, found, clarity)
        out.frames.append(frame_record(t, found, ids, notes=r.notes))
        for key in best_now:  # the small unmarked copy (PREVIEW_MAX_SIDE): memory stays low
            if r.preview_jpeg:
                self.best[key] = r.preview_jpeg
        usage = out.usage if out.usage is not None else {}
        for key, value in (r.usage or {}).items():
            if isinstance(value, int):
                usage[key] = usage.get(key, 0) + value
        out.usage = usage
        out.latency_s = (out.latency_s or 0.0) + (r.latency_s or 0.0)
        out.upload_bytes = (out.upload_bytes or 0) + (r.upload_bytes or 0)
        out.model = r.model or out.model
        out.convention, out.frame, out.endpoint = r.convention, r.frame, r.endpoint or out.endpoint
        out.video["requests"] = (
            out.video.get("requests", 0)
            + 1
            + sum(1 for p in r.passes if p.get("raw_text") is not None)
        )

    def finish(self) -> VideoResult:
        out, vf = self.result, self.frames
        if self.whole_error is not None:
            return self._failed(self.whole_error.error, self.whole_error.error_kind)
        if vf is not None:
            out.duration_s, out.fps = vf.duration_s, vf.rate
            out.video.update(
                codec=vf.info.codec,
                rate=vf.info.rate,
                rotation=vf.rotation,
                decoded=vf.decoded,
                sent=vf.sent,
                duplicates_skipped=vf.duplicates,
                scene_changes=vf.sampler.scenes,
            )
            out.notes.extend(vf.notes)
        if self.times and self.failed > MAX_FAILED_SHARE * len(self.times):
            first = self.first_failure
            return self._failed(first.error, first.error_kind)
        events = self.tracker.finish()
        out.detections = [e.detection() for e in events]
        out.events = [
            EventRecord(e.id, e.first_s, e.last_s, e.best_t, list(e.frames), e.changes)
            for e in events
        ]
        found = ((e.id, self.best.get((e.id, e.best_status))) for e in events)
        out.best_frames = {eid: data for eid, data in found if data}
        self.best.clear()
        notes = list(self.notes.items())
        for note, n in notes[:MAX_NOTES]:  # each note once, with the number of its frames
            out.notes.append(note if n == 1 else t("video.note-frames", self.lang, note=note, n=n))
        if len(notes) > MAX_NOTES:
            out.notes.append(t("video.more-notes", self.lang, n=len(notes) - MAX_NOTES))
        if self.failed:
            out.notes.append(
                t("video.frames-failed", self.lang, n=self.failed, total=len(self.times))
            )
        return out

    def _failed(self, error: str | None, kind: str | None) -> VideoResult:
        out = VideoResult(source=self.src.name, index=self.index, model=self.result.model)
        out.error, out.error_kind = error or t("video.no-frames", self.lang), kind or "input"
        return out


class _Reader(threading.Thread):
    """Samples one video and encodes its frames ahead of the requests, a few at most."""

    _END = object()

    def __init__(self, path: str, frames: VideoFrames):
        super().__init__(name="video-sample", daemon=True)
        self.path, self.frames, self.out = path, frames, queue.Queue(maxsize=AHEAD)
        self.stop = threading.Event()
        self.sha256: str | None = None

    def run(self) -> None:
        try:
            self.sha256 = file_sha256(self.path)  # for --resume: the same file, unchanged
            for t_s, image in self.frames:
                item = (t_s, encode_jpeg(image, quality=FRAME_QUALITY))
                del image
                if not self._put(item):
                    return
            self._put(self._END)
        except BaseException as exc:  # handed to the consumer, which reports it
            self._put(exc)

    def _put(self, item) -> bool:
        while not self.stop.is_set():
            try:
                self.out.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[tuple[float, bytes]]:
        while True:
            try:
                item = self.out.get(timeout=0.2)
            except queue.Empty:
                if self.stop.is_set():  # the run ended: nobody waits for these frames
                    return
                continue
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item


def inspect_mixed(
    inspector,
    items: Iterable,
    *,
    options: SamplingOptions | None = None,
    concurrency: int | None = None,
    lang: str = "en",
) -> Iterator[ImageResult]:
    """Photos' and videos' results, each with ``index`` its position in ``items``."""
    options = options or SamplingOptions()
    slots: dict[int, tuple[_Assembly | None, float | int]] = {}
    open_videos: list[_Assembly] = []
    readers: list[_Reader] = []

    def expanded() -> Iterator[Source]:
        handed = 0
        for index, item in enumerate(items):
            src = as_source(item)
            if not is_video(src.name):
                slots[handed] = (None, index)
                handed += 1
                yield src
                continue
            asm = _Assembly(index, src, inspector.settings.model, lang)
            open_videos.append(asm)
            try:
                if src.path is None:
                    raise InputError(t("video.url", lang))
                asm.frames = VideoFrames(src.path, options, lang)
                asm.frames.options = _sized(options, asm.frames.info, inspector)
                reader = _Reader(src.path, asm.frames)
                readers.append(reader)
                reader.start()
                asm.result.file_bytes = asm.frames.info.file_bytes
                for t_s, jpeg in reader:
                    if not asm.times:
                        asm.result.width, asm.result.height = asm.frames.size
                    asm.times.append(t_s)
                    slots[handed] = (asm, t_s)
                    handed += 1
                    yield Source(f"{src.name}@{t_s:.3f}s", data=jpeg)
            except SafetyError as exc:
                asm.fail(str(exc), exc.kind)
            except Exception as exc:  # a bug must cost this video, not the run
                log.exception("internal error on video %d", index)
                asm.fail(t("video.internal", lang, kind=type(exc).__name__), "internal")
            finally:
                if readers and readers[-1].frames is asm.frames:
                    asm.result.sha256 = readers[-1].sha256
                asm.all_sent = True

    def ready() -> Iterator[ImageResult]:
        for asm in [a for a in open_videos if a.complete]:
            open_videos.remove(asm)
            yield asm.result if asm.result.error else asm.finish()

    try:
        frames = inspector.inspect_many(expanded(), concurrency=concurrency, slow_items=True)
        for r in frames:
            asm, key = slots.pop(r.index)
            if asm is None:
                r.index = int(key)
                yield r
            else:
                asm.take(float(key), r)
            yield from ready()
        yield from ready()
    finally:
        for reader in readers:
            reader.stop.set()
