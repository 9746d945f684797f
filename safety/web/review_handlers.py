"""The review panel's events: choose a finding, decide, add, move on, write the report,
and reopen a run (after a reload from the browser's memory, or from a results JSON and its
photos). Every handler returns outputs by component."""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import gradio as gr

from ..i18n import lang_or_default, t
from ..rules import load_rules
from ..site_profile import make_profile
from ..summary import summarize
from .actions_panel import BLUR_MARK
from .compare import before_after
from .layout import Page
from .reopen import decode_photos, match_photos, read_document
from .review_panel import apply_decision, selected_html
from .runfolders import new_run_dir, owner_of
from .runs import Downloads, ReportDetails, RunMeta, failed_placeholder, write_downloads
from .state import RunState, has_photo
from .store import RunStore
from .views import (
    PhotoView,
    photo_caption,
    short,
    status_html,
    summary_html,
    table,
    table_rows,
    verdict_box,
)
from .visitors import ClientLimits, Visitor, visitor_of
from .words import user_errors


def review_queue(results) -> list[int]:
    """The photos in the order a reviewer should see them: those with findings still to
    review first, the least confident (uncalibrated, where the endpoint gave one) first, then
    in their order; photos with nothing left to review last."""

    def key(r):
        pending = [d for d in r.detections if d.review == "unreviewed"]
        sure = [d.confidence for d in pending if d.confidence is not None]
        return (not pending, min(sure) if sure else 2.0, r.index)

    return [r.index for r in sorted(results, key=key) if r.ok]


class ReviewHandlers:
    """Every event of the review panel. On a public page each counts against the visitor's
    limits like a run (``limits``): a reopened run as a run of its photos, a report written
    and every photo drawn again as work per hour."""

    blur = False  # faces blurred in reopened runs (set on a public page)

    def __init__(self, page: Page, warn, rules_dir=None, config=None, limits=None, budget=None):
        self.page = page
        self.warn = warn
        self.rules_dir = rules_dir  # SAFETY_RULES_DIR, for reports written after review
        self.config = config  # the app's (None: a private page with no limits)
        self.limits = limits or ClientLimits(0, 0)
        self.budget = budget  # the app's shared decode budget (safety.images.DecodeBudget)

    def visitor(self, request) -> Visitor:
        if self.config is None:
            return Visitor("local", "local", trusted=True)
        return visitor_of(request, self.config)

    def drawing(self, request, photos: int, lang: str) -> None:
        """Count ``photos`` drawn again against the visitor's hour (InputError when over)."""
        self.limits.spend(self.visitor(request), "redraws", photos, lang)

    # -- what the page shows of a run, from its folder ---------------------------------------

    def show_run(self, state: RunState, results, meta: RunMeta, lang: str) -> dict:
        """Every output that shows a run: summary, photo, table, gallery, status, panel."""
        p, r = self.page, self.page.review
        order, views, view = state.order, state.views, state.shown
        names = [res.source for res in sorted(results, key=lambda x: x.index)]
        listed = [views.get(i) for i in range(len(names))]
        failed = " — " + t("page.failed", lang)
        return {
            p.summary: summary_html(results, len(names), lang, done=True, demo=meta.demo)
            + self._progress_html(results, lang),
            p.caption: view.caption if view else "",
            p.marked: view.image if view and view.ok else None,
            p.compare: before_after(
                state.store().photo_path(view.index) if view and view.ok else None,
                view.image if view else None,
            ),
            p.table: table(view.rows if view else [], lang),
            p.gallery: gr.Gallery(
                value=[
                    (
                        views[i].image,
                        f"{i + 1}. {short(views[i].name, 30)}" + ("" if views[i].ok else failed),
                    )
                    for i in order
                    if views[i].image
                ],
                visible=len(names) > 1,
            ),  # fmt: skip
            p.status: status_html(listed, names, lang),
            p.state: state,
            p.browser: state.remembered(),
            r.group: gr.Group(visible=True),
            r.selected: selected_html(view, state.selected, lang) if view else "",
            r.annotator: {"image": view.image, "boxes": []} if view and view.ok else None,
        }

    @staticmethod
    def _progress_html(results, lang: str) -> str:
        found = [d for r in results for d in r.detections]
        done = sum(d.review != "unreviewed" for d in found)
        text = t("page.review-progress", lang, done=done, total=len(found))
        return f'<div class="review-progress" id="review-progress">{html.escape(text)}</div>'

    def _stale_downloads(self) -> dict:
        p = self.page
        hidden = gr.DownloadButton(visible=False)
        return {p.pdf: hidden, p.json: hidden, p.csv: hidden, p.coco: hidden,
                p.review.write: gr.Button(visible=True)}  # fmt: skip

    # -- events -------------------------------------------------------------------------------

    def select_row(self, state, lang, evt: gr.SelectData, request: gr.Request = None) -> dict:
        p, lang = self.page, lang_or_default(lang)
        if not has_photo(state):
            return {self.page.state: gr.skip()}  # nothing to show: change nothing
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        if not isinstance(row, int) or row < 0:
            return {self.page.state: gr.skip()}
        state = state.with_(selected=row)
        store = state.store()
        with user_errors(lang):
            self.drawing(request, 1, lang)
            run = store.load()
        result = run.results[state.photo]
        view = state.shown
        note = result.detections[row].review_note if row < len(result.detections) else ""
        return {
            p.state: state,
            p.marked: store.marked(result, lang, highlight=row) or view.image,
            p.review.selected: selected_html(view, row, lang),
            p.review.note: note,
        }

    def decide(self, action: str):
        def handler(state, lang, reviewer, inspector, choice, note, drawn, add_as,
                    request: gr.Request = None):  # fmt: skip
            lang = lang_or_default(lang)
            if not has_photo(state):
                return {self.page.state: gr.skip()}  # nothing to show: change nothing
            with user_errors(lang):
                self.drawing(request, 1, lang)
                new_state, view, results = apply_decision(
                    state, action, lang, (reviewer or inspector or "").strip(),
                    choice=add_as if action == "add" else choice, note=note,
                    drawn=drawn if action == "add" else None,
                )  # fmt: skip
                meta = new_state.store().load().meta
            return {**self.show_run(new_state, results, meta, lang), **self._stale_downloads()}

        return handler

    def next_photo(self, state, lang) -> dict:
        if not isinstance(state, RunState) or not state.order:
            return {self.page.state: gr.skip()}  # nothing to show: change nothing
        with user_errors(lang_or_default(lang)):
            run = state.store().load()
        queue = review_queue(run.results)
        later = [i for i in queue if i != state.photo]
        state = state.with_(photo=later[0] if later else state.photo, selected=None)
        return self.show_run(state, run.results, run.meta, lang_or_default(lang))

    def write(self, state, lang, site, inspector, notes, request: gr.Request = None) -> dict:
        """Write the report again: one run slot of the visitor's while it is written, and one
        of their reports per hour (its size is bounded by the run's: photos and findings)."""
        p, lang = self.page, lang_or_default(lang)
        if not isinstance(state, RunState) or not state.finished:
            return {p.review.write: gr.skip()}
        visitor = self.visitor(request)
        with user_errors(lang), self.limits.run(visitor, 0, lang):
            self.limits.spend(visitor, "reports", 1, lang)
            run = state.store().load()
            profile = make_profile(**run.meta.site) if run.meta.site else None
            rules = load_rules(run.meta.rules, self.rules_dir) if run.meta.rules else None
            site = site or (profile.name if profile else "")
            details = ReportDetails(lang, site or "", inspector or "", notes or "", profile,
                                    rules)  # fmt: skip
            files = write_downloads(Path(state.dir), run.results, run.meta, details, run.review,
                                    warn=self.warn)  # fmt: skip
        return {**self.downloads(files), p.review.write: gr.Button(visible=False)}

    def downloads(self, files: Downloads) -> dict:
        p = self.page
        return {
            p.pdf: gr.DownloadButton(value=files.pdf, visible=bool(files.pdf)),
            p.json: gr.DownloadButton(value=files.json, visible=True),
            p.csv: gr.DownloadButton(value=files.csv, visible=True),
            p.coco: gr.DownloadButton(value=files.coco, visible=True),
        }

    # -- reopening a run ----------------------------------------------------------------------

    def restore(self, remembered_run: dict | None, lang: str, request=None) -> dict:
        """After a reload: the run the browser remembers, as it was left."""
        remembered_run = remembered_run if isinstance(remembered_run, dict) else {}
        store = RunStore.open(remembered_run.get("run"), remembered_run.get("token"))
        if store is None:
            return {self.page.state: gr.skip()}  # nothing to show: change nothing
        with user_errors(lang):
            run = store.load()
            self.drawing(request, sum(1 for r in run.results if r.photo_jpeg), lang)
        state = self._state(store, run, lang, remembered_run.get("photo"))
        # The downloads of before the reload are gone from the page: offer to write them.
        return {**self.show_run(state, run.results, run.meta, lang), **self._stale_downloads()}

    def _state(self, store: RunStore, run, lang: str, photo=None) -> RunState:
        views = {}
        for r in run.results:
            image = store.marked(r, lang) if r.photo_jpeg else None
            if not r.ok:
                image = failed_placeholder(store.dir, lang)
            caption = photo_caption(r, len(run.results), lang)
            if r.ok and not r.photo_jpeg:
                caption += f'<div class="notes">{html.escape(t("page.photo-missing", lang))}</div>'
            views[r.index] = PhotoView(r.index, r.source, r.ok, r.error, image, caption,
                                       table_rows(r, lang), len(r.standing))  # fmt: skip
        order = [r.index for r in run.results]
        ok = [i for i in order if views[i].ok]
        photo = photo if photo in order else (ok[0] if ok else order[0] if order else None)
        return RunState(str(store.dir), views, order, run.token, photo)

    def reopen(self, files, lang, request: gr.Request = None) -> Iterator[dict]:
        """A results JSON and its photos (matched by SHA-256, else by name) become a run,
        counted as a run of its photos (safety.web.reopen)."""
        lang, p = lang_or_default(lang), self.page
        visitor = self.visitor(request)
        public = self.config is not None and self.config.public and not visitor.trusted
        max_photos = self.config.max_photos if self.config is not None else 10**6
        with user_errors(lang):
            read, uploads = read_document(files, max_photos, lang)
            with self.limits.run(visitor, max(1, len(read.images)), lang):
                found = match_photos(read, uploads, lang)
                budget = self.budget or _NO_BUDGET
                for done in decode_photos(read, found, lang, public=public, budget=budget,
                                          blur=self.blur):  # fmt: skip
                    text = t("page.reopen-reading", lang, done=done, total=len(found))
                    yield {p.summary: verdict_box(html.escape(text))}
                meta = RunMeta(read.meta.get("endpoint"), read.meta.get("model"),
                               read.meta.get("mode") == "demo")  # fmt: skip
                store = RunStore(new_run_dir(owner_of(visitor)))
                if self.blur:
                    (store.dir / BLUR_MARK).touch()
                token = store.save(read.images, meta, read.review)
                run = store.load()
                run.token = token
                state = self._state(store, run, lang)
        yield {**self.show_run(state, run.results, meta, lang), **self._stale_downloads()}


class _Unbounded:
    """No shared decode budget (a page built without one)."""

    @contextmanager
    def hold(self, cost: int) -> Iterator[None]:
        yield


_NO_BUDGET = _Unbounded()


__all__ = ["ReviewHandlers", "review_queue", "summarize"]
