"""The evaluation report's pictures: confusion tables as heat maps, and photos with the
labels (dashed) and the model's answer (solid, as ``safety.annotate`` draws it) on them."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from ..annotate import COLOURS, draw_detections
from ..images import encode_jpeg, load_image
from ..report.photos import PagePhoto
from ..report.styles import FONT, INK, MUTED, PALE
from .classmap import Target
from .metrics import PhotoScore

GOOD = (30, 140, 60)  # the diagonal: what was right
BAD = (200, 40, 40)  # everywhere else: what was wrong
PHOTO_SIDE = 1100  # long side of a drawn photo, in pixels


def _mix(rgb: tuple[int, int, int], share: float) -> colors.Color:
    """``rgb`` at ``share`` (0..1) over white."""
    r, g, b = (255 - (255 - c) * share for c in rgb)
    return colors.Color(r / 255, g / 255, b / 255)


def heat_map(
    rows: Sequence[tuple[str, str]],
    cols: Sequence[tuple[str, str]],
    values: dict[str, dict[str, int]],
    *,
    width: float,
    row_title: str,
    col_title: str,
    right: Sequence[str] = (),
) -> Drawing:
    """A confusion table as coloured cells: ``rows`` and ``cols`` are (key, shown name).

    A cell is shaded by its share of the row's total: green where the row's key equals the
    column's (right), red elsewhere; ``right`` names extra (row, column) keys that count as
    right, joined as "row|col". Counts are printed in every cell, zeros in grey; a column
    the row's dict lacks does not apply to it and stays blank.
    """
    label_w = max(58.0, 6.2 * max((len(name) for _, name in rows), default=4))
    head_h, cell_h, title_h = 26.0, 22.0, 12.0
    cell_w = (width - label_w) / max(1, len(cols))
    height = title_h + head_h + cell_h * len(rows)
    d = Drawing(width, height)
    d.initialFontName, d.initialFontSize = FONT, 8  # else the renderer names Helvetica
    d.add(String(label_w, height - 9, col_title, fontName=FONT, fontSize=7.5, fillColor=MUTED))
    d.add(
        String(
            0,
            height - title_h - head_h + 6,
            row_title,
            fontName=FONT,
            fontSize=7.5,
            fillColor=MUTED,
        )
    )
    for j, (_key, name) in enumerate(cols):
        x = label_w + j * cell_w + cell_w / 2
        d.add(
            String(
                x,
                height - title_h - 15,
                name,
                fontName=FONT,
                fontSize=8,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    for i, (row_key, row_name) in enumerate(rows):
        y = height - title_h - head_h - (i + 1) * cell_h
        d.add(String(0, y + 7, row_name, fontName=FONT, fontSize=8, fillColor=INK))
        row = values.get(row_key, {})
        total = sum(row.values())
        for j, (col_key, _name) in enumerate(cols):
            x = label_w + j * cell_w
            applies = col_key in row  # nothing labelled cannot be missed: such a cell is pale
            n = int(row[col_key]) if applies else 0
            good = col_key == row_key or f"{row_key}|{col_key}" in right
            share = n / total if total else 0.0
            fill = _mix(GOOD if good else BAD, 0.12 + 0.78 * share) if n else colors.white
            edge = colors.Color(0.8, 0.8, 0.82)
            d.add(Rect(x + 1, y + 1, cell_w - 2, cell_h - 2, fillColor=fill if applies else PALE,
                       strokeColor=edge, strokeWidth=0.5))  # fmt: skip
            if not applies:
                continue
            ink = colors.white if n and share > 0.55 else (INK if n else MUTED)
            d.add(
                String(
                    x + cell_w / 2,
                    y + 7.5,
                    str(n),
                    fontName=FONT,
                    fontSize=9,
                    fillColor=ink,
                    textAnchor="middle",
                )
            )
    return d


# -- photos ------------------------------------------------------------------------------------


def _target_colour(target: Target) -> tuple[int, int, int]:
    if target.category == "person" and target.status == "missing":
        return COLOURS["violation"]
    return COLOURS.get(target.category, COLOURS["other"])


def _dashed_rectangle(draw: ImageDraw.ImageDraw, box, colour, width: int, dash: int) -> None:
    """A rectangle of dashes in ``colour`` on a white line: visible on any background."""
    x1, y1, x2, y2 = box
    edges = [((x1, y1), (x2, y1)), ((x2, y1), (x2, y2)), ((x2, y2), (x1, y2)), ((x1, y2), (x1, y1))]
    for (ax, ay), (bx, by) in edges:
        draw.line((ax, ay, bx, by), fill=(255, 255, 255), width=width + 2)
        length = max(abs(bx - ax), abs(by - ay))
        steps = max(1, int(length // dash))
        for k in range(0, steps, 2):
            s0, s1 = k / steps, min(1.0, (k + 1) / steps)
            draw.line(
                (
                    ax + (bx - ax) * s0,
                    ay + (by - ay) * s0,
                    ax + (bx - ax) * s1,
                    ay + (by - ay) * s1,
                ),
                fill=colour,
                width=width,
            )


def marked_photo(score: PhotoScore, lang: str) -> PagePhoto | None:
    """The photo with the model's answer (solid, numbered) and the labels (dashed)."""
    try:
        loaded = load_image(score.truth.path.read_bytes(), need_long_side=PHOTO_SIDE)
    except Exception:  # the photo was read for the inspection; a later failure loses a picture
        return None
    img = loaded.image
    if max(img.size) > PHOTO_SIDE:
        img = img.copy()
        img.thumbnail((PHOTO_SIDE, PHOTO_SIDE), Image.Resampling.LANCZOS)
    scale = img.width / loaded.orig_w
    marked = draw_detections(img, score.detections, scale=scale, lang=lang)
    draw = ImageDraw.Draw(marked)
    line = max(2, round(max(marked.size) / 400))
    for target in score.targets:
        box = tuple(v * scale for v in target.box)
        _dashed_rectangle(draw, box, _target_colour(target), line, dash=max(6, line * 4))
    return PagePhoto(encode_jpeg(marked, quality=72), marked.width, marked.height)
