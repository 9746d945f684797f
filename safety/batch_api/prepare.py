"""Photos -> Batch API request files, and the manifest that maps the answers back.

    DIR/requests.jsonl           one line per photo sent: custom_id, method, url, body
    DIR/requests-001.jsonl, ...  instead, when one file would pass the provider's limits
    DIR/photos.jsonl             the manifest: one line per photo, in input order, with
                                 its custom_id, size, SHA-256, frame and convention, or the
                                 error that kept it from being sent
    DIR/batch.json               written last: the model, the prompt, the plan, the files

A photo is framed by the pipeline's own steps (``safety.framing``) and its request body is
the live client's (``safety.backends.client.request_body``). A batch has no live server to probe, so
the coordinate convention is the configured one, a calibration remembered for the same
endpoint and model, or the one the model name implies (every photo's notes say which).

Photos stream through: a few frames are being made at once and each request line is
written as soon as it is ready, so a folder of 100,000 photos takes the memory of ten. The
API key is never read here: a request file holds no key, and neither does anything else.
"""

from __future__ import annotations

import json
import os
import secrets
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__, geometry
from ..backends.calibration import CalibrationStore, Plan, plan_for
from ..backends.client import kind_of, request_body
from ..backends.endpoint_kind import EndpointKind
from ..backends.model import Question
from ..backends.presets import AUTO, PRESETS, model_convention
from ..config import Settings, fallback_convention
from ..detections import ImageResult
from ..errors import ConfigurationError, InputError, SafetyError
from ..files import write_atomic
from ..framing import frame_photo
from ..i18n import said, t
from ..inspection import CPU_WORKERS
from ..net import FetchPolicy
from ..source import as_source, read_bytes
from ..video.pipeline import is_video

URL = "/v1/chat/completions"
MANIFEST = "photos.jsonl"
BATCH_FILE = "batch.json"
RESULTS = "results.jsonl"  # what collect writes into the folder, unless told otherwise
FORMAT = "safety-batch/1"
MB = 1_000_000


@dataclass(frozen=True)
class Limits:
    """What one request file may hold (None: no limit)."""

    max_requests: int | None
    max_file_bytes: int | None
    max_line_bytes: int | None


# The limits each provider publishes for one input file (checked in 2026): DashScope
# ("Batch inference", Model Studio): 50,000 requests, 500 MB, 6 MB a line; OpenAI: 50,000
# requests, 200 MB. vLLM's run_batch reads a file of any size. A MB is taken as 10^6 bytes,
# so a file stays under the limit whichever MB the provider means.
PROVIDERS = {
    "dashscope": Limits(50_000, 500 * MB, 6 * MB),
    "openai": Limits(50_000, 200 * MB, None),
    "vllm": Limits(None, None, None),
}
PROVIDER_TITLES = {"dashscope": "DashScope", "openai": "OpenAI", "vllm": "vLLM"}


def default_provider(settings: Settings) -> str:
    return "dashscope" if kind_of(settings) is EndpointKind.DASHSCOPE else "vllm"


def limits_for(provider: str, max_requests: int | None, max_file_mb: float | None) -> Limits:
    """The provider's limits, lowered by the user's own (never raised past the provider's)."""
    base = PROVIDERS[provider]

    def lower(published: int | None, wanted: int | None) -> int | None:
        if wanted is None:
            return published
        return wanted if published is None else min(published, wanted)

    wanted_bytes = None if max_file_mb is None else max(1, int(max_file_mb * MB))
    file_bytes = lower(base.max_file_bytes, wanted_bytes)
    line_bytes = base.max_line_bytes
    if file_bytes is not None:  # one request must fit in a file on its own
        line_bytes = file_bytes if line_bytes is None else min(line_bytes, file_bytes)
    return Limits(lower(base.max_requests, max_requests), file_bytes, line_bytes)


def batch_plan(settings: Settings, lang: str) -> Plan:
    """How photos are framed and answers read, without a server to probe: the configured
    convention; else a calibration remembered for this endpoint and model; else the one the
    model name (or preset) implies, said in a note on every photo."""
    if settings.coords != AUTO:
        return plan_for(settings, None, None)  # a configured plan never asks the model
    store = CalibrationStore(settings.cache_dir)
    if store.get(settings) is not None:
        return plan_for(settings, None, store)  # the remembered one: no probe either
    convention, _ = fallback_convention(settings)  # its reason is said below, in lang
    preset = PRESETS.get(settings.preset)
    if model_convention(settings.model):
        why = t("batch.why.model", lang, model=settings.model)
    elif preset and preset.coords != AUTO:
        why = t("batch.why.preset", lang, preset=preset.title)
    else:
        why = t("batch.why.default", lang)
    note = t("batch.note.fallback", lang, convention=convention, why=why)
    return Plan(convention, geometry.UNIVERSAL_GRID, settings.max_pixels, "fallback", (note,))


def check_out_dir(out: Path, force: bool, lang: str) -> None:
    """An empty (or new) folder; with ``force``, an earlier batch's files are removed."""
    if out.exists() and not out.is_dir():
        raise ConfigurationError(t("batch.out-not-dir", lang, dir=out))
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise ConfigurationError(t("batch.out-not-empty", lang, dir=out))
        for name in (MANIFEST, BATCH_FILE, RESULTS, "requests.jsonl"):
            (out / name).unlink(missing_ok=True)
        for path in out.glob("requests-*.jsonl"):
            path.unlink()
    out.mkdir(parents=True, exist_ok=True)


class RequestFiles:
    """requests-001.jsonl, requests-002.jsonl, ...: a new file whenever the next line would
    pass a limit; a batch that fits in one file gets the plain name requests.jsonl."""

    def __init__(self, folder: Path, limits: Limits):
        self.folder = folder
        self.limits = limits
        self.files: list[dict] = []  # name, requests, bytes
        self._out = None

    def _full(self, size: int) -> bool:
        now = self.files[-1]
        lim = self.limits
        return (lim.max_requests is not None and now["requests"] >= lim.max_requests) or (
            lim.max_file_bytes is not None and now["bytes"] + size > lim.max_file_bytes
        )

    def add(self, line: bytes) -> int:
        """Write one request line; the number of the file it went into (1, 2, ...)."""
        if self._out is None or self._full(len(line)):
            if self._out is not None:
                self._out.close()
            name = f"requests-{len(self.files) + 1:03d}.jsonl"
            self._out = open(self.folder / name, "wb")  # noqa: SIM115 - closed in close()
            self.files.append({"name": name, "requests": 0, "bytes": 0})
        self._out.write(line)
        self.files[-1]["requests"] += 1
        self.files[-1]["bytes"] += len(line)
        return len(self.files)

    def close(self) -> list[dict]:
        if self._out is not None:
            self._out.close()
            self._out = None
        if len(self.files) == 1:
            only = self.files[0]
            os.replace(self.folder / only["name"], self.folder / "requests.jsonl")
            only["name"] = "requests.jsonl"
        return self.files


def _line(item: dict) -> bytes:
    return (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@dataclass
class Job:
    """What one batch asks, of whom, and how photos are framed."""

    settings: Settings
    plan: Plan
    provider: str
    limits: Limits
    lang: str = "en"
    fetch_policy: FetchPolicy | None = None
    privacy: Callable | None = None


def _photo(job: Job, batch_id: str, index: int, name: str) -> tuple[dict, bytes | None]:
    """(the photo's manifest entry, its request line or None when it is not sent)."""
    s, plan = job.settings, job.plan
    result = ImageResult(source=name, index=index, model=s.model, convention=plan.convention)
    result.notes.extend(str(said(note, job.lang)) for note in plan.notes)
    custom_id = f"photo-{index + 1:06d}-{batch_id}"
    line, src = None, as_source(name)
    try:
        if is_video(name):  # frames are sampled and merged by a live run (safety/video/)
            raise InputError(t("video.batch", job.lang))
        data = read_bytes(src, job.fetch_policy or FetchPolicy())
        jpeg = frame_photo(data, plan, result, lang=job.lang, privacy=job.privacy)
        del data
        question = Question(jpeg, s.prompt, photo_sha256=result.sha256)
        body = request_body(s, question, kind_of(s, job.provider))
        line = _line({"custom_id": custom_id, "method": "POST", "url": URL, "body": body})
        most = job.limits.max_line_bytes
        if most is not None and len(line) > most:
            sizes = {"mb": len(line) / MB, "limit": most / MB}
            provider = PROVIDER_TITLES[job.provider]
            raise InputError(t("batch.line-too-large", job.lang, provider=provider, **sizes))
    except SafetyError as exc:
        result.error, result.error_kind, line = exc.text(job.lang), exc.kind, None
    except Exception as exc:  # a bug must cost one photo, not the batch
        result.error = t("batch.internal", job.lang, kind=type(exc).__name__)
        result.error_kind, line = "internal", None
    path = None
    if result.error is None and src.path is not None:
        path = os.path.abspath(src.path)  # where collect finds it again for the report
    entry = {"custom_id": custom_id, "path": path, "part": None, **result.to_dict()}
    for unused in ("detections", "raw_text", "finish_reason", "usage", "latency_s", "passes"):
        entry.pop(unused, None)
    return entry, line


def _ordered(make: Callable, items: Iterable, workers: int) -> Iterator:
    """make(item) for each item on a few threads, yielded in the items' order, with at most
    2 x workers results waiting: the frames in memory stay few however many photos."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch-frame") as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(make, *item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def prepare(
    names: Iterable[str],
    out: Path,
    job: Job,
    *,
    on_photo: Callable[[dict], None] | None = None,
    workers: int = CPU_WORKERS,
) -> dict:
    """Write the request files, the manifest and batch.json into ``out`` (already checked
    by ``check_out_dir``); batch.json's content. ``on_photo`` sees each manifest entry."""
    batch_id = secrets.token_hex(4)
    files = RequestFiles(out, job.limits)
    photos = failed = 0
    try:
        with open(out / MANIFEST, "wb") as manifest:
            items = ((job, batch_id, index, name) for index, name in enumerate(names))
            for entry, line in _ordered(_photo, items, workers):
                if line is not None:
                    entry["part"] = files.add(line)  # batch.json's files[part - 1]
                manifest.write(_line(entry))
                photos += 1
                failed += entry["error"] is not None
                if on_photo is not None:
                    on_photo(entry)
    finally:
        written = files.close()
    if not photos:
        raise ConfigurationError(t("batch.no-photos", job.lang))
    s = job.settings
    batch = {
        "format": FORMAT,
        "batch_id": batch_id,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tool_version": __version__,
        "provider": job.provider,
        "url": URL,
        "endpoint": s.host,  # scheme://host:port only: never a path, never a key
        "preset": s.preset,
        "model": s.model,
        "prompt": s.prompt,
        "detail": s.detail,
        "recheck": "off",
        "max_tokens": s.max_tokens,
        "blur_before_send": bool(getattr(job.privacy, "before_send", False)),
        "plan": {**asdict(job.plan), "notes": list(job.plan.notes)},
        "limits": asdict(job.limits),
        "files": written,
        "counts": {"photos": photos, "requests": photos - failed, "failed": failed},
    }
    # Last, whole and synced: its presence says the batch is complete.
    write_atomic(out / BATCH_FILE, json.dumps(batch, ensure_ascii=False, indent=2), durable=True)
    return batch
