"""The hazard ledger, where this install has it (safety/ledger/), for watch mode, the daily
overdue alerts and the agents' tools; where it has not, every call says so and does nothing.

    available() -> bool                    safety.ledger is installed
    record(results, site, origin)          a watch round's results into the ledger
    overdue_alerts(site=None)              the ledger's overdue items as alerts
    list_findings(site, overdue) / get_finding(id)   JSON for the agents' tools

The ledger is looked up by name at run time, not imported: this module works (and the
import graph stays one-way) with or without it.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from typing import Any

from .alerts.items import Alert, level_of

log = logging.getLogger(__name__)


def available() -> bool:
    try:
        return importlib.util.find_spec("safety.ledger") is not None
    except (ImportError, ValueError):
        return False


def _ledger():
    """An open Ledger (the caller closes it), or None without one."""
    if not available():
        return None
    return importlib.import_module("safety.ledger").Ledger.open()


def record(results, site: str, inspector: str = "", origin: str = "watch", **more: Any) -> int:
    """Record results in the ledger; how many findings it holds for them (0 without one)."""
    ledger = _ledger()
    if ledger is None:
        return 0
    try:
        done = ledger.record_run(list(results), site, inspector, origin=origin, **more)
        return len(done.finding_ids)
    finally:
        ledger.close()


def _filter(**criteria: Any):
    return importlib.import_module("safety.ledger").Filter(**criteria)


def overdue_alerts(site: str | None = None, public_url: str = "") -> list[Alert]:
    """One alert per overdue item, with its owner and due date (none without a ledger)."""
    ledger = _ledger()
    if ledger is None:
        return []
    try:
        found = ledger.list(_filter(site=site, overdue=True))
    finally:
        ledger.close()
    return [
        Alert(
            site=f.site,
            source=f.number,
            category=f.category,
            status=f.severity,
            level=level_of(f.category, f.severity) or "review",
            clauses=tuple(f.clauses),
            owner=f.owner,
            due=f.due.isoformat() if f.due else "",
            link=f"{public_url}/?finding={f.id}" if public_url else "",
            overdue=True,
        )
        for f in found
    ]


def list_findings(site: str = "", overdue: bool = False, limit: int = 100) -> list[dict]:
    ledger = _ledger()
    if ledger is None:
        return []
    try:
        criteria = {"site": site or None, "overdue": overdue, "limit": limit}
        if not overdue:
            ledger_module = importlib.import_module("safety.ledger")
            criteria["status"] = tuple(s for s in ledger_module.STATUSES
                                       if s not in ledger_module.DONE)  # fmt: skip
        return [f.to_dict() for f in ledger.list(_filter(**criteria))]
    finally:
        ledger.close()


def get_finding(finding_id: int) -> dict | None:
    ledger = _ledger()
    if ledger is None:
        return None
    try:
        return ledger.get(finding_id).to_dict()
    finally:
        ledger.close()
