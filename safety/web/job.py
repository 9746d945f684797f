"""One inspection run: its photos, its endpoint, the visitor's allowance and its deadline.

The button and the API both go through ``start_run``; ``Run.results()`` streams.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from gradio import FileData

from ..config import AppConfig
from ..detections import ImageResult
from ..errors import InputError
from ..i18n import t
from ..images import DecodeBudget
from ..inspection import Inspector
from ..limits import DEFAULT_CONCURRENCY
from ..source import Source
from .endpoint import Endpoint, EndpointForm, endpoint_from_form, make_inspector
from .visitors import ClientLimits, Visitor


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
    visitor: Visitor
    lang: str
    deadline_s: float
    cancel: threading.Event = field(default_factory=threading.Event)
    expired: threading.Event = field(default_factory=threading.Event)

    @property
    def demo(self) -> bool:
        return self.endpoint.settings is None

    def results(self) -> Iterator[ImageResult]:
        """Results as each photo finishes; stops cleanly when closed or cancelled.

        At the run's deadline the pipeline is cut like a Stop, and every photo not done by
        then is reported as failed (never as "nothing found"), so the report is whole.
        """
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
    form: EndpointForm,
    files,
    urls: str | None,
    lang: str,
    visitor: Visitor,
    decode_budget: DecodeBudget | None = None,
) -> Iterator[Run]:
    """Check everything a run needs (photos, endpoint, the visitor's allowance), then hold
    the run open: its allowance is given back when the block ends, however it ends.
    Raises SafetyError with a message for the page."""
    items = collect_items(files, urls, config.max_photos, lang)
    endpoint = endpoint_from_form(config, form, visitor.trusted)
    own = endpoint.settings
    if endpoint.ignored or not form.concurrency:
        concurrency = own.concurrency if own else DEFAULT_CONCURRENCY
    else:
        concurrency = int(form.concurrency)
    prompt = (own.prompt if own else "") if endpoint.ignored else form.prompt
    with limits.run(visitor, len(items), lang):
        inspector = make_inspector(
            config, endpoint, lang, prompt, concurrency, visitor.trusted, decode_budget
        )
        yield Run(items, endpoint, inspector, concurrency, visitor, lang, config.run_deadline_s)
