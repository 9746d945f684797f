"""The page's way into the hazard ledger: one Ledger for the app, opened at first use, and
who may use it.

An anonymous visitor of a public page (SPACE_ID or SAFETY_PUBLIC=1, not logged in through
SAFETY_AUTH) neither writes into the owner's ledger nor reads it: their runs are not
recorded and the Ledger tab says how to get access. Everyone else (a private page, or a
logged-in user) records every run and works the ledger.
"""

from __future__ import annotations

import html
import logging
import threading

from ..config import AppConfig
from ..detections import ImageResult
from ..errors import SafetyError
from ..i18n import t
from ..ledger import Ledger, LedgerError, LedgerSettings
from .visitors import Visitor

log = logging.getLogger(__name__)


class LedgerAccess:
    """The app's ledger, opened once (migrated by app.py at start-up already)."""

    def __init__(self, config: AppConfig):
        self.config = config
        self.settings: LedgerSettings | None = config.ledger
        self._ledger: Ledger | None = None
        self._lock = threading.Lock()

    @property
    def ephemeral(self) -> bool:
        return bool(self.settings and self.settings.ephemeral)

    def ledger(self) -> Ledger:
        """The open ledger; ConfigurationError (a SafetyError) when it cannot be opened."""
        with self._lock:
            if self._ledger is None:
                self._ledger = Ledger.open(self.settings)
            return self._ledger

    def close(self) -> None:
        with self._lock:
            if self._ledger is not None:
                self._ledger.close()
                self._ledger = None

    def record(
        self,
        results: list[ImageResult],
        visitor: Visitor,
        *,
        site: str,
        inspector: str,
        endpoint: str | None,
        model: str | None,
        prompt: str,
        rules,
        lang: str,
    ) -> str | None:
        """Record a finished page run; what the page says about it (None: not recorded
        because the visitor may not write, which the page does not need to say)."""
        if not visitor.trusted:
            return None
        try:
            done = self.ledger().record_run(
                results,
                site or t("page.ledger.no-site", lang),
                inspector,
                endpoint=endpoint or "",
                model=model or "",
                prompt=prompt,
                origin="web",
                rules=rules,
                lang=lang,
            )
        except LedgerError as exc:
            return t("page.ledger.not-recorded", lang, error=exc.message(lang))
        except SafetyError as exc:
            return t("page.ledger.not-recorded", lang, error=exc.text(lang))
        key = "page.ledger.already" if done.already else "page.ledger.recorded"
        said = t(key, lang, n=len(done.finding_ids), visit=done.visit_id)
        if self.ephemeral:
            said += " " + t("page.ledger.ephemeral", lang)
        return said


def record_page_run(access: LedgerAccess, run, results: list[ImageResult], details) -> str:
    """The button's and the API's run into the ledger (``run``: safety.web.job.Run,
    ``details``: its ReportDetails); what the page says about it, as HTML ('' for a
    visitor who does not record). Shown in the page itself, not as a popup: a toast's
    nested buttons fail the page's accessibility check."""
    settings = None if run.demo else run.inspector.settings
    said = access.record(
        results,
        run.visitor,
        site=details.site,
        inspector=details.inspector,
        endpoint=settings.host if settings else None,
        model=settings.model if settings else None,
        prompt=settings.prompt if settings else "",
        rules=run.site.rules,
        lang=run.lang,
    )
    if not said:
        return ""
    return f'<p class="lg-recorded" role="status">{html.escape(said)}</p>'


def ephemeral_html(access: LedgerAccess, lang: str) -> str:
    """The plain warning a page without lasting storage shows ('' when it has it)."""
    if not access.ephemeral:
        return ""
    return (
        '<div class="ledger-warning" role="alert">'
        f"{html.escape(t('page.ledger.ephemeral', lang))}</div>"
    )
