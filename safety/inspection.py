"""The pipeline: a photo (upload, path or URL) in, an ImageResult out.

load -> frame -> request -> parse -> map to original pixels -> draw. One photo's failure is
caught here and becomes that photo's error; the others carry on. Batches run concurrently
with a bounded number of photos in flight, and results stream out as each one finishes, so
memory stays flat however long the batch is.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass, field

from PIL import Image

from . import framing, geometry
from .annotate import draw_detections
from .backends.calibration import CalibrationStore, Plan
from .backends.model import Model, Question
from .backends.pool import model_for, plan_of
from .config import Settings
from .detections import Detection, ImageResult
from .errors import SafetyError
from .feed import Feed, drained
from .i18n import said, t
from .images import (
    DISPLAY_MAX_SIDE,
    DISPLAY_MIN_SIDE,
    DecodeBudget,
    decode_cost,
    encode_jpeg,
    fit_within,
    load_image,
)
from .limits import MAX_IMAGE_PIXELS
from .net import FetchPolicy
from .passes import recheck
from .passes.detail import Pass, add_usage, ask_all, effective_settings, merge_tiles, tile_passes
from .passes.tiles import needed_long_side
from .reading import read_answer
from .scrub import scrub
from .source import Reader, Source, as_source, read_bytes

log = logging.getLogger(__name__)

PREVIEW_MAX_SIDE = 800
# Threads for our own CPU work (decode, resize, encode, draw). Pillow releases the GIL in
# these, so a couple more threads than cores keeps the cores busy.
CPU_WORKERS = max(2, min(4, (os.cpu_count() or 2) + 1))


@dataclass
class _Job:
    """One photo on its way through the stages."""

    src: Source
    result: ImageResult
    plan: Plan | None = None
    jpeg: bytes | None = None  # the frame to send, until it is sent
    display: Image.Image | None = None  # upright, at most DISPLAY_MAX_SIDE, until drawn
    passes: list[Pass] = field(default_factory=list)  # extra requests: tiles (safety.passes.detail)
    data: bytes | None = None  # the file, kept for a second look at people (safety.passes.recheck)
    read: bool = False  # the answers are read (early, when people are looked at again)
    logprobs: tuple | None = None  # the answer's token log-probabilities, where given


class Inspector:
    """Inspects photos with one model. Thread-safe; share one per run.

    ``model`` answers (default: the endpoint, or the pool of endpoints, ``settings`` describes);
    ``reader`` turns a Source into the file's bytes (default: ``read_bytes`` with
    ``fetch_policy``); demo mode gives both its own.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        lang: str = "en",
        fetch_policy: FetchPolicy | None = None,
        model: Model | None = None,
        reader: Reader | None = None,
        store: CalibrationStore | None = None,
        keep_images: bool = True,
        decode_budget: DecodeBudget | None = None,
        max_image_pixels: int = MAX_IMAGE_PIXELS,
        privacy: Callable[[Image.Image, list | None], Image.Image] | None = None,
    ):
        self.settings = effective_settings(settings)  # detail "high": a larger frame budget
        # Face blurring (safety.privacy): called with None on the frame before it is sent, and
        # with the person boxes (display pixels) on the display copy before drawing.
        self.privacy = privacy
        self.lang = lang
        policy = fetch_policy or FetchPolicy()
        self.reader: Reader = reader or (lambda src: read_bytes(src, policy))
        self.model: Model = model or model_for(settings)
        self.store = store if store is not None else CalibrationStore(settings.cache_dir)
        self.keep_images = keep_images
        self.decode_budget = decode_budget  # shared by every run of the app (None: no bound)
        self.max_image_pixels = max_image_pixels
        self._plan: Plan | None = None
        self._plan_lock = threading.Lock()
        self._abandoned = threading.Event()  # a batch was stopped: requests are being cut

    @property
    def _tiles(self) -> bool:
        return self.settings.detail == "tiles"

    def close(self) -> None:
        self.model.close()

    def plan(self) -> Plan:
        """The sending plan; in auto mode the first call calibrates (once, under a lock)."""
        with self._plan_lock:
            if self._plan is None:
                self._plan = plan_of(self.settings, self.model, self.store)
            return self._plan

    # -- one photo, in three stages ------------------------------------------------------
    # prepare (CPU: read, decode, frame) -> ask (network: the model) -> finish (CPU: parse,
    # map, draw). Batches run the stages on separate pools so the model is never kept
    # waiting by our own work.

    def inspect_one(self, item, *, index: int = 0) -> ImageResult:
        job = self._new_job(as_source(item), index)
        for stage in (self._prepare, self._ask, self._finish):
            self._run(stage, job)
            if job.result.error:
                break
        return job.result

    def _new_job(self, src: Source, index: int) -> _Job:
        return _Job(src, ImageResult(source=src.name, index=index, model=self.settings.model))

    def _run(self, stage: Callable[[_Job], None], job: _Job) -> _Job:
        """Run one stage; any failure becomes this photo's error and frees its images."""
        result = job.result
        try:
            stage(job)
        except SafetyError as exc:
            result.error, result.error_kind = exc.text(self.lang), exc.kind
        except Exception as exc:  # a bug must cost one photo, not the batch
            if self._abandoned.is_set():  # the run was stopped: its photos are not reported
                result.error, result.error_kind = t("pipeline.stopped", self.lang), "cancelled"
                return job
            log.exception("internal error on photo %d", result.index)
            result.error = t("pipeline.internal", self.lang, kind=type(exc).__name__)
            result.error_kind = "internal"
        if result.error:
            result.detections = []
            job.display = job.jpeg = job.data = None
        return job

    def _prepare(self, job: _Job) -> None:
        result, t = job.result, job.result.timings
        started = time.perf_counter()
        data = self.reader(job.src)
        t["read"] = time.perf_counter() - started
        job.data = data if self.settings.recheck != "off" else None

        plan = job.plan = self.plan()
        result.convention = plan.convention
        result.notes.extend(str(said(note, self.lang)) for note in plan.notes)

        def need(w: int, h: int) -> int:
            fw, fh = framing.frame_size(w, h, plan)
            tiles = needed_long_side(w, h, plan.grid, plan.max_pixels) if self._tiles else 0
            return max(fw, fh, tiles, DISPLAY_MIN_SIDE if self.keep_images else 0)

        budget = self.decode_budget.hold(decode_cost(data)) if self.decode_budget else nullcontext()
        with budget:  # the decoded photo is dropped by the end of this block
            self._decode_and_frame(job, data, need)

    def _decode_and_frame(self, job: _Job, data: bytes, need) -> None:
        result, t, plan = job.result, job.result.timings, job.plan
        mark = time.perf_counter()
        loaded = load_image(data, need_long_side=need, max_pixels=self.max_image_pixels)
        del data
        t["decode"] = time.perf_counter() - mark
        # The same steps as a batch request file (safety.framing): one frame, one JPEG.
        framing.describe(result, loaded, self.lang)
        mark = time.perf_counter()
        size = framing.frame_size(loaded.orig_w, loaded.orig_h, plan)
        job.jpeg = framing.encode_frame(loaded.image, size, self.privacy)
        result.frame, result.upload_bytes = size, len(job.jpeg)
        if self._tiles:
            job.passes = tile_passes(
                loaded.image, result.width, result.height, plan, self.settings.prompt, self.privacy
            )
        # Keep only a display-sized copy while the model thinks: memory per photo in flight
        # stays bounded whatever the original's size.
        job.display = fit_within(loaded.image, DISPLAY_MAX_SIDE) if self.keep_images else None
        t["frame"] = time.perf_counter() - mark

    def _ask(self, job: _Job) -> None:
        result = job.result
        jpeg, job.jpeg = job.jpeg, None
        answer = self.model.ask(Question(jpeg, self.settings.prompt, photo_sha256=result.sha256))
        # The answer is shown and exported: a model (or a proxy) may echo the key back.
        result.raw_text = scrub(answer.text, self.settings.api_key)
        result.provenance = answer.provenance
        result.notes.extend(answer.notes)
        result.usage, result.latency_s = answer.usage, answer.latency_s
        result.finish_reason = answer.finish_reason
        if answer.model:
            result.model = answer.model
        # Several endpoints (backends.pool): the boxes are read as the one that answered writes.
        result.convention = answer.convention or result.convention
        result.endpoint = answer.endpoint
        result.timings["model"] = answer.latency_s
        job.logprobs = answer.token_logprobs
        if answer.provenance is not None:
            job.passes = []  # stored labels answer for a whole photo, never for a tile
        ask_all(self.model, job.passes, result.sha256, self.settings.api_key, self.lang)
        if job.data is not None:  # a second look at people needs their boxes now
            self._read(job)
            recheck.run(self, job)

    def _read(self, job: _Job) -> None:
        result, mark = job.result, time.perf_counter()
        result.detections = self._read_answer(
            result.raw_text or "", result.finish_reason, job.plan, result, job.logprobs
        )
        if job.passes:
            convention = result.convention or job.plan.convention
            result.detections = merge_tiles(
                result, result.detections, job.passes, convention, self.lang
            )
            add_usage(result, job.passes)
            result.passes = [p.record() for p in job.passes]
        job.read = True
        result.timings["parse"] = time.perf_counter() - mark

    def _finish(self, job: _Job) -> None:
        result, t = job.result, job.result.timings
        if not job.read:
            self._read(job)
        if job.display is not None:
            mark = time.perf_counter()
            display, job.display = job.display, None
            if self.privacy is not None:
                k = display.width / result.width
                people = [d.box for d in result.detections if d.category == "person"]
                display = self.privacy(display, [[v * k for v in box] for box in people])
            marked = draw_detections(
                display, result.detections, scale=display.width / result.width, lang=self.lang
            )
            result.marked_jpeg = encode_jpeg(marked, quality=85)
            result.preview_jpeg = encode_jpeg(fit_within(display, PREVIEW_MAX_SIDE), quality=80)
            result.photo_jpeg = encode_jpeg(display, quality=85)
            t["draw"] = time.perf_counter() - mark

    def _read_answer(
        self,
        text: str,
        finish_reason: str | None,
        plan: Plan,
        result: ImageResult,
        logprobs: tuple | None = None,
    ) -> list[Detection]:
        frame = geometry.Frame(result.width, result.height, *result.frame)
        convention = result.convention or plan.convention
        found, result.convention = read_answer(
            text, finish_reason, convention, frame, result.notes, logprobs=logprobs, lang=self.lang
        )
        return found

    # -- many photos -------------------------------------------------------------------

    def inspect_many(
        self,
        items: Iterable,
        *,
        concurrency: int | None = None,
        cancel: threading.Event | None = None,
        on_start: Callable[[int, str], None] | None = None,
        slow_items: bool = False,
    ) -> Iterator[ImageResult]:
        """Yield one ImageResult per item, in the order they finish.

        Exactly ``concurrency`` requests per endpoint are kept in flight while photos remain
        (a pool of N endpoints, backends.pool, gets N times as many); our own CPU work (decode,
        frame, parse, draw) runs on a separate small pool and prepares a few frames ahead, so
        the endpoint never waits for us. At most about 3 x that many photos are held at once
        (as display-sized copies), so memory does not grow with the batch. Each result's
        ``index`` is its position in ``items``. Setting ``cancel`` (or closing the generator)
        stops submitting and aborts the requests in flight; photos not finished are not
        yielded. ``slow_items``: ``items`` may take a while to give each one (a video's
        frames as they are decoded): they are pulled on a thread of their own (safety.feed),
        so the requests never wait for the next one.
        """
        per_endpoint = max(1, concurrency or self.settings.concurrency)
        workers = per_endpoint * getattr(self.model, "endpoints", 1)
        # A full wave of frames ready: requests started together end together, and each
        # freed slot should get a frame at once rather than wait for a decode.
        prefetch = workers
        sources = enumerate(as_source(item) for item in items)
        feed = Feed(sources, prefetch) if slow_items else None
        try:
            self.plan()
        except SafetyError as exc:
            # Calibration failed: every photo gets the same clear error, without N more probes.
            for index, src in drained(feed) if feed else sources:
                yield ImageResult(
                    source=src.name,
                    index=index,
                    model=self.settings.model,
                    error=exc.text(self.lang),
                    error_kind=exc.kind,
                )
            return
        # Preparing frames has its own pool so it never queues behind drawing finished ones.
        cpu = ThreadPoolExecutor(max_workers=CPU_WORKERS, thread_name_prefix="inspect-prep")
        post = ThreadPoolExecutor(max_workers=2, thread_name_prefix="inspect-finish")
        net = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="inspect-net")
        preparing: set[Future] = set()
        asking: set[Future] = set()
        finishing: set[Future] = set()
        ready: deque[_Job] = deque()
        exhausted = finished = False
        try:
            while True:
                if cancel is not None and cancel.is_set():
                    return
                while not exhausted and len(preparing) + len(ready) < prefetch:
                    try:
                        item = feed.take() if feed else next(sources)
                    except StopIteration:
                        exhausted = True
                        break
                    if item is Feed.PENDING:
                        break  # the next one is not ready: carry on with the requests
                    index, src = item
                    if on_start:
                        on_start(index, src.name)
                    preparing.add(cpu.submit(self._run, self._prepare, self._new_job(src, index)))
                while ready and len(asking) < workers:
                    asking.add(net.submit(self._run, self._ask, ready.popleft()))
                if not (preparing or asking or finishing or ready):
                    if feed is not None and not exhausted:
                        feed.wait(0.25)  # nothing in flight: only the next item to wait for
                        continue
                    finished = True
                    return
                # A short timeout so that a cancel is noticed even while nothing finishes.
                pending = feed is not None and not exhausted  # an item may come any moment
                done, _ = wait(
                    preparing | asking | finishing,
                    timeout=0.05 if pending else 0.25,
                    return_when=FIRST_COMPLETED,
                )
                for future in done:
                    job = future.result()
                    if future in preparing:
                        preparing.discard(future)
                        if job.result.error:
                            yield job.result
                        else:
                            ready.append(job)
                    elif future in asking:
                        asking.discard(future)
                        if job.result.error:
                            yield job.result
                        else:
                            finishing.add(post.submit(self._run, self._finish, job))
                    else:
                        finishing.discard(future)
                        yield job.result
        finally:
            if feed is not None:
                feed.close()
            if not finished:
                # Cancelled or abandoned: drop queued work and cut the requests in flight.
                self._abandoned.set()
                self.model.close()
            for pool in (cpu, post, net):
                pool.shutdown(wait=finished, cancel_futures=True)
