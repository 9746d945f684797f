"""How many heads does the drawing cover? The measure behind "heads stay visible".

For a drawn photo: the share of persons whose head region is crossed by any drawn pixel
other than their own box outline (another box's line, any tag, any leader line, a stamp).
The drawing is made twice on blank layers, one black and one white, with nothing else on
them; a pixel is drawn when either layer changed there (a black line does not change the
black layer, but it does change the white one). A person's own outline is the band along
its own box's edges as wide as that outline is drawn.

Head regions are ``placement.head_region`` of each person box unless given, e.g. the
labelled head boxes of a data set, which are the truth where they exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PIL import Image

from .annotate import Style, draw_detections, drawn_box
from .detections import Detection
from .placement import Rect, head_region

Draw = Callable[[Image.Image], Image.Image]


def drawn_mask(size: tuple[int, int], draw: Draw) -> np.ndarray:
    """True where ``draw`` puts any pixel on a blank ``size`` image (height x width)."""
    black = np.asarray(draw(Image.new("RGB", size, (0, 0, 0))).convert("RGB"))
    white = np.asarray(draw(Image.new("RGB", size, (255, 255, 255))).convert("RGB"))
    return (black.max(axis=2) > 0) | (white.min(axis=2) < 255)


def heads_crossed(
    mask: np.ndarray,
    boxes: Sequence[Rect],
    outlines: Sequence[float],
    heads: Sequence[Rect | None] | None = None,
    drawn: Sequence[Rect] | None = None,
) -> list[bool]:
    """For each person box (drawn pixels): is its head region crossed by a drawn pixel that
    is not its own outline, a band ``outlines[i]`` wide along the edges of the box as drawn
    (``drawn[i]``, where a drawing moved it inside the photo; else the box)?"""
    height, width = mask.shape
    crossed = []
    for i, box in enumerate(boxes):
        head = heads[i] if heads is not None and heads[i] is not None else None
        head = head or head_region(box, (width, height))
        hx1, hy1 = max(0, int(head[0])), max(0, int(head[1]))
        hx2, hy2 = min(width, int(np.ceil(head[2]))), min(height, int(np.ceil(head[3])))
        if hx2 <= hx1 or hy2 <= hy1:
            crossed.append(False)
            continue
        region = mask[hy1:hy2, hx1:hx2].copy()
        xs = np.arange(hx1, hx2)[None, :]
        ys = np.arange(hy1, hy2)[:, None]
        band = outlines[i] + 1  # rounding of the box to whole pixels
        x1, y1, x2, y2 = drawn[i] if drawn is not None else box
        inside_x = (xs >= x1 - band) & (xs <= x2 + band)
        inside_y = (ys >= y1 - band) & (ys <= y2 + band)
        own = ((np.abs(xs - x1) <= band) | (np.abs(xs - x2) <= band)) & inside_y | (
            (np.abs(ys - y1) <= band) | (np.abs(ys - y2) <= band)
        ) & inside_x
        region &= ~own
        crossed.append(bool(region.any()))
    return crossed


def covered_share(
    image_size: tuple[int, int],
    detections: Sequence[Detection],
    *,
    scale: float = 1.0,
    lang: str = "en",
    heads: Sequence[Rect | None] | None = None,
    draw: Draw | None = None,
    outline: Callable[[Detection], float] | None = None,
) -> tuple[int, int]:
    """(persons whose head is crossed, persons) for ``detections`` drawn on an image of
    ``image_size``. ``heads``: one head box (drawn pixels) or None per person, in order.
    ``draw`` and ``outline`` default to this project's drawing; a benchmark passes another
    drawing (and its outline width) to compare."""
    detections = list(detections)
    if draw is None:

        def draw(img: Image.Image) -> Image.Image:
            return draw_detections(img, detections, scale=scale, lang=lang)

    drawn = None
    if outline is None:  # this project's drawing: its line widths and where it draws boxes
        outline = Style.for_size(*image_size).outline
        drawn = [drawn_box(d, scale, image_size) for d in detections if d.category == "person"]
    people = [d for d in detections if d.category == "person"]
    if not people:
        return 0, 0
    mask = drawn_mask(image_size, draw)
    w, h = image_size
    boxes = [(max(0, x1 * scale), max(0, y1 * scale), min(w, x2 * scale), min(h, y2 * scale))
             for x1, y1, x2, y2 in (d.box for d in people)]  # fmt: skip
    crossed = heads_crossed(mask, boxes, [outline(d) for d in people], heads, drawn)
    return sum(crossed), len(people)
