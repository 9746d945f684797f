"""Alerts to a site's chat group: DingTalk, WeCom, Feishu, Slack, or a plain webhook.

    config = load_alerts("alerts.toml", lang)     the robots (config.py); warns when others
                                                   may read the file, as SSH does
    alerter = Alerter(config, report=print)       one background sender per robot (sender.py)
    alerter.submit(alerts_of(results, site))      findings -> alerts (items.py), never blocks
    alerter.close()                               what is pending goes out

Each platform's message and signature: messages.py, signing.py. Never a flood: a rate limit
under each platform's, a digest when several findings arrive together, and the same hazard
not alerted twice within ``dedupe_minutes`` (limiter.py).
"""

from .config import ALERT_LEVELS, KINDS, AlertsConfig, Robot, load_alerts
from .items import Alert, alerts_of, level_of
from .sender import Alerter

__all__ = [
    "ALERT_LEVELS",
    "KINDS",
    "Alert",
    "Alerter",
    "AlertsConfig",
    "Robot",
    "alerts_of",
    "level_of",
    "load_alerts",
]
