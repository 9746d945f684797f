"""The provider's output lines -> one ImageResult per photo of the manifest, in input order.

    load_batch(folder, lang) -> Batch                    batch.json and the manifest, checked
    index_outputs(batch, paths, say) -> dict             custom_id -> where its line is
    collect(batch, answers, paths, ...) -> Iterator[ImageResult]

Output lines come in any order, from any number of files (a batch's output and error files,
the outputs of several request files, a retry's output), each
``{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}``. A first
pass notes only where each custom_id's line is; the results are then read in the manifest's
order, one line at a time, so memory stays flat for 50,000 answers.

Which line counts: the first that succeeded, else the first that failed; a line answering a
custom_id again, or one this batch never sent (an output of another batch), is reported and
not used. A photo is never lost: a request the provider failed becomes that photo's error
with the provider's words; a photo with no line at all, an error saying so; an answer that
cannot be read, an error too, never "nothing found". Boxes are read exactly as a live run
reads them (``client.read_completion``, ``reading.read_answer``) in the frame the manifest
recorded, and come out in pixels of the original photo.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openai.types.chat import ChatCompletion

from .. import geometry
from ..backends.client import read_completion, server_message
from ..detections import ImageResult
from ..errors import ConfigurationError, SafetyError
from ..i18n import t
from ..inspection import PREVIEW_MAX_SIDE
from ..privacy import blur_result
from ..reading import read_answer
from ..scrub import scrub
from .prepare import BATCH_FILE, FORMAT, MANIFEST, PROVIDER_TITLES

# Warnings of one kind shown in full; the rest are counted (the wrong folder's output would
# otherwise print 50,000 lines).
SHOWN = 5


@dataclass
class Batch:
    folder: Path
    info: dict  # batch.json
    ids: set[str] = field(default_factory=set)  # every custom_id the batch sent


def load_batch(folder: str | Path, lang: str) -> Batch:
    """The batch ``prepare`` wrote into ``folder``; ConfigurationError when it is not one."""
    folder = Path(folder)
    if not (folder / BATCH_FILE).is_file() or not (folder / MANIFEST).is_file():
        raise ConfigurationError(t("batch.not-a-batch", lang, dir=folder))
    try:
        info = json.loads((folder / BATCH_FILE).read_text(encoding="utf-8"))
        if not isinstance(info, dict) or info.get("format") != FORMAT:
            raise ValueError(f"not {FORMAT}")
        batch = Batch(folder, info)
        for entry in manifest(batch):
            if entry.get("part") is not None:
                batch.ids.add(entry["custom_id"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise ConfigurationError(t("batch.damaged", lang, dir=folder, why=why)) from None
    return batch


def manifest(batch: Batch) -> Iterator[dict]:
    with open(batch.folder / MANIFEST, encoding="utf-8") as f:
        for raw in f:
            entry = json.loads(raw)
            if not isinstance(entry, dict) or not isinstance(entry.get("custom_id"), str):
                raise ValueError(f"{MANIFEST}: an entry without its custom_id")
            yield entry


def _succeeded(item: dict) -> bool:
    response = item.get("response")
    return (
        item.get("error") is None
        and isinstance(response, dict)
        and response.get("status_code") == 200
    )


class Warnings:
    """The first few warnings of each kind, then a count of the rest."""

    def __init__(self, say: Callable[[str], None], lang: str):
        self.say, self.lang = say, lang
        self.counts: dict[str, int] = {}

    def __call__(self, key: str, **values) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.counts[key] <= SHOWN:
            self.say(t(key, self.lang, **values))

    def close(self) -> None:
        for n in self.counts.values():
            if n > SHOWN:
                self.say(t("batch.warn.more", self.lang, n=n - SHOWN))


def index_outputs(batch: Batch, paths: list[Path], warn: Warnings) -> dict[str, tuple]:
    """custom_id -> (file number, byte offset, succeeded) of the line that counts."""
    found: dict[str, tuple[int, int, bool]] = {}
    for number, path in enumerate(paths):
        try:
            with open(path, "rb") as f:
                offset = 0
                for lineno, raw in enumerate(f, start=1):
                    at, offset = offset, offset + len(raw)
                    if raw.strip():
                        _note_line(batch, found, warn, (number, at, path, lineno), raw)
        except OSError as exc:
            raise ConfigurationError(
                t("batch.output-unreadable", warn.lang, path=path, why=exc.strerror or exc)
            ) from None
    return found


def _note_line(batch: Batch, found: dict, warn: Warnings, where: tuple, raw: bytes) -> None:
    number, at, path, lineno = where
    try:
        item = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        item = None
    custom_id = item.get("custom_id") if isinstance(item, dict) else None
    if not isinstance(custom_id, str):
        warn("batch.warn.bad-line", path=path, n=lineno)
        return
    if custom_id not in batch.ids:
        warn("batch.warn.unknown-id", path=path, n=lineno, id=custom_id[:80])
        return
    ok = _succeeded(item)
    earlier = found.get(custom_id)
    if earlier is not None:
        warn("batch.warn.duplicate-id", path=path, n=lineno, id=custom_id)
        if earlier[2] or not ok:
            return  # the first answer stands; only a success replaces a failure (a retry)
    found[custom_id] = (number, at, ok)


def failure(item: dict, keys: tuple[str, ...], lang: str) -> str | None:
    """The photo's error when the provider failed its request (its own words, short and
    scrubbed); None when it answered."""
    if _succeeded(item):
        return None
    response = item.get("response")
    response = response if isinstance(response, dict) else {}
    error, status = item.get("error"), response.get("status_code")
    # vLLM writes the error as text or as an error body; OpenAI and DashScope as
    # {"code", "message"}; a failed HTTP call keeps the server's error in response.body.
    if isinstance(error, dict):
        says = server_message(error, "", *keys)
    else:
        says = server_message(None, str(error or ""), *keys)
    if not says:
        says = server_message(response.get("body"), "", *keys) or t("batch.no-reason", lang)
    if isinstance(status, int) and status != 200:
        return t("batch.provider-failed", lang, status=status, says=says)
    return t("batch.provider-failed-plain", lang, says=says)


def _base(entry: dict, model: str | None) -> ImageResult:
    """The result as far as the manifest knows it: the photo, its frame, its notes."""
    frame = entry.get("frame")
    return ImageResult(
        source=entry["source"], index=entry["index"], width=entry.get("width") or 0,
        height=entry.get("height") or 0, model=model, convention=entry.get("convention"),
        frame=tuple(frame) if isinstance(frame, list) and len(frame) == 2 else None,
        upload_bytes=entry.get("upload_bytes"), sha256=entry.get("sha256"),
        file_bytes=entry.get("file_bytes"), quality=entry.get("quality"),
        notes=list(entry.get("notes") or []), error=entry.get("error"),
        error_kind=entry.get("error_kind"),
    )  # fmt: skip


def read_line(result: ImageResult, item: dict, host: str, keys: tuple[str, ...], lang: str):
    """Fill ``result`` from its output line: the provider's error, or the boxes read."""
    said = failure(item, keys, lang)
    if said is not None:
        result.error, result.error_kind = said, "endpoint"
        return
    body = item["response"].get("body")
    try:
        if isinstance(body, str):  # a body kept as JSON text
            body = json.loads(body)
        # The SDK's own type, built as the SDK builds a live answer (no validation), so a
        # body a live run would read is read here alike, and one it would refuse is refused.
        completion = ChatCompletion.construct(**body) if isinstance(body, dict) else body
    except (ValueError, TypeError):
        completion = None
    try:
        answer = read_completion(completion, host)
        # The answer is shown and exported: a model (or a proxy) may echo a key back.
        result.raw_text = scrub(answer.text, *keys)
        result.usage, result.finish_reason = answer.usage, answer.finish_reason
        result.model = answer.model or result.model
        frame = geometry.Frame(result.width, result.height, *result.frame)
        result.detections, result.convention = read_answer(
            result.raw_text, answer.finish_reason, result.convention, frame, result.notes,
            logprobs=answer.token_logprobs, lang=lang,
        )  # fmt: skip
    except SafetyError as exc:
        result.error, result.error_kind, result.detections = exc.text(lang), exc.kind, []
    except Exception as exc:  # a bug must cost one photo, not the batch
        result.error = t("batch.internal", lang, kind=type(exc).__name__)
        result.error_kind, result.detections = "internal", []


def collect(
    batch: Batch,
    answers: Mapping[str, tuple],
    paths: list[Path],
    *,
    lang: str = "en",
    keys: tuple[str, ...] = (),
) -> Iterator[ImageResult]:
    """Every photo of the manifest, in input order, with its answer read or its error."""
    info = batch.info
    # Named in the reader's messages, which are English like the pipeline's own.
    provider = PROVIDER_TITLES.get(info.get("provider"), "?")
    host = f"The {provider} batch"
    files = [open(path, "rb") for path in paths]  # noqa: SIM115 - closed below
    try:
        for entry in manifest(batch):
            result = _base(entry, info.get("model"))
            if result.error is not None:  # never sent: prepare's error stands
                yield result
                continue
            where = answers.get(entry["custom_id"])
            if where is None:
                result.error, result.error_kind = t("batch.no-answer", lang), "endpoint"
            else:
                f = files[where[0]]
                f.seek(where[1])
                read_line(result, json.loads(f.readline()), host, keys, lang)
                if result.ok:  # who answered, since the report's endpoint is only a host
                    result.notes.append(t("batch.answered-by", lang, provider=provider,
                                          batch=info.get("batch_id", "?")))  # fmt: skip
            yield result
    finally:
        for f in files:
            f.close()


class PhotosAt(Mapping):
    """The report's photo copies, read from where ``prepare`` found each photo, so that
    collect may run from any folder. The mapping ``archive.outputs.write_outputs`` takes as
    ``kept``: source -> (photo, preview, marked), each decoded only when the report asks
    for it (a photo moved or changed since is left to the report's own search)."""

    def __init__(self, batch: Batch, lang: str, blur: bool = False):
        self.lang, self.blur = lang, blur
        self._where = {
            e["source"]: (e["path"], e.get("width"), e.get("height"), e.get("sha256"))
            for e in manifest(batch)
            if e.get("path") and e.get("error") is None
        }
        self._people: dict[str, list] = {}  # the person boxes, for blurring their heads

    def add(self, result: ImageResult) -> None:
        if self.blur and result.ok:
            self._people[result.source] = [d for d in result.detections if d.category == "person"]

    def get(self, source, default=None):
        from ..archive.photos import attach_photo  # the report command's: the very same copies

        if source not in self._where:
            return default
        path, width, height, sha256 = self._where[source]
        people = self._people.get(source, [])
        probe = ImageResult(source, width=width or 0, height=height or 0, detections=people)
        if not Path(path).is_file() or attach_photo(probe, Path(path), source, self.lang):
            return default
        if probe.sha256 != sha256:  # not the photo that was sent
            return default
        if self.blur:
            blur_result(probe, self.lang, PREVIEW_MAX_SIDE)
        return probe.photo_jpeg, probe.preview_jpeg, None  # the report draws the marks

    def __getitem__(self, source):
        found = self.get(source)
        if found is None:
            raise KeyError(source)
        return found

    def __iter__(self):
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)
