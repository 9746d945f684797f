"""One section per video: the heading bar and verdict as for a photo, the video's facts, a
strip of the events' best frames (each marked with its box, under its number and time), and
one row per event: what, from when to when, the best frame's time, the frames it was seen
in, a hard hat taken off or put on, and the reviewer's decision."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from ..annotate import COLOURS, colour_for
from ..i18n import detection_caption
from ..summary import summarize, verdict_text
from ..video.frames import marked_best_frame
from ..video.result import VideoResult
from .context import Context
from .photos import image, page_jpeg
from .sections import error_box, heading_bar
from .styles import (
    BODY_W,
    DRAFT_BG,
    INK,
    REJECTED_BG,
    rgb,
    table_style,
    tint,
)
from .text import esc, format_bytes, one_line

STRIP_COLUMNS = 4
STRIP_MAX = 16  # best frames shown; the table lists every event all the same
THUMB_SIDE = 480  # pixels of a strip picture on the page (JPEG 70)


def clock(seconds: float | None) -> str:
    """Seconds as m:ss.s (h:mm:ss from an hour on): how times read in the report."""
    if seconds is None:
        return "\u2013"
    m, s = divmod(max(0.0, float(seconds)), 60)
    h, m = divmod(int(m), 60)
    return f"{h}:{m:02d}:{s:02.0f}" if h else f"{m}:{s:04.1f}"


def video_section(ctx: Context, r: VideoResult, first: bool) -> list[Flowable]:
    st = ctx.st
    s = summarize([r])
    out: list[Flowable] = [PageBreak()]
    head = heading_bar(ctx, r, s, "report.video-of")
    out += [head, Spacer(1, 2.5 * mm)]
    if not r.ok:
        return out + [error_box(ctx, r)]
    out += [ctx.p(escape(verdict_text(s, ctx.lang)), st.base), Spacer(1, 1.5 * mm)]
    out.append(ctx.p(escape(_facts(ctx, r)), st.small))
    if r.events:
        out += [ctx.words("report.video.best-frames", st.h2), *_strip(ctx, r)]
        out += [ctx.words("report.video.events", st.h2), _events_table(ctx, r)]
    else:
        out += [Spacer(1, 3 * mm), ctx.words("report.video.nothing", st.nothing)]
    if r.notes:
        out.append(ctx.words("report.photo-notes", st.h2))
        out += [Paragraph(esc(note, 1000), st.bullet, bulletText="\u2022") for note in r.notes]
    return out


def _facts(ctx: Context, r: VideoResult) -> str:
    v = r.video
    parts = [
        ctx.t("report.video.length", t=clock(r.duration_s)),
        ctx.t("report.dims", w=r.width, h=r.height),
        ctx.t("report.video.sampled", n=len(r.frames), fps=r.fps or 0.0),
    ]
    if v.get("duplicates_skipped"):
        parts.append(ctx.t("report.video.duplicates", n=v["duplicates_skipped"]))
    if v.get("codec"):
        parts.append(one_line(str(v["codec"]), 20))
    if r.file_bytes is not None:
        parts.append(format_bytes(r.file_bytes, ctx.lang))
    if r.model:
        parts.append(
            ctx.t("report.labelled", name=ctx.t("report.model"), value=one_line(r.model, 120))
        )
    return ctx.t("list.separator").join(parts)


def _strip(ctx: Context, r: VideoResult) -> list[Flowable]:
    """The best frames, STRIP_COLUMNS to a row, each under its event's number and time."""
    st = ctx.st
    width = BODY_W / STRIP_COLUMNS
    cells: list = []
    for n, e in enumerate(r.events[:STRIP_MAX]):
        d = r.detections[n]
        photo = page_jpeg(marked_best_frame(r, n, ctx.lang), THUMB_SIDE, 70)
        caption = ctx.p(
            escape(
                ctx.t("report.video.frame-caption", id=e.id, t=clock(e.best_t), what=_what(ctx, d))
            ),
            st.caption,
        )
        picture = (
            image(photo, width - 3 * mm, 34 * mm)
            if photo
            else ctx.words("report.video.no-frame", st.small)
        )
        cells.append([picture, caption])
    rows = [cells[i : i + STRIP_COLUMNS] for i in range(0, len(cells), STRIP_COLUMNS)]
    rows[-1] += [""] * (STRIP_COLUMNS - len(rows[-1]))
    t = Table(rows, colWidths=[width] * STRIP_COLUMNS)
    t.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    out: list[Flowable] = [t]
    if len(r.events) > STRIP_MAX:
        out.append(ctx.words("report.video.more", st.small, n=len(r.events) - STRIP_MAX))
    return out


def _what(ctx: Context, d) -> str:
    return detection_caption(d.category, d.status, ctx.lang)


def _change(ctx: Context, change: tuple[float, str, str]) -> str:
    t, _was, now = change
    key = "report.video.took-off" if now == "missing" else "report.video.put-on"
    return ctx.t(key, t=clock(t))


def _events_table(ctx: Context, r: VideoResult) -> Table:
    st = ctx.st
    keys = (
        "report.col.no",
        "report.col.category",
        "report.col.status",
        "report.col.review",
        "report.video.col.seen",
        "report.video.col.best",
        "report.video.col.frames",
    )
    rows = [[ctx.words(k, st.cell_head) for k in keys]]
    style: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    for n, (e, d) in enumerate(zip(r.events, r.detections, strict=False), start=1):
        violation = d.is_violation and d.stands
        text = st.cell_white if violation else st.cell if d.stands else st.cell_muted
        status = ctx.status(d.category, d.status) + (" !" if violation else "")
        for change in e.changes:
            status += f"<br/><font size=7.5>{escape(_change(ctx, change))}</font>"
        seen = ctx.t("report.video.seen", first=clock(e.first_s), last=clock(e.last_s))
        rows.append(
            [
                ctx.p(str(e.id), st.cell_white),
                ctx.p(ctx.cat(d.category), text),
                ctx.p(status, text),
                ctx.p(
                    escape(ctx.t(f"review.{d.review}")),
                    st.cell_draft if d.review == "unreviewed" else text,
                ),
                ctx.p(escape(seen), text),
                ctx.p(escape(clock(e.best_t)), text),
                ctx.p(str(len(e.frames)), text),
            ]
        )
        colour = colour_for(d)
        fill = (
            rgb(COLOURS["violation"])
            if violation
            else tint(colour, 0.84)
            if d.stands
            else REJECTED_BG
        )
        style += [
            ("BACKGROUND", (0, n), (0, n), rgb(colour)),
            ("BACKGROUND", (1, n), (-1, n), fill),
        ]
        if d.review == "unreviewed":
            style.append(("BACKGROUND", (3, n), (3, n), DRAFT_BG))
    widths = [10 * mm, 22 * mm, 42 * mm, 22 * mm, 0, 20 * mm, 16 * mm]
    widths[4] = BODY_W - sum(widths)
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(table_style(style))
    return t
