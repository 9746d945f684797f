"""The audit appendix: the prompt once, then per photo its hashes, sizes, model, coordinate
convention, tokens, latency and finish reason, and the model's raw answer (cut when long;
the JSON export keeps it whole)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from ..detections import ImageResult
from .context import Context
from .styles import BODY_W, HOT_RED, RULE, SOURCE_GREY, table_style
from .text import DASH, clean, esc, esc_lines, format_bytes

# Raw answers longer than this are cut in the appendix (the JSON export keeps them whole).
RAW_MAX_CHARS = 6000
RAW_MAX_LINES = 200  # about one page
PROMPT_MAX_CHARS = 6000


def appendix(ctx: Context) -> list[Flowable]:
    st = ctx.st
    out: list[Flowable] = [PageBreak(), ctx.words("report.appendix", st.h1)]
    out.append(ctx.words("report.prompt", st.h2))
    prompt = clean(ctx.info.prompt).strip()
    out.append(
        raw_block(ctx, prompt, PROMPT_MAX_CHARS)
        if prompt
        else ctx.words("report.no-prompt", st.small)
    )
    for r in ctx.results:
        out.extend(audit(ctx, r))
    return out


def raw_block(ctx: Context, text: str, limit: int) -> Paragraph:
    """Text as written, in the mono face: at most ``limit`` characters and RAW_MAX_LINES."""
    shown = "\n".join(text[:limit].split("\n")[:RAW_MAX_LINES])
    markup = esc_lines(shown)
    if len(shown) < len(text):
        cut = escape(ctx.t("report.cut", n=len(text), m=len(shown)))
        markup += f'<br/><br/><font color="{HOT_RED}">{cut}</font>'
    return ctx.p(markup, ctx.st.raw)


def audit(ctx: Context, r: ImageResult) -> list[Flowable]:
    """One photo's facts for an audit, then its raw answer."""
    st = ctx.st
    usage = r.usage or {}
    tokens = (
        " / ".join(
            str(usage.get(k, DASH)) for k in ("prompt_tokens", "completion_tokens", "total_tokens")
        )
        if usage
        else DASH
    )
    dims = escape(ctx.t("report.dims", w=r.width, h=r.height)) if r.width else DASH
    frame = escape(ctx.t("report.dims", w=r.frame[0], h=r.frame[1])) if r.frame else DASH
    latency = ctx.t("report.seconds", s=r.latency_s) if r.latency_s is not None else DASH
    rows = [
        ("report.source", esc(r.source, 500), st.cell),
        ("report.sha256", esc(r.sha256 or DASH), st.cell_mono),
        ("report.file-size", escape(format_bytes(r.file_bytes, ctx.lang)), st.cell),
        ("report.orig-size", dims, st.cell),
        ("report.frame", frame, st.cell),
        ("report.model", esc(r.model or ctx.info.model or DASH, 200), st.cell),
        ("report.convention", esc(r.convention or DASH), st.cell),
        ("report.tokens", escape(tokens), st.cell),
        ("report.latency", escape(latency), st.cell),
        ("report.finish", esc(r.finish_reason or DASH), st.cell),
    ]
    if r.error:
        rows.append(("report.error.title", esc(r.error, 600), st.cell))
    table = Table(
        [[ctx.words(key, st.label), ctx.p(v, style)] for key, v, style in rows],
        colWidths=[50 * mm, BODY_W - 50 * mm],
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    title = escape(ctx.t("report.photo", n=ctx.photo_no(r)))
    source = esc(r.source, 120)
    head = ctx.p(f"{title} <font size=9 color='{SOURCE_GREY}'>{source}</font>", st.h2)
    if ctx.info.raw_withheld:
        raw = ctx.words("report.raw-withheld", st.small)
    elif r.raw_text:
        raw = raw_block(ctx, clean(r.raw_text), RAW_MAX_CHARS)
    else:
        raw = ctx.words("report.no-raw", st.small)
    keep = [head, table, Spacer(1, 1.5 * mm), ctx.words("report.raw", st.label)]
    return [KeepTogether(keep), raw]
