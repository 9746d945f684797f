"""Read the model's raw answer text into boxes, in MODEL coordinates.

This module only reads text. It never converts coordinates and never needs the image size:
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
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from safety.errors import ModelOutputError

__all__ = ["ParsedAnswer", "ParsedObject", "parse_answer"]

# Keys are compared after strip() and lower(). The first key present wins.
BOX_KEYS = ("bbox_2d", "bbox", "box", "bbox_xyxy")
POINT_KEYS = ("point_2d", "point")
LABEL_KEYS = (
    "label",
    "name",
    "category",
    "class",
    "class_name",
    "text_content",
    "name_en",
    "label_en",
    "name_zh",
    "label_zh",
    "names",
)
SUB_LABEL_KEYS = (
    "sub_label",
    "sublabel",
    "status",
    "severity",
    "helmet",
    "hardhat",
    "hard_hat",
    "helmet_status",
    "attribute",
    "attributes",
)
# Inside a "names" object ({"zh": ..., "en": ...}) the first of these present wins.
LANGUAGE_KEYS = ("en", "zh")
# Wrapper keys whose EMPTY list is a clear "no objects" answer ({"objects": []}). A non-empty
# list of objects is accepted under any key.
WRAPPER_KEYS = (
    "objects",
    "detections",
    "results",
    "result",
    "boxes",
    "bboxes",
    "items",
    "annotations",
    "predictions",
    "data",
)

_SHAPE_KEYS = frozenset(BOX_KEYS + POINT_KEYS)

# Real answers nest 4 levels at most; deeper brackets are skipped (and noted), which keeps
# memory bounded on hostile input such as a million "[".
MAX_DEPTH = 64

FORM_JSON = "json"
FORM_QWEN2_TAGS = "qwen2-tags"
FORM_QWEN_VL_TAGS = "qwen-vl-tags"

_ADVICE = (
    "Check that the endpoint serves a Qwen vision-language model and that the prompt asks "
    "for boxes in JSON (bbox_2d); the raw answer is kept for inspection."
)


@dataclass(frozen=True)
class ParsedObject:
    """One box as the model wrote it (model coordinates, corners put in order)."""

    coords: tuple[float, float, float, float]
    label: str
    sub_label: str


@dataclass
class ParsedAnswer:
    """Everything read from one answer, with honest notes about what was repaired."""

    objects: list[ParsedObject]
    form: str
    notes: list[str] = field(default_factory=list)
    truncated: bool = False
    points_ignored: int = 0
    swapped: int = 0


def parse_answer(text: str) -> ParsedAnswer:
    """Read a model answer; raise ModelOutputError if it cannot be read as detections.

    An answer that is readable but holds no boxes (``[]``, ``{"objects": []}``, or only
    point_2d answers) returns a ParsedAnswer with no objects: the caller decides.
    """
    try:
        return _parse(text)
    except ModelOutputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a safety net: callers rely on one error type
        raise _unreadable(f"the reader failed unexpectedly ({type(exc).__name__})") from exc


def _unreadable(reason: str) -> ModelOutputError:
    message = f"The model's answer could not be read as detections: {reason}. {_ADVICE}"
    return ModelOutputError(message)


# --------------------------------------------------------------------------- choosing a reading


def _parse(text: str) -> ParsedAnswer:
    """Try the JSON readings, then the tag forms, and pick the most useful one."""
    if not isinstance(text, str):
        raise _unreadable("the answer is not text")
    if not text.strip():
        raise _unreadable("the answer is empty")

    points_only: ParsedAnswer | None = None
    empty: ParsedAnswer | None = None
    reason: str | None = None  # why the first JSON reading failed, for the error message
    for reading in _json_readings(text):
        if empty is not None and not reading.salvaged:
            continue  # can only be another empty or unreadable value: keeps "[][][]..." fast
        answer, why = _answer_from_reading(reading)
        if answer is None:
            reason = reason or why
        elif answer.objects:
            return answer
        elif answer.points_ignored and points_only is None:
            points_only = answer
        elif not answer.points_ignored and empty is None:
            empty = answer

    tags = _read_tags(text)
    if tags is not None:
        if tags.objects:
            return tags
        reason = "its box tags hold no usable box"
    if points_only is not None:
        return points_only
    if empty is not None:
        return empty
    raise _unreadable(reason or "it holds neither JSON nor box tags")


# --------------------------------------------------------------------------- JSON candidates

# ```json ... ``` (language optional). A fence left open by a cut-off answer runs to the end.
_FENCE = re.compile(r"```([A-Za-z0-9_+.-]*)(.*?)(?:```|\Z)", re.DOTALL)
_VALUE_START = re.compile(r"[\[{]")


def _candidates(text: str) -> Iterator[str]:
    """The fenced blocks in order, then the text outside them (each character read once)."""
    outside: list[str] = []
    last = 0
    found = False
    for match in _FENCE.finditer(text):
        found = True
        outside.append(text[last : match.start()])
        last = match.end()
        yield match.group(2)
    if not found:
        yield text
        return
    outside.append(text[last:])
    rest = "\n".join(outside)
    if rest.strip():
        yield rest


def _json_readings(text: str) -> Iterator[_Reading]:
    """Every top-level JSON-like value found in every candidate, in order."""
    for candidate in _candidates(text):
        pos = 0
        while True:
            start = _VALUE_START.search(candidate, pos)
            if start is None:
                break
            scanner = _Scanner(candidate, start.start())
            pos = scanner.run()
            yield scanner.reading()


# --------------------------------------------------------------------------- tolerant scanner

# One token, after optional whitespace. Strings may be single-quoted (Python style); an
# unterminated string runs to the end of the text (a cut-off answer). The string patterns are
# "unrolled loops" whose closing quote is optional, so they never backtrack: linear even on a
# megabyte without a closing quote. (No possessive quantifiers: the project supports 3.10.)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<open>[\[{])
      | (?P<close>[\]}])
      | (?P<colon>:)
      | (?P<comma>,)
      | (?P<dq>"[^"\\]*(?:\\.[^"\\]*)*(?P<dq_end>")?)
      | (?P<sq>'[^'\\]*(?:\\.[^'\\]*)*(?P<sq_end>')?)
      | (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<junk>\S)
    )""",
    re.VERBOSE | re.DOTALL,
)

# Bare words that are values in JSON or in Python literals.
_LITERALS: dict[str, Any] = {
    "true": True,
    "True": True,
    "false": False,
    "False": False,
    "null": None,
    "None": None,
    "NaN": math.nan,
    "nan": math.nan,
    "Infinity": math.inf,
    "inf": math.inf,
}

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "0": "\0"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)


class _Frame:
    """An open bracket: the container being filled and what the scanner expects next."""

    __slots__ = ("is_dict", "container", "key", "expect", "after_comma", "start", "attach")

    def __init__(self, is_dict: bool, start: int, attach: bool):
        self.is_dict = is_dict
        self.container: Any = {} if is_dict else []
        self.key: str | None = None
        # dict: key -> colon -> value -> comma -> key ...; list: value -> comma -> value ...
        self.expect = "key" if is_dict else "value"
        self.after_comma = False
        self.start = start
        # False for an orphan (a "{" where a key was expected): its value goes nowhere, but
        # a box object inside it can still be salvaged.
        self.attach = attach


@dataclass
class _Reading:
    """What one top-level JSON-like value gave."""

    value: Any
    salvaged: list[dict]
    truncated: bool
    malformed: bool
    problem: str
    too_deep: bool
    repairs: set[str]

    @property
    def clean(self) -> bool:
        return not (self.truncated or self.malformed or self.too_deep)


class _Scanner:
    """Reads ONE value starting at an opening bracket, tolerating model mistakes.

    One pass over the tokens with an explicit stack (no recursion). Every complete object
    that carries a box or point key is recorded in ``salvaged`` as soon as its "}" is read, so
    a broken or cut-off answer still yields its well-formed objects.
    """

    def __init__(self, text: str, pos: int):
        self.text = text
        self.pos = pos
        self.stack: list[_Frame] = []
        self.open_counts = {True: 0, False: 0}  # open dicts / open lists on the stack
        self.skip_depth = 0  # > 0 while skipping brackets nested deeper than MAX_DEPTH
        self.done = False
        self.value: Any = None
        self.salvaged: list[tuple[int, int, dict]] = []
        self.truncated = self.malformed = self.too_deep = False
        self.problem = ""
        self.repairs: set[str] = set()

    def run(self) -> int:
        """Scan until the first bracket is closed (or the text ends); return the end position."""
        match = _TOKEN.match
        text = self.text
        while not self.done:
            token = match(text, self.pos)
            if token is None:  # only whitespace left: the answer stopped mid-value
                self.truncated = True
                return len(text)
            self.pos = token.end()
            kind = token.lastgroup
            if kind == "open":
                self._open(token.group(kind) == "{", token.start(kind))
            elif kind == "close":
                self._close(token.group(kind) == "}")
            elif self.skip_depth:
                continue  # content of too-deep brackets: only brackets matter
            elif kind == "comma":
                self._comma()
            elif kind == "colon":
                self._colon()
            elif kind in ("dq", "sq"):
                self._string(token, kind)
            elif kind == "number":
                raw = token.group(kind)
                self._scalar(float(raw), raw)
            elif kind == "word":
                self._word(token.group(kind))
            else:  # a stray character (backtick, "\", "=" ...): skip it
                self._malformed("stray characters")
        return self.pos

    def reading(self) -> _Reading:
        return _Reading(
            value=self.value if self.done else None,
            salvaged=_outermost(self.salvaged),
            truncated=self.truncated,
            malformed=self.malformed,
            problem=self.problem,
            too_deep=self.too_deep,
            repairs=self.repairs,
        )

    # -- brackets

    def _open(self, is_dict: bool, start: int) -> None:
        if self.skip_depth or len(self.stack) >= MAX_DEPTH:
            self.skip_depth += 1
            self.too_deep = True
            return
        attach = self._accepts_value()
        self.stack.append(_Frame(is_dict, start, attach))
        self.open_counts[is_dict] += 1

    def _close(self, is_dict: bool) -> None:
        if self.skip_depth:
            self.skip_depth -= 1  # the too-deep value is dropped; its parent carries on
            return
        if not self.open_counts[is_dict]:
            self._malformed("a closing bracket without an opening one")  # ignore it
            return
        # Openers left unclosed inside this one (an object opened twice...) are abandoned.
        while self.stack[-1].is_dict != is_dict:
            self._pop()
            self._malformed("a bracket left open")
        frame = self._pop()
        self._check_end(frame)
        if frame.is_dict and _has_shape(frame.container):
            self.salvaged.append((frame.start, self.pos, frame.container))
        if frame.attach:
            self._attach(frame.container)

    def _pop(self) -> _Frame:
        frame = self.stack.pop()
        self.open_counts[frame.is_dict] -= 1
        return frame

    def _check_end(self, frame: _Frame) -> None:
        """Note a trailing comma (harmless) or a dangling key (malformed) at a closer."""
        if frame.after_comma and frame.expect in ("key", "value"):
            self.repairs.add("trailing commas")  # [1, 2,] or {"a": 1,}
        elif frame.is_dict and frame.expect in ("colon", "value"):
            self._malformed("a key without a value")  # {"a"} or {"a": }

    # -- values

    def _accepts_value(self) -> bool:
        """Get the top frame ready for a value; False when the value has nowhere to go."""
        if not self.stack:
            return True
        frame = self.stack[-1]
        if frame.expect == "value":
            return True
        if not frame.is_dict:  # [1 2] : a list value where a comma was expected
            self.repairs.add("missing commas")
            return True
        if frame.expect == "colon":  # {"a" [1]} : a missing colon
            self.repairs.add("missing colons")
            return True
        # {{...}} (an object opened twice, seen from Qwen3-VL) or {"a": 1 {...}}
        self._malformed("an object opened where a key belongs")
        return False

    def _attach(self, value: Any) -> None:
        if not self.stack:
            self.value = value
            self.done = True
            return
        frame = self.stack[-1]
        if frame.is_dict:
            frame.container[frame.key] = value
        else:
            frame.container.append(value)
        frame.expect = "comma"
        frame.after_comma = False

    def _scalar(self, value: Any, raw: str, quoted: bool = True) -> None:
        """A string, number or literal: a key or a value depending on what is expected."""
        if not self.stack:
            return
        frame = self.stack[-1]
        if frame.is_dict and frame.expect in ("key", "comma"):
            if frame.expect == "comma":
                self.repairs.add("missing commas")
            if not quoted or not isinstance(value, str):
                self.repairs.add("unquoted keys")
            frame.key = value if isinstance(value, str) and quoted else raw
            frame.expect = "colon"
            frame.after_comma = False
        elif frame.is_dict and frame.expect == "colon":
            self._malformed("a key followed by text instead of a colon")  # {"a" "b"}
        elif self._accepts_value():
            self._attach(value)

    def _string(self, token: re.Match[str], kind: str) -> None:
        if token.group(f"{kind}_end") is None:
            self.truncated = True  # a string still open at the end of the text
            self.pos = len(self.text)
            return
        raw = token.group(kind)
        if kind == "sq":
            self.repairs.add("single quotes")
        self._scalar(_decode_string(raw, kind == "dq"), raw)

    def _word(self, word: str) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.is_dict and frame.expect in ("key", "comma"):
            self._scalar(word, word, quoted=False)  # {label: "x"}: a JavaScript-style key
        elif word in _LITERALS:
            self._scalar(_LITERALS[word], word)
        else:
            self.repairs.add("unquoted words")  # {"label": person}
            self._scalar(word, word)

    # -- punctuation

    def _comma(self) -> None:
        frame = self.stack[-1]
        if frame.expect == "comma":
            frame.expect = "key" if frame.is_dict else "value"
        elif frame.expect in ("colon", "value") and frame.is_dict:
            self._malformed("a key without a value")  # {"a", ...} or {"a": , ...}
            frame.expect = "key"
        else:
            self._malformed("an extra comma")  # [1,,2] or [,1]
        frame.after_comma = True

    def _colon(self) -> None:
        frame = self.stack[-1]
        if frame.is_dict and frame.expect == "colon":
            frame.expect = "value"
        else:
            self._malformed("a misplaced colon")

    def _malformed(self, problem: str) -> None:
        """Remember that the JSON is broken, and the first way it is broken (for the note)."""
        self.malformed = True
        self.problem = self.problem or problem


def _decode_string(raw: str, double_quoted: bool) -> str:
    """The text of a quoted string token, tolerating escapes JSON would refuse."""
    body = raw[1:-1]
    if "\\" not in body:
        return body
    text = None
    if double_quoted:
        try:
            text = json.loads(raw, strict=False)
        except ValueError:
            pass  # an invalid escape such as \' or \x: decode by hand below
    if text is None:
        text = _ESCAPE.sub(_unescape, body)
    # A lone surrogate (half of an emoji pair written as \uD83D) cannot be encoded later.
    return text.encode("utf-8", "replace").decode("utf-8")


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) == 5:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, code)


def _has_shape(obj: dict) -> bool:
    """True when an object carries a box or a point key."""
    return any(isinstance(k, str) and k.strip().lower() in _SHAPE_KEYS for k in obj)


def _outermost(spans: list[tuple[int, int, dict]]) -> list[dict]:
    """Objects in text order, without objects nested inside another recorded object."""
    result: list[dict] = []
    reach = -1
    for start, end, obj in sorted(spans, key=lambda span: span[0]):
        if start >= reach:
            result.append(obj)
            reach = end
    return result


# --------------------------------------------------------------------------- JSON structure


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
        tally.objects.append(ParsedObject(ordered, label, sub_label))
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


def _answer_from_reading(reading: _Reading) -> tuple[ParsedAnswer | None, str]:
    """A ParsedAnswer from one JSON reading, or None and the reason it is not one."""
    objects = _structure(reading.value) if reading.clean else None
    structured = objects is not None and (objects.items or objects.explicit_empty)
    if not structured:
        # Broken JSON, or clean JSON of another shape: keep the complete box objects.
        objects = _Objects([(obj, "") for obj in reading.salvaged])
    assert objects is not None
    if not objects.items and not objects.explicit_empty:
        if reading.truncated:
            return None, "it was cut off before the first complete object"
        return None, "its JSON holds no boxes"

    tally = _read_objects(objects.items)
    if objects.items and not tally.objects and not tally.points:
        count = len(objects.items)
        return None, f"none of its {_plural(count, 'object')} has a usable box"

    notes = _reading_notes(reading, tally, structured)
    notes.extend(_tally_notes(tally))
    answer = ParsedAnswer(
        objects=tally.objects,
        form=FORM_JSON,
        notes=notes,
        truncated=reading.truncated,
        points_ignored=tally.points,
        swapped=tally.swapped,
    )
    return answer, ""


def _reading_notes(reading: _Reading, tally: _Tally, structured: bool) -> list[str]:
    notes: list[str] = []
    kept = _plural(len(tally.objects), "complete object")
    if reading.truncated:
        notes.append(f"The answer was cut off; kept the {kept}.")
    if reading.malformed:
        well_formed = _plural(len(tally.objects), "well-formed object")
        notes.append(
            f"The answer's JSON was malformed ({reading.problem}); salvaged the {well_formed}."
        )
    elif reading.clean and not structured:
        notes.append("The JSON had an unexpected shape; read the objects that carry a box.")
    if reading.too_deep:
        notes.append(f"Ignored brackets nested deeper than {MAX_DEPTH} levels.")
    if reading.repairs and not reading.malformed:  # small repairs matter less than salvage
        notes.append(f"Repaired the JSON syntax ({', '.join(sorted(reading.repairs))}).")
    return notes


def _tally_notes(tally: _Tally) -> list[str]:
    notes: list[str] = []
    if tally.swapped:
        notes.append(f"Put the corners of {_plural(tally.swapped, 'box', 'boxes')} in order.")
    if tally.points:
        answers = _plural(tally.points, "point answer")
        notes.append(f"Ignored {answers} (point_2d): points are not boxes.")
    if tally.skipped:
        notes.append(f"Skipped {_plural(tally.skipped, 'object')} without a usable box.")
    return notes


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


# --------------------------------------------------------------------------- tag forms

# Label text is read up to the next "<", which keeps these patterns linear on any input.
_TAG_FORMS = (
    (
        FORM_QWEN2_TAGS,
        "<|box_start|>",
        re.compile(
            r"<\|object_ref_start\|>(?P<ref>[^<]*)<\|object_ref_end\|>"
            r"|<\|box_start\|>(?P<box>[^<]*)<\|box_end\|>"
        ),
    ),
    (
        FORM_QWEN_VL_TAGS,
        "<box>",
        re.compile(r"<ref>(?P<ref>[^<]*)</ref>|<box>(?P<box>[^<]*)</box>"),
    ),
)
_NUMBER_IN_TAG = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_BETWEEN_BOXES = re.compile(r"[\s,;]*")
# A status written after a box, up to the end of its line ("<box>(1,2),(3,4)</box> 未佩戴安全帽").
# Text that runs into another tag ("<box>...</box> and <ref>fire</ref>") is prose, not a status.
_AFTER_BOX = re.compile(r"[^<\n]*(?=\n|\Z)")
_AFTER_BOX_MAX = 200  # longer text after a box is a sentence, not a status
_SEPARATORS = " \t\r,;:-"


def _read_tags(text: str) -> ParsedAnswer | None:
    """Read the Qwen2-VL or Qwen-VL tag form; None when the text has no box tags."""
    for form, opener, pattern in _TAG_FORMS:
        if opener in text:
            return _read_tag_form(text, form, opener, pattern)
    return None


def _read_tag_form(text: str, form: str, opener: str, pattern: re.Pattern[str]) -> ParsedAnswer:
    items: list[tuple[Any, str]] = []
    label = ""
    last_end = 0
    complete = 0
    for match in pattern.finditer(text):
        if match.group("ref") is not None:
            label = match.group("ref")
        else:
            # A label names the boxes that follow it directly; a box after other text has none.
            if not _BETWEEN_BOXES.fullmatch(text, last_end, match.start()):
                label = ""
            numbers = _NUMBER_IN_TAG.findall(match.group("box"))
            box = numbers if len(numbers) == 4 else None
            sub_label = ""
            last_end = match.end()
            after = _AFTER_BOX.match(text, last_end)
            if after is not None:
                sub_label = after.group().strip(_SEPARATORS)
                last_end = after.end()
            if len(sub_label) > _AFTER_BOX_MAX:
                sub_label = ""
            items.append(({"bbox_2d": box, "label": label, "sub_label": sub_label}, ""))
            complete += 1
            continue
        last_end = match.end()
    tally = _read_objects(items)
    unfinished = text.count(opener) - complete
    notes = _tally_notes(tally)
    if unfinished > 0:
        tags = _plural(unfinished, "incomplete box tag")
        notes.append(f"Ignored {tags} (the answer may have been cut off).")
    return ParsedAnswer(
        objects=tally.objects,
        form=form,
        notes=notes,
        truncated=unfinished > 0 and text.rfind(opener) >= last_end,
        swapped=tally.swapped,
    )
