"""The hazard ledger: every inspection remembered, each hazard followed from found to closed.

    from safety.ledger import Ledger, Filter
    with Ledger.open() as ledger:                       # SAFETY_DATA_DIR or DATABASE_URL
        ledger.record_run(results, "Block B", "Wang")   # the page's or the CLI's ImageResults
        for f in ledger.list(Filter(site="Block B", overdue=True)): ...
        detail = ledger.get(f.id)                       # history and evidence
        ledger.update(f.id, f.version, owner="Li", due=date(2026, 12, 20))
        ledger.transition(f.id, "closed", photo=after_jpeg)

Modules: settings (where it lives), schema and migrations (the tables, Alembic), model (the
dataclasses handed out, the loop's rules), store (the Ledger), recording (runs in), notices
(the site manager's link), trends, exports (xlsx, csv), sitereport (the periodic PDF),
noticepdf (the rectification notice PDF), recheck (the after photo), backup, hook (the
command line's inspect run).
"""

from .errors import Conflict, LedgerError, NotAllowed, NotFound, NotSaved, TokenRefused
from .model import (
    DONE,
    LEVELS,
    STATUSES,
    TRANSITIONS,
    Evidence,
    Filter,
    Finding,
    FindingDetail,
    HistoryEntry,
    Notice,
    Recorded,
    level_for,
)
from .settings import LedgerSettings, load_ledger_settings
from .store import Ledger

__all__ = [
    "DONE",
    "LEVELS",
    "STATUSES",
    "TRANSITIONS",
    "Conflict",
    "Evidence",
    "Filter",
    "Finding",
    "FindingDetail",
    "HistoryEntry",
    "Ledger",
    "LedgerError",
    "LedgerSettings",
    "NotAllowed",
    "NotFound",
    "NotSaved",
    "Notice",
    "Recorded",
    "TokenRefused",
    "level_for",
    "load_ledger_settings",
]
