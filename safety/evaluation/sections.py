"""One run's section of the evaluation report (headline tiles, the table per category, the
confusion pictures, per-photo figures, cost and speed, the worst photos) and the side-by-side
table of several runs; plus the small pieces page 1 shares with them."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from ..annotate import COLOURS
from ..i18n import category_name, t
from ..prompts import DEFAULT_PROMPT
from ..report.photos import image
from ..report.styles import BODY_W, INK, PALE, RULE, Styles, rgb, table_style, tint
from ..report.text import esc, safe_endpoint
from .metrics import ANSWER_CATEGORIES, HELMET_ANSWER, HELMET_TRUTH, MISSED, NONE, worst
from .pictures import GOOD, heat_map, marked_photo
from .scored import Scored, pct

WORST_ONE, WORST_MANY = 6, 4  # worst photos shown for one run, and per run when comparing


class Doc:
    """One report being written: language, styles and the catalogue."""

    def __init__(self, lang: str):
        self.lang = lang
        self.st = Styles(lang)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.st.base)

    def w(self, key: str, style: ParagraphStyle | None = None, **values) -> Paragraph:
        return self.p(escape(self.t(key, **values)), style)


def grid(rows, widths, head: bool = True, extra=()) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if head else 0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if head:
        style.append(("BACKGROUND", (0, 0), (-1, 0), INK))
    table.setStyle(table_style(style + list(extra)))
    return table


def frames_sent(scored: Scored) -> str:
    frames = sorted({tuple(r.frame) for r in scored.outcome.results if r.frame})
    shown = ", ".join(f"{w}\u00d7{h}" for w, h in frames[:3]) + (
        " \u2026" if len(frames) > 3 else ""
    )
    return shown or "\u2013"


def prompt_name(d: Doc, prompt: str) -> str:
    if prompt == DEFAULT_PROMPT:
        return d.t("eval.report.prompt-default")
    return d.t("eval.report.prompt-own", start=" ".join(prompt.split())[:90])


def _chips(d: Doc, f: dict) -> Table:
    """The headline figures as tiles: F1 per category, hard hats, photos, false alarms."""
    big = ParagraphStyle("chip_big", d.st.chip, fontSize=17, leading=20)
    small = ParagraphStyle("chip_small", d.st.small, alignment=1, fontSize=7.5, leading=9.5)
    tiles, colours = [], []
    for category, c in f["classes"].items():
        if c["labelled"]:
            sub = d.t("eval.report.chip-pr", p=pct(c["precision"]), r=pct(c["recall"]))
            head = d.t("eval.report.chip-f1", category=category_name(category, d.lang))
            tiles.append((pct(c["f1"]), head, sub))
            colours.append(COLOURS[category])
    h = f["helmet"]
    if h["scored"]:
        sub = d.t("eval.report.chip-of", n=h["correct"], total=h["scored"])
        tiles.append((pct(h["accuracy"]), d.t("eval.report.chip-helmet"), sub))
        colours.append(COLOURS["violation"])
    p = f["photos"]
    if p:
        sub = d.t("eval.report.chip-of", n=p["correct"], total=p["scored"])
        tiles.append((pct(p["accuracy"]), d.t("eval.report.chip-hazard"), sub))
        colours.append((90, 90, 100))
        sub = d.t("eval.report.chip-of", n=p["false_alarms"], total=p["without_hazard"])
        tiles.append((pct(p["false_alarm_rate"]), d.t("eval.report.chip-alarms"), sub))
        colours.append((90, 90, 100))
    tiles, colours = tiles[:6], colours[:6]
    width = BODY_W / max(1, len(tiles))
    row = [
        [d.p(escape(v), big), d.p(escape(hd), small), d.p(escape(sb), small)] for v, hd, sb in tiles
    ]
    table = Table([row], colWidths=[width] * len(tiles))
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEAFTER", (0, 0), (-2, -1), 3, colors.white)]
    for i, colour in enumerate(colours):
        style += [
            ("BACKGROUND", (i, 0), (i, 0), tint(colour, 0.86)),
            ("LINEABOVE", (i, 0), (i, 0), 2.5, rgb(colour)),
        ]
    table.setStyle(table_style(style))
    return table


def _class_table(d: Doc, f: dict) -> Table:
    st = d.st
    right = ParagraphStyle("num", st.cell, alignment=TA_RIGHT)
    right_head = ParagraphStyle("num_head", st.cell_head, alignment=TA_RIGHT)
    keys = ["category", "truths", "answers", "tp", "fp", "fn", "precision", "recall", "f1"]
    rows = [[d.w(f"eval.col.{k}", st.cell_head if k == "category" else right_head) for k in keys]]
    extra = []
    for i, (category, c) in enumerate(f["classes"].items(), start=1):
        cells = [d.p(escape(category_name(category, d.lang)), st.cell)]
        if not c["labelled"]:
            cells += [d.p("\u2013", right), d.p(str(c["answers"]), right)]
            cells += [d.w("eval.report.not-labelled", st.small)] + [""] * 5
            extra.append(("SPAN", (3, i), (-1, i)))
        else:
            cells += [d.p(str(c[k]), right) for k in keys[1:6]]
            cells += [d.p(pct(c[k]), right) for k in keys[6:]]
        rows.append(cells)
        extra.append(("LINEBEFORE", (0, i), (0, i), 4, rgb(COLOURS[category])))
    widths = [30 * mm] + [(BODY_W - 30 * mm) / 8] * 8
    return grid(rows, widths, extra=extra)


def _pictures(d: Doc, f: dict, labelled: list[str]) -> list[Flowable]:
    def name(c: str) -> str:
        return category_name(c, d.lang)

    rows = [(c, name(c)) for c in labelled] + [(NONE, d.t("eval.report.none"))]
    cols = [(c, name(c)) for c in ANSWER_CATEGORIES] + [(MISSED, d.t("eval.report.missed"))]
    half = BODY_W / 2 - 3 * mm
    cat = heat_map(
        rows,
        cols,
        f["confusion"],
        width=half,
        row_title=d.t("eval.report.labelled"),
        col_title=d.t("eval.report.answered"),
    )
    cells = [[d.w("eval.report.confusion", d.st.h2)], [cat]]
    h = f["helmet"]
    if h["scored"] or any(h["missed"].values()):

        def status(s: str) -> str:
            return d.t(f"eval.report.hat.{s}")

        values = {r: h["confusion"][r] | {MISSED: h["missed"][r]} for r in HELMET_TRUTH}
        helmet = heat_map(
            [(s, status(s)) for s in HELMET_TRUTH],
            [(s, status(s)) for s in HELMET_ANSWER] + [(MISSED, d.t("eval.report.missed"))],
            values,
            width=half,
            row_title=d.t("eval.report.labelled"),
            col_title=d.t("eval.report.answered"),
        )
        cells = [cells[0] + [d.w("eval.report.helmet-confusion", d.st.h2)], [cat, helmet]]
    table = Table(cells, colWidths=[BODY_W / 2] * len(cells[0]), hAlign="LEFT")
    table.setStyle(
        table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [KeepTogether([table, d.w("eval.report.confusion-help", d.st.small)])]


def _photo_rows(d: Doc, f: dict) -> Table:
    st, u, p = d.st, f["usage"], f["photos"]
    rows = []
    if p:
        basis = [d.t(f"eval.report.basis.{b}") for b in p["basis"]]
        rows += [
            ("eval.report.hazard-basis", d.t("list.separator").join(basis)),
            (
                "eval.report.hazard-right",
                d.t(
                    "eval.report.of-pct", n=p["correct"], total=p["scored"], pct=pct(p["accuracy"])
                ),
            ),
            (
                "eval.report.false-alarms",
                d.t(
                    "eval.report.of-pct",
                    n=p["false_alarms"],
                    total=p["without_hazard"],
                    pct=pct(p["false_alarm_rate"]),
                ),
            ),
            (
                "eval.report.missed-photos",
                d.t(
                    "eval.report.of-pct",
                    n=p["missed"],
                    total=p["with_hazard"],
                    pct=pct(p["miss_rate"]),
                ),
            ),
        ]
    lat = u["latency_s"] or {}
    rows += [
        (
            "eval.report.failed",
            d.t("eval.report.failed-value", n=f["failed"], unreadable=f["unreadable"]),
        ),
        (
            "eval.report.answers",
            d.t("eval.report.answers-value", asked=u["asked"], cached=u["from_cache"]),
        ),
        (
            "eval.report.tokens",
            d.t(
                "eval.report.tokens-value",
                prompt=u["prompt_tokens"],
                completion=u["completion_tokens"],
                per=u["tokens_per_photo"] or "\u2013",
            ),
        ),
        (
            "eval.report.latency",
            d.t(
                "eval.report.latency-value",
                mean=lat.get("mean", "\u2013"),
                median=lat.get("median", "\u2013"),
                p90=lat.get("p90", "\u2013"),
            ),
        ),
    ]
    cells = [[d.w(k, st.key), d.p(escape(v), st.cell)] for k, v in rows]
    return grid(cells, [48 * mm, BODY_W - 48 * mm], head=False)


def _worst(d: Doc, scored: Scored, n: int) -> list[Flowable]:
    picked = worst(scored.scores, n)
    if not picked:
        return [d.w("eval.report.worst", d.st.h2), d.w("eval.report.no-mistakes")]
    out: list[Flowable] = [
        CondPageBreak(90 * mm),
        d.w("eval.report.worst", d.st.h2),
        d.w("eval.report.worst-help", d.st.small),
        Spacer(1, 2 * mm),
    ]
    cell_w = BODY_W / 2 - 2 * mm
    cells = []
    for s in picked:
        photo = marked_photo(s, d.lang)
        pic = image(photo, cell_w, 80 * mm) if photo else d.w("eval.report.no-picture", d.st.small)
        said = d.t(
            "eval.report.photo-mistakes",
            fn=len(s.missed),
            fp=len(s.false),
            status=len(s.wrong_status),
        )
        caption = d.p(f"<b>{esc(s.truth.name, 80)}</b><br/>{escape(said)}", d.st.caption)
        cells.append([pic, caption])
    grid = [[cells[i], cells[i + 1] if i + 1 < len(cells) else ""] for i in range(0, len(cells), 2)]
    table = Table(grid, colWidths=[BODY_W / 2] * 2)
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return out + [table]


def run_section(d: Doc, scored: Scored, labelled: list[str], n_worst: int) -> list[Flowable]:
    f, st = scored.figures, d.st
    out: list[Flowable] = [
        _chips(d, f),
        Spacer(1, 4 * mm),
        d.w("eval.report.by-category", st.h2),
        _class_table(d, f),
        Spacer(1, 3 * mm),
    ]
    out += _pictures(d, f, labelled)
    out += [d.w("eval.report.per-photo", st.h2), _photo_rows(d, f)]
    if f["failures"]:
        out.append(d.w("eval.report.failures", st.h2))
        for fail in f["failures"][:30]:
            out.append(
                d.p(f"<b>{esc(fail['source'], 100)}</b>: {esc(fail['error'], 300)}", st.small)
            )
    return out + _worst(d, scored, n_worst)


def side_by_side(d: Doc, runs: list[Scored], labelled: list[str]) -> list[Flowable]:
    st = d.st
    head = [d.w("eval.col.figure", st.cell_head)] + [
        d.p(esc(r.spec.name, 40), st.cell_head) for r in runs
    ]
    facts = [
        ("eval.report.model", lambda r: r.spec.settings.model),
        ("eval.report.endpoint", lambda r: safe_endpoint(r.spec.settings.host)),
        ("eval.report.frame", lambda r: f"{r.spec.settings.max_pixels:,} ({frames_sent(r)})"),
        ("eval.report.prompt", lambda r: prompt_name(d, r.spec.settings.prompt)),
    ]
    rows = [head] + [
        [d.w(k, st.cell)] + [d.p(esc(get(r), 120), st.cell) for r in runs] for k, get in facts
    ]
    figures = [
        (
            d.t("eval.report.chip-f1", category=category_name(c, d.lang)),
            lambda f, c=c: f["classes"][c]["f1"],
            max,
        )
        for c in labelled
    ]
    figures += [
        (d.t("eval.report.chip-helmet"), lambda f: f["helmet"]["accuracy"], max),
        (d.t("eval.report.chip-hazard"), lambda f: (f["photos"] or {}).get("accuracy"), max),
        (
            d.t("eval.report.chip-alarms"),
            lambda f: (f["photos"] or {}).get("false_alarm_rate"),
            min,
        ),
    ]
    extra = [("BACKGROUND", (0, 1), (-1, len(facts)), PALE)]
    for name, get, best in figures:
        values = [get(r.figures) for r in runs]
        known = [v for v in values if v is not None]
        top = best(known) if len(set(known)) > 1 else None  # a tie everywhere marks nothing
        row = len(rows)
        for j, v in enumerate(values, start=1):
            if v is not None and v == top:
                extra += [
                    ("BACKGROUND", (j, row), (j, row), tint(GOOD, 0.78)),
                    ("LINEBEFORE", (j, row), (j, row), 2.5, rgb(GOOD)),
                ]
        rows.append([d.p(escape(name), st.cell)] + [d.p(pct(v), st.cell) for v in values])
    rows.append(
        [d.w("eval.report.tokens-short", st.cell)]
        + [d.p(str(r.figures["usage"]["tokens_per_photo"] or "\u2013"), st.cell) for r in runs]
    )
    widths = [48 * mm] + [(BODY_W - 48 * mm) / len(runs)] * len(runs)
    return [
        d.w("eval.report.compare", st.h1),
        d.w("eval.report.compare-help", st.small),
        Spacer(1, 2 * mm),
        grid(rows, widths, extra=extra),
    ]
