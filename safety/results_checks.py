"""Checks on a results file read back before anything is done with it (safety.results_io
reads it): the file may come from anyone, so its size, depth, photos and findings are
bounded, and every field kept as read is checked for its type (a wrong one would otherwise
fail later, when the photo is saved, drawn or written out)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from .detections import ACTION_STATES, Action
from .i18n import Phrase
from .limits import MAX_FINDINGS_PER_PHOTO, MAX_RESULTS_DEPTH


@dataclass(frozen=True)
class ReadLimits:
    """How much of a results file is read: its size in bytes (None: any), photos (None:
    any), findings per photo and nesting depth. The page's reopen passes its own."""

    max_bytes: int | None = None
    max_images: int | None = None
    max_findings: int = MAX_FINDINGS_PER_PHOTO
    max_depth: int = MAX_RESULTS_DEPTH


def depth_within(doc: Any, limit: int) -> bool:
    """Whether lists and objects in ``doc`` go no more than ``limit`` deep (no recursion)."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return False
            items = value.values() if isinstance(value, dict) else value
            stack.extend((v, depth + 1) for v in items if isinstance(v, dict | list))
    return True


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _counts(value: Any) -> bool:
    return isinstance(value, dict) and all(_whole(v) or v is None for v in value.values())


# Fields of a photo kept as they are read: each checked for its type (a wrong one would fail
# later, when the photo is saved, drawn or written out).
_FIELDS: dict[str, tuple[Any, str]] = {
    "latency_s": (is_number, "results.kind.number"),
    "upload_bytes": (_whole, "results.kind.whole"),
    "file_bytes": (_whole, "results.kind.whole"),
    "finish_reason": (lambda v: isinstance(v, str), "results.kind.text"),
    "model": (lambda v: isinstance(v, str), "results.kind.text"),
    "convention": (lambda v: isinstance(v, str), "results.kind.text"),
    "error_kind": (lambda v: isinstance(v, str), "results.kind.text"),
    "reference_labels": (lambda v: isinstance(v, str), "results.kind.text"),
    "raw_text": (lambda v: isinstance(v, str), "results.kind.text"),
    "endpoint": (lambda v: isinstance(v, str), "results.kind.text"),
    "usage": (_counts, "results.kind.counts"),
    "notes": (lambda v: isinstance(v, list) and all(isinstance(n, str) for n in v),
              "results.kind.texts"),
    "passes": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
               "results.kind.objects"),
}  # fmt: skip


def field_problems(item: dict, where: Phrase) -> list[str]:
    return [
        Phrase("results.field-type", where=where, field=name, kind=Phrase(kind))
        for name, (fits, kind) in _FIELDS.items()
        if item.get(name) is not None and not fits(item[name])
    ]


def confidence(value: Any) -> float | None:
    """A finding's token-probability confidence, kept when it is a number in [0, 1]."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    return None


def quality(value: Any) -> dict | None:
    """The photo-quality record, kept when it is one (its issues a list of words)."""
    if not isinstance(value, dict) or not isinstance(value.get("issues", []), list):
        return None
    return {**value, "issues": [str(i) for i in value.get("issues", [])]}


def clauses_and_action(item: dict, where: str, problems: list[str]):
    """A finding's clause references and corrective action, checked."""
    clauses = item.get("clauses") or []
    if not (isinstance(clauses, list) and all(isinstance(c, str) for c in clauses)):
        problems.append(f"{where}: clauses must be a list of texts")
        clauses = []
    raw = item.get("action")
    if raw is None:
        return tuple(clauses), None
    fields = ("text", "owner", "due", "status")
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k, ""), str) for k in fields):
        problems.append(f"{where}: action must have text, owner, due and status as texts")
        return tuple(clauses), None
    status, due = raw.get("status") or "open", raw.get("due") or ""
    if status not in ACTION_STATES:
        problems.append(f"{where}: action status {status!r} is not one of open, closed")
        return tuple(clauses), None
    if due:
        try:
            date.fromisoformat(due)
        except ValueError:
            problems.append(f"{where}: action due {due!r} is not a date (YYYY-MM-DD)")
            return tuple(clauses), None
    action = Action(str(raw.get("text") or ""), str(raw.get("owner") or ""), due, status)
    return tuple(clauses), action
