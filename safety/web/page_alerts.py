"""The web app's alerts (SAFETY_ALERTS_FILE): each finished run on the page or through the
API alerts the site's chat group, unless it was an anonymous visitor's run on a public page
(a stranger must not be able to page a site's manager); and, where the hazard ledger exists,
its overdue items once a day.
"""

from __future__ import annotations

import logging
import threading

from .. import ledger_link
from ..alerts import Alerter, alerts_of
from ..config import AppConfig

log = logging.getLogger(__name__)
DAY_S = 24 * 3600.0


class PageAlerts:
    def __init__(self, config: AppConfig):
        self.config = config.alerts
        self.alerter = Alerter(config.alerts) if config.alerts else None
        for warning in config.alerts.warnings if config.alerts else ():
            log.warning("%s", warning)
        self.stopped = threading.Event()

    def after_run(self, results, site: str, lang: str, trusted: bool) -> int:
        """Alerts for a finished run's findings; how many were queued (never blocks)."""
        if self.alerter is None or not trusted:
            return 0
        return self.alerter.submit(alerts_of(results, site))

    def overdue_once(self) -> int:
        """The ledger's overdue items, one digest a robot (0 without a ledger)."""
        if self.alerter is None or not ledger_link.available():
            return 0
        try:
            found = ledger_link.overdue_alerts(public_url=self.config.public_url)
        except Exception:  # the ledger's trouble is logged; the page and runs go on
            log.exception("overdue items could not be read from the ledger")
            return 0
        return self.alerter.submit(found)

    def start_daily(self, every_s: float = DAY_S, first_s: float = 60.0):
        """A minute after start, then once a day (a restart sends the day's list again)."""
        if self.alerter is None or not ledger_link.available():
            return None

        def loop() -> None:
            wait = first_s
            while not self.stopped.wait(wait):
                self.overdue_once()
                wait = every_s

        thread = threading.Thread(target=loop, name="alerts-overdue", daemon=True)
        thread.start()
        return thread
