"""Whatever the model answers, a photo ends with valid boxes inside it or with our own
error: never a crash, never a box outside the photo (property-based)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safety import geometry
from safety.backends.calibration import Plan
from safety.config import load_settings
from safety.detections import CATEGORIES, ImageResult
from safety.errors import SafetyError
from safety.inspection import Inspector
from safety.limits import DEFAULT_MAX_PIXELS
from tests.fakes import FakeModel

numbers = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.none(),
)
objects = st.fixed_dictionaries(
    {},
    optional={
        "bbox_2d": st.lists(numbers, min_size=0, max_size=6),
        "label": st.one_of(st.text(max_size=20), st.sampled_from(["火灾", "smoke", "人员"])),
        "sub_label": st.one_of(st.text(max_size=20), st.integers()),
        "point_2d": st.lists(numbers, max_size=3),
    },
)
answers = st.one_of(
    st.text(max_size=400),
    st.lists(objects, max_size=8).map(lambda xs: "```json\n" + json.dumps(xs) + "\n```"),
    st.lists(objects, max_size=8)
    .map(json.dumps)
    .flatmap(lambda s: st.integers(0, len(s)).map(lambda k: s[:k])),  # cut anywhere
)


def _inspector() -> Inspector:
    settings = load_settings({}, base_url="http://fake.invalid/v1", model="m", coords="absolute")
    return Inspector(settings, model=FakeModel())  # only its answer reading is exercised


INSPECTOR = _inspector()


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers,
    st.sampled_from(geometry.CONVENTIONS),
    st.sampled_from([None, "stop", "length"]),
    st.integers(16, 5000),
    st.integers(16, 5000),
)
def test_any_answer_gives_boxes_inside_the_photo_or_our_error(text, convention, finish, w, h):
    result = ImageResult(
        source="x",
        width=w,
        height=h,
        frame=(max(28, w // 4 // 28 * 28), max(28, h // 4 // 28 * 28)),
    )
    plan = Plan(convention, 28, DEFAULT_MAX_PIXELS, "configured")
    try:
        detections = INSPECTOR._read_answer(text, finish, plan, result)
    except SafetyError:
        return  # our own, explained error: fine
    for d in detections:
        x1, y1, x2, y2 = d.box
        assert 0 <= x1 < x2 <= w and 0 <= y1 < y2 <= h
        assert d.category in CATEGORIES
        assert isinstance(d.label, str) and isinstance(d.sub_label, str)
