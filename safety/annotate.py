"""Drawing boxes and tags on the photo, readable in a crowd.

Fire red, smoke blue, persons green; a person WITHOUT a hard hat gets its own colour
(magenta), a thicker box and a "!" on its tag so it cannot be missed; a finding a reviewer
rejected is dashed and faded. Every line and tag has a thin dark edge, so it reads on dark
and light backgrounds alike.

A crowded photo must still show the heads being judged. Outlines are thin (a few pixels even
on a large photo) and are interrupted where they would cross another worker's head; each
tag goes where it covers no head (``safety.placement``). Each tag starts with the finding's
number, the same number as the # column of the table, the CSV and the PDF. With more than
WORDS_UP_TO findings, or on a photo narrower than WORDS_MIN_WIDTH, the tags carry only the
number and the table gives the words; a tag that finds no clear spot for its words also
shrinks to its number.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .detections import Detection, ImageResult
from .i18n import detection_caption, t
from .images import encode_jpeg
from .placement import corner_spot, grow, head_region, outline_pieces, place_tags

FONT_PATH = Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei.ttc"

COLOURS = {
    "fire": (230, 30, 30),
    "smoke": (30, 110, 240),
    "person": (20, 170, 70),
    "violation": (235, 0, 190),  # person without a hard hat
    "other": (150, 150, 150),
}

# Tags carry words up to this many findings on a photo and from this width (drawn pixels)
# on; beyond, the number alone, and the table gives the words.
WORDS_UP_TO = 8
WORDS_MIN_WIDTH = 480
HALO = 3  # the white band around the finding selected in the table


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


@dataclass(frozen=True)
class Style:
    """Sizes that follow the drawn image: line widths, text sizes and padding, in pixels."""

    line: int  # a box's coloured line (a dark pixel on each side comes on top)
    violation: int  # the line of a person without a hard hat
    text: int  # the words of a tag
    number: int  # a tag with the number alone
    pad: int

    @classmethod
    def for_size(cls, width: int, height: int) -> Style:
        long_side = max(width, height)
        line = max(2, round(long_side / 640))
        text = max(12, round(long_side / 55))
        return cls(line, line * 2, text, max(11, round(text * 0.8)), max(2, text // 6))

    def outline(self, det: Detection, highlighted: bool = False) -> int:
        """Width of a box's drawn line, dark edges included."""
        width = self.violation if det.is_violation and det.stands else self.line
        return (width * 2 + HALO + 3) if highlighted else width + 2


def _tag_text(index: int, det: Detection, lang: str, words: bool) -> str:
    if words:
        return caption(index, det, lang)
    return f"{index}!" if det.is_violation and det.stands else str(index)


def _text_size(draw, text: str, fnt, pad: int) -> tuple[int, int, tuple[int, int]]:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=fnt)
    return right - left + 2 * pad, bottom - top + 2 * pad, (pad - left, pad - top)


def _draw_pieces(draw, pieces, colour, *, dash: int = 0, edge=(0, 0, 0)) -> None:
    """Filled outline pieces, each with a one-pixel dark edge (dashed: every other dash)."""
    if dash:
        pieces = [d for p in pieces for d in _dashes(p, dash)]
    for x1, y1, x2, y2 in pieces:
        draw.rectangle((x1 - 1, y1 - 1, x2, y2), fill=edge)
    for x1, y1, x2, y2 in pieces:
        draw.rectangle((x1, y1, x2 - 1, y2 - 1), fill=colour)


def _dashes(piece, dash: int):
    x1, y1, x2, y2 = piece
    horizontal = x2 - x1 >= y2 - y1
    lo, hi = (x1, x2) if horizontal else (y1, y2)
    for a in range(int(lo), int(hi), dash * 2):
        b = min(a + dash, hi)
        yield (a, y1, b, y2) if horizontal else (x1, a, x2, b)


def faded(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """A rejected finding's colour: faded towards grey (its box is dashed)."""
    return tuple(round(c * 0.45 + 200 * 0.55) for c in colour)


def _stamp(draw, text: str, fnt, pad: int, avoid, room) -> None:
    """A small mark, e.g. "UNREVIEWED", in the corner where it covers the fewest heads."""
    w, h, offset = _text_size(draw, text, fnt, pad)
    x, y, _, _ = corner_spot((w + 1, h + 1), room, avoid)
    draw.rectangle((x, y, x + w, y + h), fill=(255, 244, 204), outline=(120, 90, 0))
    draw.text((x + offset[0], y + offset[1]), text, font=fnt, fill=(74, 59, 0))


def words_fit(count: int, width: int) -> bool:
    """Whether the tags carry words (else numbers alone): few findings on a wide enough photo."""
    return count <= WORDS_UP_TO and width >= WORDS_MIN_WIDTH


def draw_detections(
    image: Image.Image,
    detections: list[Detection],
    *,
    scale: float = 1.0,
    lang: str = "en",
    highlight: int | None = None,
    stamp: str | None = None,
    words: bool | None = None,
) -> Image.Image:
    """Return a copy of ``image`` with the detections drawn.

    ``scale`` maps original-photo pixels (the detections' boxes) to ``image`` pixels, so the
    same detections can be drawn on a reduced copy. A finding a reviewer rejected is drawn
    dashed and faded, never dropped. ``highlight`` (0-based) is drawn thicker, with a white
    halo: the finding selected in the table. ``stamp`` is a small mark in a corner.
    ``words``: tags with words (True), numbers alone (False), or as ``words_fit`` says.
    """
    out = image.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    w, h = out.size
    style = Style.for_size(w, h)
    edge = style.violation + 1  # room for the widest outline, drawn outside the box
    boxes = [drawn_box(d, scale, (w, h)) for d in detections]
    heads = [_head(d, scale, (w, h)) for d in detections]
    if words is None:
        words = words_fit(len(detections), w)

    # Tags: the words (when they fit) or the number alone; the most important choose first.
    texts, sizes = [], []
    for n, det in enumerate(detections, start=1):
        options = [(_tag_text(n, det, lang, True), font(style.text))] if words else []
        options.append((_tag_text(n, det, lang, False), font(style.number)))
        texts.append(options)
        # +1: the tag's outline is drawn on its last column and row as well.
        sizes.append(
            [
                (tw + 1, th + 1)
                for tw, th, _ in (_text_size(draw, s, f, style.pad) for s, f in options)
            ]
        )
    order = sorted(range(len(detections)), key=lambda i: (_priority(detections[i]), boxes[i][1]))
    spots = place_tags(boxes, sizes, heads, (w, h), order=order, gap=edge + 1)

    # Big boxes first so that small ones drawn later stay visible on top.
    for i in sorted(range(len(detections)), key=lambda i: -_area(boxes[i])):
        det, box = detections[i], boxes[i]
        holes = [grow(hd, 2) for j, hd in enumerate(heads) if hd is not None and j != i]
        colour = _colour(det)
        width = style.violation if det.is_violation and det.stands else style.line
        if highlight == i:
            width *= 2
            # A white band just outside the (doubled) line: the row selected in the table.
            halo = outline_pieces(grow(box, width + 1), HALO, holes)
            _draw_pieces(draw, halo, (255, 255, 255), edge=(255, 255, 255))
        pieces = outline_pieces(box, width, holes)
        _draw_pieces(draw, pieces, colour, dash=0 if det.stands else style.line * 6)

    # Leaders and tags after all boxes, so no box line crosses a tag.
    for i, spot in enumerate(spots):
        colour = (
            colour_for(detections[i]) if detections[i].stands else faded(colour_for(detections[i]))
        )
        if spot.leader:
            lw = max(1, style.line)
            draw.line(spot.leader, fill=(0, 0, 0), width=lw + 2)
            draw.line(spot.leader, fill=colour, width=lw)
    for i, spot in enumerate(spots):
        det = detections[i]
        text, fnt = texts[i][spot.size]
        fill = _colour(det)
        tw, th, offset = _text_size(draw, text, fnt, style.pad)
        x, y = round(spot.rect[0]), round(spot.rect[1])
        draw.rectangle((x, y, x + tw, y + th), fill=fill, outline=(0, 0, 0))
        draw.text((x + offset[0], y + offset[1]), text, font=fnt, fill=_text_colour(fill))
    if stamp:
        avoid = [hd for hd in heads if hd is not None] + [s.rect for s in spots]
        _stamp(draw, stamp, font(style.number), style.pad, avoid, (w, h))
    return out


def drawn_box(det: Detection, scale: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The box in drawn pixels, kept inside the photo by the widest outline's width, since
    outlines are drawn outside the box."""
    w, h = size
    edge = Style.for_size(w, h).violation + 1
    x1, y1, x2, y2 = (v * scale for v in det.box)
    x1, y1 = min(max(edge, round(x1)), w - edge - 1), min(max(edge, round(y1)), h - edge - 1)
    return x1, y1, max(x1 + 1, min(w - edge, round(x2))), max(y1 + 1, min(h - edge, round(y2)))


def _head(det: Detection, scale: float, room: tuple[int, int]):
    """A person's head region in drawn pixels (None for the rest), from the box as the
    model drew it, so that a box cut by the photo's edge is seen to be cut."""
    if det.category != "person":
        return None
    x1, y1, x2, y2 = (v * scale for v in det.box)
    return head_region((max(0, x1), max(0, y1), min(room[0], x2), min(room[1], y2)), room)


def _colour(det: Detection) -> tuple[int, int, int]:
    return colour_for(det) if det.stands else faded(colour_for(det))


def _area(box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _priority(det: Detection) -> int:
    """Which tags choose their spot first: what matters most for safety."""
    if not det.stands:
        return 5
    if det.is_violation:
        return 0
    return {"fire": 1, "smoke": 2, "person": 3}.get(det.category, 4)


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
