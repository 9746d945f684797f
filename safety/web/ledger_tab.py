"""The Ledger and Trends tabs' components, laid out (inside an open gr.Blocks).

Ledger: filters, the findings table with thumbnails, a selection for bulk assignment and a
rectification notice, one finding's page (facts, history, before/after photos in a
gr.ImageSlider, status changes with evidence, the model's re-check) and the downloads.
Trends: charts per site or overall (safety.web.ledger_trends).
Labels are catalogue keys Gradio translates in the browser; the rest is written by the
handlers (safety.web.ledger_handlers) in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ..detections import CATEGORIES
from ..ledger.model import LEVELS, STATUSES


@dataclass
class LedgerTab:
    tab: gr.Tab
    banner: gr.HTML  # no lasting storage, or no access
    site: gr.Dropdown
    status: gr.Dropdown
    category: gr.Dropdown
    level: gr.Dropdown
    overdue: gr.Checkbox
    since: gr.Textbox
    until: gr.Textbox
    show: gr.Button
    count: gr.HTML
    table: gr.HTML
    versions: gr.State  # {id: version} of the findings listed: bulk changes name them
    chosen: gr.CheckboxGroup
    owner: gr.Textbox
    due: gr.Textbox
    assign: gr.Button
    make_notice: gr.Button
    bulk_msg: gr.HTML
    finding: gr.Dropdown
    pane: gr.Column  # the finding's page: hidden until one is picked
    detail: gr.HTML
    slider: gr.ImageSlider
    version: gr.State  # the version of the finding shown: a change is made on it
    next_status: gr.Dropdown
    note: gr.Textbox
    after: gr.Image
    save: gr.Button
    recheck: gr.Button
    finding_msg: gr.HTML
    month: gr.Textbox
    xlsx: gr.Button
    csv: gr.Button
    report: gr.Button
    files: gr.File


@dataclass
class TrendsTab:
    tab: gr.Tab
    site: gr.Dropdown
    show: gr.Button
    tiles: gr.HTML
    weekly: gr.BarPlot
    flow: gr.LinePlot
    repeated: gr.HTML


def _filters(i18n, c: dict) -> None:
    with gr.Row(elem_id="ledger-filters"):
        c["site"] = gr.Dropdown(
            [], value=None, label=i18n("page.ledger.site"), allow_custom_value=True,
            elem_id="ledger-site", min_width=160,
        )  # fmt: skip
        c["status"] = gr.Dropdown(
            list(STATUSES), value=[], multiselect=True, label=i18n("page.ledger.status"),
            elem_id="ledger-status", min_width=160,
        )  # fmt: skip
        c["category"] = gr.Dropdown(
            [k for k in CATEGORIES if k != "other"], value=[], multiselect=True,
            label=i18n("page.ledger.category"), elem_id="ledger-category", min_width=140,
        )  # fmt: skip
        c["level"] = gr.Dropdown(
            ["", *LEVELS], value="", label=i18n("page.ledger.level"),
            elem_id="ledger-level", min_width=110,
        )  # fmt: skip
    with gr.Row(elem_id="ledger-filters-2"):
        c["since"] = gr.Textbox(
            label=i18n("page.ledger.since"), placeholder="YYYY-MM-DD", elem_id="ledger-since",
            min_width=120,
        )  # fmt: skip
        c["until"] = gr.Textbox(
            label=i18n("page.ledger.until"), placeholder="YYYY-MM-DD", elem_id="ledger-until",
            min_width=120,
        )  # fmt: skip
        c["overdue"] = gr.Checkbox(
            label=i18n("page.ledger.overdue"), elem_id="ledger-overdue", min_width=100
        )
        c["show"] = gr.Button(
            i18n("page.ledger.show"), variant="primary", elem_id="ledger-show", min_width=100
        )


def _finding(i18n, c: dict) -> None:
    with gr.Group(elem_id="ledger-finding"):
        c["finding"] = gr.Dropdown(
            [], value=None, label=i18n("page.ledger.finding"), elem_id="ledger-pick"
        )
        # The finding's page, shown once one is picked.
        with gr.Column(visible=False, elem_id="ledger-pane") as c["pane"]:
            _pane(i18n, c)
        c["finding_msg"] = gr.HTML("", elem_id="ledger-finding-msg")


def _pane(i18n, c: dict) -> None:
    with gr.Row(equal_height=False):
        with gr.Column(scale=6, min_width=300):
            c["detail"] = gr.HTML("", elem_id="ledger-detail")
        with gr.Column(scale=5, min_width=300):
            c["slider"] = gr.ImageSlider(
                label=i18n("page.ledger.before-after"), type="filepath",
                interactive=False, elem_id="ledger-slider", height=320,
            )  # fmt: skip
    with gr.Row(equal_height=False):
        c["after"] = gr.Image(
            label=i18n("page.ledger.after"), type="filepath", sources=["upload"],
            elem_id="ledger-after", height=200, min_width=200,
        )  # fmt: skip
        with gr.Column(min_width=260):
            c["next_status"] = gr.Dropdown(
                [], value=None, label=i18n("page.ledger.next"), elem_id="ledger-next"
            )
            c["note"] = gr.Textbox(label=i18n("page.ledger.note"), lines=2, elem_id="ledger-note")
            with gr.Row():
                c["save"] = gr.Button(
                    i18n("page.ledger.save"), variant="primary", elem_id="ledger-save"
                )
                c["recheck"] = gr.Button(i18n("page.ledger.recheck"), elem_id="ledger-recheck")


def build_ledger_tab(i18n) -> LedgerTab:
    c: dict = {}
    with gr.Tab(i18n("page.ledger.tab"), elem_id="ledger-tab") as c["tab"]:
        c["banner"] = gr.HTML("", elem_id="ledger-banner")
        _filters(i18n, c)
        c["count"] = gr.HTML("", elem_id="ledger-count")
        c["table"] = gr.HTML("", elem_id="ledger-table")
        c["versions"] = gr.State({})
        with gr.Accordion(i18n("page.ledger.bulk"), open=True, elem_id="ledger-bulk"):
            c["chosen"] = gr.CheckboxGroup(
                [], label=i18n("page.ledger.chosen"), elem_id="ledger-chosen"
            )
            with gr.Row():
                c["owner"] = gr.Textbox(
                    label=i18n("page.ledger.owner"), elem_id="ledger-owner", min_width=140
                )
                c["due"] = gr.Textbox(
                    label=i18n("page.ledger.due"), placeholder="YYYY-MM-DD",
                    elem_id="ledger-due", min_width=120,
                )  # fmt: skip
            with gr.Row():
                c["assign"] = gr.Button(i18n("page.ledger.assign"), elem_id="ledger-assign")
                c["make_notice"] = gr.Button(
                    i18n("page.ledger.notice"), elem_id="ledger-make-notice"
                )
            c["bulk_msg"] = gr.HTML("", elem_id="ledger-bulk-msg")
        _finding(i18n, c)
        c["version"] = gr.State(None)
        with gr.Accordion(i18n("page.ledger.downloads"), open=False, elem_id="ledger-downloads"):
            with gr.Row():
                c["xlsx"] = gr.Button(i18n("page.ledger.xlsx"), elem_id="ledger-xlsx")
                c["csv"] = gr.Button(i18n("page.ledger.csv"), elem_id="ledger-csv")
            with gr.Row():
                c["month"] = gr.Textbox(
                    label=i18n("page.ledger.month"), placeholder="YYYY-MM",
                    elem_id="ledger-month", min_width=120,
                )  # fmt: skip
                c["report"] = gr.Button(i18n("page.ledger.report"), elem_id="ledger-report")
        c["files"] = gr.File(
            label=i18n("page.ledger.files"), file_count="multiple", interactive=False,
            elem_id="ledger-files", height=120,
        )  # fmt: skip
    return LedgerTab(**c)


def build_trends_tab(i18n) -> TrendsTab:
    c: dict = {}
    with gr.Tab(i18n("page.trends.tab"), elem_id="trends-tab") as c["tab"]:
        with gr.Row():
            c["site"] = gr.Dropdown(
                [], value=None, label=i18n("page.ledger.site"), allow_custom_value=True,
                elem_id="trends-site", min_width=200,
            )  # fmt: skip
            c["show"] = gr.Button(i18n("page.ledger.show"), elem_id="trends-show", min_width=100)
        c["tiles"] = gr.HTML("", elem_id="trends-tiles")
        c["weekly"] = gr.BarPlot(
            x="week", y="n", color="category", label=i18n("page.trends.weekly"),
            elem_id="trends-weekly", height=340,
        )  # fmt: skip
        c["flow"] = gr.LinePlot(
            x="week", y="n", color="series", label=i18n("page.trends.flow"),
            elem_id="trends-flow", height=340,
        )  # fmt: skip
        c["repeated"] = gr.HTML("", elem_id="trends-repeated")
    return TrendsTab(**c)
