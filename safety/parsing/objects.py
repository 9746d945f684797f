"""From JSON values to ParsedObjects: finding the object list, unwrapping wrappers,
coercing boxes, numbers and label text, and the notes about what was repaired."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..i18n import WORDS, Phrase, t, t_n
from .scanner import MAX_DEPTH, _has_shape, _Reading
from .schema import (
    BOX_KEYS,
    FORM_JSON,
    LABEL_KEYS,
    LANGUAGE_KEYS,
    PERMITTED_KEYS,
    POINT_KEYS,
    SUB_LABEL_KEYS,
    WRAPPER_KEYS,
    ParsedAnswer,
    ParsedObject,
)


@dataclass
class _Objects:
    """The raw objects of an answer and the text each one falls back to for its label."""

    items: list[tuple[Any, str]]
    explicit_empty: bool = False


def _structure(value: Any) -> _Objects | None:
    """Read a clean JSON value as a list of objects, or None if it is not about objects.

    Accepted: a list of objects, a single object with a box or point, and a wrapper object
    whose values include lists of objects ({"objects": [...]}, {"fires": [...], ...}).
    """
    if isinstance(value, list):
        if not value:
            return _Objects([], explicit_empty=True)
        if any(isinstance(item, dict) for item in value):
            return _Objects([(item, "") for item in value])
        return None
    if not isinstance(value, dict):
        return None
    if _has_shape(value):
        return _Objects([(value, "")])
    return _unwrap(value)


def _unwrap(wrapper: dict) -> _Objects | None:
    items: list[tuple[Any, str]] = []
    explicit_empty = False
    for key, inner in wrapper.items():
        if not isinstance(inner, list) or not all(isinstance(item, dict) for item in inner):
            continue
        name = str(key).strip().lower()
        if not inner and (name in WRAPPER_KEYS or len(wrapper) == 1):
            explicit_empty = True
        # {"fires": [{"bbox_2d": ...}]}: the key names objects that have no label of their own.
        fallback = "" if name in WRAPPER_KEYS else key
        items.extend((item, fallback) for item in inner)
    if items or explicit_empty:
        return _Objects(items, explicit_empty=not items)
    return None


# --------------------------------------------------------------------------- objects


@dataclass
class _Tally:
    objects: list[ParsedObject] = field(default_factory=list)
    points: int = 0
    skipped: int = 0
    swapped: int = 0


def _read_objects(items: list[tuple[Any, str]]) -> _Tally:
    tally = _Tally()
    for item, fallback_label in items:
        fields = _normalised_keys(item) if isinstance(item, dict) else {}
        box = _first(fields, BOX_KEYS)
        if box is None and _first(fields, POINT_KEYS) is not None:
            tally.points += 1
            continue
        coords = _coerce_box(box)
        if coords is None:
            tally.skipped += 1
            continue
        ordered = _in_order(coords)
        tally.swapped += ordered != coords
        label = _text_of(_first(fields, LABEL_KEYS, skip_empty=True)) or fallback_label
        sub_label = _text_of(_first(fields, SUB_LABEL_KEYS, skip_empty=True))
        permitted = _first(fields, PERMITTED_KEYS) in (True, "true", "yes", "是")
        tally.objects.append(ParsedObject(ordered, label, sub_label, permitted))
    return tally


def _normalised_keys(obj: dict) -> dict[str, Any]:
    """The object's fields with keys stripped and lower-cased (the first spelling wins)."""
    fields: dict[str, Any] = {}
    for key, value in obj.items():
        fields.setdefault(str(key).strip().lower(), value)
    return fields


def _first(fields: dict[str, Any], keys: tuple[str, ...], skip_empty: bool = False) -> Any:
    for key in keys:
        value = fields.get(key)
        if value is None or (skip_empty and not _text_of(value)):
            continue
        return value
    return None


def _coerce_box(value: Any) -> tuple[float, float, float, float] | None:
    """Four finite numbers from [x1, y1, x2, y2], ["12", ...] or [[x1, y1], [x2, y2]]."""
    if not isinstance(value, list):
        return None
    if len(value) == 2 and all(isinstance(p, list) and len(p) == 2 for p in value):
        value = [value[0][0], value[0][1], value[1][0], value[1][1]]
    if len(value) != 4:
        return None
    numbers = [_coerce_number(v) for v in value]
    if any(n is None for n in numbers):
        return None
    x1, y1, x2, y2 = numbers
    return (x1, y1, x2, y2)  # type: ignore[return-value]


_NUMBER_TEXT = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*")


def _coerce_number(value: Any) -> float | None:
    if isinstance(value, bool):  # True is an int in Python, but not a coordinate
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and len(value) < 64 and _NUMBER_TEXT.fullmatch(value):
        number = float(value)
    else:
        return None
    return number if math.isfinite(number) else None


def _in_order(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = box
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _text_of(value: Any) -> str:
    """The model's text for a label: strings verbatim, names {"en", "zh"}, simple scalars."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dict):
        fields = _normalised_keys(value)
        for key in LANGUAGE_KEYS:
            if isinstance(fields.get(key), str) and fields[key]:
                return fields[key]
        value = list(value.values())
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, str) and v), "")
    return ""


# --------------------------------------------------------------------------- JSON answer


def _answer_from_reading(
    reading: _Reading, lang: str = "en"
) -> tuple[ParsedAnswer | None, Phrase | None]:
    """A ParsedAnswer from one JSON reading (its notes in ``lang``), or None and the reason
    it is not one."""
    objects = _structure(reading.value) if reading.clean else None
    structured = objects is not None and (objects.items or objects.explicit_empty)
    if not structured:
        # Broken JSON, or clean JSON of another shape: keep the complete box objects.
        objects = _Objects([(obj, "") for obj in reading.salvaged])
    assert objects is not None
    if not objects.items and not objects.explicit_empty:
        if reading.truncated:
            return None, Phrase("answer.why.cut-before-first")
        return None, Phrase("answer.why.no-boxes")

    tally = _read_objects(objects.items)
    if objects.items and not tally.objects and not tally.points:
        return None, _counted("answer.why.no-usable", len(objects.items))

    notes = _reading_notes(reading, tally, structured, lang)
    notes.extend(_tally_notes(tally, lang))
    answer = ParsedAnswer(
        objects=tally.objects,
        form=FORM_JSON,
        notes=notes,
        truncated=reading.truncated,
        points_ignored=tally.points,
        swapped=tally.swapped,
    )
    return answer, None


def _reading_notes(reading: _Reading, tally: _Tally, structured: bool, lang: str) -> list[str]:
    notes: list[str] = []
    kept = len(tally.objects)
    if reading.truncated:
        notes.append(t_n("answer.note.cut", kept, lang))
    if reading.malformed:
        problem = _scanner_words("answer.problem", reading.problem, lang)
        notes.append(t_n("answer.note.salvaged", kept, lang, problem=problem))
    elif reading.clean and not structured:
        notes.append(t("answer.note.shape", lang))
    if reading.too_deep:
        notes.append(t("answer.note.deep", lang, n=MAX_DEPTH))
    if reading.repairs and not reading.malformed:  # small repairs matter less than salvage
        said = [_scanner_words("answer.repair", r, lang) for r in sorted(reading.repairs)]
        notes.append(t("answer.note.repaired", lang, repairs=t("list.separator", lang).join(said)))
    return notes


def _tally_notes(tally: _Tally, lang: str = "en") -> list[str]:
    notes: list[str] = []
    if tally.swapped:
        notes.append(t_n("answer.note.swapped", tally.swapped, lang))
    if tally.points:
        notes.append(t_n("answer.note.points", tally.points, lang))
    if tally.skipped:
        notes.append(t_n("answer.note.skipped", tally.skipped, lang))
    return notes


def _counted(key: str, n: int) -> Phrase:
    """A counted phrase kept unsaid: "<key>.one" or "<key>.other"."""
    return Phrase(f"{key}.{'one' if n == 1 else 'other'}", n=n)


def _scanner_words(prefix: str, words: str, lang: str) -> str:
    """The scanner's name for a problem or a repair ("a bracket left open"), in ``lang``."""
    key = f"{prefix}.{words.replace(' ', '-')}"
    return t(key, lang) if key in WORDS else words
