"""The evaluation report (PDF): what was scored against what, the figures, the confusions as
pictures, and the photos the model got most wrong with the labels and its answer drawn on them.

Page 1 names the data set, the endpoint, the model, the prompt and the frame size, says that
the figures hold for this data set only and why there is no AP. Several runs (``--compare``)
get a side-by-side table first, then one section each. An appendix gives the class mapping,
the matching rule and the prompt in full. Same font, styles and colours as the inspection
report (``safety.report.styles``); every word from the catalogue (``safety/i18n/evaluate.py``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
)

from ..files import write_atomic
from ..i18n import category_name
from ..report.canvas import build_pdf, numbered_canvas
from ..report.styles import (
    BODY_W,
    DEMO_BG,
    MARGIN_BOTTOM,
    MARGIN_X,
    MUTED,
    PAGE_W,
    RULE,
    register_fonts,
)
from ..report.text import esc, esc_lines, format_time, safe_endpoint
from .classmap import ClassMap
from .datasets import Dataset
from .metrics import ANSWER_CATEGORIES
from .scored import Scored
from .sections import (
    WORST_MANY,
    WORST_ONE,
    Doc,
    frames_sent,
    grid,
    prompt_name,
    run_section,
    side_by_side,
)
from .truth import Notice


def _facts(d: Doc, dataset: Dataset, cmap: ClassMap, runs: list[Scored], iou: float, n: int):
    st = d.st
    names = [category_name(c, d.lang) for c in ANSWER_CATEGORIES if c in cmap.labelled]
    scored = d.t("list.separator").join(names)
    rows = [
        (
            "eval.report.dataset",
            d.t(
                "eval.report.dataset-value",
                path=dataset.root.name or str(dataset.root),
                form=dataset.form.upper(),
            ),
        ),
        ("eval.report.photos", d.t("eval.report.photos-value", n=n, total=len(dataset.photos))),
        ("eval.report.scored", scored),
    ]
    if len(runs) == 1:
        s = runs[0].spec.settings
        rows += [
            ("eval.report.endpoint", safe_endpoint(s.host)),
            ("eval.report.model", s.model),
            ("eval.report.prompt", prompt_name(d, s.prompt)),
            (
                "eval.report.frame",
                d.t(
                    "eval.report.frame-value",
                    pixels=s.max_pixels,
                    frames=frames_sent(runs[0]),
                    coords=s.coords,
                ),
            ),
        ]
    rows += [
        ("eval.report.matching", d.t("eval.report.matching-value", iou=iou)),
        ("eval.report.created", format_time(datetime.now().astimezone())),
    ]
    cells = [[d.w(key, st.key), d.p(esc(value, 300))] for key, value in rows]
    return grid(
        cells,
        [36 * mm, BODY_W - 36 * mm],
        head=False,
        extra=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")],
    )


def _note(d: Doc, key: str, **values) -> Paragraph:
    style = ParagraphStyle("scope", d.st.demo, backColor=DEMO_BG, fontSize=9.5, leading=13)
    return d.w(key, style, **values)


def _appendix(d: Doc, dataset: Dataset, cmap: ClassMap, runs: list[Scored]) -> list[Flowable]:
    st = d.st
    out: list[Flowable] = [
        PageBreak(),
        d.w("eval.report.appendix", st.h1),
        d.w("eval.report.classes", st.h2),
    ]
    rows = [
        [
            d.w("eval.col.class", st.cell_head),
            d.w("eval.col.boxes", st.cell_head),
            d.w("eval.col.means", st.cell_head),
        ]
    ]
    for cls, boxes, means in cmap.table()[:200]:
        shown = means or d.t("eval.report.unmapped")
        rows.append(
            [d.p(esc(cls, 60), st.cell), d.p(str(boxes), st.cell), d.p(esc(shown), st.cell)]
        )
    out.append(grid(rows, [60 * mm, 25 * mm, BODY_W - 85 * mm]))
    notices: list[Notice] = dataset.notices + cmap.notices()
    for notice in notices:
        out.append(d.p("\u2022 " + esc(notice.text(d.lang), 600), st.small))
    out += [
        d.w("eval.report.rule", st.h2),
        d.w("eval.note.matching"),
        Spacer(1, 1.5 * mm),
        d.w("eval.note.no-ap"),
    ]
    for prompt in dict.fromkeys(r.spec.settings.prompt for r in runs):
        names = ", ".join(r.spec.name for r in runs if r.spec.settings.prompt == prompt)
        out += [
            d.w("eval.report.prompt-full", st.h2, names=names),
            d.p(esc_lines(prompt, 4000), st.raw),
        ]
    return out


def _footer(d: Doc, dataset: Dataset):
    left = d.t("eval.report.footer", name=dataset.root.name or str(dataset.root))

    def footer(c: Canvas, page: int, total: int) -> None:
        y = MARGIN_BOTTOM - 9 * mm
        c.setStrokeColor(RULE)
        c.line(MARGIN_X, y + 4.2 * mm, PAGE_W - MARGIN_X, y + 4.2 * mm)
        c.setFillColor(MUTED)
        c.setFont(d.st.base.fontName, 7.5)
        c.drawString(MARGIN_X, y, left[:110])
        c.drawRightString(PAGE_W - MARGIN_X, y, d.t("eval.report.page", p=page, n=total))

    return numbered_canvas(footer)


def build_report(
    dataset: Dataset, cmap: ClassMap, runs: list[Scored], iou: float, lang: str
) -> bytes:
    register_fonts()
    d = Doc(lang)
    labelled = [c for c in ANSWER_CATEGORIES if c in cmap.labelled]
    n = runs[0].figures["images"]
    story: list[Flowable] = [
        d.w("eval.report.title", d.st.title),
        _facts(d, dataset, cmap, runs, iou, n),
        Spacer(1, 3 * mm),
        _note(d, "eval.report.scope", n=n, name=dataset.root.name or str(dataset.root)),
        d.w("eval.note.no-ap", d.st.small),
        Spacer(1, 2 * mm),
    ]
    if len(runs) > 1:
        story += side_by_side(d, runs, labelled)
    for scored in runs:
        if len(runs) > 1:
            # A run starts on the page the last one left, when its tiles and table fit there.
            story += [
                CondPageBreak(80 * mm),
                d.w("eval.report.run", d.st.h1, name=scored.spec.name),
            ]
        story += run_section(d, scored, labelled, WORST_ONE if len(runs) == 1 else WORST_MANY)
    story += _appendix(d, dataset, cmap, runs)
    return build_pdf(story, _footer(d, dataset), lang, title=d.t("eval.report.title"))


def write_report(
    path: Path, dataset: Dataset, cmap: ClassMap, runs: list[Scored], iou: float, lang: str
) -> Path:
    data = build_report(dataset, cmap, runs, iou, lang)
    return write_atomic(path, data)
