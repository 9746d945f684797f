"""The tolerant JSON scanner: finds JSON-like values in an answer (inside ``` fences or
not) and reads each in one pass with an explicit stack, salvaging the complete box objects
of broken or cut-off JSON."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .schema import _SHAPE_KEYS

# Real answers nest 4 levels at most; deeper brackets are skipped (and noted), which keeps
# memory bounded on hostile input such as a million "[".
MAX_DEPTH = 64


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

# How far a string value is followed to find where its broken quotes really end.
_VALUE_LOOKAHEAD = 400
_SPACE = re.compile(r"\s*")
_DQ_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # text up to the next quote
_STRUCTURE_TAIL = re.compile(r"[\s,{}\[\]]*\Z")  # commas and brackets ending a text

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
        if kind == "dq" and self.stack and self.stack[-1].is_dict:
            if self.stack[-1].expect == "value" and self._value_string(token):
                return
        raw = token.group(kind)
        if kind == "sq":
            self.repairs.add("single quotes")
        self._scalar(_decode_string(raw, kind == "dq"), raw)

    def _value_string(self, token: re.Match[str]) -> bool:
        """Read a dict's string value whose quotes may be broken; False: read it as usual.

        In JSON the first quote after an opening one ends the string, and what follows it is
        a comma, a closing bracket or the end. When it is followed by a letter instead, the
        model wrote an inner quote unescaped ("sign "DANGER" on wall"): the string runs to a
        later quote that IS followed by one of those. When a later quote is followed by a
        colon, we have run into the next key: the closing quote was never written
        ("fire}, {"bbox_2d": ...), so the value ends before the brackets and commas in front
        of that key and reading resumes there. Only label text moves; no box is made up.
        """
        text, start = self.text, token.start("dq")
        end = token.end("dq")  # just after the first closing quote
        inner: list[int] = []  # the quotes passed over as text
        while end - start <= _VALUE_LOOKAHEAD:
            after = _SPACE.match(text, end).end()
            follower = text[after : after + 1]
            if follower in ("", ",", "}", "]", '"'):
                if not inner:
                    return False  # the usual case: the first quote closes the string
                self.repairs.add("unescaped quotes")
                self.pos = end
                self._scalar(_decode_string(text[start:end], True), text[start:end])
                return True
            if follower == ":":
                if not inner:
                    return False  # "a": "b": ... is broken another way
                body = text[start + 1 : inner[-1]]
                cut = start + 1 + _STRUCTURE_TAIL.search(body).start()
                self.repairs.add("missing quotes")
                self.pos = cut
                raw = text[start:cut] + '"'
                self._scalar(_decode_string(raw, True), raw)
                return True
            inner.append(end - 1)
            rest = _DQ_REST.match(text, end)
            if rest is None:
                return False  # no later quote: the answer may have been cut off here
            end = rest.end()
        return False

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
