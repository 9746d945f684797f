"""Drawing boxes and labels on the photo.

Fire red, smoke blue, persons green; a person WITHOUT a hard hat gets its own colour
(magenta), a thicker box and a "NO HARD HAT" tag so it cannot be missed. Line width and
text size follow the photo's size. Each label sits on a filled tab in the box's colour with
black or white text chosen for contrast, and every box has a thin dark outline, so both
stay readable on dark and light backgrounds. Labels are kept inside the photo.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .detections import Detection
from .i18n import detection_caption

FONT_PATH = Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei.ttc"

COLOURS = {
    "fire": (230, 30, 30),
    "smoke": (30, 110, 240),
    "person": (20, 170, 70),
    "violation": (235, 0, 190),  # person without a hard hat
    "other": (150, 150, 150),
}


def colour_for(det: Detection) -> tuple[int, int, int]:
    if det.is_violation:
        return COLOURS["violation"]
    return COLOURS.get(det.category, COLOURS["other"])


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont:
    """The embedded CJK font (index 0 of the .ttc is WenQuanYi Micro Hei)."""
    return ImageFont.truetype(str(FONT_PATH), size=size, index=0)


def _text_colour(fill: tuple[int, int, int]) -> tuple[int, int, int]:
    r, g, b = fill
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    return (0, 0, 0) if luminance > 150 else (255, 255, 255)


def caption(index: int, det: Detection, lang: str = "en") -> str:
    if det.category == "other":
        # Nothing of ours to say: show the model's own words, kept short (still just pixels).
        label = " ".join(det.label.split())
        return f"{index} {label[:28] + '…' if len(label) > 28 else label or '?'}"
    text = f"{index} {detection_caption(det.category, det.status, lang)}"
    if det.is_violation:
        text += " !"
    return text


def draw_detections(
    image: Image.Image,
    detections: list[Detection],
    *,
    scale: float = 1.0,
    lang: str = "en",
) -> Image.Image:
    """Return a copy of ``image`` with the detections drawn.

    ``scale`` maps original-photo pixels (the detections' boxes) to ``image`` pixels, so the
    same detections can be drawn on a reduced copy.
    """
    out = image.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    w, h = out.size
    long_side = max(w, h)
    line = max(2, round(long_side / 350))
    text_size = max(12, round(long_side / 50))
    fnt = font(text_size)
    pad = max(2, text_size // 5)

    numbered = list(enumerate(detections, start=1))
    # Big boxes first so that small ones drawn later stay visible on top.
    by_area = sorted(
        numbered, key=lambda p: -(p[1].box[2] - p[1].box[0]) * (p[1].box[3] - p[1].box[1])
    )
    placed: list[tuple[int, tuple[int, int, int, int], Detection]] = []
    for index, det in by_area:
        x1, y1, x2, y2 = (v * scale for v in det.box)
        x1, y1 = max(0, round(x1)), max(0, round(y1))
        x2, y2 = min(w - 1, round(x2)), min(h - 1, round(y2))
        width = line * 2 if det.is_violation else line
        colour = colour_for(det)
        # A dark halo first, then the colour: readable on any background.
        draw.rectangle((x1, y1, x2, y2), outline=(0, 0, 0), width=width + 2)
        draw.rectangle((x1 + 1, y1 + 1, x2 - 1, y2 - 1), outline=colour, width=width)
        placed.append((index, (x1, y1, x2, y2), det))

    # Labels after all boxes, so no box line crosses a label.
    for index, (x1, y1, _x2, _y2), det in placed:
        text = caption(index, det, lang)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=fnt)
        tw, th = right - left + 2 * pad, bottom - top + 2 * pad
        tx = min(max(0, x1), max(0, w - tw))
        ty = y1 - th if y1 - th >= 0 else min(y1, max(0, h - th))  # above, else inside
        fill = colour_for(det)
        draw.rectangle((tx, ty, tx + tw, ty + th), fill=fill, outline=(0, 0, 0))
        draw.text((tx + pad - left, ty + pad - top), text, font=fnt, fill=_text_colour(fill))
    return out
