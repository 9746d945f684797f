"""The rectification notice (隐患整改通知单) of a ledger notice as PDF: its findings with
a picture of each, the corrective action, owner and due date, and (when the app knows its
public address, SAFETY_PUBLIC_URL) the site manager's upload link with its QR code."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from ..i18n import t
from ..report.canvas import build_pdf
from ..report.styles import RULE, Styles, register_fonts, table_style
from .describe import day
from .model import Notice
from .pdfparts import NOTICE_COLUMNS, findings_table, footer_canvas, para
from .pictures import before_jpeg

QR_SIDE = 34 * mm


def qr_code(link: str, side: float = QR_SIDE) -> Drawing:
    widget = QrCodeWidget(link, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x2 - x1), 0, 0, side / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def notice_pdf(ledger, notice: Notice, link: str | None, lang: str) -> bytes:
    register_fonts()
    st = Styles(lang)
    chosen = [ledger.find(i) for i in notice.finding_ids]
    pictures = {}
    for f in chosen:
        jpeg = before_jpeg(f, ledger.photo(f.photo_sha) if f.photo_sha else None, 240)
        if jpeg:
            pictures[f.id] = jpeg
    title = t("ledger.notice.title", lang, id=notice.id)
    at = day(notice.created_at, lang)
    if notice.created_by:
        issued = t("ledger.notice.to", lang, site=notice.site, at=at, by=notice.created_by)
    else:
        issued = t("ledger.notice.to-anonymous", lang, site=notice.site, at=at)
    story = [
        para(title, st.title),
        para(issued, st.base),
        Spacer(1, 2 * mm),
        para(t("ledger.notice.intro", lang), st.base),
        Spacer(1, 3 * mm),
        findings_table(chosen, lang, st, columns=NOTICE_COLUMNS, pictures=pictures),
        Spacer(1, 5 * mm),
    ]
    if link:
        until = notice.expires_at.strftime("%Y-%m-%d %H:%M")
        text = [
            para(t("ledger.notice.link-head", lang, until=until), st.base),
            Paragraph(escape(link), ParagraphStyle("link", st.cell_mono, wordWrap="CJK")),
        ]
        box = Table([[qr_code(link), text]], colWidths=[QR_SIDE + 4 * mm, None])
        box.setStyle(
            table_style(
                [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BOX", (0, 0), (-1, -1), 0.6, RULE)]
            )
        )
        story.append(box)
    else:
        story.append(para(t("ledger.notice.pdf-no-link", lang), st.base))
    story += [Spacer(1, 12 * mm), para(t("ledger.notice.sign", lang), st.base)]
    return build_pdf(
        story, footer_canvas((notice.site, title), lang), lang, title=title, author="safety-inspect"
    )
