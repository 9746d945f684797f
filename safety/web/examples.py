"""The example photos, answered once at start-up, so that a visitor's first click shows a
result at once.

Only in demo mode: there the examples are answered from their stored reference labels, so
working them out ahead costs nothing and calls no endpoint (with a live endpoint they go to
the model like any photo, when asked). At start-up a background thread runs every example
through the real pipeline in each page language and writes their report once (which also
loads the report's fonts); a run whose photos are all examples, with no site profile and
blurred as the start-up run was, then takes copies of those results instead of working them
out again.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from ..backends.demo import load_references
from ..config import AppConfig
from ..detections import ImageResult
from ..i18n import LANGS
from .form import RunForm
from .job import Run, finish_run, report_details, start_run
from .runs import write_downloads
from .visitors import ClientLimits, Visitor

log = logging.getLogger(__name__)


def _sha256(path: str | None) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None
    except OSError:
        return None


class ExampleCache:
    """Results of the example photos by (photo SHA-256, language), filled at start-up."""

    def __init__(self, config: AppConfig):
        self.config = config
        self.results: dict[tuple[str, str], ImageResult] = {}
        self.ready = threading.Event()
        self.privacy = None  # what the start-up run blurred (a public page blurs faces)

    def start(self) -> None:
        if self.config.endpoint is not None:  # a live endpoint: nothing is asked ahead
            self.ready.set()
            return
        threading.Thread(target=self._fill, name="examples", daemon=True).start()

    def _fill(self) -> None:
        # Behind the visitors: the first page to open must not wait for this warm-up (on
        # Linux a thread has its own niceness, so the page's threads get the CPU first).
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        try:
            refs = load_references()
            visitor = Visitor("start-up", "start-up", trusted=True)
            for lang in LANGS:
                form = RunForm(files=[str(r.path) for r in refs], lang=lang)
                limits = ClientLimits(10 * len(refs) * len(LANGS), 1)
                with start_run(self.config, limits, form, visitor) as run:
                    self.privacy = run.site.privacy
                    # One photo after another in this thread (not the run's worker pools),
                    # so that all of the warm-up runs at the low priority.
                    try:
                        results = [
                            run.inspector.inspect_one(item, index=i)
                            for i, item in enumerate(run.items)
                        ]
                    finally:
                        run.inspector.close()
                    # A report of one photo in each language loads the report's fonts.
                    with tempfile.TemporaryDirectory() as tmp:
                        meta = finish_run(run, results[:1])
                        write_downloads(Path(tmp), results[:1], meta, report_details(run))
                for result in results:
                    if result.ok and result.sha256:
                        self.results[(result.sha256, lang)] = result
        except Exception as exc:  # a warm-up only: the examples are then answered when asked
            log.warning("the example photos were not answered ahead: %s", exc)
        finally:
            self.ready.set()

    def lookup(self, run: Run) -> list[ImageResult] | None:
        """Copies of the cached results for every photo of ``run``, renumbered and named as
        the run names them; None unless every photo is a cached example."""
        if not run.demo or not self.ready.is_set() or run.site.profile is not None:
            return None
        if run.site.privacy != self.privacy:  # blurred otherwise than the cached copies
            return None
        found = []
        for index, item in enumerate(run.items):
            cached = self.results.get((_sha256(item.path) or "", run.lang))
            if cached is None:
                return None
            found.append(replace(copy.deepcopy(cached), index=index, source=item.name))
        return found
