"""The drawing as it was before tags learned to avoid heads (commit 99a9c83), kept so that
benchmarks/crowd.py can measure both: labels always above the box (inside when there is no
room), lines max(2, long side / 350) wide with a dark edge, twice that for a person without
a hard hat, text long side / 50."""

from __future__ import annotations

from PIL import Image, ImageDraw

from safety.annotate import _text_colour as text_colour
from safety.annotate import caption, colour_for, faded, font
from safety.detections import Detection


def line_width(size: tuple[int, int]) -> int:
    return max(2, round(max(size) / 350))


def outline(size: tuple[int, int], det: Detection) -> int:
    """Width of a box's drawn line, dark edge included."""
    line = line_width(size)
    return (line * 2 if det.is_violation and det.stands else line) + 2


def draw_before(image: Image.Image, detections, *, scale: float = 1.0, lang: str = "en"):
    out = image.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    w, h = out.size
    line = line_width((w, h))
    text_size = max(12, round(max(w, h) / 50))
    fnt = font(text_size)
    pad = max(2, text_size // 5)
    numbered = list(enumerate(detections, start=1))
    by_area = sorted(
        numbered, key=lambda p: -(p[1].box[2] - p[1].box[0]) * (p[1].box[3] - p[1].box[1])
    )
    placed = []
    for index, det in by_area:
        x1, y1, x2, y2 = (v * scale for v in det.box)
        x1, y1 = max(0, round(x1)), max(0, round(y1))
        x2, y2 = min(w - 1, round(x2)), min(h - 1, round(y2))
        width = line * 2 if det.is_violation and det.stands else line
        colour = colour_for(det) if det.stands else faded(colour_for(det))
        draw.rectangle((x1, y1, x2, y2), outline=(0, 0, 0), width=width + 2)
        draw.rectangle((x1 + 1, y1 + 1, x2 - 1, y2 - 1), outline=colour, width=width)
        placed.append((index, (x1, y1, x2, y2), det))
    for index, (x1, y1, _x2, _y2), det in placed:
        text = caption(index, det, lang)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=fnt)
        tw, th = right - left + 2 * pad, bottom - top + 2 * pad
        tx = min(max(0, x1), max(0, w - tw))
        ty = y1 - th if y1 - th >= 0 else min(y1, max(0, h - th))
        fill = colour_for(det) if det.stands else faded(colour_for(det))
        draw.rectangle((tx, ty, tx + tw, ty + th), fill=fill, outline=(0, 0, 0))
        draw.text((tx + pad - left, ty + pad - top), text, font=fnt, fill=text_colour(fill))
    return out
