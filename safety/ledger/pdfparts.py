"""Pieces both ledger PDFs use (the site report, the rectification notice): the report's
font, styles and page, a findings table, and a footer. Untrusted text is escaped here."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, Table

from ..i18n import t
from ..report.canvas import numbered_canvas
from ..report.styles import BODY_W, FONT, MARGIN_X, MUTED, PAGE_W, RULE, Styles, table_style
from ..report.text import one_line
from .describe import day, level_word, status_word, what

HEAD_BG = colors.Color(0.25, 0.25, 0.3)
MAJOR_RED = colors.Color(0.75, 0.08, 0.08)
OVERDUE_BG = colors.Color(1.0, 0.92, 0.9)


def para(text: str, style) -> Paragraph:
    """Plain text (ours or untrusted) as a Paragraph that prints exactly as written."""
    return Paragraph(escape(one_line(text, 600)), style)


# Column widths (mm) of the findings tables; the measure takes what is left.
WIDTHS = {
    "before": 24,
    "number": 25,
    "found": 18,
    "description": 29,
    "level": 13,
    "status": 21,
    "owner": 16,
    "due": 18,
}
REPORT_COLUMNS = ("number", "found", "description", "level", "status", "measure", "owner", "due")
NOTICE_COLUMNS = ("before", "number", "description", "level", "measure", "owner", "due")


def cell_style(st: Styles) -> ParagraphStyle:
    """Table text a little smaller than the report's: a number or a date stays on one line."""
    return ParagraphStyle("ledger_cell", st.cell, fontSize=7.5, leading=9.5)


def findings_table(
    findings, lang: str, st: Styles, *, columns=REPORT_COLUMNS, pictures=None
) -> Table:
    """One row per finding, overdue rows tinted, major levels in red. ``pictures``: {finding
    id: JPEG bytes} for the "before" column."""
    cell = cell_style(st)
    head_style = ParagraphStyle("ledger_head", cell, textColor=colors.white)
    head = [para(t(f"ledger.col.{k}", lang), head_style) for k in columns]
    fixed = sum(WIDTHS.get(k, 0) for k in columns) * mm
    widths = [WIDTHS[k] * mm if k in WIDTHS else BODY_W - fixed for k in columns]
    rows = [head]
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for n, f in enumerate(findings, start=1):
        status = status_word(f.status, lang)
        if f.overdue:
            status += " · " + t("ledger.overdue", lang)
            style.append(("BACKGROUND", (0, n), (-1, n), OVERDUE_BG))
        level = ParagraphStyle("major", cell, textColor=MAJOR_RED) if f.level == "major" else cell
        values = {
            "number": para(f.number, cell),
            "found": para(day(f.found_on, lang), cell),
            "description": para(what(f, lang), cell),
            "level": para(level_word(f.level, lang), level),
            "status": para(status, cell),
            "measure": para(f.measure or "-", cell),
            "owner": para(f.owner or "-", cell),
            "due": para(day(f.due, lang), cell),
        }
        if "before" in columns:
            jpeg = (pictures or {}).get(f.id)
            values["before"] = (
                _picture(jpeg, (WIDTHS["before"] - 3) * mm) if jpeg else para("-", cell)
            )
        rows.append([values[k] for k in columns])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(table_style(style))
    return table


def _picture(jpeg: bytes, side: float) -> Image:
    import io

    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(jpeg)) as im:
        w, h = im.size
    scale = side / max(w, h)
    return Image(io.BytesIO(jpeg), width=w * scale, height=h * scale)


def footer_canvas(left: str, lang: str):
    """Pages numbered "… page N of M" at the foot."""

    def draw(c, page: int, total: int) -> None:
        c.setFont(FONT, 7.5)
        c.setFillColor(MUTED)
        text = t("ledger.report.page", lang, site=left[0], period=left[1], n=page, total=total)
        c.drawString(MARGIN_X, 10 * mm, one_line(text, 160))
        c.setStrokeColor(RULE)
        c.line(MARGIN_X, 13 * mm, PAGE_W - MARGIN_X, 13 * mm)

    return numbered_canvas(draw)
