"""Assembling the document: the story in order, the page footer with "page N of M", and the
locks that let several threads build reports at once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..detections import ImageResult
from ..files import write_atomic
from ..summary import verdict_text
from ..video.result import VideoResult
from .appendix import appendix
from .canvas import build_pdf, numbered_canvas
from .context import Context, ReportInfo
from .cover import first_page, overview
from .decisions import draft_footer, rejected_section
from .notice import clauses_cited, notice, site_section
from .photos import PhotoPair, prepare_photos
from .sections import photo_section
from .styles import (
    ERROR_RED,
    FONT,
    INK,
    MARGIN_BOTTOM,
    MARGIN_X,
    MUTED,
    PAGE_W,
    RULE,
    register_fonts,
)
from .text import clean
from .video import video_section


def story(ctx: Context, photos: Sequence[PhotoPair]) -> list[Flowable]:
    """Page 1, the overview, one section per photo, the rejected findings, the appendix."""
    out = first_page(ctx)
    out += site_section(ctx)  # the site profile, after page 1's facts
    out += overview(ctx)
    for i, (r, pair) in enumerate(zip(ctx.results, photos, strict=True)):
        if isinstance(r, VideoResult):  # its events and their best frames (report/video.py)
            out += video_section(ctx, r, first=i == 0)
        else:
            out += photo_section(ctx, r, pair, first=i == 0)
    out += rejected_section(ctx)
    out += notice(ctx)  # the rectification notice and the clauses it cites
    out += clauses_cited(ctx)
    out += appendix(ctx)
    return out


def _titled(ctx: Context, limit: int) -> str:
    """The report's title, with the site when one was given."""
    site = clean(ctx.info.site, limit).replace("\n", " ")
    return ctx.t("report.title") + (f" \u2013 {site}" if site else "")


def _canvas_class(ctx: Context):
    """A canvas that writes the footer (with "page N of M") once the page count is known."""
    left = _titled(ctx, 70)
    stamp = ctx.t("report.created-footer", time=ctx.created)
    demo = ctx.t("report.demo.footer") if ctx.info.reference_labels else ""
    warning = "  \u00b7  ".join(part for part in (draft_footer(ctx), demo) if part)

    def footer(c: Canvas, page: int, total: int) -> None:
        y = MARGIN_BOTTOM - 9 * mm
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.line(MARGIN_X, y + 4.2 * mm, PAGE_W - MARGIN_X, y + 4.2 * mm)
        c.setFillColor(MUTED)
        c.setFont(FONT, 7.5)
        c.drawString(MARGIN_X, y, left)
        c.drawString(MARGIN_X, y - 3.4 * mm, stamp)
        c.setFillColor(INK)
        c.setFont(FONT, 8.5)
        c.drawRightString(PAGE_W - MARGIN_X, y, ctx.t("report.page", p=page, n=total))
        if warning:  # a draft, a demo: on every page
            c.setFillColor(ERROR_RED)
            c.setFont(FONT, 7.5)
            c.drawRightString(PAGE_W - MARGIN_X, y - 3.4 * mm, warning)

    return numbered_canvas(footer)


def build_report(results: Sequence[ImageResult], info: ReportInfo) -> bytes:
    """The PDF report for ``results`` (any order; sorted by their index) as bytes."""
    register_fonts()
    ctx = Context(results, info)
    flowables = story(ctx, prepare_photos(ctx.results, ctx.lang))
    return build_pdf(
        flowables,
        _canvas_class(ctx),
        ctx.lang,
        title=_titled(ctx, 120),
        author=clean(info.inspector, 120).replace("\n", " "),
        subject=verdict_text(ctx.summary, ctx.lang),
    )


def write_report(path: str | Path, results: Sequence[ImageResult], info: ReportInfo) -> Path:
    """Build the report and write it to ``path`` (written whole, then renamed into place)."""
    path = Path(path)
    data = build_report(results, info)
    return write_atomic(path, data)
