"""The page's components, laid out: inputs on the left, results on the right.

Static words are catalogue keys that Gradio's gr.I18n translates in the browser; words that
depend on the run or the configuration are written by the handlers (``on_load`` for the
first view) in the browser's language. Every component has an elem_id for tests and CSS.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ..backends.demo import load_references
from ..backends.presets import PRESETS
from ..config import AppConfig
from ..limits import (
    DEFAULT_CONCURRENCY,
    DEFAULT_DETAIL,
    DEFAULT_MAX_PIXELS,
    DEFAULT_RECHECK,
    DETAILS,
    MAX_CONCURRENCY,
    MAX_MAX_PIXELS,
    MIN_MAX_PIXELS,
    RECHECKS,
)
from .compare import build_compare
from .review_panel import ReviewPanel, build_review_panel
from .site_panel import SitePanel, build_site_panel
from .store import BROWSER_KEY
from .views import table


@dataclass
class Page:
    """Every component a handler reads or writes, by name."""

    header: gr.HTML
    demo_banner: gr.HTML
    notice: gr.HTML
    files: gr.File
    urls: gr.Textbox
    examples: gr.Gallery
    run: gr.Button
    stop: gr.Button
    cost: gr.HTML  # requests and price of the run the form describes (safety.web.estimate)
    site: gr.Textbox
    inspector: gr.Textbox
    notes: gr.Textbox
    lang: gr.Radio
    prompt: gr.Textbox
    reset_prompt: gr.Button
    preset: gr.Dropdown
    base_url: gr.Textbox
    model: gr.Textbox
    api_key: gr.Textbox
    coords: gr.Dropdown
    max_pixels: gr.Number
    concurrency: gr.Slider
    detail: gr.Radio  # choices with their cost, in the browser's language, from on_load
    recheck: gr.Radio
    test: gr.Button
    conn_status: gr.HTML
    credits: gr.Markdown
    summary: gr.HTML
    caption: gr.HTML
    marked: gr.Image
    compare: gr.ImageSlider  # the photo before and after marking (safety.web.compare)
    table: gr.Dataframe
    gallery: gr.Gallery
    status: gr.HTML
    pdf: gr.DownloadButton
    json: gr.DownloadButton
    csv: gr.DownloadButton
    coco: gr.DownloadButton
    state: gr.State
    browser: gr.BrowserState  # the run to reopen after a reload (safety.web.store)
    review: ReviewPanel
    reopen_files: gr.File
    reopen: gr.Button
    site_panel: SitePanel  # privacy and site


def build_page(config: AppConfig, i18n: gr.I18n) -> Page:
    """Lay out the page (inside an open gr.Blocks) and return its components."""
    own = config.endpoint
    # A public page does not show its owner's endpoint: empty fields mean "the app's own".
    shown = None if config.public else own
    refs = load_references()
    c: dict = {}
    c["header"] = gr.HTML("", elem_id="app-header")
    c["demo_banner"] = gr.HTML("", elem_id="demo-banner", visible=config.demo)
    c["notice"] = gr.HTML("", elem_id="notice")
    with gr.Row(equal_height=False):
        with gr.Column(scale=5, min_width=320):
            c["files"] = gr.File(
                # The limits are filled in by on_load: a label with its placeholders
                # would show "{limit}" until then.
                label=i18n("page.photos-loading"),
                file_count="multiple",
                file_types=["image"],
                type="filepath",
                elem_id="photos",
                height=150,
            )
            c["urls"] = gr.Textbox(
                label=i18n("page.urls"),
                placeholder="https://example.com/site-photo.jpg",
                lines=2,
                max_lines=8,
                elem_id="urls",
            )
            c["examples"] = gr.Gallery(
                value=[(str(r.path), r.title) for r in refs],
                label=i18n("page.examples"),
                columns=4,
                height=None,
                allow_preview=False,
                interactive=False,
                object_fit="cover",
                format="jpeg",
                elem_id="examples",
            )
            with gr.Row():
                c["run"] = gr.Button(
                    i18n("page.run"), variant="primary", elem_id="run", scale=3, min_width=120
                )
                c["stop"] = gr.Button(
                    i18n("page.stop"), variant="stop", elem_id="stop", scale=1, min_width=70
                )
            c["cost"] = gr.HTML("", elem_id="cost-estimate")
            with gr.Accordion(i18n("page.details"), open=False, elem_id="details"):
                with gr.Row():
                    c["site"] = gr.Textbox(label=i18n("page.site"), elem_id="site")
                    c["inspector"] = gr.Textbox(label=i18n("page.inspector"), elem_id="inspector")
                c["notes"] = gr.Textbox(label=i18n("page.notes"), lines=2, elem_id="notes")
                c["lang"] = gr.Radio(
                    [("English", "en"), ("中文", "zh")],
                    value="en",  # on_load sets the browser's language
                    label=i18n("page.lang"),
                    elem_id="lang",
                )
                c["prompt"] = gr.Textbox(
                    value=config.prompt,
                    label=i18n("page.prompt"),
                    info=i18n("page.prompt-info"),
                    lines=6,
                    max_lines=20,
                    elem_id="prompt",
                )
                c["reset_prompt"] = gr.Button(
                    i18n("page.reset-prompt"), size="sm", elem_id="reset-prompt"
                )
            c["site_panel"] = build_site_panel(config, i18n)
            with gr.Accordion(i18n("page.endpoint"), open=False, elem_id="endpoint"):
                c["preset"] = gr.Dropdown(
                    [(p.title, p.name) for p in PRESETS.values()],
                    value=own.preset if own else "vllm",
                    label=i18n("page.preset"),
                    elem_id="preset",
                )
                c["base_url"] = gr.Textbox(
                    value=", ".join(shown.base_urls) if shown else "",
                    label=i18n("page.base-url"),
                    placeholder=i18n("page.own-endpoint" if own else "page.base-url-hint"),
                    elem_id="base-url",
                )
                c["model"] = gr.Textbox(
                    value=shown.model if shown else "",
                    label=i18n("page.model"),
                    placeholder=i18n("page.own-endpoint") if own else "Qwen/Qwen2.5-VL-7B-Instruct",
                    elem_id="model",
                )
                c["api_key"] = gr.Textbox(
                    value="",
                    type="password",
                    label=i18n("page.api-key"),
                    placeholder=i18n(
                        "page.api-key-env" if config.has_env_key else "page.api-key-none"
                    ),
                    info=i18n("page.api-key-info"),
                    elem_id="api-key",
                )
                c["coords"] = gr.Dropdown(
                    [], value=None, label=i18n("page.coords"), elem_id="coords"
                )  # choices in the browser's language come from on_load
                with gr.Row():
                    c["max_pixels"] = gr.Number(
                        value=own.max_pixels if own else DEFAULT_MAX_PIXELS,
                        label=i18n("page.max-pixels"),
                        precision=0,
                        minimum=MIN_MAX_PIXELS,
                        maximum=MAX_MAX_PIXELS,
                        elem_id="max-pixels",
                    )
                    c["concurrency"] = gr.Slider(
                        1,
                        MAX_CONCURRENCY,
                        step=1,
                        value=own.concurrency if own else DEFAULT_CONCURRENCY,
                        label=i18n("page.concurrency"),
                        elem_id="concurrency",
                    )
                c["detail"] = gr.Radio(
                    list(DETAILS),
                    value=own.detail if own else DEFAULT_DETAIL,
                    label=i18n("page.detail"),
                    elem_id="detail",
                )
                c["recheck"] = gr.Radio(
                    list(RECHECKS),
                    value=own.recheck if own else DEFAULT_RECHECK,
                    label=i18n("page.recheck"),
                    elem_id="recheck",
                )
                c["test"] = gr.Button(i18n("page.test"), elem_id="test-connection")
                c["conn_status"] = gr.HTML("", elem_id="connection-status")
            with gr.Accordion(i18n("page.reopen"), open=False, elem_id="reopen-panel"):
                c["reopen_files"] = gr.File(
                    label=i18n("page.reopen-files"),
                    file_count="multiple",
                    file_types=[".json", "image"],
                    type="filepath",
                    elem_id="reopen-files",
                    height=120,
                )
                c["reopen"] = gr.Button(i18n("page.reopen-button"), elem_id="reopen")
            with gr.Accordion(i18n("page.credits"), open=False):
                c["credits"] = gr.Markdown("", elem_id="credits")

        with gr.Column(scale=7, min_width=320):
            c["summary"] = gr.HTML("", elem_id="summary")
            c["caption"] = gr.HTML("", elem_id="photo-caption")
            c["marked"] = gr.Image(
                label=i18n("page.marked"),
                type="filepath",
                format="jpeg",
                interactive=False,
                height="min(520px, 75vw)",
                buttons=["download", "fullscreen"],
                placeholder=i18n("page.marked-hint"),
                elem_id="marked",
            )
            c["table"] = gr.Dataframe(
                value=table([], "en"),
                label=i18n("page.detections"),
                interactive=False,
                wrap=True,
                datatype="str",
                max_height=360,
                elem_id="detections",
            )
            c["compare"] = build_compare(i18n("page.compare"), "compare")
            c["gallery"] = gr.Gallery(
                label=i18n("page.gallery"),
                columns=5,
                fit_columns=False,
                height="auto",
                allow_preview=False,
                interactive=False,
                object_fit="contain",
                format="jpeg",
                visible=False,
                elem_id="results-gallery",
            )
            c["review"] = build_review_panel(i18n)
            c["status"] = gr.HTML("", elem_id="photo-status")
            with gr.Row(elem_id="downloads"):
                c["pdf"] = gr.DownloadButton(
                    i18n("page.pdf"),
                    visible=False,
                    elem_id="download-pdf",
                    variant="primary",
                    min_width=90,
                )
                c["json"] = gr.DownloadButton(
                    i18n("page.json"), visible=False, elem_id="download-json", min_width=90
                )
                c["csv"] = gr.DownloadButton(
                    i18n("page.csv"), visible=False, elem_id="download-csv", min_width=90
                )
                c["coco"] = gr.DownloadButton(
                    i18n("page.coco"), visible=False, elem_id="download-coco", min_width=90
                )
    # No delete_callback: a reload ends the session, and its review must survive it; run
    # folders go by age instead (safety.web.runfolders.sweep_runs).
    c["state"] = gr.State(None)
    c["browser"] = gr.BrowserState({}, storage_key=BROWSER_KEY)
    return Page(**c)
