"""Table-driven tests of safety.parsing: every form of answer a Qwen model is known to give.

Each case carries a comment saying which real-world behaviour it covers. The last tests read
real recorded answers (tests/data/qwen_outputs.json, Apache-2.0, see ATTRIBUTION.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from safety.errors import ModelOutputError
from safety.parsing import ParsedAnswer, ParsedObject, parse_answer

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Expect:
    """What a readable answer must give. ``notes`` are substrings expected in the notes."""

    objects: tuple[tuple[float, float, float, float, str, str], ...]
    form: str = "json"
    truncated: bool = False
    points: int = 0
    swapped: int = 0
    notes: tuple[str, ...] = ()


def boxes(*rows: tuple) -> tuple[tuple[float, float, float, float, str, str], ...]:
    """(x1, y1, x2, y2[, label[, sub_label]]) rows, labels defaulting to ""."""
    return tuple(tuple(row[:4]) + tuple(row[4:]) + ("",) * (6 - len(row)) for row in rows)


FIRE = '{"bbox_2d": [10, 20, 110, 220], "label": "火灾", "sub_label": "严重"}'
PERSON = '{"bbox_2d": [300, 40, 360, 200], "label": "人员", "sub_label": "未佩戴安全帽"}'
TWO = boxes((10, 20, 110, 220, "火灾", "严重"), (300, 40, 360, 200, "人员", "未佩戴安全帽"))

READABLE = [
    # Qwen2.5-VL's usual answer to our prompt: a ```json fence around a list of objects.
    pytest.param(f"```json\n[\n\t{FIRE},\n\t{PERSON}\n]\n```", Expect(TWO), id="json-fence"),
    # Some models open the fence without a language name.
    pytest.param(f"```\n[{FIRE}, {PERSON}]\n```", Expect(TWO), id="plain-fence"),
    # A fence in upper case and the JSON on the same line as the fence.
    pytest.param(f"```JSON [{FIRE}, {PERSON}]```", Expect(TWO), id="fence-one-line"),
    # Several fences (a worked example first): the one holding boxes is used.
    pytest.param(
        '```json\n{"note": "format"}\n```\nHere:\n```json\n[' + FIRE + "]\n```",
        Expect(TWO[:1]),
        id="several-fences",
    ),
    # json_object / structured-output modes return bare JSON without fences.
    pytest.param(f"[{FIRE}, {PERSON}]", Expect(TWO), id="bare-json"),
    # Chatty models put prose before and after the JSON.
    pytest.param(
        f"Sure! Here are the objects I found:\n[{FIRE}, {PERSON}]\nLet me know if...",
        Expect(TWO),
        id="prose-around-json",
    ),
    # Thinking models reason first, with brackets in the reasoning, then answer in a fence.
    pytest.param(
        "<think>Boxes are [x1, y1, x2, y2]; I see {fire}.</think>\n```json\n[" + FIRE + "]\n```",
        Expect(TWO[:1]),
        id="reasoning-before-fence",
    ),
    # With a single finding, models often drop the list and write one object.
    pytest.param(FIRE, Expect(TWO[:1]), id="single-object"),
    # Wrapper objects: {"objects": [...]}, {"detections": [...]}, {"results": [...]}.
    pytest.param('{"objects": [' + FIRE + "]}", Expect(TWO[:1]), id="wrapper-objects"),
    pytest.param('{"detections": [' + PERSON + "]}", Expect(TWO[1:]), id="wrapper-detections"),
    pytest.param(
        '{"results": [' + FIRE + ", " + PERSON + '], "count": 2}', Expect(TWO), id="wrapper-results"
    ),
    # Objects grouped by kind under keys that name them: the key is their label.
    pytest.param(
        '{"fire": [{"bbox_2d": [1, 2, 3, 4]}], "person": [{"bbox_2d": [5, 6, 7, 8]}]}',
        Expect(boxes((1, 2, 3, 4, "fire"), (5, 6, 7, 8, "person"))),
        id="grouped-by-kind",
    ),
    # Older prompts and other models use bbox / box / bbox_xyxy instead of bbox_2d.
    pytest.param(
        '[{"bbox": [1, 2, 3, 4], "label": "a"}, {"box": [5, 6, 7, 8], "label": "b"},'
        ' {"bbox_xyxy": [9, 10, 11, 12], "label": "c"}]',
        Expect(boxes((1, 2, 3, 4, "a"), (5, 6, 7, 8, "b"), (9, 10, 11, 12, "c"))),
        id="other-box-keys",
    ),
    # Keys in another case or with spaces are still the same keys.
    pytest.param(
        '[{"BBox_2D": [1, 2, 3, 4], " Label ": "fire"}]',
        Expect(boxes((1, 2, 3, 4, "fire"))),
        id="key-case",
    ),
    # Numbers written as strings, and fractional coordinates.
    pytest.param(
        '[{"bbox_2d": ["12", "20.5", " 30 ", "40"], "label": "x"}]',
        Expect(boxes((12, 20.5, 30, 40, "x"))),
        id="numbers-as-strings",
    ),
    # Corners as two points [[x1, y1], [x2, y2]].
    pytest.param(
        '[{"bbox_2d": [[1, 2], [3, 4]], "label": "x"}]',
        Expect(boxes((1, 2, 3, 4, "x"))),
        id="corner-pairs",
    ),
    # Label keys other models use: name, category, class, text_content (Qwen OCR).
    pytest.param(
        '[{"bbox_2d": [1, 2, 3, 4], "name": "a"}, {"bbox_2d": [1, 2, 3, 4], "category": "b"},'
        ' {"bbox_2d": [1, 2, 3, 4], "class": "c"}, {"bbox_2d": [1, 2, 3, 4], "text_content": "d"}]',
        Expect(boxes(*[(1, 2, 3, 4, c) for c in "abcd"])),
        id="label-keys",
    ),
    # The primary "label" wins over other naming keys; its text is kept verbatim.
    pytest.param(
        '[{"bbox_2d": [1, 2, 3, 4], "name": "other", "label": "  Fire (big) "}]',
        Expect(boxes((1, 2, 3, 4, "  Fire (big) "))),
        id="label-preferred",
    ),
    # Qwen3-VL asked for Chinese and English names: name_zh / name_en, or names {zh, en}.
    pytest.param(
        '[{"bbox_2d": [1, 2, 3, 4], "name_zh": "火", "name_en": "Fire"},'
        ' {"bbox_2d": [1, 2, 3, 4], "names": {"zh": "烟雾", "en": "Smoke"}},'
        ' {"bbox_2d": [1, 2, 3, 4], "names": {"zh": "人员"}}]',
        Expect(boxes((1, 2, 3, 4, "Fire"), (1, 2, 3, 4, "Smoke"), (1, 2, 3, 4, "人员"))),
        id="bilingual-names",
    ),
    # Status keys other than sub_label: status, severity, helmet (even a JSON bool), hardhat,
    # attribute.
    pytest.param(
        '[{"bbox_2d": [1, 2, 3, 4], "label": "fire", "severity": "high"},'
        ' {"bbox_2d": [1, 2, 3, 4], "label": "person", "helmet": false},'
        ' {"bbox_2d": [1, 2, 3, 4], "label": "person", "hardhat": "yes"},'
        ' {"bbox_2d": [1, 2, 3, 4], "label": "smoke", "status": "light"},'
        ' {"bbox_2d": [1, 2, 3, 4], "label": "worker", "attribute": "no helmet"}]',
        Expect(
            boxes(
                (1, 2, 3, 4, "fire", "high"),
                (1, 2, 3, 4, "person", "false"),
                (1, 2, 3, 4, "person", "yes"),
                (1, 2, 3, 4, "smoke", "light"),
                (1, 2, 3, 4, "worker", "no helmet"),
            )
        ),
        id="sub-label-keys",
    ),
    # Escaped text in labels (\u escapes, quotes) is decoded like JSON does.
    pytest.param(
        r'[{"bbox_2d": [1, 2, 3, 4], "label": "\u706b\u707e \"A\""}]',
        Expect(boxes((1, 2, 3, 4, '火灾 "A"'))),
        id="escaped-label",
    ),
    # Qwen2.5-VL's OCR answers end every object with a trailing comma (not strict JSON).
    pytest.param(
        '[\n {"bbox_2d": [1, 2, 3, 4], "label": "a",},\n {"bbox_2d": [5, 6, 7, 8],},\n]',
        Expect(boxes((1, 2, 3, 4, "a"), (5, 6, 7, 8)), notes=("trailing commas",)),
        id="trailing-commas",
    ),
    # Python-literal style: single quotes, True/None (a model imitating print(list)).
    pytest.param(
        "[{'bbox_2d': [1, 2, 3, 4], 'label': \"worker's\", 'sub_label': None, 'ok': True}]",
        Expect(boxes((1, 2, 3, 4, "worker's")), notes=("single quotes",)),
        id="python-literal",
    ),
    # A model that forgets the commas between objects.
    pytest.param(
        '[{"bbox_2d": [1, 2, 3, 4]} {"bbox_2d": [5, 6, 7, 8]}]',
        Expect(boxes((1, 2, 3, 4), (5, 6, 7, 8)), notes=("missing commas",)),
        id="missing-commas",
    ),
    # JavaScript-style unquoted keys.
    pytest.param(
        "[{bbox_2d: [1, 2, 3, 4], label: 'fire'}]",
        Expect(boxes((1, 2, 3, 4, "fire")), notes=("unquoted keys",)),
        id="unquoted-keys",
    ),
    # Cut off at max_tokens in the middle of an object: keep the complete ones, say so.
    pytest.param(
        f'```json\n[\n\t{FIRE},\n\t{PERSON},\n\t{{"bbox_2d": [5, 6, 7',
        Expect(TWO, truncated=True, notes=("cut off; kept the 2 complete objects",)),
        id="truncated-mid-object",
    ),
    # Cut off inside a label string (a "}" inside the string must not close anything).
    pytest.param(
        f'[{FIRE}, {{"bbox_2d": [5, 6, 7, 8], "label": "a }} b',
        Expect(TWO[:1], truncated=True),
        id="truncated-in-string",
    ),
    # Cut off right after a complete object, inside a wrapper.
    pytest.param(
        '{"objects": [' + FIRE + ",",
        Expect(TWO[:1], truncated=True, notes=("kept the 1 complete object.",)),
        id="truncated-in-wrapper",
    ),
    # Qwen3-VL opened one object twice ("{\n{"bbox_2d"..."): the others are salvaged.
    pytest.param(
        f"[\n{FIRE},\n{{\n{PERSON},\n{FIRE}\n]",
        Expect(
            TWO + TWO[:1],
            notes=("malformed (an object opened where a key belongs); salvaged the 3",),
        ),
        id="object-opened-twice",
    ),
    # A closing bracket of the wrong kind: objects before and after it survive.
    pytest.param(
        f"[{FIRE}}}, {PERSON}]",
        Expect(TWO, notes=("malformed",)),
        id="stray-closer",
    ),
    # Qwen2-VL's grounding tokens, with the object reference.
    pytest.param(
        "<|object_ref_start|>person<|object_ref_end|><|box_start|>(100,200),(300,400)"
        "<|box_end|><|im_end|>",
        Expect(boxes((100, 200, 300, 400, "person")), form="qwen2-tags"),
        id="qwen2-tags",
    ),
    # Qwen2-VL without the object reference, several boxes, one per line.
    pytest.param(
        "<|box_start|>(1,2),(3,4)<|box_end|>\n<|box_start|>(5, 6), (7, 8)<|box_end|>",
        Expect(boxes((1, 2, 3, 4), (5, 6, 7, 8)), form="qwen2-tags"),
        id="qwen2-tags-no-ref",
    ),
    # Asked for a status, a tag-form model writes it after the box on the same line.
    pytest.param(
        "<|object_ref_start|>人员<|object_ref_end|>"
        "<|box_start|>(1,2),(3,4)<|box_end|> 未佩戴安全帽\n"
        "<|object_ref_start|>火灾<|object_ref_end|>"
        "<|box_start|>(5,6),(7,8)<|box_end|>: 严重",
        Expect(
            boxes((1, 2, 3, 4, "人员", "未佩戴安全帽"), (5, 6, 7, 8, "火灾", "严重")),
            form="qwen2-tags",
        ),
        id="qwen2-tags-status-after-box",
    ),
    pytest.param(
        "<ref>person</ref><box>(1,2),(3,4)</box> wearing helmet\n"
        "<ref>smoke</ref><box>(5,6),(7,8)</box>",
        Expect(
            boxes((1, 2, 3, 4, "person", "wearing helmet"), (5, 6, 7, 8, "smoke")),
            form="qwen-vl-tags",
        ),
        id="qwen-vl-tags-status-after-box",
    ),
    # A box in the middle of a sentence: the label is the reference, the rest of the line is
    # kept as the sub_label (verbatim model text; classify() finds no status in it).
    pytest.param(
        "The <ref>worker</ref><box>(1,2),(3,4)</box> stands near the gate.\n"
        "Also <box>(5,6),(7,8)</box>",
        Expect(
            boxes((1, 2, 3, 4, "worker", "stands near the gate."), (5, 6, 7, 8)),
            form="qwen-vl-tags",
        ),
        id="qwen-vl-tags-in-prose",
    ),
    # Qwen-VL's <ref>/<box> tags; one reference may be followed by several boxes.
    pytest.param(
        "<ref>person</ref><box>(10,20),(30,40)</box><box>(50,60),(70,80)</box>"
        " and <ref>fire</ref><box>(1,2),(3,4)</box>",
        Expect(
            boxes((10, 20, 30, 40, "person"), (50, 60, 70, 80, "person"), (1, 2, 3, 4, "fire")),
            form="qwen-vl-tags",
        ),
        id="qwen-vl-tags",
    ),
    # Qwen3-VL answers a pointing question with point_2d: not boxes, counted and noted.
    pytest.param(
        '```json\n[{"point_2d": [925, 618], "label": "point_1"}]\n```',
        Expect((), points=1, notes=("Ignored 1 point answer (point_2d): points are not boxes.",)),
        id="points-only",
    ),
    # Points mixed with boxes: the boxes are kept, the points counted.
    pytest.param(
        '[{"point_2d": [1, 2]}, {"point_2d": [3, 4]}, ' + FIRE + "]",
        Expect(TWO[:1], points=2, notes=("Ignored 2 point answers",)),
        id="points-and-boxes",
    ),
    # Corners given in the wrong order are put in order and counted.
    pytest.param(
        '[{"bbox_2d": [110, 220, 10, 20]}, {"bbox_2d": [10, 220, 110, 20]}, '
        '{"bbox_2d": [1, 2, 3, 4]}]',
        Expect(
            boxes((10, 20, 110, 220), (10, 20, 110, 220), (1, 2, 3, 4)),
            swapped=2,
            notes=("Put the corners of 2 boxes in order.",),
        ),
        id="swapped-corners",
    ),
    # Objects without a usable box (missing, wrong length, words, NaN, Infinity, booleans)
    # are skipped with a note; the good one is kept.
    pytest.param(
        '[{"label": "fire"}, {"bbox_2d": [1, 2, 3]}, {"bbox_2d": ["a", 2, 3, 4]},'
        ' {"bbox_2d": [NaN, 2, 3, 4]}, {"bbox_2d": [1, 2, Infinity, 4]},'
        ' {"bbox_2d": [1e999, 2, 3, 4]}, {"bbox_2d": [true, 2, 3, 4]}, "text", ' + FIRE + "]",
        Expect(TWO[:1], notes=("Skipped 8 objects without a usable box.",)),
        id="unusable-boxes",
    ),
    # "Nothing found" written as an empty list is a valid answer with no objects.
    pytest.param("[]", Expect(()), id="empty-list"),
    # An inner quote left unescaped in a label: the label is read whole, not cut short.
    pytest.param(
        '[{"bbox_2d": [1, 2, 30, 40], "label": "sign "DANGER" on wall"}, ' + FIRE + "]",
        Expect(boxes((1, 2, 30, 40, 'sign "DANGER" on wall'), TWO[0]), notes=("unescaped",)),
        id="label-inner-quotes",
    ),
    # Inner quotes in the sub_label, then the closing bracket.
    pytest.param(
        '[{"bbox_2d": [1, 2, 30, 40], "label": "人员", "sub_label": "holds "hat" in hand"}]',
        Expect(boxes((1, 2, 30, 40, "人员", 'holds "hat" in hand')), notes=("unescaped",)),
        id="sub-label-inner-quotes",
    ),
    # A label's closing quote missing before the object's end: the objects after it are read.
    pytest.param(
        '[{"bbox_2d": [1, 2, 30, 40], "label": "fire}, ' + FIRE + ", " + PERSON + "]",
        Expect(boxes((1, 2, 30, 40, "fire"), *TWO), notes=("missing quotes",)),
        id="label-missing-quote-before-next-object",
    ),
    # A label's closing quote missing before the next key: the sub_label is still read.
    pytest.param(
        '```json\n[{"bbox_2d": [1, 2, 30, 40], "label": "fire, "sub_label": "严重"}]\n```',
        Expect(boxes((1, 2, 30, 40, "fire", "严重")), notes=("missing quotes",)),
        id="label-missing-quote-before-key",
    ),
    # Pretty-printed, the quote missing at the end of a line.
    pytest.param(
        '[\n {"bbox_2d": [1, 2, 30, 40],\n  "label": "worker, no helmet,\n  "sub_label": "x"}\n]',
        Expect(boxes((1, 2, 30, 40, "worker, no helmet", "x")), notes=("missing quotes",)),
        id="label-missing-quote-pretty",
    ),
    # The repair never makes a box: text after a broken label that holds no box stays text.
    pytest.param(
        '[{"bbox_2d": [1, 2, 30, 40], "label": "fire}, {"note": "x [5, 6, 7, 8]"}]',
        Expect(boxes((1, 2, 30, 40, "fire")), notes=("missing quotes",)),
        id="missing-quote-invents-no-box",
    ),
    # A label cut off by max_tokens is not "repaired": the cut object is dropped as before.
    pytest.param(
        "[" + FIRE + ', {"bbox_2d": [1, 2, 30, 40], "label": "fi',
        Expect(TWO[:1], truncated=True, notes=("cut off",)),
        id="cut-in-label-not-repaired",
    ),
    pytest.param("```json\n[]\n```", Expect(()), id="empty-list-fenced"),
    pytest.param('{"objects": []}', Expect(()), id="empty-wrapper"),
    pytest.param('{"detections": [], "summary": "no hazards"}', Expect(()), id="empty-wrapper-2"),
]


@pytest.mark.parametrize(("text", "expect"), READABLE)
def test_readable_answers(text: str, expect: Expect) -> None:
    answer = parse_answer(text)
    assert isinstance(answer, ParsedAnswer)
    got = tuple((*obj.coords, obj.label, obj.sub_label) for obj in answer.objects)
    assert got == expect.objects
    assert answer.form == expect.form
    assert answer.truncated is expect.truncated
    assert answer.points_ignored == expect.points
    assert answer.swapped == expect.swapped
    for fragment in expect.notes:
        assert any(fragment in note for note in answer.notes), (fragment, answer.notes)
    if not (expect.truncated or expect.points or expect.swapped or expect.notes):
        assert answer.notes == []  # a clean answer gets no remarks


UNREADABLE = [
    # An empty answer (e.g. the server returned no content).
    pytest.param("", id="empty"),
    pytest.param("   \n\t ", id="whitespace"),
    # A refusal or a description instead of boxes.
    pytest.param("I'm sorry, I cannot help with that request.", id="refusal"),
    pytest.param("The image shows a construction site with two workers.", id="prose"),
    # A bare number (e.g. the model answered "how many persons").
    pytest.param("3", id="number"),
    # JSON that is not about boxes.
    pytest.param('{"answer": "yes"}', id="json-not-boxes"),
    pytest.param("```json\n[1, 2, 3]\n```", id="json-list-of-numbers"),
    pytest.param('"fire"', id="json-string"),
    # An empty object is not a clear "nothing found" (only [] or {"objects": []} are).
    pytest.param("{}", id="empty-object"),
    # Objects, but none with a box: reporting "no hazards" here would hide a fire.
    pytest.param('[{"label": "火灾", "sub_label": "严重"}]', id="objects-without-boxes"),
    pytest.param('[{"bbox_2d": [1, 2, 3]}, {"bbox_2d": [NaN, 1, 2, 3]}]', id="only-bad-boxes"),
    # Cut off before the first object was complete (tiny max_tokens).
    pytest.param('```json\n[\n\t{"bbox_2d": [10, 20, 1', id="truncated-before-first"),
    pytest.param("```json\n[", id="truncated-at-start"),
    # Broken beyond salvage.
    pytest.param("[,,,]", id="only-commas"),
    pytest.param("]]]}}}", id="only-closers"),
    # Grounding tags whose boxes cannot be read.
    pytest.param("<|box_start|>(1,2)<|box_end|>", id="qwen2-tag-bad-box"),
    pytest.param("<ref>person</ref><box>(1,2),(3,", id="qwen-vl-tag-cut-off"),
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_answers_raise(text: str) -> None:
    with pytest.raises(ModelOutputError) as info:
        parse_answer(text)
    message = str(info.value)
    assert "could not be read as detections" in message
    assert "Check" in message  # the message says what to do


@pytest.mark.parametrize("value", [None, b"[]", 42, ["bbox_2d"]])
def test_non_text_raises_model_output_error(value) -> None:
    # A caller bug must still surface as the one documented error type.
    with pytest.raises(ModelOutputError):
        parse_answer(value)  # type: ignore[arg-type]


def test_parsed_object_is_frozen() -> None:
    obj = ParsedObject((1.0, 2.0, 3.0, 4.0), "fire", "")
    with pytest.raises(AttributeError):
        obj.label = "smoke"  # type: ignore[misc]


def test_deep_nesting_is_noted_not_fatal() -> None:
    # A runaway model repeating "[" thousands of times, then a real answer.
    text = "[" * 5000 + "]" * 5000 + "\n" + FIRE
    answer = parse_answer(text)
    assert [o.label for o in answer.objects] == ["火灾"]


def test_tag_cut_off_after_complete_box() -> None:
    # A Qwen2-VL answer cut off in its second box keeps the first and says so.
    text = "<|box_start|>(1,2),(3,4)<|box_end|><|box_start|>(5,6),(7"
    answer = parse_answer(text)
    assert [o.coords for o in answer.objects] == [(1, 2, 3, 4)]
    assert answer.truncated
    assert any("incomplete box tag" in note for note in answer.notes)


# --------------------------------------------------------------------------- real answers


def recorded() -> dict[str, dict]:
    entries = json.loads((DATA / "qwen_outputs.json").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in entries}


def test_recorded_data_keeps_its_provenance() -> None:
    for entry in recorded().values():
        assert entry["source"]["license"] == "Apache-2.0"
        assert entry["source"]["repo"] and entry["source"]["commit"] and entry["source"]["path"]
        assert entry["model"]


def test_recorded_cakes_all_twelve() -> None:
    # Qwen2.5-VL-7B, ```json fence, 12 objects, clean JSON.
    answer = parse_answer(recorded()["qwen25_7b_cakes_all"]["output"])
    assert len(answer.objects) == 12
    assert answer.objects[0] == ParsedObject(
        (43, 571, 209, 753), "cupcake with white frosting and colorful sprinkles", ""
    )
    assert answer.objects[-1].coords == (765, 393, 896, 556)
    assert answer.notes == [] and not answer.truncated


def test_recorded_food_bilingual_names() -> None:
    # Qwen3-VL, name_zh/name_en keys, 7 objects.
    answer = parse_answer(recorded()["qwen3_food_boxes"]["output"])
    assert len(answer.objects) == 7
    assert answer.objects[2].label == "Potato Carrot Pork Rib Soup"
    assert answer.objects[2].coords == (266, 126, 695, 343)


def test_recorded_anime_malformed_salvaged() -> None:
    # Real Qwen3-VL answer with one object opened twice: strict JSON fails, 9 are salvaged.
    text = recorded()["qwen3_anime_boxes_malformed"]["output"]
    with pytest.raises(ValueError):
        json.loads(text.strip("`").removeprefix("json"))
    answer = parse_answer(text)
    assert len(answer.objects) == 9
    assert [o.label for o in answer.objects][5] == "Obanai Iguro"  # the doubly opened one
    assert answer.objects[5].coords == (649, 116, 794, 643)
    assert any("salvaged the 9 well-formed objects" in note for note in answer.notes)
    assert not answer.truncated


def test_recorded_point_answer() -> None:
    # Qwen3-VL asked for a point: readable, no boxes, one point ignored (the caller decides).
    answer = parse_answer(recorded()["qwen3_point_free_space"]["output"])
    assert answer.objects == []
    assert answer.points_ignored == 1
    assert any("point" in note for note in answer.notes)


def test_recorded_ocr_trailing_commas() -> None:
    # Qwen2.5-VL OCR: text_content labels and a trailing comma after every object.
    text = recorded()["qwen25_7b_ocr_text_spotting"]["output"]
    answer = parse_answer(text)
    assert len(answer.objects) == text.count("bbox_2d") == 39
    assert answer.objects[0] == ParsedObject(
        (125, 169, 754, 208), "UNIHAKKA INTERNATIONAL SDN BHD", ""
    )
    assert answer.objects[-1].label == "Facebook.com/BarWangRice"
    assert any("trailing commas" in note for note in answer.notes)
