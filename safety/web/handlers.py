"""What happens when the person at the page does something.

One inspection path serves the button and the API (safety.web.api): a ``RunForm`` (the
inputs by name) goes to ``start_run``, which checks the input, the endpoint and the site
profile and returns a ``Run`` whose ``results()`` stream; the button's handler shows each
result as it arrives, the API's collects them into the results document; ``finish_run``
reads both against the site's rules. Handlers take their inputs by component and return
dicts keyed by component, never tuples by position. Every popup error is made in one place,
``words.user_error``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import replace

import gradio as gr

from ..backends.demo import load_references
from ..backends.presets import PRESETS
from ..config import AppConfig
from ..detections import ImageResult
from ..errors import SafetyError
from ..i18n import lang_or_default, t
from ..images import DecodeBudget
from ..limits import (
    DECODE_BUDGET_BYTES,
    DEFAULT_CONCURRENCY,
    DEFAULT_DETAIL,
    DEFAULT_MAX_PIXELS,
    DEFAULT_RECHECK,
)
from .actions_panel import BLUR_MARK
from .api import api_inspect
from .compare import before_after
from .endpoint import COORD_DEFAULT, endpoint_from_form, test_endpoint
from .estimate import cost_html
from .examples import ExampleCache
from .form import RunForm, file_path, form_fields, read_form
from .job import finish_run, report_details, start_run
from .layout import Page
from .ledger_access import LedgerAccess, ephemeral_html, record_page_run
from .page_alerts import PageAlerts
from .review_handlers import ReviewHandlers
from .review_panel import finding_choices
from .runfolders import new_run_dir, owner_of, remove_run
from .runs import make_view, write_downloads
from .state import RunState, with_views
from .store import RunStore
from .views import (
    PhotoView,
    banner,
    conn_html,
    esc,
    header_html,
    short,
    status_html,
    summary_html,
    table,
    verdict_box,
)
from .visitors import ClientLimits, visitor_of
from .words import (
    coord_choices,
    detail_choices,
    recheck_choices,
    request_lang,
    user_error,
    user_errors,
    warn,
)


class Handlers:
    """The page's handlers; ``page`` names the components they read and write."""

    def __init__(self, config: AppConfig, page: Page):
        self.config = config
        self.page = page
        self.fields = form_fields(page)  # every input of a run, by name
        self.refs = load_references()
        # The cancel events of each browser session's current run. Gradio's own cancellation
        # cannot interrupt a generator blocked in a worker thread, so Stop sets these too:
        # the pipeline notices within a quarter second and cuts its requests.
        self.running: dict[str, tuple[threading.Event, threading.Event]] = {}
        work = {"reports": config.reports_per_hour, "redraws": config.redraws_per_hour}
        self.limits = ClientLimits(config.photos_per_hour, config.runs_per_client,
                                   work_per_hour=work)  # fmt: skip
        self.decode_budget = DecodeBudget(DECODE_BUDGET_BYTES)  # one for every run of the app
        self.reviewing = ReviewHandlers(page, warn, config.rules_dir, config, self.limits,
                                        self.decode_budget)  # fmt: skip
        self.reviewing.blur = config.public  # a public page always blurs faces
        self.ledger = LedgerAccess(config)  # the hazard ledger (safety.web.ledger_access)
        self.examples = ExampleCache(config)  # demo mode: the examples answered at start-up
        self.examples.start()
        self.alerts = PageAlerts(config)  # SAFETY_ALERTS_FILE (safety.web.page_alerts)

    # -- the first view, in the browser's language ------------------------------------------

    def on_load(self, request: gr.Request) -> dict:
        p, lang = self.page, request_lang(request)
        linked = "deep_link" in (getattr(request, "query_params", None) or {})
        credits = [t("page.credits-head", lang)]
        credits += [f"{n}. {r.title}: {r.attribution}" for n, r in enumerate(self.refs, 1)]
        credits.append(t("page.credits-tail", lang))
        limit, mb = self.config.max_photos, self.config.max_file_mb
        return {
            p.header: header_html(lang),
            p.demo_banner: banner(t("page.demo-banner", lang)),
            p.cost: cost_html(self.config, RunForm(lang=lang)),
            p.files: gr.File(label=self._files_label(lang)),
            p.examples: gr.Gallery(
                value=[(str(r.path), t(f"example.{r.file}", lang)) for r in self.refs]
            ),
            p.lang: lang,
            p.coords: gr.Dropdown(choices=coord_choices(lang), value=COORD_DEFAULT),
            p.preset: gr.Dropdown(choices=[(t(f"preset.{n}", lang), n) for n in PRESETS]),
            p.detail: gr.Radio(choices=detail_choices(lang)),
            p.recheck: gr.Radio(choices=recheck_choices(lang)),
            p.review.correct_to: gr.Dropdown(choices=finding_choices(lang)),
            p.review.add_as: gr.Dropdown(choices=finding_choices(lang), value="person:missing"),
            p.credits: "\n".join(credits),
            p.summary: verdict_box(t("page.start", lang)),
            p.table: table([], lang),
            p.notice: banner(esc(t("page.deep-link", lang)))
            if linked
            else self._storage(request, lang),
            **(self._form_as_served(limit, mb, lang) if linked else {}),
        }

    def _storage(self, request: gr.Request, lang: str) -> str:
        """The warning of a page whose records vanish at restart, for those who record."""
        return ephemeral_html(self.ledger, lang) if visitor_of(request, self.config).trusted else ""

    def _form_as_served(self, limit: int, mb: int, lang: str) -> dict:
        """The fields a crafted link could pre-fill, as the server serves them. A Gradio deep
        link (/?deep_link=...) restores every component's value; when a page is opened from
        one, these are set back, so a link changes none of the prompt, the endpoint, the key
        or the photos (and the page says that a link tried)."""
        p, own, public = self.page, self.config.endpoint, self.config.public
        return {
            p.files: gr.File(value=None, label=self._files_label(lang)),
            p.urls: "",
            p.prompt: self.config.prompt,
            p.preset: gr.Dropdown(
                choices=[(t(f"preset.{n}", lang), n) for n in PRESETS],
                value=own.preset if own else "vllm",
            ),
            p.base_url: "" if public or own is None else ", ".join(own.base_urls),
            p.model: "" if public or own is None else own.model,
            p.api_key: "",
            p.max_pixels: own.max_pixels if own else DEFAULT_MAX_PIXELS,
            p.concurrency: own.concurrency if own else DEFAULT_CONCURRENCY,
            p.detail: own.detail if own else DEFAULT_DETAIL,
            p.recheck: own.recheck if own else DEFAULT_RECHECK,
        }

    def _files_label(self, lang: str) -> str:
        c = self.config
        return t("page.photos-videos", lang, limit=c.max_photos, mb=c.max_file_mb,
                 video_mb=c.max_video_mb)  # fmt: skip

    def restore(self, remembered: dict | None, request: gr.Request) -> dict:
        return self.reviewing.restore(remembered, request_lang(request), request)

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
            return {self.page.base_url: gr.skip()}
        return {self.page.base_url: preset.base_url, self.page.model: preset.model}

    def estimate(self, values: dict) -> str:
        return cost_html(self.config, read_form(self.fields, values))

    def test_connection(self, values: dict, request: gr.Request) -> str:
        lang = request_lang(request)
        form = read_form(self.fields, values).endpoint()
        visitor = visitor_of(request, self.config)
        try:
            endpoint = endpoint_from_form(self.config, form, visitor.trusted)
        except SafetyError as exc:
            return conn_html("bad", [exc.text(lang)])
        if endpoint.settings is None:
            return conn_html("info", [t("page.conn.demo", lang)])
        if not visitor.trusted and endpoint.settings is self.config.endpoint:
            # The owner's endpoint: nothing about it is shown to a visitor, nor probed.
            return conn_html("info", [t("page.conn.owner", lang)])
        return test_endpoint(self.config, endpoint, lang)

    def stop(self, request: gr.Request) -> None:
        events = self.running.get(getattr(request, "session_hash", None) or "")
        for event in events or ():  # (the pipeline's cancel, "the user pressed Stop")
            event.set()

    def show_photo(self, state: RunState | None, lang, evt: gr.SelectData) -> dict:
        p = self.page
        if not isinstance(state, RunState) or evt.index is None or evt.index >= len(state.order):
            return {self.page.state: gr.skip()}
        photo = state.order[evt.index]
        if state.finished:  # a finished run: its folder has the review so far
            state = state.with_(photo=photo, selected=None)
            with user_errors(lang_or_default(lang)):
                run = state.store().load()
            return self.reviewing.show_run(state, run.results, run.meta, lang_or_default(lang))
        view = state.views[photo]
        return {
            p.caption: view.caption,
            p.marked: view.image if view.ok else None,
            p.table: table(view.rows, lang_or_default(lang)),
        }

    # -- the run ----------------------------------------------------------------------------

    def run(self, values: dict, request: gr.Request, progress=gr.Progress()) -> Iterator[dict]:
        """The Inspect button: ``values`` holds every input by component (``form_fields``)."""
        p = self.page
        form = read_form(self.fields, values)
        form = replace(form, lang=lang_or_default(form.lang))
        lang, visitor = form.lang, visitor_of(request, self.config)
        with (
            user_errors(lang),
            start_run(self.config, self.limits, form, visitor, self.decode_budget) as run,
        ):
            if run.endpoint.ignored:
                warn(run.endpoint.ignored_note(lang))
            run.cached = self.examples.lookup(run)
            remove_run(values.get(p.state))
            run_dir = new_run_dir(owner_of(visitor))
            run.frame_dir = run_dir  # a video's frames, kept to step through
            if run.site.privacy is not None and run.site.privacy.blur_faces:
                (run_dir / BLUR_MARK).touch()  # a person added in review is blurred too
            names = [s.name for s in run.items]
            total = len(names)
            results: list[ImageResult] = []
            views: list[PhotoView | None] = [None] * total
            state = RunState(str(run_dir))
            hidden = gr.DownloadButton(visible=False)
            start = "page.starting" if run.demo else "page.checking-endpoint"
            progress((0, total), desc=t(start, lang))
            yield {
                p.summary: summary_html([], total, lang, done=False, demo=run.demo),
                p.caption: "",
                p.marked: None,
                p.compare: before_after(None, None),
                p.table: table([], lang),
                p.gallery: gr.Gallery(value=None, visible=False),
                p.status: status_html(views, names, lang),
                p.state: state,
                p.video.group: gr.Group(visible=False),
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
                    state = with_views(state, views)
                    yield self._progress(views, view, results, names, lang, run.demo, state)
            finally:
                if self.running.get(session, (None,))[0] is run.cancel:
                    del self.running[session]
            if stopped.is_set():
                # Stopped: what finished stays on the page; no report of a partial run.
                raise user_error(t("page.stopped", lang, done=len(results), total=total), lang)
            progress((total, total), desc=t("page.writing", lang))
            meta = finish_run(run, results)
            details = report_details(run)
            files = write_downloads(run_dir, results, meta, details, warn=warn)
            recorded = record_page_run(self.ledger, run, results, details)  # in the ledger
            self.alerts.after_run(results, details.site, lang, run.visitor.trusted)
            files = write_downloads(run_dir, results, meta, details, warn=warn)
            # The run's folder is now the record of its review (safety.web.store).
            token = RunStore(run_dir).save(results, meta)
            # Open on the first photo that was read: a failure is already named in the status
            # list and the gallery, and an empty photo area tells nothing.
            shown = [v for v in views if v is not None]
            first = next((v for v in shown if v.ok), shown[0] if shown else None)
            state = with_views(state, views).with_(
                token=token, photo=first.index if first else None, selected=None
            )
            page = self.reviewing.show_run(state, results, meta, lang)
            page[p.summary] = page.get(p.summary, "") + recorded
            page.update(self.reviewing.downloads(files))
            page[p.review.write] = gr.Button(visible=False)
            page[p.review.reviewer] = form.inspector or ""
            yield page

    def _progress(self, views, view, results, names, lang, demo, state: RunState) -> dict:
        p = self.page
        shown = [v for v in views if v is not None]
        failed = " — " + t("page.failed", lang)
        return {
            p.summary: summary_html(results, len(names), lang, done=False, demo=demo),
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
            p.state: state,
        }

    api_inspect = api_inspect
