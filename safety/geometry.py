"""Resize and coordinate maths: the ONLY place model coordinates become photo pixels.

Two conventions exist among Qwen models (docs/endpoints.md: "Coordinates"):
  absolute       pixels in the frame the model saw (after the server's own resize)
  relative-1000  0..1000 on each axis of whatever frame the model saw

We send a frame the server keeps unchanged (sides on the server's grid, area inside its
limits), so for "absolute" the frame the model saw is the frame we sent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

ABSOLUTE = "absolute"
RELATIVE_1000 = "relative-1000"
CONVENTIONS = (ABSOLUTE, RELATIVE_1000)

# Server defaults of the Qwen2.5-VL / Qwen3-VL processors in vLLM and transformers.
SERVER_MIN_PIXELS = 3136
SERVER_MAX_PIXELS = 12845056
# lcm(28, 32): a frame on this grid is kept by both the 28-grid (Qwen2.5-VL) and the
# 32-grid (Qwen3-VL, recent qwen-vl-max) processors.
UNIVERSAL_GRID = 224
MAX_ASPECT_RATIO = 200
# Smallest frame we send: enough for the model to see something in a thumbnail.
MIN_FRAME_PIXELS = 224 * 224


def smart_resize(
    height: int,
    width: int,
    factor: int = 28,
    min_pixels: int = SERVER_MIN_PIXELS,
    max_pixels: int = SERVER_MAX_PIXELS,
) -> tuple[int, int]:
    """The Qwen processors' resize rule, returning (height, width) like qwen-vl-utils.

    Mirrors qwen_vl_utils.vision_process.smart_resize and transformers'
    image_processing_qwen2_vl.smart_resize: each side rounded to a multiple of ``factor``,
    then scaled down (floor) or up (ceil) to fit [min_pixels, max_pixels].
    """
    if height <= 0 or width <= 0:
        raise ValueError("image sides must be positive")
    if max(height, width) / min(height, width) > MAX_ASPECT_RATIO:
        raise ValueError(f"aspect ratio over {MAX_ASPECT_RATIO} is refused by Qwen models")
    h_bar = max(factor, round(height / factor) * factor)
    w_bar = max(factor, round(width / factor) * factor)
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt((height * width) / max_pixels)
        h_bar = max(factor, math.floor(height / beta / factor) * factor)
        w_bar = max(factor, math.floor(width / beta / factor) * factor)
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h_bar = math.ceil(height * beta / factor) * factor
        w_bar = math.ceil(width * beta / factor) * factor
    return h_bar, w_bar


def choose_frame(width: int, height: int, grid: int, max_pixels: int) -> tuple[int, int]:
    """The (width, height) to send: sides on ``grid``, area <= max_pixels, shape close to
    the photo's, never larger than needed.

    A frame chosen here is a fixed point of smart_resize for that grid whenever the server's
    max_pixels is at least ours, so absolute answers come back in this very frame.
    Coarse grids (224) would distort small or very elongated photos; we then allow a
    slightly larger frame (still inside max_pixels) whose shape is closer to the photo's.
    """
    if width <= 0 or height <= 0:
        raise ValueError("image sides must be positive")
    if max_pixels < grid * grid:
        raise ValueError(f"max_pixels {max_pixels} is smaller than one {grid}x{grid} cell")
    long_in, short_in = max(width, height), min(width, height)
    ratio = long_in / short_in
    # Area we aim at: the photo's own, capped at max_pixels (never upscale big photos), and
    # at least MIN_FRAME_PIXELS: tiny photos are enlarged, as the server would do anyway.
    target = max(min(width * height, max_pixels), min(MIN_FRAME_PIXELS, max_pixels))
    best: tuple[float, int, int] | None = None
    # The short sides on the grid that can win, smallest first (ties go to the smaller), and
    # for each the long sides on the grid nearest the photo's shape.
    for short in _short_sides(ratio, target, grid, max_pixels):
        for cost, long in _candidates(short, ratio, target, grid, max_pixels):
            if best is None or cost < best[0]:
                best = (cost, long, short)
    if best is None:
        raise ValueError(f"no {grid}-pixel frame fits in {max_pixels} pixels")
    _, long, short = best
    return (long, short) if width >= height else (short, long)


def _candidates(short: int, ratio: float, target: int, grid: int, max_pixels: int):
    """(cost, long side) of the frames with this short side that the server keeps as sent."""
    ideal_long = short * ratio
    for long_k in {math.floor(ideal_long / grid), math.ceil(ideal_long / grid)}:
        long = max(long_k * grid, short)
        long = min(long, MAX_ASPECT_RATIO * short // grid * grid)
        long = min(long, max_pixels // short // grid * grid)
        # Outside the server's [min_pixels, max_pixels] the server would resize it.
        if long < short or long * short < SERVER_MIN_PIXELS:
            continue
        distortion = abs(math.log((long / short) / ratio))
        area_gap = abs(math.log((long * short) / target))
        yield distortion * 4 + area_gap, long  # shape first, then size near the target


def _short_sides(ratio: float, target: int, grid: int, max_pixels: int) -> range:
    """The short sides worth trying: a few grid steps, however large the photo or the limit.

    Every short side s on the grid with s * grid <= max_pixels is allowed. Whatever its long
    side L, the cost is 4*|a| + |a + b| >= 3*|a| + |b| >= |b|, with a = log(L / (s*ratio))
    and b = log(s*s*ratio / target) = 2*log(s / ideal), ideal = sqrt(target / ratio). Past
    MAX_ASPECT_RATIO every L is at most that many times s, so |a| >= log(ratio / 200) and the
    same steps give base + 2*|log(s / ideal)| with base = 4*log(ratio / 200) and the ideal
    taken at 200. So once one frame costs C, a short side can only win if that bound is at
    most C: a window a few steps around the ideal, returned whole, smallest side first, so
    that the exhaustive search's tie-break (the first, smallest frame) is kept.
    """
    steps = max_pixels // (grid * grid)  # short = k * grid for k in 1..steps
    shape = min(ratio, MAX_ASPECT_RATIO)
    base = 4 * math.log(ratio / shape)
    ideal = math.sqrt(target / shape)
    centre = min(max(round(ideal / grid), 1), steps)
    # A cost to beat: the cheapest frame whose short side is next to the ideal (or the
    # nearest one that fits at all, for limits so small that few frames do).
    cost, reach = math.inf, 1
    while True:
        low, high = max(centre - reach, 1), min(centre + reach, steps)
        for k in range(low, high + 1):
            for c, _ in _candidates(k * grid, ratio, target, grid, max_pixels):
                cost = min(cost, c)
        if not math.isinf(cost) or (low, high) == (1, steps):
            break
        reach *= 2
    if math.isinf(cost):
        return range(0)  # every short side was tried and none fits: the caller says so
    # Float slack, and one step more each side: a wider window only costs a few candidates.
    half = (cost - base) / 2 + 1e-6
    low = max(math.floor(ideal * math.exp(-half) / grid) - 1, 1)
    if half >= math.log(steps * grid / ideal):
        high = steps
    else:
        high = min(math.ceil(ideal * math.exp(half) / grid) + 1, steps)
    return range(low * grid, high * grid + 1, grid)


@dataclass(frozen=True)
class Frame:
    """How a photo was sent: original upright size and the size of the frame sent."""

    orig_w: int
    orig_h: int
    sent_w: int
    sent_h: int

    def __post_init__(self) -> None:
        # A zero or negative size would make to_original drop every box without a word
        # (or divide by zero), so such a frame is refused where it is made.
        sizes = {f.name: getattr(self, f.name) for f in fields(self)}
        bad = [f"{name}={value!r}" for name, value in sizes.items() if not value > 0]
        if bad:
            raise ValueError(
                f"Frame sizes must be positive, got {', '.join(bad)} (photo "
                f"{self.orig_w}x{self.orig_h}, frame sent {self.sent_w}x{self.sent_h})"
            )


@dataclass(frozen=True)
class BoxFix:
    """What happened to one box on its way to photo pixels."""

    box: tuple[float, float, float, float] | None  # None when dropped
    clamped: bool = False
    swapped: bool = False


def to_original(coords: tuple[float, float, float, float], convention: str, frame: Frame) -> BoxFix:
    """Model coordinates -> (x1, y1, x2, y2) in original upright pixels.

    Swapped corners are put in order, the box is clamped to the photo, and a box with no
    area left is dropped (box None). The caller reports what was fixed.
    """
    x1, y1, x2, y2 = (float(v) for v in coords)
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)):
        return BoxFix(None)
    if convention == ABSOLUTE:
        sx, sy = frame.orig_w / frame.sent_w, frame.orig_h / frame.sent_h
    elif convention == RELATIVE_1000:
        sx, sy = frame.orig_w / 1000.0, frame.orig_h / 1000.0
    else:
        raise ValueError(f"unknown coordinate convention {convention!r}")
    swapped = x1 > x2 or y1 > y2
    x1, x2 = sorted((x1 * sx, x2 * sx))
    y1, y2 = sorted((y1 * sy, y2 * sy))
    cx1, cx2 = (min(max(v, 0.0), float(frame.orig_w)) for v in (x1, x2))
    cy1, cy2 = (min(max(v, 0.0), float(frame.orig_h)) for v in (y1, y2))
    clamped = (cx1, cy1, cx2, cy2) != (x1, y1, x2, y2)
    # Less than one pixel wide or tall after clamping: nothing left to draw or report.
    if cx2 - cx1 < 1.0 or cy2 - cy1 < 1.0:
        return BoxFix(None, clamped=clamped, swapped=swapped)
    return BoxFix((cx1, cy1, cx2, cy2), clamped=clamped, swapped=swapped)


def to_original_at(
    coords: tuple[float, float, float, float],
    convention: str,
    frame: Frame,
    left: float = 0.0,
    top: float = 0.0,
) -> BoxFix:
    """to_original for a frame cut out of the photo at (left, top): a tile or a crop.

    ``frame`` describes the cut-out part (its size in original pixels and the frame it was
    sent as); the box is converted and clamped inside that part, then moved by its offset.
    """
    fix = to_original(coords, convention, frame)
    if fix.box is None or (left, top) == (0, 0):
        return fix
    x1, y1, x2, y2 = fix.box
    return BoxFix((x1 + left, y1 + top, x2 + left, y2 + top), fix.clamped, fix.swapped)


# How two boxes (x1, y1, x2, y2) overlap: the one definition for the tile merge, the
# calibration probe and the evaluation's matching. A box with no area counts as empty.
def box_area(b) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def intersection(a, b) -> float:
    """The area two boxes share (0 when they do not touch)."""
    return box_area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def iou(a, b) -> float:
    """Intersection over union: 1 for the same box, 0 for boxes apart (or with no area)."""
    inter = intersection(a, b)
    union = box_area(a) + box_area(b) - inter
    return inter / union if inter > 0 and union > 0 else 0.0
