"""What the ledger hands out: plain frozen dataclasses (never database rows), the loop's
statuses and the rules that govern them.

The loop (排查 → 登记 → 整改 → 验收 → 销号):

    open ──► notified ──► rectified ──► verified ──► closed
      │          │            │   ╲          │          │
      └──────────┴─► closed   │    ╲► reopened ◄────────┘   (reopened: back to the owner)
                              └──────► reopened ──► notified | rectified | closed

* Reopening needs a note (why it goes back).
* Closing needs evidence: an after photo on the finding, or a note saying why none is possible.
* Overdue: the due date has passed and the finding is not yet verified or closed.

Levels (一般 / 重大, general / major): fire of any severity but minor, and severe smoke, are
major (a major hazard means stopping work and reporting it); everything else is general. An
officer may change a finding's level by hand (``update(level=...)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

STATUSES = ("open", "notified", "rectified", "verified", "closed", "reopened")
DONE = ("verified", "closed")  # a finding in these is never overdue
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("notified", "rectified", "closed"),
    "notified": ("rectified", "closed"),
    "rectified": ("verified", "reopened"),
    "verified": ("closed", "reopened"),
    "closed": ("reopened",),
    "reopened": ("notified", "rectified", "closed"),
}
LEVELS = ("general", "major")
# The hazards the ledger keeps: a person wearing a hard hat, or "other", is no hazard.
HAZARDS = {
    "fire": ("minor", "moderate", "severe", "unknown"),
    "smoke": ("minor", "moderate", "severe", "unknown"),
    "person": ("missing", "unknown"),
}
CATEGORIES_KEPT = tuple(HAZARDS)
# Fields a person may change with update(); status goes through transition().
EDITABLE = ("measure", "owner", "due", "funds", "rechecker", "rechecked_on", "level")
EVIDENCE_KINDS = ("after-photo", "note", "recheck")
RECHECK_VERDICTS = ("gone", "present", "unclear")


def level_for(category: str, severity: str) -> str:
    """general | major: the module's rule."""
    if category == "fire" and severity != "minor":
        return "major"
    if category == "smoke" and severity == "severe":
        return "major"
    return "general"


def is_hazard(category: str, severity: str) -> bool:
    return severity in HAZARDS.get(category, ())


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: trends count findings per week."""
    return day - timedelta(days=day.weekday())


def ledger_number(finding_id: int, found_on: date) -> str:
    """The number a ledger shows (编号): YH-2026-000123 (隐患, the year found, the id)."""
    return f"YH-{found_on.year}-{finding_id:06d}"


@dataclass(frozen=True)
class Finding:
    id: int
    number: str
    site: str
    visit_id: int
    found_on: date
    inspector: str
    source: str
    photo_sha: str | None
    photo_size: tuple[int, int]  # of the original photo: the box is in its pixels
    box: tuple[float, float, float, float]
    category: str
    severity: str  # fire, smoke: minor | moderate | severe | unknown; person: missing | unknown
    level: str
    label: str  # the model's words: untrusted text
    review: str
    clauses: tuple[str, ...]
    status: str
    measure: str
    owner: str
    due: date | None
    funds: str
    rechecker: str
    rechecked_on: date | None
    closed_at: datetime | None
    updated_at: datetime
    version: int
    overdue: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``ledger list --json``): English words for status and level."""
        return {
            "id": self.id,
            "number": self.number,
            "site": self.site,
            "visit": self.visit_id,
            "found": self.found_on.isoformat(),
            "inspector": self.inspector,
            "source": self.source,
            "photo_sha256": self.photo_sha,
            "box": [round(v) for v in self.box],
            "category": self.category,
            "severity": self.severity,
            "level": self.level,
            "label": self.label,
            "review": self.review,
            "clauses": list(self.clauses),
            "status": self.status,
            "overdue": self.overdue,
            "measure": self.measure,
            "owner": self.owner,
            "due": self.due.isoformat() if self.due else None,
            "funds": self.funds,
            "rechecker": self.rechecker,
            "rechecked_on": self.rechecked_on.isoformat() if self.rechecked_on else None,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "version": self.version,
        }


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str  # recorded | update | status | evidence
    version: int
    changes: dict[str, list[Any]]  # field -> [before, after]
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "version": self.version,
            "changes": self.changes,
            "note": self.note,
        }


@dataclass(frozen=True)
class Evidence:
    id: int
    at: datetime
    actor: str
    kind: str  # after-photo | note | recheck
    photo_sha: str | None
    note: str
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "kind": self.kind,
            "photo_sha256": self.photo_sha,
            "note": self.note,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class FindingDetail:
    """One finding with its history (oldest first) and its evidence."""

    finding: Finding
    history: tuple[HistoryEntry, ...]
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        out = self.finding.to_dict()
        out["history"] = [h.to_dict() for h in self.history]
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(frozen=True)
class Recorded:
    """What record_run did: the visit, the findings it added; ``already``: the same run was
    recorded before and nothing was added."""

    visit_id: int
    finding_ids: tuple[int, ...]
    already: bool = False


@dataclass(frozen=True)
class Filter:
    site: str | None = None
    status: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    level: str | None = None
    overdue: bool = False
    since: date | None = None
    until: date | None = None
    owner: str | None = None
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class Notice:
    id: int
    site: str
    created_at: datetime
    created_by: str
    expires_at: datetime
    revoked_at: datetime | None
    finding_ids: tuple[int, ...]
    token: str | None = field(default=None, repr=False)  # only when just created

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
