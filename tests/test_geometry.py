"""Resize and coordinate maths: property-based, plus the published reference values."""

from __future__ import annotations

import math
from unittest import mock

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


@pytest.mark.slow
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
    # Never more than the photo's own pixels, unless the grid forces it: on the coarse 224
    # grid a small photo may need a cell more on each side to keep its shape (520x647 gets
    # 672x896), never more than that.
    ratio = max(w, h) / min(w, h)
    cells = (math.ceil(w / grid) + 1) * grid * (math.ceil(h / grid) + 1) * grid
    assert fw * fh <= max(w * h * 1.6, geometry.MIN_FRAME_PIXELS * (ratio + 1), cells)


boxes = st.tuples(*(st.floats(min_value=-500, max_value=5000, allow_nan=False),) * 4)


@pytest.mark.slow
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


@pytest.mark.slow
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


# -- choose_frame does a bounded amount of work -----------------------------------------------


def _reference_choose_frame(width: int, height: int, grid: int, max_pixels: int):
    """choose_frame as it was before it became O(1): every short side on the grid, in turn
    (grid, 2*grid, ... while short*grid <= max_pixels). Millions of steps for a huge
    max_pixels; the answer the bounded search must give, exactly."""
    if width <= 0 or height <= 0:
        raise ValueError("image sides must be positive")
    if max_pixels < grid * grid:
        raise ValueError(f"max_pixels {max_pixels} is smaller than one {grid}x{grid} cell")
    long_in, short_in = max(width, height), min(width, height)
    ratio = long_in / short_in
    target = max(min(width * height, max_pixels), min(geometry.MIN_FRAME_PIXELS, max_pixels))
    best = None
    short = grid
    while short * grid <= max_pixels:
        ideal_long = short * ratio
        for long_k in {math.floor(ideal_long / grid), math.ceil(ideal_long / grid)}:
            long = max(long_k * grid, short)
            long = min(long, geometry.MAX_ASPECT_RATIO * short // grid * grid)
            long = min(long, max_pixels // short // grid * grid)
            if long < short or long * short < geometry.SERVER_MIN_PIXELS:
                continue
            distortion = abs(math.log((long / short) / ratio))
            area_gap = abs(math.log((long * short) / target))
            cost = distortion * 4 + area_gap
            if best is None or cost < best[0]:
                best = (cost, long, short)
        short += grid
    if best is None:
        raise ValueError(f"no {grid}-pixel frame fits in {max_pixels} pixels")
    _, long, short = best
    return (long, short) if width >= height else (short, long)


# Short sides tried per call, whatever the photo or the limit (25 is the most seen).
MAX_SHORT_SIDES_TRIED = 40


def _counted_choose_frame(w, h, grid, limit):
    """(frame or the ValueError's message, how many short sides were tried)."""
    with mock.patch.object(geometry, "_candidates", wraps=geometry._candidates) as spy:
        try:
            got = choose_frame(w, h, grid, limit)
        except ValueError as exc:
            got = str(exc)
    return got, spy.call_count


def _reference_or_error(w, h, grid, limit):
    try:
        return _reference_choose_frame(w, h, grid, limit)
    except ValueError as exc:
        return str(exc)


photo_sides = st.integers(min_value=1, max_value=20_000)
product_limits = st.integers(min_value=50_176, max_value=12_845_056)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(photo_sides, photo_sides, grids, product_limits)
def test_choose_frame_matches_the_exhaustive_search(w, h, grid, limit):
    got, tried = _counted_choose_frame(w, h, grid, limit)
    assert got == _reference_choose_frame(w, h, grid, limit)
    assert tried <= MAX_SHORT_SIDES_TRIED


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    photo_sides,
    st.integers(min_value=1, max_value=400),
    st.booleans(),
    grids,
    product_limits,
)
def test_choose_frame_matches_the_exhaustive_search_for_elongated_photos(
    long, stretch, tall, grid, limit
):
    """Panoramas and strips, up to twice the 200:1 the models accept."""
    short = max(1, long // stretch)
    w, h = (short, long) if tall else (long, short)
    got, tried = _counted_choose_frame(w, h, grid, limit)
    assert got == _reference_choose_frame(w, h, grid, limit)
    assert tried <= MAX_SHORT_SIDES_TRIED


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=3000),
    st.integers(min_value=1, max_value=3000),
    grids,
    st.integers(min_value=0, max_value=60_000),
)
def test_choose_frame_matches_the_exhaustive_search_for_tiny_limits(w, h, grid, extra):
    """Limits from one grid cell up, below what the product allows: the same frame, or the
    same refusal when no frame fits."""
    limit = grid * grid + extra
    got, tried = _counted_choose_frame(w, h, grid, limit)
    assert got == _reference_or_error(w, h, grid, limit)
    assert tried <= MAX_SHORT_SIDES_TRIED


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(photo_sides, photo_sides, grids, st.integers(min_value=50_176, max_value=2_000_000))
def test_the_short_sides_searched_hold_every_one_that_could_win(w, h, grid, limit):
    """The reasoning choose_frame rests on: a frame with short side s costs at least
    base + 2*|log(s / ideal)|, so only short sides where that bound is within the best cost
    can win, and all of those are searched."""
    ratio = max(w, h) / min(w, h)
    target = max(min(w * h, limit), min(geometry.MIN_FRAME_PIXELS, limit))
    shape = min(ratio, geometry.MAX_ASPECT_RATIO)
    base, ideal = 4 * math.log(ratio / shape), math.sqrt(target / shape)
    costs = {}
    for short in range(grid, limit // grid + 1, grid):
        for cost, _ in geometry._candidates(short, ratio, target, grid, limit):
            costs[short] = min(cost, costs.get(short, math.inf))
    searched = set(geometry._short_sides(ratio, target, grid, limit))
    best = min(costs.values())
    for short, cost in costs.items():
        bound = base + 2 * abs(math.log(short / ideal))
        assert cost >= bound - 1e-9
        if bound <= best + 1e-9:
            assert short in searched, (short, sorted(searched))


@pytest.mark.parametrize(
    "w, h, grid, limit, expected",
    [
        # The request that took 21 s: 12.7 million short sides before. The expected frames
        # were computed once with _reference_choose_frame.
        (4000, 3000, 28, 10**10, (4004, 2996)),
        (4000, 3000, 224, 10**10, (3808, 2912)),
        (3000, 4000, 32, 10**10, (3008, 4000)),
        (20000, 1, 28, 10**10, (5600, 28)),
        (1, 1, 224, 10**10, (224, 224)),
        (1, 1, 28, 10**9, (224, 224)),
        # Far beyond anything the product accepts: the same few steps.
        (4000, 3000, 28, 10**18, (4004, 2996)),
        (10**6, 10**6, 32, 10**12, (10**6, 10**6)),
        (10**6, 1, 224, 10**15, (44800, 224)),
    ],
)
def test_choose_frame_with_huge_limits_takes_a_few_steps(w, h, grid, limit, expected):
    got, tried = _counted_choose_frame(w, h, grid, limit)
    assert got == expected
    assert tried <= MAX_SHORT_SIDES_TRIED


def test_choose_frame_refuses_like_before():
    for args in [(0, 10, 28, 10**6), (10, -1, 28, 10**6), (10, 10, 28, 783)]:
        with pytest.raises(ValueError) as new:
            choose_frame(*args)
        with pytest.raises(ValueError) as old:
            _reference_choose_frame(*args)
        assert str(new.value) == str(old.value)
    # One 28x28 cell is allowed, but below the servers' min_pixels: no frame fits.
    assert _counted_choose_frame(500, 500, 28, 784)[0] == "no 28-pixel frame fits in 784 pixels"
    assert _reference_or_error(500, 500, 28, 784) == "no 28-pixel frame fits in 784 pixels"


def test_one_iou_for_every_box_pair():
    from safety.geometry import intersection, iou

    assert iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert iou((0, 0, 10, 10), (5, 0, 15, 10)) == 50 / 150
    assert iou((0, 0, 10, 10), (10, 0, 20, 10)) == 0.0  # touching edges share nothing
    assert iou((5, 5, 5, 9), (0, 0, 10, 10)) == 0.0  # a box with no area overlaps nothing
    assert iou((10, 10, 0, 0), (0, 0, 10, 10)) == 0.0  # nor does a box with sides swapped
    assert intersection((0, 0, 4, 4), (2, 2, 8, 8)) == 4.0
