"""Resize and coordinate maths: property-based, plus the published reference values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safety import geometry
from safety.geometry import Frame, choose_frame, smart_resize, to_original
from safety.limits import DEFAULT_MAX_PIXELS

sides = st.integers(min_value=16, max_value=8000)
grids = st.sampled_from([28, 32, 224])
max_pixels = st.sampled_from([200_704, 401_408, DEFAULT_MAX_PIXELS, 1_310_720])


@pytest.mark.parametrize(
    "h, w, factor, expected",
    [
        # The Qwen2.5-VL cookbook's OCR example: the notebook printed 1400x868 for 1398x870.
        (1398, 870, 28, (1400, 868)),
        # cakes.png, 1024x1024, 7B processor defaults: 1036x1036 (multiply boxes by 1024/1036).
        (1024, 1024, 28, (1036, 1036)),
        # A 12 MP photo at the default vLLM limit is kept near full size (16k tokens).
        (3000, 4000, 28, (2996, 4004)),
        # Tiny images are scaled up to min_pixels.
        (20, 30, 28, (56, 84)),
    ],
)
def test_smart_resize_reference_values(h, w, factor, expected):
    assert smart_resize(h, w, factor) == expected


def test_smart_resize_refuses_extreme_aspect_ratio():
    with pytest.raises(ValueError):
        smart_resize(10, 2500, 28)


@settings(max_examples=300, deadline=None)
@given(sides, sides, grids, max_pixels)
def test_chosen_frame_is_kept_by_the_server(w, h, grid, limit):
    """The frame we send is a fixed point of the server's resize for its grid, as long as the
    server's max_pixels is at least ours: absolute answers then come back in our frame."""
    if max(w, h) / min(w, h) > 150:
        return
    fw, fh = choose_frame(w, h, grid, limit)
    assert fw % grid == 0 and fh % grid == 0
    assert fw * fh <= limit
    server_grids = [grid] if grid != 224 else [28, 32]
    for g in server_grids:
        assert smart_resize(fh, fw, g, max_pixels=limit) == (fh, fw)
        assert smart_resize(fh, fw, g) == (fh, fw)


def _best_shape(w: int, h: int, grid: int) -> float:
    """The least distortion of any frame on ``grid`` inside DEFAULT_MAX_PIXELS."""
    ratio = max(w, h) / min(w, h)
    best = math.inf
    for short in range(grid, int(math.sqrt(DEFAULT_MAX_PIXELS)) + 1, grid):
        for long in range(short, DEFAULT_MAX_PIXELS // short + 1, grid):
            if long * short >= geometry.SERVER_MIN_PIXELS:
                best = min(best, abs(math.log(long / short / ratio)))
    return best


@settings(max_examples=300, deadline=None)
@given(sides, sides, grids)
def test_chosen_frame_keeps_the_shape(w, h, grid):
    if max(w, h) / min(w, h) > 8:
        return
    if grid == 224 and min(w, h) < 448:
        return  # the coarse grid cannot follow small photos' shapes; boxes still map exactly
    fw, fh = choose_frame(w, h, grid, DEFAULT_MAX_PIXELS)
    distortion = abs(math.log((fw / fh) / (w / h)))
    # Within about 12% of the photo's aspect ratio on the fine grids; the coarse 224 grid
    # trades some shape for size on small photos (boxes still map exactly). An elongated
    # photo may need a long side that max_pixels does not allow (448x2792 can get no better
    # than 448x2240): then the shape is as close as any frame that fits can be.
    assert distortion < max(0.12 if grid <= 32 else 0.22, _best_shape(w, h, grid) + 0.02)
    # Never more than the photo's own pixels, unless the grid forces a minimum size.
    ratio = max(w, h) / min(w, h)
    assert fw * fh <= max(w * h * 1.6, geometry.MIN_FRAME_PIXELS * (ratio + 1))


boxes = st.tuples(*(st.floats(min_value=-500, max_value=5000, allow_nan=False),) * 4)


@settings(max_examples=500, deadline=None)
@given(boxes, sides, sides, st.sampled_from(geometry.CONVENTIONS))
def test_mapped_boxes_are_inside_the_photo_and_ordered(coords, w, h, convention):
    frame = Frame(w, h, max(28, w // 3 // 28 * 28), max(28, h // 3 // 28 * 28))
    fix = to_original(coords, convention, frame)
    if fix.box is None:
        return
    x1, y1, x2, y2 = fix.box
    assert 0 <= x1 < x2 <= w and 0 <= y1 < y2 <= h
    assert x2 - x1 >= 1 and y2 - y1 >= 1


@settings(max_examples=300, deadline=None)
@given(st.integers(100, 6000), st.integers(100, 6000), st.floats(0.0, 0.8), st.floats(0.0, 0.8))
def test_absolute_round_trip(w, h, fx, fy):
    """A box placed in the sent frame maps back onto the same place in the photo."""
    fw, fh = choose_frame(w, h, 28, DEFAULT_MAX_PIXELS)
    frame = Frame(w, h, fw, fh)
    truth = (fx * w, fy * h, (fx + 0.2) * w, (fy + 0.2) * h)
    in_frame = (truth[0] * fw / w, truth[1] * fh / h, truth[2] * fw / w, truth[3] * fh / h)
    got = to_original(in_frame, geometry.ABSOLUTE, frame).box
    assert got == pytest.approx(truth, abs=1e-6)


def test_relative_uses_thousandths_of_the_photo():
    frame = Frame(4000, 3000, 1148, 868)
    assert to_original((250, 500, 750, 1000), geometry.RELATIVE_1000, frame).box == (
        1000.0,
        1500.0,
        3000.0,
        3000.0,
    )


def test_swapped_clamped_and_degenerate_boxes():
    frame = Frame(1000, 500, 1000, 500)
    fix = to_original((900, 400, 100, 100), geometry.ABSOLUTE, frame)
    assert fix.swapped and fix.box == (100, 100, 900, 400)
    fix = to_original((-50, -10, 1200, 600), geometry.ABSOLUTE, frame)
    assert fix.clamped and fix.box == (0, 0, 1000, 500)
    assert to_original((10, 10, 10, 400), geometry.ABSOLUTE, frame).box is None
    assert to_original((1200, 10, 1300, 400), geometry.ABSOLUTE, frame).box is None
    assert to_original((float("inf"), 0, 1, 1), geometry.ABSOLUTE, frame).box is None


@pytest.mark.parametrize(
    "sizes, named",
    [
        ((0, 480, 448, 336), ["orig_w=0"]),
        ((640, 0, 448, 336), ["orig_h=0"]),
        ((640, 480, 0, 336), ["sent_w=0"]),
        ((640, 480, 448, 0), ["sent_h=0"]),
        ((-640, 480, 448, 336), ["orig_w=-640"]),
        ((640, 480, 448, -28), ["sent_h=-28"]),
        ((0, 0, 0, 0), ["orig_w=0", "orig_h=0", "sent_w=0", "sent_h=0"]),
        ((640, -1, -448, 336), ["orig_h=-1", "sent_w=-448"]),
        ((640.0, 480, float("nan"), 336), ["sent_w=nan"]),
    ],
)
def test_frame_refuses_sizes_of_zero_or_less(sizes, named):
    with pytest.raises(ValueError, match="Frame sizes must be positive") as caught:
        Frame(*sizes)
    message = str(caught.value)
    for name in named:
        assert name in message
    # Only the bad sizes are named as such.
    good = {"orig_w", "orig_h", "sent_w", "sent_h"} - {n.split("=")[0] for n in named}
    for name in good:
        assert f"{name}=" not in message


@pytest.mark.parametrize(
    "sizes",
    [(1, 1, 1, 1), (640, 480, 448, 336), (4000, 3000, 1148, 868), (16, 8000, 28, 5600)],
)
def test_frame_accepts_positive_sizes(sizes):
    frame = Frame(*sizes)
    assert (frame.orig_w, frame.orig_h, frame.sent_w, frame.sent_h) == sizes
