"""Read the model's raw answer text into boxes, in MODEL coordinates.

This package only reads text. It never converts coordinates and never needs the image size:
``safety.geometry`` does that, later. It reads three forms:

  json          ```json fences (or bare JSON, or JSON inside prose), as Qwen2.5-VL and
                Qwen3-VL answer: [{"bbox_2d": [x1, y1, x2, y2], "label": ...}, ...]
  qwen2-tags    <|object_ref_start|>person<|object_ref_end|><|box_start|>(x1,y1),(x2,y2)<|box_end|>
  qwen-vl-tags  <ref>person</ref><box>(x1,y1),(x2,y2)</box>
                (in both tag forms, short text after a box to the end of its line is read as
                its sub_label)

Models make mistakes in JSON (trailing commas, single quotes, an object opened twice,
an answer cut off at max_tokens), so the JSON reader is a small hand-written tolerant scanner:
one pass, no recursion, no eval. When the JSON is clean we read its structure; when it is
broken we salvage the objects that were complete and well formed, and say so in ``notes``.

Safety rule: an answer we cannot read raises ModelOutputError. It is never turned into an
empty result, because an empty result would be reported as "no hazards found".

Modules
=======
  schema.py   ParsedObject, ParsedAnswer, the FORM_* names and the JSON keys we recognise
  scanner.py  the tolerant JSON scanner: candidates (fences), tokens, one-pass reading
  objects.py  JSON values -> objects: unwrapping, coercing boxes/numbers/text, notes
  tags.py     the Qwen2-VL and Qwen-VL tag forms
  __init__.py parse_answer: tries the readings and picks the most useful one
"""

from __future__ import annotations

from safety.errors import ModelOutputError
from safety.i18n import Phrase

from .objects import _answer_from_reading
from .scanner import MAX_DEPTH, _json_readings
from .schema import (
    BOX_KEYS,
    FORM_JSON,
    FORM_QWEN2_TAGS,
    FORM_QWEN_VL_TAGS,
    LABEL_KEYS,
    LANGUAGE_KEYS,
    POINT_KEYS,
    SUB_LABEL_KEYS,
    WRAPPER_KEYS,
    ParsedAnswer,
    ParsedObject,
)
from .tags import _read_tags

__all__ = [
    "BOX_KEYS",
    "FORM_JSON",
    "FORM_QWEN2_TAGS",
    "FORM_QWEN_VL_TAGS",
    "LABEL_KEYS",
    "LANGUAGE_KEYS",
    "MAX_DEPTH",
    "POINT_KEYS",
    "SUB_LABEL_KEYS",
    "WRAPPER_KEYS",
    "ParsedAnswer",
    "ParsedObject",
    "parse_answer",
]


def parse_answer(text: str, lang: str = "en") -> ParsedAnswer:
    """Read a model answer; raise ModelOutputError if it cannot be read as detections.

    An answer that is readable but holds no boxes (``[]``, ``{"objects": []}``, or only
    point_2d answers) returns a ParsedAnswer with no objects: the caller decides. Its notes
    are in ``lang``; the error says itself in its reader's language (``exc.text(lang)``).
    """
    try:
        return _parse(text, lang)
    except ModelOutputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a safety net: callers rely on one error type
        raise _unreadable(Phrase("answer.why.failed", kind=type(exc).__name__)) from exc


def _unreadable(reason: Phrase) -> ModelOutputError:
    return ModelOutputError(Phrase("answer.error.unreadable", reason=reason))


# --------------------------------------------------------------------------- choosing a reading


def _parse(text: str, lang: str = "en") -> ParsedAnswer:
    """Try the JSON readings, then the tag forms, and pick the most useful one."""
    if not isinstance(text, str):
        raise _unreadable(Phrase("answer.why.not-text"))
    if not text.strip():
        raise _unreadable(Phrase("answer.why.empty"))

    points_only: ParsedAnswer | None = None
    empty: ParsedAnswer | None = None
    reason: Phrase | None = None  # why the first JSON reading failed, for the error message
    for reading in _json_readings(text):
        if empty is not None and not reading.salvaged:
            continue  # can only be another empty or unreadable value: keeps "[][][]..." fast
        answer, why = _answer_from_reading(reading, lang)
        if answer is None:
            reason = reason or why
        elif answer.objects:
            return answer
        elif answer.points_ignored and points_only is None:
            points_only = answer
        elif not answer.points_ignored and empty is None:
            empty = answer

    tags = _read_tags(text, lang)
    if tags is not None:
        if tags.objects:
            return tags
        reason = Phrase("answer.why.tags-no-box")
    if points_only is not None:
        return points_only
    if empty is not None:
        return empty
    raise _unreadable(reason or Phrase("answer.why.nothing"))
