"""Pieces both ledger PDFs use (the site report, the rectification notice): the report's
font, styles and page, a findings table, and a footer. Untrusted text is escaped here."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
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


def findings_table(findings, lang: str, st: Styles, *, pictures=None, owner=True) -> Table:
    """No., found, hazard, level, status, measure, owner, due; overdue rows tinted.
    ``pictures``: {finding id: JPEG bytes} shown in a first column."""
    keys = ["number", "found", "description", "level", "status", "measure"]
    if owner:
        keys += ["owner", "due"]
    head = [para(t(f"ledger.col.{k}", lang), st.cell_head) for k in keys]
    widths = [24 * mm, 17 * mm, 36 * mm, 11 * mm, 15 * mm]
    rest = BODY_W - sum(widths) - (37 * mm if owner else 0)
    widths += [rest] + ([18 * mm, 19 * mm] if owner else [])
    if pictures is not None:
        head.insert(0, para(t("ledger.col.before", lang), st.cell_head))
        widths = [26 * mm] + [w * (BODY_W - 26 * mm) / BODY_W for w in widths]
    rows = [head]
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for n, f in enumerate(findings, start=1):
        status = status_word(f.status, lang)
        if f.overdue:
            status += " · " + t("ledger.overdue", lang)
            style.append(("BACKGROUND", (0, n), (-1, n), OVERDUE_BG))
        cells = [
            para(f.number, st.cell),
            para(day(f.found_on, lang), st.cell),
            para(what(f, lang), st.cell),
            para(level_word(f.level, lang), st.cell),
            para(status, st.cell),
            para(f.measure or "-", st.cell),
        ]
        if owner:
            cells += [para(f.owner or "-", st.cell), para(day(f.due, lang), st.cell)]
        if f.level == "major":
            style.append(("TEXTCOLOR", (3 + (pictures is not None), n), (3, n), MAJOR_RED))
        if pictures is not None:
            jpeg = pictures.get(f.id)
            cells.insert(0, _picture(jpeg, 24 * mm) if jpeg else para("-", st.cell))
        rows.append(cells)
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
