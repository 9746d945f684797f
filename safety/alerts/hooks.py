"""Alerts wired into a run: the command line's inspect and watch, and the web app.

- ``open_alerter(path, lang, say)``: the file read, its warnings said, its secrets added to
  every log handler's scrubber, the robots' senders started;
- ``notify(alerter, result, site, rules, lang)``: one finished photo's alerts handed over;
- ``finish(alerter, say, lang)``: pending alerts sent, and one line of figures.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable

from ..detections import ImageResult
from ..i18n import t
from ..rules import apply_rules
from ..scrub import ScrubFilter
from .config import load_alerts
from .items import alerts_of
from .sender import Alerter


def open_alerter(path: str, lang: str, say: Callable[[str], None]) -> Alerter:
    config = load_alerts(path, lang)
    for warning in config.warnings:
        say(warning)
    for handler in logging.getLogger().handlers:
        handler.addFilter(ScrubFilter(*config.secrets))
    return Alerter(config, report=say, lang=lang)


def notify(
    alerter: Alerter | None, result: ImageResult, site: str = "", rules=None, lang: str = "en"
) -> int:
    """Hand one photo's findings to the robots (with the rules' clauses and actions, on a
    copy: the result itself is recorded as the model gave it). How many alerts queued."""
    if alerter is None or not result.ok:
        return 0
    if rules is not None:
        result = copy.copy(result)
        apply_rules([result], rules, lang)
    return alerter.submit(alerts_of([result], site))


def finish(alerter: Alerter | None, say: Callable[[str], None], lang: str, timeout=15.0) -> None:
    if alerter is None:
        return
    alerter.close(timeout)
    sent = sum(s.sent for s in alerter.senders)
    failed = sum(s.failed for s in alerter.senders)
    if sent or failed:
        say(t("alerts.summary", lang, sent=sent, failed=failed))
