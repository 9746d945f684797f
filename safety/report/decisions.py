"""The reviewer's decisions in the report (safety.review).

While any finding is unreviewed the report is a DRAFT: said in a banner on page 1 and in
every page's footer, and the photos carry an "UNREVIEWED" stamp (photos.py). Once every
finding is reviewed, page 1 names the reviewer and the time. A rejected finding counts
nowhere (the summary leaves it out); it is listed in its own section with the model's own
words and the reviewer's note, so the audit trail stays whole.
"""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table

from ..annotate import COLOURS, faded
from ..detections import Detection
from ..i18n import category_name, detection_caption, status_name, t_n
from ..review import ADDED_LABEL
from .context import Context
from .styles import (
    BODY_W,
    DRAFT_BG,
    DRAFT_EDGE,
    INK,
    REJECTED_BG,
    SOFT_GREY,
    rgb,
    table_style,
)
from .text import esc, esc_lines, format_iso, one_line


def tally(ctx: Context) -> Counter:
    """How many findings of the photos read stand in each review state."""
    return Counter(d.review for r in ctx.results if r.ok for d in r.detections)


def draft_banner(ctx: Context) -> list[Flowable]:
    """Page 1, prominent: DRAFT with the number of findings not reviewed (nothing when none)."""
    n = ctx.summary.unreviewed
    if not n:
        return []
    st = ctx.st
    cells = [
        [ctx.p(escape(t_n("report.draft", n, ctx.lang)), st.draft_big)],
        [ctx.words("report.draft.explain", st.draft_small)],
    ]
    box = Table(cells, colWidths=[BODY_W])
    box.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), DRAFT_BG),
                ("BOX", (0, 0), (-1, -1), 1.5, DRAFT_EDGE),
                ("LINEBEFORE", (0, 0), (0, -1), 6, DRAFT_EDGE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("TOPPADDING", (0, 0), (-1, 0), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 0.5 * mm),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 2 * mm),
            ]
        )
    )
    return [box, Spacer(1, 3 * mm)]


def draft_footer(ctx: Context) -> str:
    """The footer's reminder on every page of a draft; "" once every finding is reviewed."""
    n = ctx.summary.unreviewed
    return ctx.t("report.draft.footer", n=n) if n else ""


def review_value(ctx: Context) -> Paragraph:
    """Page 1's "Review" fact: still a draft, or who reviewed and when."""
    st = ctx.st
    if ctx.summary.unreviewed:
        return ctx.p(escape(t_n("report.draft", ctx.summary.unreviewed, ctx.lang)), st.base)
    review = ctx.info.review
    if review is not None:
        by = one_line(review.by, 120).strip() or ctx.t("report.not-given")
        return ctx.words("report.reviewed-by", st.base, by=by, time=format_iso(review.at))
    if tally(ctx):
        return ctx.words("report.reviewed-unnamed", st.base)
    return ctx.words("report.not-reviewed", st.small)


def review_tally(ctx: Context) -> list[Flowable]:
    """Below the counts: how many findings were confirmed, corrected, added, rejected and
    are still unreviewed (nothing until a reviewer has decided on one)."""
    counts = tally(ctx)
    if set(counts) <= {"unreviewed"}:
        return []
    values = {k: counts[k] for k in ("confirmed", "corrected", "added", "unreviewed", "rejected")}
    return [Spacer(1, 2 * mm), ctx.words("report.review-tally", ctx.st.small, **values)]


def photo_review_note(ctx: Context, unreviewed: int, rejected: int) -> str:
    """For the overview: a photo's findings not reviewed and rejected, as small markup."""
    parts = []
    if unreviewed:
        parts.append(ctx.t("report.ov-unreviewed", n=unreviewed))
    if rejected:
        parts.append(ctx.t("report.ov-rejected", n=rejected))
    if not parts:
        return ""
    text = escape(ctx.t("list.separator").join(parts))
    return f'<br/><font size=7.5 color="{SOFT_GREY}">{text}</font>'


def said(ctx: Context, category: str, status: str, *, with_category: bool = True) -> str:
    """What the model said, as plain text: "person · hard hat", or "hard hat" alone."""
    if not status:
        return category_name(category, ctx.lang)
    if with_category:
        return detection_caption(category, status, ctx.lang)
    return status_name(category, status, ctx.lang)


def corrected_note(ctx: Context, d: Detection) -> str:
    """Plain text beside a corrected finding's status: what the model said ("" if not known)."""
    if d.review != "corrected" or d.model_said is None:
        return ""
    category, status = d.model_said
    text = said(ctx, category, status, with_category=category != d.category)
    return ctx.t("report.model-said", said=text)


def label_markup(ctx: Context, d: Detection, separator: str = SOFT_GREY) -> str:
    """The model's label and sub-label as markup; a reviewer's own finding says so."""
    if d.review == "added" and d.label in ("", ADDED_LABEL) and not d.sub_label:
        return escape(ctx.t("review.added-label"))
    label = esc(d.label, 300)
    if d.sub_label:
        label += f' <font color="{separator}">/</font> ' + esc(d.sub_label, 300)
    return label


def note_markup(ctx: Context, d: Detection) -> str:
    """The reviewer's note on a finding, as markup ("" when there is none)."""
    note = one_line(d.review_note, 600).strip()
    return escape(ctx.t("report.note", note=note)) if note else ""


def rejected_section(ctx: Context) -> list[Flowable]:
    """Every rejected finding with what the model said and the reviewer's note (nothing when
    no finding was rejected)."""
    st = ctx.st
    rejected = [
        (r, n, d)
        for r in ctx.results
        if r.ok
        for n, d in enumerate(r.detections, start=1)
        if not d.stands
    ]
    if not rejected:
        return []
    keys = ("report.col.photo", "report.col.no", "report.col.model-said", "report.col.label")
    rows: list[list] = [[ctx.words(k, st.cell_head) for k in (*keys, "report.col.note")]]
    style: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), INK),
        ("BACKGROUND", (0, 1), (-1, -1), REJECTED_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.6, rgb((255, 255, 255))),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    for i, (r, n, d) in enumerate(rejected, start=1):
        category, status = d.model_said or (d.category, d.status)
        colour = COLOURS["violation"] if status == "missing" else COLOURS[category]
        x1, y1, x2, y2 = d.rounded_box()
        label = label_markup(ctx, d)
        label += f'<br/><font size=7 color="{SOFT_GREY}">[{x1}, {y1}, {x2}, {y2}]</font>'
        note = one_line(d.review_note, 600).strip()
        rows.append(
            [
                ctx.words("report.photo", st.cell, n=ctx.photo_no(r)),
                ctx.p(str(n), st.cell_white),
                ctx.p(escape(said(ctx, category, status)), st.cell),
                ctx.p(label, st.cell),
                ctx.p(esc_lines(note, 600), st.cell) if note
                else ctx.words("report.no-note", st.cell_muted),
            ]
        )  # fmt: skip
        style.append(("BACKGROUND", (1, i), (1, i), rgb(faded(colour))))
    table = Table(
        rows,
        colWidths=[17 * mm, 8 * mm, 36 * mm, 50 * mm, BODY_W - 111 * mm],
        repeatRows=1,
    )
    table.setStyle(table_style(style))
    return [
        CondPageBreak(45 * mm),
        ctx.words("report.rejected", st.h1),
        ctx.words("report.rejected-explain", st.small),
        Spacer(1, 2 * mm),
        table,
    ]
