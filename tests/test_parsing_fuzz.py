"""Property-based tests of safety.parsing: whatever the text, the parser either returns sane
boxes or raises ModelOutputError, and a cut-off answer never invents or alters an object.

"Sane or ModelOutputError" alone would also be satisfied by a parser that refused
everything, so every property also asserts what MUST be read: well-formed answers read back
exactly through the public ``parse_answer`` (which must not raise on them), objects complete
before a cut, an insertion or a deletion survive it, and junk next to a fenced answer does
not hide it.

The robustness checks call ``parsing._parse``, the reader WITHOUT its catch-all safety net,
so that a bug cannot hide behind the net.
"""

from __future__ import annotations

import json
import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safety import parsing
from safety.errors import ModelOutputError
from safety.parsing import ParsedAnswer, ParsedObject

FORMS = {"json", "qwen2-tags", "qwen-vl-tags"}
# No example database: the tests leave no .hypothesis folder behind in the project.
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


def read(text: str) -> ParsedAnswer | None:
    """The parser's answer, or None for ModelOutputError; any other exception fails."""
    try:
        answer = parsing._parse(text)
    except ModelOutputError:
        return None
    assert_sane(answer)
    return answer


def assert_sane(answer: ParsedAnswer) -> None:
    assert answer.form in FORMS
    assert answer.points_ignored >= 0 and answer.swapped >= 0
    for obj in answer.objects:
        x1, y1, x2, y2 = obj.coords
        assert all(isinstance(v, float) and math.isfinite(v) for v in obj.coords)
        assert x1 <= x2 and y1 <= y2
        assert isinstance(obj.label, str) and isinstance(obj.sub_label, str)


def read_public(text: str) -> ParsedAnswer:
    """The public function's answer, for text it MUST read (any error fails the test)."""
    answer = parsing.parse_answer(text)
    assert_sane(answer)
    return answer


def read_exactly(text: str, objs: list[dict]) -> ParsedAnswer:
    """The public function must read this well-formed answer, giving exactly these objects."""
    answer = read_public(text)
    assert answer.objects == expected(objs)
    return answer


def as_json(objs: list[dict], ensure_ascii: bool = False) -> str:
    """JSON text for these objects with no backtick in it (a backtick in a label is written
    \\u0060), so that no fence marker can appear inside the answer."""
    return json.dumps(objs, ensure_ascii=ensure_ascii).replace("`", "\\u0060")


def fenced(objs: list[dict]) -> str:
    return f"```json\n{as_json(objs)}\n```"


def without_backticks(text: str) -> str:
    return text.replace("`", "")


# --------------------------------------------------------------------------- generators

coordinate = st.one_of(
    st.integers(-5000, 5000),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
# Text that repr() writes verbatim (letters, digits, punctuation, symbols, space), so the
# Python-literal rendering below reads back to the same string.
# No ``` fence marker (it would split the answer), as for label_text below.
printable = st.text(st.characters(categories=("L", "N", "P", "S"), include_characters=" ")).filter(
    lambda s: "```" not in s
)


# Labels are arbitrary text, except a ``` fence marker, which would end the fence early.
label_text = st.text().filter(lambda s: "```" not in s)


@st.composite
def objects(draw, text=label_text, min_size=0, max_size=6):
    """Box objects as a model would write them, with arbitrary labels."""
    count = draw(st.integers(min_size, max_size))
    found = []
    for _ in range(count):
        obj = {"bbox_2d": [draw(coordinate) for _ in range(4)], "label": draw(text)}
        if draw(st.booleans()):
            obj["sub_label"] = draw(text)
        found.append(obj)
    return found


def expected(objs: list[dict]) -> list[ParsedObject]:
    """What the parser must give for these objects: corners in order, texts verbatim."""
    result = []
    for obj in objs:
        x1, y1, x2, y2 = (float(v) for v in obj["bbox_2d"])
        coords = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        result.append(ParsedObject(coords, obj["label"], obj.get("sub_label", "")))
    return result


@st.composite
def json_answers(draw, min_size=0):
    """A valid JSON answer in one of the shapes models use, with the objects it holds."""
    objs = draw(objects(min_size=min_size))
    body = json.dumps(
        objs, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1, "\t"]))
    )
    shape = draw(st.sampled_from(["fence", "bare", "wrapper", "prose", "trailing-commas"]))
    if shape == "fence":
        text = f"```json\n{body}\n```"
    elif shape == "wrapper":
        text = json.dumps({"objects": objs}, ensure_ascii=False)
    elif shape == "prose":
        text = f"Here are the results:\n{body}\nHope this helps."
    elif shape == "trailing-commas":  # as Qwen2.5-VL's OCR answers: "...},\n]" and "...,}"
        text = "[" + "".join(json.dumps(obj)[:-1] + ",},\n" for obj in objs) + "]"
    else:
        text = body
    return text, objs


@st.composite
def python_answers(draw, min_size=0):
    """A Python-literal answer (single quotes), as print(list_of_dicts) would give."""
    objs = draw(objects(text=printable, min_size=min_size))
    return repr(objs), objs


@st.composite
def tag_answers(draw, min_size=1):
    """Qwen2-VL or Qwen-VL grounding tags around integer boxes.

    No status text after the boxes: a cut inside that text shortens the last sub_label, so
    the "objects unchanged" property holds for the tag forms only without it.
    """
    objs = draw(objects(text=st.text(st.characters(exclude_characters="<")), min_size=min_size))
    for obj in objs:
        obj["bbox_2d"] = [int(v) for v in obj["bbox_2d"]]
        obj.pop("sub_label", None)
    qwen2 = draw(st.booleans())
    parts = []
    for obj in objs:
        x1, y1, x2, y2 = obj["bbox_2d"]
        if qwen2:
            parts.append(
                f"<|object_ref_start|>{obj['label']}<|object_ref_end|>"
                f"<|box_start|>({x1},{y1}),({x2},{y2})<|box_end|>"
            )
        else:
            parts.append(f"<ref>{obj['label']}</ref><box>({x1},{y1}),({x2},{y2})</box>")
    return "".join(parts), objs


@st.composite
def listed_answers(draw, fence=None):
    """A JSON list answer (fenced, bare or in prose) with at least one object, and the
    offset in the text just after each object's closing brace."""
    objs = draw(objects(min_size=1))
    ascii_only = draw(st.booleans())
    parts = [as_json([obj], ascii_only)[1:-1] for obj in objs]  # each "{...}"
    shape = fence if fence is not None else draw(st.sampled_from(["fence", "bare", "prose"]))
    head, tail = {
        "fence": ("```json\n", "\n```"),
        "bare": ("", ""),
        "prose": ("Here are the results:\n", "\nHope this helps."),
    }[shape]
    text, ends = head + "[", []
    for i, part in enumerate(parts):
        text += (", " if i else "") + part
        ends.append(len(text))
    return text + "]" + tail, objs, ends


def complete_before(ends: list[int], at: int) -> int:
    """How many objects end at or before ``at``."""
    return sum(1 for end in ends if end <= at)


answers = st.one_of(json_answers(), python_answers(), tag_answers())
json_like = st.text(alphabet="[]{}:,\"'\\ \n0123456789.-eE+truefalsnNIbox_2dlabel`<>|()")


# --------------------------------------------------------------------------- properties


@pytest.mark.slow
@FUZZ
@given(
    st.one_of(st.text(), json_like, st.binary().map(lambda b: b.decode("latin-1"))),
    objects(min_size=1),
)
def test_random_text_gives_sane_boxes_or_model_output_error(text: str, objs: list[dict]) -> None:
    read(text)
    # The same text as a label comes back verbatim, and around a fenced answer it does not
    # hide that answer (without backticks, it cannot open a fence of its own).
    labelled = [{**objs[0], "label": text}]
    read_exactly(as_json(labelled), labelled)
    junk = without_backticks(text)
    read_exactly(f"{junk}\n{fenced(objs)}\n{junk}", objs)


@pytest.mark.slow
@FUZZ
@given(st.text(), objects())
def test_public_function_raises_only_model_output_error(text: str, objs: list[dict]) -> None:
    try:
        assert_sane(parsing.parse_answer(text))
    except ModelOutputError as exc:
        assert "could not be read as detections" in str(exc)
    answer = read_exactly(fenced(objs), objs)
    assert answer.form == "json" and not answer.truncated


@pytest.mark.slow
@FUZZ
@given(answers)
def test_valid_answers_read_back_exactly(answer: tuple[str, list[dict]]) -> None:
    text, objs = answer
    result = read(text)
    if not objs:
        assert result is not None and result.objects == []  # "[]": readable, nothing found
    else:
        assert result is not None
        assert result.objects == expected(objs)
        assert not result.truncated
    read_exactly(text, objs)  # the public function too: a well-formed answer never raises


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(st.one_of(json_answers(min_size=1), python_answers(min_size=1), tag_answers()))
def test_truncation_keeps_only_original_objects(answer: tuple[str, list[dict]]) -> None:
    # Cut the answer at EVERY position, as max_tokens would.
    text, objs = answer
    originals = expected(objs)
    kept = 0
    for cut in range(len(text) + 1):
        result = read(text[:cut])
        count = 0 if result is None else len(result.objects)
        # Cutting later never loses an object that an earlier cut kept...
        assert count >= kept, f"cut at {cut} kept {count} objects, an earlier cut {kept}"
        kept = count
        if result is None:
            continue
        assert len(result.objects) <= len(originals)
        # ...and the kept objects are the first ones, unchanged.
        assert result.objects == originals[: len(result.objects)]
    assert kept == len(originals)  # the uncut answer gives them all
    read_exactly(text, objs)  # through the public function too


@pytest.mark.slow
@FUZZ
@given(answers, st.integers(0, 10_000), json_like, listed_answers(), st.integers(0, 10_000))
def test_inserted_garbage(answer, at: int, garbage: str, listed, where: int) -> None:
    text, _ = answer
    at %= len(text) + 1
    read(text[:at] + garbage + text[at:])
    # Garbage inserted after an object (no backticks: a fence would reorder the reading)
    # leaves that object and the ones before it as they were.
    text, objs, ends = listed
    at = ends[0] + where % (len(text) - ends[0] + 1)
    result = read_public(text[:at] + without_backticks(garbage) + text[at:])
    complete = complete_before(ends, at)
    assert result.objects[:complete] == expected(objs[:complete])


@pytest.mark.slow
@FUZZ
@given(
    answers, st.integers(0, 10_000), st.integers(0, 50), listed_answers(), st.integers(0, 10_000)
)
def test_deleted_slice(answer, at: int, length: int, listed, where: int) -> None:
    text, _ = answer
    at %= len(text) + 1
    read(text[:at] + text[at + length :])
    # A slice deleted after an object leaves that object and the ones before it as they were.
    text, objs, ends = listed
    at = ends[0] + where % (len(text) - ends[0] + 1)
    result = read_public(text[:at] + text[at + length :])
    complete = complete_before(ends, at)
    assert result.objects[:complete] == expected(objs[:complete])
    if length == 0:
        read_exactly(text, objs)


@pytest.mark.slow
@FUZZ
@given(
    answers,
    st.integers(0, 10_000),
    st.integers(0, 5000),
    st.sampled_from("[{"),
    listed_answers(fence="bare"),
)
def test_deep_nesting_inserted(answer, at: int, depth: int, bracket: str, listed) -> None:
    text, _ = answer
    at %= len(text) + 1
    closer = "]" if bracket == "[" else "}"
    read(text[:at] + bracket * depth + text[at:])
    read(text[:at] + bracket * depth + closer * depth + text[at:])
    read(bracket * depth + text + closer * depth)
    # Within the depth limit (the list, an object and its box take 3 levels), a wrapped
    # answer still gives its objects; brackets outside a fenced answer never hide it.
    text, objs, _ = listed
    shallow = min(depth, parsing.MAX_DEPTH - 3)
    read_exactly(bracket * shallow + text + closer * shallow, objs)
    read_exactly(bracket * depth + "\n" + fenced(objs) + "\n" + closer * depth, objs)


@pytest.mark.slow
@FUZZ
@given(st.text(alphabet="[]{}\"',: x", max_size=3000), objects(min_size=1))
def test_bracket_soup(text: str, objs: list[dict]) -> None:
    read(text)
    # Brackets inside a label are text; around a fenced answer they do not hide it.
    labelled = [{**objs[0], "label": text}]
    read_exactly(as_json(labelled), labelled)
    read_exactly(f"{text}\n{fenced(objs)}\n{text}", objs)


# --------------------------------------------------------------------------- size and speed

MEGABYTE = 1_000_000
OBJECT = '{"bbox_2d": [1, 2, 3, 4], "label": "fire"}'
# name -> (text, objects read from it: None for ModelOutputError)
HOSTILE = {
    "open-lists": ("[" * MEGABYTE, None),
    "open-dicts": ("{" * MEGABYTE, None),
    "balanced-deep": ("[" * (MEGABYTE // 2) + "]" * (MEGABYTE // 2), None),
    "keys-deep": ('{"a":' * (MEGABYTE // 5), None),
    "many-empty-lists": ("[]" * (MEGABYTE // 2), 0),  # "[]": readable, nothing found
    "many-objects": (
        "[" + ",".join([OBJECT] * (MEGABYTE // len(OBJECT))) + "]",
        MEGABYTE // len(OBJECT),
    ),
    "numbers-cut-off": ("[" + "1," * (MEGABYTE // 2), None),
    "unterminated-string": ('["' + "a" * MEGABYTE, None),
    "quotes": ('"' * MEGABYTE, None),
    "single-quotes": ("['" * (MEGABYTE // 2), None),
    "backslashes": ('["' + "\\" * MEGABYTE + '"]', None),
    "commas": ("[" + "," * MEGABYTE + "]", None),
    "fences": ("`" * MEGABYTE, None),
    "box-tags": ("<|box_start|>" * (MEGABYTE // 13), None),
    "ref-tags": ("<ref>" * (MEGABYTE // 5) + "<box>", None),
    "long-number": ("[" + "9" * MEGABYTE + "]", None),
    "junk": ("[" + "#" * MEGABYTE, None),
    "prose": ("fire " * (MEGABYTE // 5), None),
}
FIRE = [{"bbox_2d": [1, 2, 3, 4], "label": "fire"}]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE))
def test_megabyte_inputs_stay_fast(name: str) -> None:
    text, count = HOSTILE[name]
    start = time.perf_counter()
    result = read(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, f"{name}: {elapsed:.1f}s"  # about 1s on a laptop; linear, not quadratic
    if count is None:
        assert result is None, f"{name}: read as {len(result.objects)} objects"
    else:
        assert result is not None and len(result.objects) == count
    # A fenced answer before or after a megabyte of junk is still found.
    read_exactly(f"{text}\n{fenced(FIRE)}\n", FIRE)
    read_exactly(f"\n{fenced(FIRE)}\n{text}", FIRE)
