"""The results document (the JSON a run writes), written and read back in one place.

Writing (every writer of the document comes here: the command line, the archive's streamed
JSON, the page's downloads and a run's review record):

    document_head(summary, **meta) -> dict         every field but the photos
    write_document(out, head, results)             streamed, one photo at a time
    results_document(results, **meta) -> dict      the whole document, for the page's API
    to_json(results, **meta) -> str                the whole document as text

Reading: the document written here, reviewed in the browser, edited by hand or written by
another tool.

    read_results(doc, limits) -> Results      the photos' results and the review, or ResultsError
    load_results(path, limits, name) -> Results    the same from a file (JSON or JSONL)

Every problem is collected, one line each naming the photo and the field, so a person can
fix a hand-edited file in one go; nothing is half-read. The file may come from anyone:
every field is checked for its type, and ``ReadLimits`` bound its size, depth, photos and
findings before any work is done on them.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from .detections import (
    CATEGORIES,
    REVIEW_STATES,
    STATUSES,
    Detection,
    ImageResult,
)
from .errors import InputError
from .i18n import Phrase
from .results_checks import (
    ReadLimits,
    clauses_and_action,
    confidence,
    depth_within,
    field_problems,
    is_number,
    quality,
)
from .review import Review
from .summary import Summary, summarize, verdict_text
from .video.result import KIND as VIDEO
from .video.result import read_video
from .withhold import hidden_values, withheld_record

# --------------------------------------------------------------------------- writing

# Fixed English notes in the document itself (it is data for tools, not a page).
WITHHELD_NOTE = "On a public page the endpoint, the model and raw answers are not shown."
DEMO_NOTE = (
    "Demo mode: these are stored reference labels (dataset labels or hand-drawn), not "
    "the answers of a live model."
)


def document_head(
    summary: Summary,
    *,
    endpoint: str | None = None,
    model: str | None = None,
    review: Review | None = None,
    withhold: bool = False,
    demo: bool | None = None,
    verdict_lang: str | None = None,
    **extra: Any,
) -> dict:
    """Every field of the document but ``images``.

    ``endpoint`` is scheme://host:port only, never a key. ``withhold``: an anonymous visitor
    of a public page, so no endpoint or model. ``demo`` (the page's runs): the mode and
    whether the findings are stored reference labels. ``verdict_lang``: the verdict in those
    words. ``extra`` fields (a run's record, its token, cost) are added when not None.
    """
    head: dict[str, Any] = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "endpoint": None if withhold else endpoint,
        "model": None if withhold else model,
        "summary": summary.to_dict(),
    }
    if review is not None:
        head["review"] = review.to_dict()
    if withhold:
        head["withheld"] = WITHHELD_NOTE
    if demo is not None:
        head["mode"] = "demo" if demo else "live"
        head["reference_labels"] = demo
    if verdict_lang:
        head["verdict"] = verdict_text(summary, verdict_lang)
    if demo:
        head["note"] = DEMO_NOTE
    head.update((key, value) for key, value in extra.items() if value is not None)
    return head


def _records(results: Iterable[ImageResult], meta: dict) -> tuple[list[ImageResult], Any]:
    """The photos in input order, and how each becomes its record: whole, or for an
    anonymous visitor without the owner's endpoint, model and raw answers (safety.withhold)."""
    ordered = sorted(results, key=lambda r: r.index)
    if not meta.get("withhold"):
        return ordered, ImageResult.to_dict
    hidden = hidden_values(ordered, meta.get("endpoint"), meta.get("model"))
    return ordered, lambda r: withheld_record(r, hidden)


def results_document(results: Sequence[ImageResult], **meta: Any) -> dict:
    """The whole document (``meta`` as ``document_head`` takes it), photos in input order."""
    ordered, record = _records(results, meta)
    return {**document_head(summarize(ordered), **meta), "images": [record(r) for r in ordered]}


def write_document(
    out: TextIO, head: dict, results: Iterable[ImageResult], record=ImageResult.to_dict
) -> None:
    """The document, photo by photo as ``results`` come (a results JSONL streams through
    here, so an archive of 100,000 photos takes as little memory as ten), laid out as
    ``json.dumps(document, ensure_ascii=False, indent=2)`` lays it out. ``record``: how a
    photo becomes its entry."""
    text = json.dumps(head, ensure_ascii=False, indent=2)
    out.write(text[: -len("\n}")] + ',\n  "images": [')
    written = 0
    for r in results:
        item = json.dumps(record(r), ensure_ascii=False, indent=2)
        out.write(("," if written else "") + "\n" + textwrap.indent(item, "    "))
        written += 1
    out.write("\n  ]\n}\n" if written else "]\n}\n")


def to_json(results: Sequence[ImageResult], **meta: Any) -> str:
    """The whole document as text (``meta`` as ``document_head`` takes it)."""
    ordered, record = _records(results, meta)
    out = io.StringIO()
    write_document(out, document_head(summarize(ordered), **meta), ordered, record)
    return out.getvalue()


# --------------------------------------------------------------------------- reading

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


class ResultsError(InputError):
    """A results JSON that cannot be used; ``problems`` has one line per problem (a Phrase
    where the catalogue has its words)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))

    def text(self, lang: str | None) -> str:
        return "\n".join(p.say(lang) if isinstance(p, Phrase) else p for p in self.problems)


@dataclass
class Results:
    images: list[ImageResult]
    review: Review | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # endpoint, model, mode, ...


def _status(item: dict) -> str:
    category = item.get("category")
    if category == "person":
        return item.get("helmet") or "unknown"
    if category in ("fire", "smoke"):
        return item.get("severity") or "unknown"
    return ""


def _detection(item: Any, where: str, size: tuple[int, int], problems: list[str]):
    if not isinstance(item, dict):
        problems.append(f"{where}: not an object")
        return None
    category, status = item.get("category"), _status(item)
    review = item.get("review") or "unreviewed"
    before = len(problems)
    if category not in CATEGORIES:
        problems.append(f"{where}: category {category!r} is not one of {', '.join(CATEGORIES)}")
    elif status not in STATUSES[category]:
        problems.append(f"{where}: status {status!r} does not fit category {category!r}")
    if review not in REVIEW_STATES:
        problems.append(f"{where}: review {review!r} is not one of {', '.join(REVIEW_STATES)}")
    box = item.get("box")
    width, height = size
    if not (isinstance(box, list) and len(box) == 4 and all(is_number(v) for v in box)):
        problems.append(f"{where}: box must be [x1, y1, x2, y2] in pixels")
    elif not (0 <= box[0] < box[2] <= width and 0 <= box[1] < box[3] <= height):
        problems.append(f"{where}: box {box} is not inside the {width}x{height} photo")
    said = item.get("model_said")
    model_said = None
    if said is not None:
        if not isinstance(said, dict) or said.get("category") not in CATEGORIES:
            problems.append(f"{where}: model_said needs a known category")
        else:
            model_said = (said["category"], _status(said))
            if model_said[1] not in STATUSES[model_said[0]]:
                problems.append(f"{where}: model_said's status does not fit its category")
    note = item.get("review_note") or ""
    for name in ("label", "sub_label", "review_note"):
        if item.get(name) is not None and not isinstance(item.get(name), str):
            problems.append(f"{where}: {name} must be text")
    clauses, action = clauses_and_action(item, where, problems)
    if len(problems) > before:
        return None
    return Detection(category, status, str(item.get("label") or ""),
                     str(item.get("sub_label") or ""), tuple(float(v) for v in box),
                     review=review, model_said=model_said, review_note=str(note),
                     clauses=clauses, action=action,
                     confidence=confidence(item.get("confidence")),
                     permitted=item.get("permitted") is True)  # fmt: skip


def read_image(
    item: Any, position: int, problems: list[str], limits: ReadLimits = ReadLimits()
) -> ImageResult | None:
    """One entry of ``images`` (or one line of a results JSONL); None, with its problems
    added to ``problems``, when it cannot be used."""
    name = item.get("source") if isinstance(item, dict) else None
    name = name if isinstance(name, str) else None
    said = (Phrase("results.where", n=position + 1, source=name) if name
            else Phrase("results.where-n", n=position + 1))  # fmt: skip
    where = str(said)
    if not isinstance(item, dict):
        problems.append(f"{where}: not an object")
        return None
    if not depth_within(item, limits.max_depth - 2):  # the document and its list hold it
        problems.append(Phrase("results.too-deep", name=said, limit=limits.max_depth))
        return None
    found = item.get("detections")
    if isinstance(found, list) and len(found) > limits.max_findings:
        problems.append(Phrase("results.too-many-findings", where=said, n=len(found),
                               limit=limits.max_findings))  # fmt: skip
        return None
    typed = field_problems(item, said)
    if typed:
        problems.extend(typed)
        return None
    width, height = item.get("width"), item.get("height")
    error = item.get("error")
    if error is not None and not isinstance(error, str):
        problems.append(f"{where}: error must be text or null")
        return None
    whole = isinstance(width, int) and isinstance(height, int)
    whole = whole and not isinstance(width, bool) and not isinstance(height, bool)
    # A photo that failed may never have been decoded: its size is then 0 x 0.
    if not (whole and (width > 0 and height > 0 or error and width == height == 0)):
        problems.append(f"{where}: width and height must be positive whole numbers")
        return None
    if not isinstance(item.get("detections", []), list):
        problems.append(f"{where}: detections must be a list")
        return None
    sha = item.get("sha256")
    if sha is not None and not (isinstance(sha, str) and _HEX64.fullmatch(sha)):
        problems.append(f"{where}: sha256 must be 64 hexadecimal digits")
    if error and item.get("detections"):
        problems.append(f"{where}: detections: a photo that failed has no findings")
        return None
    found = [
        _detection(d, f"{where}, finding {n}", (width, height), problems)
        for n, d in enumerate(item.get("detections") or [], start=1)
    ]
    frame = item.get("frame")
    result = ImageResult(
        source=str(name or f"photo {position + 1}"),
        index=position,
        width=width,
        height=height,
        detections=[d for d in found if d is not None],
        error=error,
        error_kind=item.get("error_kind"),
        notes=[str(n) for n in item.get("notes") or []],
        raw_text=item.get("raw_text"),
        finish_reason=item.get("finish_reason"),
        usage=item.get("usage"),
        latency_s=item.get("latency_s"),
        model=item.get("model"),
        provenance=item.get("reference_labels"),
        convention=item.get("convention"),
        frame=tuple(frame) if isinstance(frame, list) and len(frame) == 2 else None,
        upload_bytes=item.get("upload_bytes"),
        sha256=sha.lower() if isinstance(sha, str) else None,
        file_bytes=item.get("file_bytes"),
        quality=quality(item.get("quality")),
        passes=[x for x in item.get("passes") or [] if isinstance(x, dict)],
        endpoint=item.get("endpoint") if isinstance(item.get("endpoint"), str) else None,
    )
    if item.get("kind") == VIDEO:  # a video: its frames and events (safety.video.result)
        return read_video(item, result, where, problems)
    return result


def read_results(doc: Any, limits: ReadLimits = ReadLimits(), name: str = "") -> Results:
    """The results of a document; raise ResultsError listing every problem. ``name``: the
    file as the problems call it."""
    problems: list[str] = []
    name = name or "results"
    if not isinstance(doc, dict) or not isinstance(doc.get("images"), list):
        raise ResultsError([Phrase("results.not-results", name=name)])
    if limits.max_images is not None and len(doc["images"]) > limits.max_images:
        raise ResultsError([Phrase("results.too-many-photos", name=name, n=len(doc["images"]),
                                   limit=limits.max_images)])  # fmt: skip
    if not depth_within(doc, limits.max_depth):
        raise ResultsError([Phrase("results.too-deep", name=name, limit=limits.max_depth)])
    images = [read_image(item, index, problems, limits) for index, item in enumerate(doc["images"])]
    images = [r for r in images if r is not None]
    review = None
    if doc.get("review") is not None:
        r = doc["review"]
        if isinstance(r, dict) and isinstance(r.get("by"), str) and isinstance(r.get("at"), str):
            review = Review(r["by"], r["at"])
        else:
            problems.append('review: must be {"by": NAME, "at": ISO-8601 time}')
    if problems:
        raise ResultsError(problems)
    meta = {k: doc.get(k) for k in ("endpoint", "model", "mode", "reference_labels")}
    return Results(images, review, meta)


def load_results(
    path: str | Path, limits: ReadLimits = ReadLimits(), name: str | None = None
) -> Results:
    """A results JSON, or a results JSONL (``inspect --results``: one photo per line).
    ``name``: the file as problems call it (the page gives the uploaded file's own name,
    never where the server keeps it); by default its path."""
    path = Path(path)
    name = name or str(path)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return load_jsonl(path)
    try:
        size = path.stat().st_size
        if limits.max_bytes is not None and size > limits.max_bytes:
            raise ResultsError([Phrase("results.too-big", name=name, mb=size / 1e6,
                                       limit=limits.max_bytes // (1024 * 1024))])  # fmt: skip
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except OSError:
        raise ResultsError([Phrase("results.unreadable", name=name)]) from None
    except UnicodeDecodeError:
        raise ResultsError([Phrase("results.not-json", name=name, line=1, column=1)]) from None
    except json.JSONDecodeError as exc:
        raise ResultsError([Phrase("results.not-json", name=name, line=exc.lineno,
                                   column=exc.colno)]) from None  # fmt: skip
    except RecursionError:  # nested thousands deep: the parser gave up before we could look
        raise ResultsError([Phrase("results.too-deep", name=name,
                                   limit=limits.max_depth)]) from None  # fmt: skip
    return read_results(doc, limits, name)


def load_jsonl(path: str | Path) -> Results:
    """A results JSONL: each photo's last line (a line cut short by a killed run is left
    out), in input order. The endpoint and model are the lines' own."""
    from .archive.journal import read_entries  # the journal owns the file's format

    problems: list[str] = []
    images: list[ImageResult] = []
    try:
        for position, item in enumerate(read_entries(path)):
            result = read_image(item, position, problems)
            if result is not None:
                images.append(result)
    except OSError as exc:
        raise ResultsError([f"{path}: cannot be read ({exc.strerror})"]) from None
    if problems:
        raise ResultsError(problems)
    if not images:
        raise ResultsError([f"{path}: no results in it (one JSON object per line)"])
    models = {r.model for r in images if r.model}
    return Results(images, None, {"model": ", ".join(sorted(models)) or None})
