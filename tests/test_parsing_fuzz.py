"""Property-based tests of safety.parsing: whatever the text, the parser either returns sane
boxes or raises ModelOutputError, and a cut-off answer never invents or alters an object.

The properties call ``parsing._parse``, the reader WITHOUT its catch-all safety net, so that a
bug cannot hide behind the net; one test checks the public ``parse_answer`` as well.
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


# --------------------------------------------------------------------------- generators

coordinate = st.one_of(
    st.integers(-5000, 5000),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
# Text that repr() writes verbatim (letters, digits, punctuation, symbols, space), so the
# Python-literal rendering below reads back to the same string.
printable = st.text(st.characters(categories=("L", "N", "P", "S"), include_characters=" "))


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


answers = st.one_of(json_answers(), python_answers(), tag_answers())
json_like = st.text(alphabet="[]{}:,\"'\\ \n0123456789.-eE+truefalsnNIbox_2dlabel`<>|()")


# --------------------------------------------------------------------------- properties


@FUZZ
@given(st.one_of(st.text(), json_like, st.binary().map(lambda b: b.decode("latin-1"))))
def test_random_text_gives_sane_boxes_or_model_output_error(text: str) -> None:
    read(text)


@FUZZ
@given(st.text())
def test_public_function_raises_only_model_output_error(text: str) -> None:
    try:
        assert_sane(parsing.parse_answer(text))
    except ModelOutputError as exc:
        assert "could not be read as detections" in str(exc)


@FUZZ
@given(answers)
def test_valid_answers_read_back_exactly(answer: tuple[str, list[dict]]) -> None:
    text, objs = answer
    result = read(text)
    if not objs:
        assert result is not None and result.objects == []  # "[]": readable, nothing found
        return
    assert result is not None
    assert result.objects == expected(objs)
    assert not result.truncated


@settings(FUZZ, max_examples=60)
@given(st.one_of(json_answers(min_size=1), python_answers(min_size=1), tag_answers()))
def test_truncation_keeps_only_original_objects(answer: tuple[str, list[dict]]) -> None:
    # Cut the answer at EVERY position, as max_tokens would.
    text, objs = answer
    originals = expected(objs)
    for cut in range(len(text) + 1):
        result = read(text[:cut])
        if result is None:
            continue
        assert len(result.objects) <= len(originals)
        # The kept objects are the first ones, unchanged.
        assert result.objects == originals[: len(result.objects)]


@FUZZ
@given(answers, st.integers(0, 10_000), json_like)
def test_inserted_garbage(answer: tuple[str, list[dict]], at: int, garbage: str) -> None:
    text, _ = answer
    at %= len(text) + 1
    read(text[:at] + garbage + text[at:])


@FUZZ
@given(answers, st.integers(0, 10_000), st.integers(0, 50))
def test_deleted_slice(answer: tuple[str, list[dict]], at: int, length: int) -> None:
    text, _ = answer
    at %= len(text) + 1
    read(text[:at] + text[at + length :])


@FUZZ
@given(answers, st.integers(0, 10_000), st.integers(0, 5000), st.sampled_from("[{"))
def test_deep_nesting_inserted(answer: tuple[str, list[dict]], at: int, depth: int, bracket: str):
    text, _ = answer
    at %= len(text) + 1
    closer = "]" if bracket == "[" else "}"
    read(text[:at] + bracket * depth + text[at:])
    read(text[:at] + bracket * depth + closer * depth + text[at:])
    read(bracket * depth + text + closer * depth)


@FUZZ
@given(st.text(alphabet="[]{}\"',: x", max_size=3000))
def test_bracket_soup(text: str) -> None:
    read(text)


# --------------------------------------------------------------------------- size and speed

MEGABYTE = 1_000_000
OBJECT = '{"bbox_2d": [1, 2, 3, 4], "label": "fire"}'
HOSTILE = {
    "open-lists": "[" * MEGABYTE,
    "open-dicts": "{" * MEGABYTE,
    "balanced-deep": "[" * (MEGABYTE // 2) + "]" * (MEGABYTE // 2),
    "keys-deep": '{"a":' * (MEGABYTE // 5),
    "many-empty-lists": "[]" * (MEGABYTE // 2),
    "many-objects": "[" + ",".join([OBJECT] * (MEGABYTE // len(OBJECT))) + "]",
    "numbers-cut-off": "[" + "1," * (MEGABYTE // 2),
    "unterminated-string": '["' + "a" * MEGABYTE,
    "quotes": '"' * MEGABYTE,
    "single-quotes": "['" * (MEGABYTE // 2),
    "backslashes": '["' + "\\" * MEGABYTE + '"]',
    "commas": "[" + "," * MEGABYTE + "]",
    "fences": "`" * MEGABYTE,
    "box-tags": "<|box_start|>" * (MEGABYTE // 13),
    "ref-tags": "<ref>" * (MEGABYTE // 5) + "<box>",
    "long-number": "[" + "9" * MEGABYTE + "]",
    "junk": "[" + "#" * MEGABYTE,
    "prose": "fire " * (MEGABYTE // 5),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_megabyte_inputs_stay_fast(name: str) -> None:
    text = HOSTILE[name]
    start = time.perf_counter()
    result = read(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, f"{name}: {elapsed:.1f}s"  # about 1s on a laptop; linear, not quadratic
    if name == "many-objects":
        assert result is not None and len(result.objects) == MEGABYTE // len(OBJECT)
