"""The web app (Gradio 6): photos or URLs in, marked photo beside its detections table out,
report and exports to download.

    build_app(config) -> gr.Blocks      the page and its API endpoint "/inspect"
    launch_kwargs(config) -> dict       theme, css, i18n, upload limit, auth for launch()

Where things live:
    layout.py     the components, laid out (``Page`` names them)
    form.py       a run's inputs by name (RunForm), from the page's fields or the API's
    job.py        one run: photos, endpoint, site and privacy, allowance, deadline
    handlers.py   what each button does; one inspection path for the button and the API
    api.py        the "/inspect" API: the button's run as one call
    state.py      RunState: the run the page shows (its views, photo and finding chosen)
    views.py      HTML and table rows built from results (escaped; words from the catalogue)
    runs.py       per-run folders, downloads (PDF, JSON, CSV), sweeping
    endpoint.py   the endpoint of a run: the server's, or one typed into the page (key
                  routing, public-address check, pinned connection), and Test connection
    video_view.py a video's cost before the run, its timeline of events and its frames
                  (video_bounds.py: a page's bounds; video_timeline.py; video_files.py)
    style.css     the page's CSS; the embedded CJK font is served to the browser from it

Language: labels and buttons are catalogue keys translated in the browser by gr.I18n; text
the server writes follows the browser's Accept-Language (``on_load``) or, during a run, the
report language picked on the page (which defaults to the browser's).
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import gradio as gr

from ..backends.demo import ASSETS_DIR
from ..config import AppConfig, load_config
from ..i18n import translations
from .actions_panel import wire_actions
from .agents import add_tools, mcp_launch_kwargs
from .form import ENDPOINT_FIELDS
from .handlers import Handlers
from .layout import Page, build_page
from .ledger_handlers import LedgerHandlers
from .ledger_tab import build_ledger_tab, build_trends_tab
from .ledger_wire import wire_ledger
from .notice_page import notice_routes
from .runfolders import use_data_dir
from .video_view import VideoHandlers

HERE = Path(__file__).resolve().parent
FONTS_DIR = HERE.parent.parent / "fonts"
CJK_FONT = FONTS_DIR / "wqy-microhei.woff2"  # made by fonts/make_web_font.py
# CJK blocks only: the browser fetches the font when a page shows Chinese, and keeps its
# own fonts for Latin text.
CJK_RANGES = (
    "U+2E80-2FDF, U+3000-30FF, U+3100-31FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF"
)


CJK_FAMILY = "Safety CJK"
RUNS = "inspection-runs"  # the concurrency group of every inspection, button and API alike


def _css() -> str:
    # The same CJK face is also declared under the family name some Gradio components
    # hard-code ("IBM Plex Sans", e.g. the table's label): the browser then takes CJK from
    # it and the rest from the family's other faces or the next font in the list.
    faces = "".join(
        f"@font-face {{ font-family: '{family}'; font-display: swap; "
        f"src: url('/gradio_api/file={CJK_FONT}') format('woff2'); "
        f"unicode-range: {CJK_RANGES}; }}\n"
        for family in (CJK_FAMILY, "IBM Plex Sans")
    )
    sheets = ("style.css", "ledger.css")  # the page's, then the Ledger tab's
    return faces + "".join((HERE / name).read_text(encoding="utf-8") for name in sheets)


def theme() -> gr.themes.Base:
    # Our font right after the theme's own: it covers only CJK code points (unicode-range),
    # so Latin text keeps the theme's look and Chinese never falls to a missing system font.
    local = gr.themes.LocalFont
    soft = gr.themes.Soft(
        primary_hue="orange",
        secondary_hue="slate",
        font=(local("Montserrat", weights=(400, 700)), CJK_FAMILY, "ui-sans-serif", "sans-serif"),
        font_mono=(local("IBM Plex Mono"), CJK_FAMILY, "ui-monospace", "Consolas", "monospace"),
    )
    # Darker shades of the same orange and grey, so that our words reach 4.5:1 in both
    # colour schemes: the theme's orange labels, buttons and chosen options are 2.4:1 to
    # 3.6:1 against white text or background, and its subdued grey 2.4:1 on white.
    return soft.set(
        block_label_text_color="*primary_800",
        block_title_text_color="*primary_800",
        block_label_background_fill_dark="*primary_800",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_dark="*primary_700",
        button_primary_background_fill_hover_dark="*primary_800",
        body_text_color_subdued="*neutral_600",
        button_secondary_background_fill_hover_dark="*primary_800",
        checkbox_label_background_fill_selected="*primary_700",
        checkbox_label_background_fill_selected_dark="*primary_800",
    )


def return_freed_memory() -> None:
    """Have glibc give large freed blocks back to the system at once.

    Decoded photos are allocated in big blocks on short-lived worker threads; by default
    glibc keeps freed blocks in per-thread pools, and the server's memory stays at its peak
    long after the photos are gone (measured: 4.6 GB kept, instead of a 1.9 GB peak that
    falls back to 0.4 GB). Serving blocks of 1 MB and more with mmap returns them on free.
    A no-op where the C library is not glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 1024 * 1024)  # M_MMAP_THRESHOLD
        libc.mallopt(-8, 2)  # M_ARENA_MAX: few per-thread pools
    except (OSError, AttributeError):
        pass


def _config(config: AppConfig | Mapping[str, str]) -> AppConfig:
    return config if isinstance(config, AppConfig) else load_config(config)


def i18n() -> gr.I18n:
    """The page's share of the catalogue (labels and captions), for Gradio to translate."""
    return gr.I18n(
        **{
            lang: {k: v for k, v in words.items() if k.startswith(("page.", "example."))}
            for lang, words in translations().items()
        }
    )


def _runs_allowed(config: AppConfig) -> list[str]:
    return [str(config.ledger.data_dir / "runs")] if config.ledger is not None else []


def launch_kwargs(config: AppConfig | Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Arguments for Blocks.launch(): never a host or port (GRADIO_SERVER_NAME/PORT decide)."""
    config = _config(config)
    kwargs: dict[str, Any] = {
        "theme": theme(),
        "css": _css(),
        "js": (HERE / "a11y.js").read_text(encoding="utf-8"),
        "i18n": i18n(),
        # Uploads may be videos: each photo's own cap is checked when the run starts.
        "max_file_size": f"{max(config.max_file_mb, config.max_video_mb)}mb",
        # The run folders (marked photos, downloads) live in the data folder, which may be
        # served; never the ledger's database or photos beside it.
        "allowed_paths": [str(ASSETS_DIR), str(CJK_FONT)] + _runs_allowed(config),
        "show_error": True,
        # Off unless the operator turns it on (SAFETY_RUN_HISTORY=1): Gradio would otherwise
        # keep every run, photos and results, in each visitor's browser.
        "run_history": config.run_history,
    }
    if config.auth:
        kwargs["auth"] = config.auth
    if config.public_url:
        # The site manager's notice page (safety.web.notice_page): a route of its own, outside
        # the login, since the link's token is the only key it needs.
        kwargs["app_kwargs"] = {"routes": notice_routes(config)}
    kwargs.update(mcp_launch_kwargs(config))  # the tools for agents (safety.web.agents)
    return kwargs


def shown_outputs(page: Page) -> list:
    """Everything that shows a run (the run, a decision, a photo chosen, a reopened run)."""
    r = page.review
    return [page.summary, page.caption, page.marked, page.compare, page.table, page.gallery,
            page.status,
            page.state, page.browser, page.pdf, page.json, page.csv, page.coco, r.group,
            r.selected, r.annotator, r.write, r.reviewer, r.note,
            *page.video.outputs()]  # fmt: skip


def _wire(page: Page, h: Handlers) -> None:
    private = {"api_visibility": "private"}
    quick = {"queue": False, **private}
    page.examples.select(h.add_example, [page.files], [page.files], **quick)
    page.preset.input(h.on_preset, [page.preset], [page.base_url, page.model], **quick)
    page.reset_prompt.click(lambda: h.config.prompt, None, [page.prompt], **quick)
    # Inputs by name: a set of components gives the handler a dict keyed by component, read
    # into a RunForm by the one mapping of names to components (safety.web.form).
    endpoint = {h.fields[name] for name in ENDPOINT_FIELDS}
    page.test.click(h.test_connection, endpoint, [page.conn_status], **private)
    # The cost of the run the form describes, again whenever what it depends on changes.
    costly = {h.fields[name] for name in ("files", "urls", "lang", "base_url", "model",
                                          "detail", "recheck")}  # fmt: skip
    for component in costly:
        component.change(h.estimate, costly, [page.cost], **quick)
    outputs = shown_outputs(page)
    run_event = page.run.click(
        h.run,
        {*h.fields.values(), page.state},
        outputs,
        show_progress="full",
        show_progress_on=[page.summary],
        scroll_to_output=True,
        concurrency_id=RUNS,
        **private,
    )
    page.stop.click(h.stop, None, None, cancels=[run_event], **quick)
    page.gallery.select(h.show_photo, [page.state, page.lang], outputs, **private)
    _wire_review(page, h.reviewing, outputs)
    VideoHandlers(page, h.config).wire()  # the estimate, the timeline, the frames


def _wire_review(page: Page, rh, outputs: list) -> None:
    """The review panel: every decision is one event that saves and shows the run again."""
    private = {"api_visibility": "private"}
    r = page.review
    page.table.select(rh.select_row, [page.state, page.lang],
                      [page.state, page.marked, r.selected, r.note, *page.video.outputs()],
                      **private)  # fmt: skip
    decision_inputs = [page.state, page.lang, r.reviewer, page.inspector, r.correct_to, r.note,
                       r.annotator, r.add_as]  # fmt: skip
    for button, action in ((r.confirm, "confirm"), (r.reject, "reject"), (r.correct, "correct"),
                           (r.confirm_all, "confirm-all"), (r.add, "add")):  # fmt: skip
        button.click(rh.decide(action), decision_inputs, outputs, **private)
    r.next_photo.click(rh.next_photo, [page.state, page.lang], outputs, **private)
    r.write.click(rh.write, [page.state, page.lang, page.site, page.inspector, page.notes],
                  [page.pdf, page.json, page.csv, page.coco, r.write], **private)  # fmt: skip
    page.reopen.click(rh.reopen, [page.reopen_files, page.lang], outputs, **private)
    wire_actions(page, rh, outputs)  # corrective actions (safety.web.actions_panel)


def build_app(config: AppConfig | Mapping[str, str] = os.environ) -> gr.Blocks:
    """The whole page. The configuration is read once (never shown)."""
    config = _config(config)
    return_freed_memory()
    if config.ledger is not None:
        use_data_dir(config.ledger.data_dir)  # run folders survive a restart
    with gr.Blocks(title="Site safety inspection · 现场安全检查", delete_cache=(1800, 3600)) as app:
        words = i18n()
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab(words("page.tab.inspect"), elem_id="inspect-tab"):
                page = build_page(config, words)
            ledger_tab = build_ledger_tab(words)  # the hazard ledger (safety.web.ledger_*)
            trends_tab = build_trends_tab(words)
        handlers = Handlers(config, page)
        _wire(page, handlers)
        wire_ledger(page, ledger_tab, trends_tab, LedgerHandlers(handlers.ledger, ledger_tab))
        load = app.load(
            handlers.on_load,
            None,
            [
                page.header,
                page.demo_banner,
                page.cost,
                page.files,
                page.examples,
                page.lang,
                page.coords,
                page.detail,
                page.recheck,
                page.credits,
                page.summary,
                page.table,
                page.notice,
                page.review.correct_to,
                page.review.add_as,
                page.urls,
                page.prompt,
                page.preset,
                page.base_url,
                page.model,
                page.api_key,
                page.max_pixels,
                page.concurrency,
            ],
            queue=False,
            api_visibility="private",
        )
        # Then the run this browser was reviewing, as it was left (a reload loses nothing).
        load.then(handlers.restore, [page.browser], shown_outputs(page), api_visibility="private")
        # The button and the API share the run slots: one queue, not two of the same size.
        gr.api(handlers.api_inspect, api_name="inspect", concurrency_id=RUNS)
        if config.mcp:
            add_tools(handlers)
    handlers.alerts.start_daily()
    return app


__all__ = ["build_app", "launch_kwargs"]
