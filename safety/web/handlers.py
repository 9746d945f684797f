"""What happens when the person at the page does something.

One inspection path serves the button and the API: ``start_run`` checks the input and the
endpoint and returns a ``Run`` whose ``results()`` stream; the button's handler shows each
result as it arrives, the API's collects them into the results document. Handlers return
dicts keyed by component (named outputs), never tuples patched by position.
SafetyError becomes gr.Error in one place, ``user_errors``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import gradio as gr
from gradio import FileData

from ..config import AppConfig
from ..demo import load_references
from ..detections import ImageResult
from ..errors import InputError, SafetyError
from ..geometry import ABSOLUTE, RELATIVE_1000
from ..i18n import lang_from_header, lang_or_default, t
from ..inspection import Inspector, Source
from ..limits import DEFAULT_CONCURRENCY
from ..presets import AUTO, PRESETS
from .endpoint import (
    COORD_DEFAULT,
    Endpoint,
    EndpointForm,
    endpoint_from_form,
    make_inspector,
    test_endpoint,
)
from .layout import Page
from .runs import ReportDetails, make_view, new_run_dir, remove_run, results_json, write_downloads
from .views import (
    PhotoView,
    banner,
    conn_html,
    header_html,
    short,
    status_html,
    summary_html,
    table,
    verdict_box,
)


@contextmanager
def user_errors(lang: str = "en") -> Iterator[None]:
    """The one place where our errors become messages for the person at the page."""
    try:
        yield
    except SafetyError as exc:
        raise gr.Error(str(exc), title=t("page.cannot", lang), print_exception=False) from None


def request_lang(request: gr.Request | None) -> str:
    headers = getattr(request, "headers", None) or {}
    return lang_from_header(headers.get("accept-language"))


def coord_choices(lang: str) -> list[tuple[str, str]]:
    values = (COORD_DEFAULT, AUTO, ABSOLUTE, RELATIVE_1000)
    keys = ("default", "auto", "absolute", "relative-1000")
    return [(t(f"page.coords.{k}", lang), v) for k, v in zip(keys, values)]


def file_path(item: Any) -> tuple[str, str]:
    """(path, display name) of an uploaded file as Gradio hands it over."""
    if isinstance(item, Mapping):
        path = item.get("path") or ""
        name = item.get("orig_name") or os.path.basename(path)
    elif isinstance(item, FileData):
        path, name = item.path, item.orig_name or os.path.basename(item.path)
    else:
        path = str(getattr(item, "name", item))
        name = os.path.basename(path)
    return path, name


def collect_items(
    files: Sequence | None, urls: str | None, limit: int, lang: str = "en"
) -> list[Source]:
    """Uploaded files first, then URLs (one per line; only http/https, never local paths)."""
    items: list[Source] = []
    for item in files or []:
        path, name = file_path(item)
        if path:
            items.append(Source(name, path=path))
    for line in (urls or "").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            items.append(Source(line, url=line))  # the fetcher refuses anything but http(s)
    if not items:
        raise InputError(t("page.no-photos", lang))
    if len(items) > limit:
        raise InputError(t("page.too-many-photos", lang, n=len(items), limit=limit))
    return items


@dataclass
class Run:
    """One inspection: its photos, its endpoint and the pipeline that answers them."""

    items: list[Source]
    endpoint: Endpoint
    inspector: Inspector
    concurrency: int
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def demo(self) -> bool:
        return self.endpoint.settings is None

    def results(self) -> Iterator[ImageResult]:
        """Results as each photo finishes; stops cleanly when closed or cancelled."""
        stream = self.inspector.inspect_many(
            self.items, concurrency=self.concurrency, cancel=self.cancel
        )
        try:
            yield from stream
        finally:
            self.cancel.set()
            stream.close()
            self.inspector.close()


def start_run(config: AppConfig, form: EndpointForm, files, urls: str | None, lang: str) -> Run:
    """Check everything a run needs; raise SafetyError with a message for the page."""
    items = collect_items(files, urls, config.max_photos, lang)
    endpoint = endpoint_from_form(config, form)
    own = endpoint.settings
    concurrency = int(form.concurrency or (own.concurrency if own else DEFAULT_CONCURRENCY))
    inspector = make_inspector(config, endpoint, lang, form.prompt, concurrency)
    return Run(items, endpoint, inspector, concurrency)


class Handlers:
    """The page's handlers; ``page`` names the components they read and write."""

    def __init__(self, config: AppConfig, page: Page):
        self.config = config
        self.page = page
        self.refs = load_references()
        # The cancel events of each browser session's current run. Gradio's own cancellation
        # cannot interrupt a generator blocked in a worker thread, so Stop sets these too:
        # the pipeline notices within a quarter second and cuts its requests.
        self.running: dict[str, tuple[threading.Event, threading.Event]] = {}

    # -- the first view, in the browser's language ------------------------------------------

    def on_load(self, request: gr.Request) -> dict:
        p, lang = self.page, request_lang(request)
        credits = [t("page.credits-head", lang)]
        credits += [f"{n}. {r.title}: {r.attribution}" for n, r in enumerate(self.refs, 1)]
        credits.append(t("page.credits-tail", lang))
        limit, mb = self.config.max_photos, self.config.max_file_mb
        return {
            p.header: header_html(lang),
            p.demo_banner: banner(t("page.demo-banner", lang)),
            p.files: gr.File(label=t("page.photos", lang, limit=limit, mb=mb)),
            p.examples: gr.Gallery(
                value=[(str(r.path), t(f"example.{r.file}", lang)) for r in self.refs]
            ),
            p.lang: lang,
            p.coords: gr.Dropdown(choices=coord_choices(lang), value=COORD_DEFAULT),
            p.credits: "\n".join(credits),
            p.summary: verdict_box(t("page.start", lang)),
            p.table: table([], lang),
        }

    # -- small actions ----------------------------------------------------------------------

    def add_example(self, current: list | None, evt: gr.SelectData) -> list[str]:
        ref = self.refs[evt.index]
        paths = [file_path(f)[0] for f in (current or [])]
        if not any(os.path.basename(path) == ref.file for path in paths):
            paths.append(str(ref.path))
        return paths

    def on_preset(self, name: str) -> dict:
        preset = PRESETS.get(name)
        if preset is None:
            return {}
        return {self.page.base_url: preset.base_url, self.page.model: preset.model}

    def test_connection(
        self, preset, base_url, model, api_key, coords, max_pixels, concurrency,
        request: gr.Request,
    ) -> str:  # fmt: skip
        lang = request_lang(request)
        form = EndpointForm(preset, base_url, model, api_key, coords, max_pixels, concurrency)
        try:
            endpoint = endpoint_from_form(self.config, form)
        except SafetyError as exc:
            return conn_html("bad", [str(exc)])
        if endpoint.settings is None:
            return conn_html("info", [t("page.conn.demo", lang)])
        return test_endpoint(self.config, endpoint, lang)

    def stop(self, request: gr.Request) -> None:
        events = self.running.get(getattr(request, "session_hash", None) or "")
        for event in events or ():  # (the pipeline's cancel, "the user pressed Stop")
            event.set()

    def show_photo(self, state, lang, evt: gr.SelectData) -> dict:
        p = self.page
        if not state or evt.index is None or evt.index >= len(state.get("order", [])):
            return {}
        view = state["views"][state["order"][evt.index]]
        return {
            p.caption: view["caption"],
            p.marked: view["image"] if view["ok"] else None,
            p.table: table(view["rows"], lang_or_default(lang)),
        }

    # -- the run ----------------------------------------------------------------------------

    def run(
        self,
        files,
        urls,
        site,
        inspector_name,
        notes,
        lang,
        prompt,
        preset,
        base_url,
        model,
        api_key,
        coords,
        max_pixels,
        concurrency,
        previous,
        request: gr.Request,
        progress=gr.Progress(),
    ) -> Iterator[dict]:
        p, lang = self.page, lang_or_default(lang)
        with user_errors(lang):
            form = EndpointForm(
                preset, base_url or "", model or "", api_key or "", coords, max_pixels,
                concurrency, prompt or "",
            )  # fmt: skip
            run = start_run(self.config, form, files, urls, lang)
            remove_run(previous)
            run_dir = new_run_dir()
            names = [s.name for s in run.items]
            total = len(names)
            results: list[ImageResult] = []
            views: list[PhotoView | None] = [None] * total
            state = {"dir": str(run_dir), "views": {}, "order": []}
            hidden = gr.DownloadButton(visible=False)
            start = "page.starting" if run.demo else "page.checking-endpoint"
            progress((0, total), desc=t(start, lang))
            yield {
                p.summary: summary_html([], total, lang, done=False, demo=run.demo),
                p.caption: "",
                p.marked: None,
                p.table: table([], lang),
                p.gallery: gr.Gallery(value=None, visible=False),
                p.status: status_html(views, names, lang),
                p.state: state,
                p.pdf: hidden,
                p.json: hidden,
                p.csv: hidden,
            }
            stopped = threading.Event()
            session = getattr(request, "session_hash", None) or ""
            self.running[session] = (run.cancel, stopped)
            try:
                for result in run.results():
                    results.append(result)
                    view = views[result.index] = make_view(result, run_dir, total, lang)
                    desc = t("page.progress-bar", lang, done=len(results), total=total)
                    progress((len(results), total), desc=desc)
                    yield self._progress(views, view, results, names, lang, run.demo, state)
            finally:
                if self.running.get(session, (None,))[0] is run.cancel:
                    del self.running[session]
            if stopped.is_set():
                # Stopped: what finished stays on the page; no report of a partial run.
                raise gr.Error(t("page.stopped", lang, done=len(results), total=total))
            progress((total, total), desc=t("page.writing", lang))
            details = ReportDetails(lang, site or "", inspector_name or "", notes or "", prompt)
            pdf, js, csv = write_downloads(
                run_dir, results, run.endpoint.settings, details, warn=gr.Warning
            )
            # Open on the first photo that was read: a failure is already named in the status
            # list and the gallery, and an empty photo area tells nothing.
            shown = [v for v in views if v is not None]
            first = next((v for v in shown if v.ok), shown[0] if shown else None)
            page = self._progress(views, first, results, names, lang, run.demo, state, done=True)
            page[p.pdf] = gr.DownloadButton(value=pdf, visible=bool(pdf))
            page[p.json] = gr.DownloadButton(value=js, visible=True)
            page[p.csv] = gr.DownloadButton(value=csv, visible=True)
            yield page

    def _progress(self, views, view, results, names, lang, demo, state, *, done=False) -> dict:
        p = self.page
        shown = [v for v in views if v is not None]
        state.update(views={v.index: v.to_state() for v in shown}, order=[v.index for v in shown])
        failed = " — " + t("page.failed", lang)
        return {
            p.summary: summary_html(results, len(names), lang, done=done, demo=demo),
            p.caption: view.caption if view else "",
            p.marked: view.image if view and view.ok else None,
            p.table: table(view.rows if view else [], lang),
            p.gallery: gr.Gallery(
                value=[
                    (v.image, f"{v.index + 1}. {short(v.name, 30)}" + ("" if v.ok else failed))
                    for v in shown
                    if v.image
                ],
                visible=len(names) > 1,
            ),
            p.status: status_html(views, names, lang),
            p.state: dict(state),
        }

    # -- the API ----------------------------------------------------------------------------

    def api_inspect(
        self,
        files: list[FileData] | None = None,
        urls: str = "",
        lang: str = "en",
        site: str = "",
        inspector: str = "",
        notes: str = "",
        prompt: str = "",
        base_url: str = "",
        model: str = "",
        api_key: str = "",
        coords: str = "default",
        max_pixels: int = 0,
        concurrency: int = 0,
    ) -> dict:
        """Inspect photos (uploaded files and/or http(s) URLs, one per line) for fire,
        smoke and persons with hard-hat status. Returns the results document: "summary"
        (counts and level), "verdict" (one line), "mode" ("live" or "demo") and per photo
        in "images" its "detections" (category, severity or helmet, the model's label and
        sub_label, box [x1, y1, x2, y2] in pixels of the upright original), "notes" and
        "error" (null when the photo was read). Endpoint fields are optional: empty means
        the server's configured endpoint. Without one (demo mode) only the example photos
        are answered, from stored reference labels, not a live model."""
        lang = lang_or_default(lang)
        with user_errors(lang):
            form = EndpointForm(
                None, base_url, model, api_key, coords, max_pixels or None, concurrency or None,
                prompt,
            )  # fmt: skip
            run = start_run(self.config, form, files, urls, lang)
            results = list(run.results())
            for r in results:
                r.marked_jpeg = r.preview_jpeg = None
            return results_json(results, run.endpoint.settings, lang)
