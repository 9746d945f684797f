"""Page 1 (title, facts, verdict banner, counts, failed photos, the inspector's notes) and the
overview table of all photos that follows it."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from ..annotate import COLOURS
from ..i18n import counts_text, status_name
from ..summary import Summary, summarize, verdict_parts
from .context import Context
from .decisions import draft_banner, photo_review_note, review_tally, review_value
from .styles import (
    BODY_W,
    ERROR_BG,
    ERROR_RED,
    HOT_MAGENTA,
    HOT_RED,
    INK,
    LEVEL_COLOURS,
    MUTED,
    PALE,
    RULE,
    ZERO_GREY,
    level_text_colour,
    rgb,
    table_style,
    tint,
)
from .text import clean, esc, esc_lines, safe_endpoint

# Rows of the counts table: category, its statuses, and the statuses that call for action.
COUNT_ROWS: tuple[tuple[str, tuple[str, ...], frozenset[str]], ...] = (
    ("person", ("worn", "missing", "unknown"), frozenset({"missing"})),
    ("fire", ("severe", "moderate", "minor", "unknown"), frozenset({"severe", "moderate"})),
    ("smoke", ("severe", "moderate", "minor", "unknown"), frozenset({"severe", "moderate"})),
    ("other", (), frozenset()),
)
# An overview of up to this many rows is kept whole on one page.
OVERVIEW_WHOLE = 16


def first_page(ctx: Context) -> list[Flowable]:
    st, info, s = ctx.st, ctx.info, ctx.summary
    out: list[Flowable] = [ctx.words("report.title", st.title)]
    if info.reference_labels:
        out.append(ctx.words("report.demo.banner", st.demo))
    out += draft_banner(ctx)

    def value(text: str, style: ParagraphStyle = st.base) -> Paragraph:
        text = clean(text).strip()
        if not text:
            return ctx.words("report.not-given", st.small)
        return ctx.p(esc(text, 300), style)

    photos = ctx.t("report.photos-value", n=s.photos, read=s.read, failed=s.failed)
    rows = [
        ("report.site", value(info.site)),
        ("report.inspector", value(info.inspector)),
        ("report.created", value(ctx.created)),
        ("report.endpoint", value(safe_endpoint(info.endpoint))),
        ("report.model", value(info.model)),
        ("report.photos", value(photos)),
        ("report.review", review_value(ctx)),
    ]
    table = Table(
        [[ctx.words(key, st.key), v] for key, v in rows],
        colWidths=[38 * mm, BODY_W - 38 * mm],
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    out += [table, Spacer(1, 5 * mm)]

    out.append(ctx.words("report.verdict", st.h2))
    out.append(banner(ctx, s))
    out.append(Spacer(1, 4 * mm))
    out.append(counts_table(ctx, s))
    out += review_tally(ctx)

    failed = [r for r in ctx.results if not r.ok]
    out.append(ctx.words("report.failed", st.h2))
    if failed:
        out.append(ctx.words("report.failed-explain", st.small))
        out.append(Spacer(1, 1.5 * mm))
        rows = [
            [
                ctx.words("report.photo", st.cell, n=ctx.photo_no(r)),
                ctx.p(esc(r.source, 160), st.cell),
                ctx.p(esc(r.error, 400), st.cell),
            ]
            for r in failed
        ]
        t = Table(rows, colWidths=[20 * mm, 55 * mm, BODY_W - 75 * mm], repeatRows=0)
        t.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, -1), ERROR_BG),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, ERROR_RED),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.white),
                ]
            )
        )
        out.append(t)
    else:
        out.append(ctx.words("report.none-failed" if s.photos else "report.no-photos"))

    if clean(info.notes).strip():
        out.append(ctx.words("report.user-notes", st.h2))
        out.append(ctx.p(esc_lines(info.notes.strip(), 4000)))
    return out


def banner(ctx: Context, s: Summary) -> Table:
    """The verdict in the colour of its level: the level(s) large, the counts below."""
    level = s.level
    ink = level_text_colour(level)
    head, body = verdict_parts(s, ctx.lang)
    big_style = ParagraphStyle("b1", ctx.st.banner_big, textColor=ink)
    small_style = ParagraphStyle("b2", ctx.st.banner_small, textColor=ink)
    cells = [[ctx.p(escape(head), big_style)], [ctx.p(escape(body), small_style)]]
    if ctx.info.reference_labels:
        cells.append([ctx.words("report.demo.photo", small_style)])
    t = Table(cells, colWidths=[BODY_W])
    pad = 4 * mm
    t.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), rgb(LEVEL_COLOURS[level])),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, 0), pad * 0.8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.9),
                ("TOPPADDING", (0, 1), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -2), 1),
            ]
        )
    )
    return t


def counts_table(ctx: Context, s: Summary) -> Table:
    """Per category: total and a breakdown by status; the statuses that call for action in
    red (magenta for persons without a hard hat), zero counts in grey; then the photos."""
    st = ctx.st
    head = [
        "",
        ctx.words("report.col.category", st.cell_head),
        ctx.words("report.col.total", st.cell_head),
        ctx.words("report.col.breakdown", st.cell_head),
    ]
    rows: list[list] = [head]
    style: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), INK),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.white),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    big = ParagraphStyle("count", st.cell, fontSize=12, leading=14)

    def breakdown(category: str, statuses: Sequence[str], alarm: frozenset[str]) -> str:
        parts = []
        for status in statuses:
            n = s.n(category, status)
            name = status_name(category, status, ctx.lang)
            text = escape(ctx.t("verdict.severity-part", n=n, status=name))
            if n and status in alarm:
                hot = HOT_MAGENTA if category == "person" else HOT_RED
                text = f'<font color="{hot}">{text}</font>'
            elif not n:
                text = f'<font color="{ZERO_GREY}">{text}</font>'
            parts.append(text)
        return "&nbsp;&nbsp;\u00b7&nbsp;&nbsp;".join(parts)

    for i, (category, statuses, alarm) in enumerate(COUNT_ROWS, start=1):
        colour = COLOURS[category]
        rows.append(
            [
                "",
                ctx.p(ctx.cat(category), st.cell),
                ctx.p(str(s.total(category)), big),
                ctx.p(breakdown(category, statuses, alarm) if statuses else "", st.cell),
            ]
        )
        style.append(("BACKGROUND", (0, i), (0, i), rgb(colour)))
        if category == "person" and s.n("person", "missing"):
            style.append(("BACKGROUND", (1, i), (-1, i), tint(COLOURS["violation"], 0.8)))
            style.append(("BACKGROUND", (0, i), (0, i), rgb(COLOURS["violation"])))
        elif any(s.n(category, a) for a in alarm):
            style.append(("BACKGROUND", (1, i), (-1, i), tint(colour, 0.8)))
        else:
            style.append(("BACKGROUND", (1, i), (-1, i), PALE))
    n = len(rows)
    rows.append(
        [
            "",
            ctx.words("report.photos", st.cell),
            ctx.p(str(s.photos), big),
            ctx.words("report.photos-row", st.cell, read=s.read, failed=s.failed),
        ]
    )
    style.append(("BACKGROUND", (1, n), (-1, n), ERROR_BG if s.failed else PALE))
    style.append(("BACKGROUND", (0, n), (0, n), ERROR_RED if s.failed else MUTED))
    t = Table(rows, colWidths=[4 * mm, 34 * mm, 20 * mm, BODY_W - 58 * mm])
    t.setStyle(table_style(style))
    return t


def overview(ctx: Context) -> list[Flowable]:
    """One row per photo (from two photos on): its counts and its level in the level's colour."""
    st = ctx.st
    if len(ctx.results) < 2:
        return []
    head = [
        ctx.words(key, st.cell_head)
        for key in ("report.col.no", "report.col.photo", "report.col.findings", "report.col.level")
    ]
    rows = [head]
    style: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, r in enumerate(ctx.results, start=1):
        s = summarize([r])
        if r.ok:
            findings = short_counts(ctx, s) + photo_review_note(ctx, s.unreviewed, s.rejected)
            level = escape(ctx.levels(s))
        else:
            findings = esc(r.error, 140)
            level = escape(ctx.t("report.failed-level"))
        chip = ParagraphStyle(f"ov{i}", st.cell, textColor=level_text_colour(s.level))
        rows.append(
            [
                ctx.p(str(ctx.photo_no(r)), st.cell),
                ctx.p(esc(r.source, 120), st.cell),
                ctx.p(findings, st.cell),
                ctx.p(level, chip),
            ]
        )
        style.append(("BACKGROUND", (3, i), (3, i), rgb(LEVEL_COLOURS[s.level])))
    t = Table(rows, colWidths=[10 * mm, 58 * mm, BODY_W - 113 * mm, 45 * mm], repeatRows=1)
    t.setStyle(table_style(style))
    head = ctx.words("report.overview", st.h2)
    if len(rows) <= OVERVIEW_WHOLE:  # a short table is not split, leaving a row or two behind
        return [KeepTogether([head, t])]
    return [CondPageBreak(40 * mm), head, t]


def short_counts(ctx: Context, s: Summary) -> str:
    """The photo's counts as markup, said the one way counts are said (counts_text), with the
    persons without a hard hat in magenta."""
    missing = s.n("person", "missing")
    text = escape(
        counts_text(
            ctx.lang,
            fire=s.total("fire"),
            smoke=s.total("smoke"),
            persons=s.total("person"),
            missing=missing,
            other=s.total("other"),
        )
    )
    if missing:
        # Colour the catalogue's own "(n without hard hat)" phrase where counts_text put it.
        phrase = escape(ctx.t("count.missing", n=missing))
        text = text.replace(phrase, f'<font color="{HOT_MAGENTA}">{phrase}</font>', 1)
    return text
