"""Answers remembered on disk, so that re-scoring costs no model calls and a stopped
evaluation picks up where it stopped.

One folder per run identity under ``<cache dir>/evaluate/``: the endpoint's base URL, the
model, the prompt and system prompt, and how photos are sent (max_pixels, coordinate setting,
grid, max_tokens, temperature). Changing any of these asks the model again; changing the IoU
threshold, ``--map`` or the data set's labels does not. Inside, one JSON file per photo,
named by the SHA-256 of the photo file's bytes (so a renamed or copied photo is still found),
written whole and then renamed into place as soon as its answer arrives.

Kept: answers that were read, and answers that could not be read (a model that writes
nonsense for a photo will write it again: counted as unreadable, not asked again). Not kept:
failures of the endpoint, the network or the photo, which a later run should try again.
The API key is never part of the identity or of anything written.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..config import Settings
from ..detections import Detection, ImageResult
from ..files import write_atomic

VERSION = 1
KEPT_ERRORS = ("model output",)  # error kinds that are the model's answer, not an accident


def identity(settings: Settings) -> dict:
    """What decides the answer, in plain words (stored beside the answers, for people)."""
    prompt = hashlib.sha256(f"{settings.system_prompt}\n\n{settings.prompt}".encode()).hexdigest()
    return {
        "version": VERSION,
        # Several endpoints (safety.backends.pool) answer together: all of them decide the answers.
        "base_url": settings.base_url if len(settings.base_urls) == 1 else list(settings.base_urls),
        "model": settings.model,
        "prompt_sha256": prompt,
        "max_pixels": settings.max_pixels,
        "coords": settings.coords,
        "grid": settings.grid,
        "max_tokens": settings.max_tokens,
        "temperature": settings.temperature,
        # Extra passes change the answers; absent (as before they existed) for one pass.
        **({"detail": settings.detail} if settings.detail != "standard" else {}),
        **({"recheck": settings.recheck} if settings.recheck != "off" else {}),
    }


def _to_record(r: ImageResult) -> dict:
    record = r.to_dict()
    record["detections"] = [
        {"category": d.category, "status": d.status, "label": d.label}
        | {"sub_label": d.sub_label, "box": list(d.box)}
        for d in r.detections
    ]
    return record


def _from_record(record: dict, source: str, index: int) -> ImageResult:
    frame = record.get("frame")
    return ImageResult(
        source=source,
        index=index,
        width=int(record["width"]),
        height=int(record["height"]),
        detections=[
            Detection(d["category"], d["status"], d["label"], d["sub_label"], tuple(d["box"]))
            for d in record["detections"]
        ],
        error=record.get("error"),
        error_kind=record.get("error_kind"),
        notes=list(record.get("notes") or []),
        raw_text=record.get("raw_text"),
        finish_reason=record.get("finish_reason"),
        usage=record.get("usage"),
        latency_s=record.get("latency_s"),
        model=record.get("model"),
        convention=record.get("convention"),
        frame=tuple(frame) if frame else None,
        upload_bytes=record.get("upload_bytes"),
        sha256=record.get("sha256"),
        file_bytes=record.get("file_bytes"),
    )


class AnswerCache:
    """The remembered answers of one run identity (see the module docstring)."""

    def __init__(self, cache_dir: Path, settings: Settings):
        ident = identity(settings)
        digest = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()
        self.folder = Path(cache_dir) / "evaluate" / digest[:24]
        self._ident = ident

    def _path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.json"

    def get(self, sha256: str, source: str, index: int) -> ImageResult | None:
        """The remembered result for this photo, or None (also for a damaged file)."""
        try:
            record = json.loads(self._path(sha256).read_text(encoding="utf-8"))
            result = _from_record(record, source, index)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        if result.error and result.error_kind not in KEPT_ERRORS:
            return None
        return result

    def put(self, sha256: str, result: ImageResult) -> bool:
        """Remember ``result`` (when it is worth keeping); False when it is not kept."""
        if result.error and result.error_kind not in KEPT_ERRORS:
            return False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            about = self.folder / "run.json"
            if not about.exists():
                about.write_text(json.dumps(self._ident, indent=1), encoding="utf-8")
            record = json.dumps(_to_record(result), ensure_ascii=False)
            write_atomic(self._path(sha256), record, private=True)
            return True
        except OSError:
            return False  # an unwritable cache costs model calls next time, nothing else
