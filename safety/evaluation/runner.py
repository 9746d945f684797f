"""Asking one endpoint about every photo of a data set, through the cache.

A run is a name and the Settings of one endpoint (base URL, model, prompt, frame size...).
Photos whose answer is in the cache are not sent; the others go through the ordinary
pipeline (``Inspector.inspect_many``, concurrent), and each answer is written to the cache as
soon as it arrives, so a run that is stopped (Ctrl+C, a crash, a lost connection) loses at
most the answers in flight. Several runs on the same photos are compared side by side.

Comparisons on the command line: ``--compare NAME:key=value,key=value`` (repeatable); each
is the main endpoint's settings with those keys changed. Keys: base_url, model, preset,
coords, max_pixels, max_tokens, prompt_file. A run that changes base_url or preset does not
take the main run's ``--api-key`` (a key goes only to the endpoint it was given for): it uses
QWEN_VL_API_KEY or its preset's variable (DASHSCOPE_API_KEY), as ``inspect`` would; one that
changes preset without base_url uses the preset's address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..backends.model import Model
from ..config import Settings
from ..detections import ImageResult
from ..inspection import Inspector
from ..net import FetchPolicy
from ..source import Source
from .cache import AnswerCache
from .truth import EvalError, Truth

COMPARE_KEYS = (
    "base_url",
    "model",
    "preset",
    "coords",
    "max_pixels",
    "max_tokens",
    "prompt_file",
    "detail",
    "recheck",
)
NUMERIC_KEYS = ("max_pixels", "max_tokens")
ENDPOINT_KEYS = ("base_url", "preset")  # changing these drops the main run's --api-key
MAX_NAME = 40


@dataclass(frozen=True)
class RunSpec:
    name: str
    settings: Settings


@dataclass
class RunOutcome:
    """One run's results, in the data set's order, and which came from the cache."""

    spec: RunSpec
    results: list[ImageResult]
    cached: list[bool] = field(default_factory=list)


def parse_compare(text: str) -> tuple[str, dict[str, object]]:
    """ "NAME:key=value,key=value" -> (name, {key: value}); EvalError when malformed."""
    name, sep, rest = text.partition(":")
    name = name.strip()
    if not sep or not name or len(name) > MAX_NAME or not rest.strip():
        raise EvalError("eval.error.compare-form", item=text)
    changes: dict[str, object] = {}
    for part in rest.split(","):
        key, eq, value = (s.strip() for s in part.partition("="))
        key = key.replace("-", "_")
        if not eq or not value or key not in COMPARE_KEYS:
            raise EvalError("eval.error.compare-key", item=text, keys=", ".join(COMPARE_KEYS))
        if key in NUMERIC_KEYS:
            try:
                changes[key] = int(value.replace("_", ""))
            except ValueError:
                raise EvalError("eval.error.compare-number", item=text, key=key) from None
        else:
            changes[key] = value
    if any(key in changes for key in ENDPOINT_KEYS):
        changes.setdefault("api_key", None)
    if "preset" in changes:
        changes.setdefault("base_url", None)  # the preset's own address, not the main run's
    return name, changes


def photo_sha256(truth: Truth) -> str | None:
    """SHA-256 of the photo file (the cache's name for it); None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(truth.path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


OnResult = Callable[[int, ImageResult, bool], None]


def run(
    spec: RunSpec,
    photos: Sequence[Truth],
    *,
    cache: AnswerCache | None,
    fresh: bool = False,
    model: Model | None = None,
    fetch_policy: FetchPolicy | None = None,
    on_result: OnResult | None = None,
) -> RunOutcome:
    """Answers for every photo: from the cache when there, else from the endpoint.

    ``model`` answers instead of the endpoint ``spec.settings`` describes (tests);
    ``fresh`` asks again even when an answer is remembered (and remembers the new one);
    ``on_result(index, result, from_cache)`` is called as each photo is done.
    """
    n = len(photos)
    results: list[ImageResult | None] = [None] * n
    cached = [False] * n
    hashes = [photo_sha256(truth) for truth in photos]
    todo = []
    for i, truth in enumerate(photos):
        hit = None
        if cache is not None and hashes[i] and not fresh:
            hit = cache.get(hashes[i], truth.name, i)
        if hit is None:
            todo.append(i)
            continue
        results[i], cached[i] = hit, True
        if on_result:
            on_result(i, hit, True)
    if todo:
        inspector = Inspector(
            spec.settings, fetch_policy=fetch_policy, model=model, keep_images=False
        )
        sources = [Source(photos[i].name, path=str(photos[i].path)) for i in todo]
        try:
            for result in inspector.inspect_many(sources):
                i = todo[result.index]
                result.index = i
                results[i] = result
                if cache is not None and hashes[i]:
                    cache.put(hashes[i], result)
                if on_result:
                    on_result(i, result, False)
        finally:
            inspector.close()
    done = [r for r in results if r is not None]
    assert len(done) == n, "every photo gets a result, failed or not"
    return RunOutcome(spec, done, cached)
