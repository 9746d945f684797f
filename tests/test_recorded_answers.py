"""Real recorded Qwen answers (tests/data/qwen_outputs.json, Apache-2.0, see ATTRIBUTION.md)
go through our parser and our one coordinate conversion, and land within 2 pixels of the
reference rescale computed independently here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safety import geometry
from safety.parsing import parse_answer

DATA = {
    e["id"]: e
    for e in json.loads(
        (Path(__file__).parent / "data" / "qwen_outputs.json").read_text(encoding="utf-8")
    )
}

# id -> (original width, height, convention, frame the model saw (w, h) or None)
CASES = {
    # Qwen2.5-VL-7B in transformers at processor defaults: 1024x1024 became 1036x1036.
    "qwen25_7b_cakes_all": (1024, 1024, geometry.ABSOLUTE, (1036, 1036)),
    # The notebook printed the model input: 868x1400 for an 870x1398 receipt.
    "qwen25_7b_ocr_text_spotting": (870, 1398, geometry.ABSOLUTE, (868, 1400)),
    # Qwen3-VL answers in thousandths; the image stored in shared data is 1200x1600.
    "qwen3_food_boxes": (1200, 1600, geometry.RELATIVE_1000, None),
}


@pytest.mark.parametrize("answer_id", sorted(CASES))
def test_recorded_boxes_land_within_two_pixels(answer_id):
    width, height, convention, seen = CASES[answer_id]
    if seen is not None:
        # Our smart_resize reproduces the frame the processor made.
        assert geometry.smart_resize(height, width, 28)[::-1] == seen
        sent_w, sent_h = seen
    else:
        sent_w, sent_h = width, height
    frame = geometry.Frame(width, height, sent_w, sent_h)
    parsed = parse_answer(DATA[answer_id]["output"])
    assert parsed.objects
    for obj in parsed.objects:
        x1, y1, x2, y2 = obj.coords
        if convention == geometry.ABSOLUTE:
            ref = (
                x1 * width / sent_w,
                y1 * height / sent_h,
                x2 * width / sent_w,
                y2 * height / sent_h,
            )
        else:
            ref = (x1 / 1000 * width, y1 / 1000 * height, x2 / 1000 * width, y2 / 1000 * height)
        ref = (max(0, ref[0]), max(0, ref[1]), min(width, ref[2]), min(height, ref[3]))
        got = geometry.to_original(obj.coords, convention, frame).box
        assert got is not None
        assert max(abs(a - b) for a, b in zip(got, ref)) <= 2.0, (obj, got, ref)


def test_cakes_first_box_known_value():
    """Pin one value by hand: (43, 571, 209, 753) * 1024/1036."""
    obj = parse_answer(DATA["qwen25_7b_cakes_all"]["output"]).objects[0]
    box = geometry.to_original(
        obj.coords, geometry.ABSOLUTE, geometry.Frame(1024, 1024, 1036, 1036)
    ).box
    assert box == pytest.approx((42.50, 564.39, 206.58, 744.28), abs=0.01)


def test_malformed_and_point_answers_are_handled_honestly():
    anime = parse_answer(DATA["qwen3_anime_boxes_malformed"]["output"])
    assert len(anime.objects) == 9 and anime.notes
    points = parse_answer(DATA["qwen3_point_free_space"]["output"])
    assert points.objects == [] and points.points_ignored == 1
