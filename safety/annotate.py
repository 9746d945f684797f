"""Drawing boxes and labels on the photo.

Fire red, smoke blue, persons green; a person WITHOUT a hard hat gets its own colour
(magenta), a thicker box and a "NO HARD HAT" tag so it cannot be missed. Line width and
text size follow the photo's size. Each label sits on a filled tab in the box's colour with
black or white text chosen for contrast, and every box has a thin dark outline, so both
stay readable on dark and light backgrounds. Labels are kept inside the photo.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .detections import Detection, ImageResult
from .i18n import detection_caption, t
from .images import encode_jpeg

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
        text = f"{index} {label[:28] + '…' if len(label) > 28 else label or '?'}"
    else:
        text = f"{index} {detection_caption(det.category, det.status, lang)}"
        if det.is_violation and det.stands:
            text += " !"
    if det.review in ("rejected", "corrected", "added"):
        text += t(f"review.mark.{det.review}", lang)
    if det.permitted:
        text += t("permitted.mark", lang)
    return text


def _dashed_rectangle(draw, box, colour, width: int, dash: int) -> None:
    x1, y1, x2, y2 = box
    for a, b, horizontal, at in ((x1, x2, True, y1), (x1, x2, True, y2),
                                 (y1, y2, False, x1), (y1, y2, False, x2)):  # fmt: skip
        for start in range(int(a), int(b), dash * 2):
            end = min(start + dash, int(b))
            xy = (start, at, end, at) if horizontal else (at, start, at, end)
            draw.line(xy, fill=colour, width=width)


def faded(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """A rejected finding's colour: faded towards grey (its box is dashed)."""
    return tuple(round(c * 0.45 + 200 * 0.55) for c in colour)


def _stamp(draw, text: str, fnt, pad: int) -> None:
    """A small mark in the photo's top-left corner, e.g. "UNREVIEWED"."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=fnt)
    w, h = right - left + 2 * pad, bottom - top + 2 * pad
    draw.rectangle((0, 0, w, h), fill=(255, 244, 204), outline=(120, 90, 0))
    draw.text((pad - left, pad - top), text, font=fnt, fill=(74, 59, 0))


def _at_least(lo: int, hi: int, size: int, span: int = 2) -> tuple[int, int]:
    """(lo, hi) widened to ``span`` pixels apart where the image allows, kept inside it."""
    if hi - lo >= span:
        return lo, hi
    hi = min(size - 1, lo + span)
    return max(0, hi - span), hi


def draw_detections(
    image: Image.Image,
    detections: list[Detection],
    *,
    scale: float = 1.0,
    lang: str = "en",
    highlight: int | None = None,
    stamp: str | None = None,
) -> Image.Image:
    """Return a copy of ``image`` with the detections drawn.

    ``scale`` maps original-photo pixels (the detections' boxes) to ``image`` pixels, so the
    same detections can be drawn on a reduced copy. A finding a reviewer rejected is drawn
    dashed and faded, never dropped. ``highlight`` (0-based) is drawn thicker, with a white
    halo: the finding selected in the table. ``stamp`` is a small mark in the corner.
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
        # A box a pixel wide (or less once scaled down) is still drawn, three pixels wide.
        x1, x2 = _at_least(x1, x2, w)
        y1, y2 = _at_least(y1, y2, h)
        width = line * 2 if det.is_violation and det.stands else line
        colour = colour_for(det)
        if highlight is not None and index == highlight + 1:
            width *= 2
            draw.rectangle(
                (x1 - 2, y1 - 2, x2 + 2, y2 + 2), outline=(255, 255, 255), width=width + 6
            )
        if not det.stands:
            _dashed_rectangle(draw, (x1, y1, x2, y2), faded(colour), width, dash=line * 4)
        else:
            # A dark halo first, then the colour: readable on any background.
            draw.rectangle((x1, y1, x2, y2), outline=(0, 0, 0), width=width + 2)
            if x2 - x1 >= 2 and y2 - y1 >= 2:  # only a photo under 3 pixels has no room
                draw.rectangle((x1 + 1, y1 + 1, x2 - 1, y2 - 1), outline=colour, width=width)
        placed.append((index, (x1, y1, x2, y2), det))

    # Labels after all boxes, so no box line crosses a label.
    for index, (x1, y1, _x2, _y2), det in placed:
        text = caption(index, det, lang)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=fnt)
        tw, th = right - left + 2 * pad, bottom - top + 2 * pad
        tx = min(max(0, x1), max(0, w - tw))
        ty = y1 - th if y1 - th >= 0 else min(y1, max(0, h - th))  # above, else inside
        fill = colour_for(det) if det.stands else faded(colour_for(det))
        draw.rectangle((tx, ty, tx + tw, ty + th), fill=fill, outline=(0, 0, 0))
        draw.text((tx + pad - left, ty + pad - top), text, font=fnt, fill=_text_colour(fill))
    if stamp:
        _stamp(draw, stamp, fnt, pad)
    return out


def redraw(
    result: ImageResult, lang: str = "en", *, highlight: int | None = None, stamp: bool = False
) -> bytes | None:
    """The result's marked photo drawn again from its unmarked copy (``photo_jpeg``), with
    the findings as they stand after review; None when there is no unmarked copy.
    ``stamp``: mark the photo "UNREVIEWED" when any finding still is."""
    if not result.photo_jpeg or not result.width:
        return None
    with Image.open(io.BytesIO(result.photo_jpeg)) as img:
        photo = img.convert("RGB")
    pending = any(d.review == "unreviewed" for d in result.detections)
    marked = draw_detections(
        photo,
        result.detections,
        scale=photo.width / result.width,
        lang=lang,
        highlight=highlight,
        stamp=t("review.stamp", lang) if stamp and pending else None,
    )
    return encode_jpeg(marked, quality=85)
