"""How the report looks: the embedded font, page geometry, colours, paragraph and table styles."""

from __future__ import annotations

import threading

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

from ..annotate import COLOURS, FONT_PATH

FONT = "WQYMicroHei"
MONO = "WQYMicroHeiMono"

PAGE_W, PAGE_H = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_PAD = 6  # SimpleDocTemplate's frame padding (points) on each side
BODY_W = PAGE_W - 2 * MARGIN_X - 2 * FRAME_PAD

# --------------------------------------------------------------------------- colours


def rgb(triple: tuple[int, int, int]) -> colors.Color:
    r, g, b = triple
    return colors.Color(r / 255, g / 255, b / 255)


def tint(triple: tuple[int, int, int], amount: float = 0.84) -> colors.Color:
    """The colour mixed with white (amount = share of white)."""
    r, g, b = (c + (255 - c) * amount for c in triple)
    return colors.Color(r / 255, g / 255, b / 255)


LEVEL_COLOURS = {
    "immediate-action": (200, 20, 20),
    "violation": COLOURS["violation"],
    "review": (245, 160, 0),
    "no-hazard": (30, 140, 60),
    "no-result": (120, 120, 120),
}
INK = colors.Color(0.1, 0.1, 0.12)
MUTED = colors.Color(0.38, 0.38, 0.42)
RULE = colors.Color(0.78, 0.78, 0.8)
PALE = colors.Color(0.95, 0.95, 0.96)
ERROR_BG = colors.Color(1.0, 0.93, 0.93)
ERROR_RED = rgb((190, 20, 20))
DEMO_BG = colors.Color(1.0, 0.96, 0.75)
# A draft (findings not yet reviewed): the colours of the photos' "UNREVIEWED" stamp.
DRAFT_BG = rgb((255, 244, 204))
DRAFT_EDGE = rgb((120, 90, 0))
DRAFT_INK = rgb((74, 59, 0))
REJECTED_BG = colors.Color(0.93, 0.93, 0.94)
# Inline <font color> in Paragraph markup.
HOT_RED = "#c01010"  # fire or smoke rated severe or moderate; the "cut here" note
HOT_MAGENTA = "#c0009a"  # persons without a hard hat
ZERO_GREY = "#9a9aa0"  # a count of 0
SOFT_GREY = "#55555c"  # the "/" between a label and its sub-label
SOURCE_GREY = "#606068"  # a photo's source beside its number in the appendix


def level_text_colour(level: str) -> colors.Color:
    return colors.black if level == "review" else colors.white


# --------------------------------------------------------------------------- fonts

_FONT_LOCK = threading.Lock()
_fonts_ready = False


def register_fonts() -> None:
    """Register the embedded CJK font once per process (regular and its mono face)."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _FONT_LOCK:
        if _fonts_ready:
            return
        registered = set(pdfmetrics.getRegisteredFontNames())
        if FONT not in registered:
            pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))
        if MONO not in registered:
            pdfmetrics.registerFont(TTFont(MONO, str(FONT_PATH), subfontIndex=1))
        # One face only: <b>/<i> map to the same font rather than to a missing one.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
        pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO, italic=MONO, boldItalic=MONO)
        _fonts_ready = True


# --------------------------------------------------------------------------- styles


class Styles:
    def __init__(self, lang: str):
        wrap = "CJK" if lang == "zh" else None
        base = ParagraphStyle(
            "base",
            fontName=FONT,
            fontSize=9.5,
            leading=13,
            textColor=INK,
            wordWrap=wrap,
            splitLongWords=True,
            bulletFontName=FONT,
        )
        self.base = base
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10.5, textColor=MUTED)
        self.cell = ParagraphStyle("cell", base, fontSize=8.5, leading=11)
        self.cell_white = ParagraphStyle("cell_white", self.cell, textColor=colors.white)
        self.cell_head = ParagraphStyle("cell_head", self.cell, textColor=colors.white)
        self.cell_mono = ParagraphStyle("cell_mono", self.cell, fontName=MONO, fontSize=8)
        self.label = ParagraphStyle("label", self.cell, textColor=MUTED)
        self.key = ParagraphStyle("key", base, textColor=MUTED)
        self.title = ParagraphStyle(
            "title", base, fontSize=21, leading=26, spaceAfter=3 * mm, textColor=INK
        )
        self.h1 = ParagraphStyle(
            "h1", base, fontSize=15, leading=19, spaceBefore=2 * mm, spaceAfter=2.5 * mm
        )
        self.h2 = ParagraphStyle(
            "h2", base, fontSize=11.5, leading=15, spaceBefore=3.5 * mm, spaceAfter=1.8 * mm
        )
        self.photo_head = ParagraphStyle(
            "photo_head", base, fontSize=13, leading=16.5, textColor=colors.white
        )
        self.chip = ParagraphStyle("chip", base, fontSize=10, leading=12.5, alignment=TA_CENTER)
        self.banner_big = ParagraphStyle("banner_big", base, fontSize=19, leading=24)
        self.banner_small = ParagraphStyle("banner_small", base, fontSize=10.5, leading=14.5)
        self.demo = ParagraphStyle(
            "demo",
            base,
            fontSize=11,
            leading=15,
            textColor=colors.black,
            backColor=DEMO_BG,
            borderColor=colors.black,
            borderWidth=1.2,
            leftIndent=3 * mm,
            rightIndent=3 * mm,
            borderPadding=(2.5 * mm, 3 * mm, 2.5 * mm, 3 * mm),
            spaceBefore=2.5 * mm,
            spaceAfter=4 * mm,
        )
        self.demo_small = ParagraphStyle(
            "demo_small",
            base,
            fontSize=9,
            leading=12,
            textColor=colors.black,
            backColor=DEMO_BG,
            borderColor=colors.black,
            borderWidth=0.6,
            leftIndent=2 * mm,
            rightIndent=2 * mm,
            borderPadding=(1.2 * mm, 2 * mm, 1.2 * mm, 2 * mm),
            spaceBefore=1.5 * mm,
            spaceAfter=2.5 * mm,
        )
        self.caption = ParagraphStyle(
            "caption", self.small, alignment=TA_CENTER, spaceBefore=1 * mm, spaceAfter=1 * mm
        )
        self.raw = ParagraphStyle(
            "raw",
            base,
            fontName=MONO,
            fontSize=7,
            leading=9,
            wordWrap="CJK",
            leftIndent=2 * mm,
            rightIndent=2 * mm,
            backColor=PALE,
            borderColor=RULE,
            borderWidth=0.5,
            borderPadding=(1.5 * mm, 2 * mm, 1.5 * mm, 2 * mm),
            spaceBefore=1.5 * mm,
            spaceAfter=2 * mm,
        )
        self.error = ParagraphStyle("error", base, fontSize=10, leading=13.5)
        self.draft_big = ParagraphStyle(
            "draft_big", base, fontSize=16, leading=20, textColor=DRAFT_INK
        )
        self.draft_small = ParagraphStyle(
            "draft_small", base, fontSize=9, leading=12, textColor=DRAFT_INK
        )
        self.cell_muted = ParagraphStyle("cell_muted", self.cell, textColor=MUTED)
        self.cell_draft = ParagraphStyle("cell_draft", self.cell, textColor=DRAFT_INK)
        self.note = ParagraphStyle("note", self.cell, fontSize=8, leading=10.5)
        self.nothing = ParagraphStyle(
            "nothing",
            base,
            backColor=tint(LEVEL_COLOURS["no-hazard"], 0.85),
            borderColor=rgb(LEVEL_COLOURS["no-hazard"]),
            borderWidth=0.8,
            borderPadding=(2 * mm, 2.5 * mm, 2 * mm, 2.5 * mm),
            leftIndent=2.5 * mm,
            rightIndent=2.5 * mm,
            spaceBefore=1 * mm,
        )
        self.error_title = ParagraphStyle(
            "error_title", base, fontSize=12, leading=15, textColor=ERROR_RED
        )
        self.bullet = ParagraphStyle(
            "bullet", self.base, leftIndent=4 * mm, bulletIndent=0.5 * mm, spaceAfter=0.6 * mm
        )
        self.right = ParagraphStyle("right", self.small, alignment=TA_RIGHT)
        self.left = ParagraphStyle("left", self.small, alignment=TA_LEFT)


def table_style(commands: list[tuple]) -> TableStyle:
    """A TableStyle whose plain-string cells also use the embedded font (never Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])
