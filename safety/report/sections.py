"""One section per photo: a heading bar with the photo's level, the verdict line, the marked
photo large and the original small beside the photo's facts, the findings table in the
category colours, and the notes on repairs made to the model's answer (or the error box)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer, Table

from ..annotate import COLOURS, colour_for, faded
from ..detections import Detection, ImageResult
from ..summary import summarize, verdict_text
from .context import Context
from .decisions import corrected_note, label_markup, note_markup
from .photos import PagePhoto, PhotoPair, image
from .styles import (
    BODY_W,
    DRAFT_BG,
    ERROR_BG,
    ERROR_RED,
    INK,
    LEVEL_COLOURS,
    REJECTED_BG,
    SOFT_GREY,
    level_text_colour,
    rgb,
    table_style,
    tint,
)
from .text import esc, esc_lines, format_bytes, one_line


def photo_section(ctx: Context, r: ImageResult, photos: PhotoPair, first: bool) -> list[Flowable]:
    st = ctx.st
    marked, original = photos
    s = summarize([r])
    # A photo gets its own page; a section without one (a failure) may share a page.
    if first or marked is not None or original is not None:
        out: list[Flowable] = [PageBreak()]
    else:
        out = [Spacer(1, 8 * mm), CondPageBreak(75 * mm)]

    out.append(heading_bar(ctx, r, s, "report.photo-of"))
    if ctx.info.reference_labels:
        out.append(ctx.words("report.demo.photo", st.demo_small))
    else:
        out.append(Spacer(1, 2.5 * mm))

    if not r.ok:
        out.append(error_box(ctx, r))
        out.append(Spacer(1, 3 * mm))
    else:
        out.append(ctx.p(escape(verdict_text(s, ctx.lang)), st.base))
        out.append(Spacer(1, 2 * mm))

    out += _photos(ctx, r, marked, original)

    if r.ok:
        out.append(ctx.words("report.findings", st.h2))
        if r.detections and not r.standing:
            out.append(ctx.words("report.all-rejected", st.small))
            out.append(Spacer(1, 1.5 * mm))
        if r.detections:
            out.append(findings_table(ctx, r.detections))
        else:
            out.append(ctx.words("report.nothing", st.nothing))

    if r.notes:
        out.append(ctx.words("report.photo-notes", st.h2))
        for note in r.notes:
            out.append(Paragraph(esc(note, 1000), st.bullet, bulletText="\u2022"))
    return out


def _photos(
    ctx: Context, r: ImageResult, marked: PagePhoto | None, original: PagePhoto | None
) -> list[Flowable]:
    """The marked photo large; the original small, beside the photo's facts."""
    st = ctx.st
    out: list[Flowable] = []
    facts = []
    if r.width and r.height:
        facts.append(ctx.t("report.dims", w=r.width, h=r.height))
    if r.file_bytes is not None:
        facts.append(format_bytes(r.file_bytes, ctx.lang))
    if r.ok and (r.model or ctx.info.model):
        model = one_line(r.model or ctx.info.model, 120)
        facts.append(ctx.t("report.labelled", name=ctx.t("report.model"), value=model))
    fact_par = ctx.p("<br/>".join(escape(fact) for fact in facts), st.small)
    caption: Flowable = Spacer(1, 2 * mm)
    if r.ok and r.detections:
        if all(d.review == "unreviewed" for d in r.detections):
            key = "report.marked"
        else:  # redrawn after review from the unmarked copy, else the model's marks as drawn
            key = "report.marked-reviewed" if r.photo_jpeg else "report.marked-before-review"
        caption = ctx.words(key, st.caption)
    if marked is not None and marked.height > marked.width * 1.1:
        # Portrait: the photo on the left, the original and the facts in the space beside.
        side_w = 58 * mm
        big = image(marked, BODY_W - side_w - 4 * mm, 150 * mm)
        side: list[Flowable] = []
        if original is not None:
            side += [image(original, side_w - 6 * mm, 60 * mm), Spacer(1, 1.5 * mm)]
        side += [ctx.words("report.original", st.cell), fact_par]
        t = Table([[big, side]], colWidths=[BODY_W - side_w, side_w])
        t.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("ALIGN", (0, 0), (0, 0), "CENTER"),
                ]
            )
        )
        out += [t, caption]
        original = None
        facts = []
    elif marked is not None:
        out += [image(marked, BODY_W, 118 * mm), caption]
    elif r.marked_jpeg or r.photo_jpeg:
        out.append(ctx.words("report.bad-image", st.small))

    if original is not None:
        thumb = image(original, 52 * mm, 39 * mm)
        side = [ctx.words("report.original", st.cell), fact_par]
        t = Table([[thumb, side]], colWidths=[56 * mm, BODY_W - 56 * mm])
        t.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        out.append(t)
    elif marked is None and r.ok:
        out.append(ctx.words("report.no-image", st.small))
        out.append(fact_par)
    elif facts:
        out += [Spacer(1, 1 * mm), fact_par]
    return out


def error_box(ctx: Context, r: ImageResult) -> Table:
    """Why the photo could not be inspected, in a red-edged box."""
    st = ctx.st
    cells = [
        [ctx.words("report.error.title", st.error_title)],
        [ctx.p(esc_lines(r.error, 2000), st.error)],
    ]
    if r.error_kind:
        name, kind = ctx.t("report.error.kind"), one_line(r.error_kind, 80)
        cells.append([ctx.words("report.labelled", st.small, name=name, value=kind)])
    cells.append([ctx.words("report.error.explain", st.small)])
    t = Table(cells, colWidths=[BODY_W])
    t.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ERROR_BG),
                ("BOX", (0, 0), (-1, -1), 1.5, ERROR_RED),
                ("LINEBEFORE", (0, 0), (0, -1), 5, ERROR_RED),
                ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("TOPPADDING", (0, 0), (-1, 0), 3 * mm),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 3 * mm),
            ]
        )
    )
    return t


def findings_table(ctx: Context, detections: Sequence[Detection]) -> Table:
    """One row per finding, numbered as on the marked photo, in the colour of its box, with
    the reviewer's decision; a corrected finding keeps what the model said beside it, a
    rejected one is greyed (it counts nowhere), and a note gets its own row below."""
    st = ctx.st
    keys = ("report.col.no", "report.col.category", "report.col.status", "report.col.review")
    head = [ctx.words(key, st.cell_head) for key in (*keys, "report.col.label", "report.col.box")]
    rows = [head]
    style: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.6, colors.white),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    for n, d in enumerate(detections, start=1):
        i = len(rows)
        colour = colour_for(d)
        violation = d.is_violation and d.stands
        text = st.cell_white if violation else st.cell if d.stands else st.cell_muted
        status = ctx.status(d.category, d.status)
        if violation:
            status = f"{status} !"
        note = corrected_note(ctx, d)
        if note:
            status += f"<br/><font size=7.5>{escape(note)}</font>"
        if d.permitted:  # the model says a permitted activity of the site context covers it
            status += f"<br/><font size=7.5>{escape(ctx.t('permitted.note'))}</font>"
        review = escape(ctx.t(f"review.{d.review}"))
        x1, y1, x2, y2 = d.rounded_box()
        rows.append(
            [
                ctx.p(str(n), st.cell_white),
                ctx.p(ctx.cat(d.category), text),
                ctx.p(status, text),
                ctx.p(review, st.cell_draft if d.review == "unreviewed" else text),
                ctx.p(label_markup(ctx, d, "white" if violation else SOFT_GREY), text),
                ctx.p(f"[{x1}, {y1}, {x2}, {y2}]", text),
            ]
        )
        if violation:
            fill = rgb(COLOURS["violation"])
        elif d.stands:
            fill = tint(colour, 0.84)
        else:
            fill, colour = REJECTED_BG, faded(colour)
        style.append(("BACKGROUND", (0, i), (0, i), rgb(colour)))
        style.append(("BACKGROUND", (1, i), (-1, i), fill))
        if d.review == "unreviewed":
            style.append(("BACKGROUND", (3, i), (3, i), DRAFT_BG))
        remark = note_markup(ctx, d)
        if remark:  # the reviewer's note, under its finding, across the columns
            rows.append(["", ctx.p(remark, st.note), "", "", "", ""])
            style += [
                ("SPAN", (1, i + 1), (-1, i + 1)),
                ("BACKGROUND", (0, i + 1), (0, i + 1), rgb(colour)),
                ("BACKGROUND", (1, i + 1), (-1, i + 1), tint(colour, 0.93)),
                ("LINEABOVE", (1, i + 1), (-1, i + 1), 0, colors.white),
                ("TOPPADDING", (0, i + 1), (-1, i + 1), 1),
                ("NOSPLIT", (0, i), (-1, i + 1)),  # a note stays with its finding
            ]
    t = Table(
        rows,
        colWidths=[8 * mm, 19 * mm, 34 * mm, 21 * mm, BODY_W - 118 * mm, 36 * mm],
        repeatRows=1,
    )
    t.setStyle(table_style(style))
    return t


def heading_bar(ctx: Context, r, s, title_key: str) -> Table:
    """A photo's or a video's heading bar: its number and source on the left, the level chip
    on the right (the failed chip when it could not be read)."""
    st = ctx.st
    level = ctx.levels(s) if r.ok else ctx.t("report.failed-level")
    chip = ParagraphStyle("chip_c", st.chip, textColor=level_text_colour(s.level))
    title = escape(ctx.t(title_key, n=ctx.photo_no(r), total=len(ctx.results)))
    head = Table(
        [
            [
                ctx.p(f"{title}<br/><font size=9>{esc(r.source, 140)}</font>", st.photo_head),
                ctx.p(escape(level), chip),
            ]
        ],
        colWidths=[BODY_W - 52 * mm, 52 * mm],
    )
    head.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (0, 0), INK),
                ("BACKGROUND", (1, 0), (1, 0), rgb(LEVEL_COLOURS[s.level])),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return head
