"""One inspection run: its photos, its endpoint, its site and privacy, the visitor's
allowance and its deadline.

The button and the API both go through ``start_run`` with a ``RunForm``: the same checks,
the same site profile in the prompt, the same blurring and rules; ``Run.results()`` streams.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from ..config import AppConfig
from ..detections import ImageResult
from ..errors import InputError
from ..i18n import t
from ..images import DecodeBudget
from ..inspection import Inspector
from ..limits import DEFAULT_CONCURRENCY
from ..rules import apply_rules
from ..source import Source
from .endpoint import Endpoint, endpoint_from_form, make_inspector
from .form import RunForm, file_path
from .runs import ReportDetails, RunMeta
from .site_panel import SiteOptions, site_options
from .visitors import ClientLimits, Visitor


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
    visitor: Visitor
    lang: str
    deadline_s: float
    site: SiteOptions  # privacy, site profile and rules, already in the pipeline
    form: RunForm
    cancel: threading.Event = field(default_factory=threading.Event)
    expired: threading.Event = field(default_factory=threading.Event)
    # Results already known (the example photos, safety.web.examples): served as they are.
    cached: list[ImageResult] | None = None

    @property
    def demo(self) -> bool:
        return self.endpoint.settings is None

    def results(self) -> Iterator[ImageResult]:
        """Results as each photo finishes; stops cleanly when closed or cancelled.

        At the run's deadline the pipeline is cut like a Stop, and every photo not done by
        then is reported as failed (never as "nothing found"), so the report is whole.
        """
        if self.cached is not None:
            try:
                yield from self.cached
            finally:
                self.inspector.close()
            return
        stream = self.inspector.inspect_many(
            self.items, concurrency=self.concurrency, cancel=self.cancel
        )
        timer = threading.Timer(self.deadline_s, lambda: (self.expired.set(), self.cancel.set()))
        timer.daemon = True
        timer.start()
        done: set[int] = set()
        try:
            for result in stream:
                done.add(result.index)
                yield result
        finally:
            timer.cancel()
            self.cancel.set()
            stream.close()
            self.inspector.close()
        if self.expired.is_set():
            message = t("page.deadline", self.lang, seconds=self.deadline_s)
            for index, src in enumerate(self.items):
                if index not in done:
                    yield ImageResult(src.name, index, error=message, error_kind="deadline")


@contextmanager
def start_run(
    config: AppConfig,
    limits: ClientLimits,
    form: RunForm,
    visitor: Visitor,
    decode_budget: DecodeBudget | None = None,
    *,
    keep_images: bool = True,
) -> Iterator[Run]:
    """Check everything a run needs (photos, endpoint, site profile, the visitor's
    allowance), then hold the run open: its allowance is given back when the block ends,
    however it ends. ``keep_images=False``: no marked photos are made (the API).
    Raises SafetyError with a message for the page."""
    lang = form.lang
    items = collect_items(form.files, form.urls, config.max_photos, lang)
    ask = form.endpoint()
    endpoint = endpoint_from_form(config, ask, visitor.trusted)
    site = site_options(config, form)
    own = endpoint.settings
    if endpoint.ignored or not ask.concurrency:
        concurrency = own.concurrency if own else DEFAULT_CONCURRENCY
    else:
        concurrency = int(ask.concurrency)
    prompt = (own.prompt if own else "") if endpoint.ignored else ask.prompt
    with limits.run(visitor, len(items), lang):
        inspector = make_inspector(
            config, endpoint, lang, prompt, concurrency, visitor.trusted, decode_budget,
            profile=site.profile, privacy=site.privacy, keep_images=keep_images,
        )  # fmt: skip
        yield Run(items, endpoint, inspector, concurrency, visitor, lang,
                  config.run_deadline_s, site, form)  # fmt: skip


def finish_run(run: Run, results: list[ImageResult]) -> RunMeta:
    """What the button and the API both do once every photo is in: each finding is read
    against the site's rules (its clauses and corrective action), and the run's meta says
    how it was made and for which site."""
    settings = None if run.demo else run.inspector.settings
    meta = RunMeta.of(settings, withhold=not run.visitor.trusted)
    site = run.site
    if site.profile is not None:
        code = site.rules.jurisdiction if site.rules is not None else None
        meta = replace(meta, site=site.profile.to_dict(), rules=code)
    if site.rules is not None:
        apply_rules(results, site.rules, run.lang)
    return meta


def report_details(run: Run) -> ReportDetails:
    """The report's "Inspection details": the site line defaults to the profile's name."""
    form, profile = run.form, run.site.profile
    site = form.site or (profile.name if profile else "")
    return ReportDetails(run.lang, site or "", form.inspector or "", form.notes or "", profile,
                         run.site.rules)  # fmt: skip
