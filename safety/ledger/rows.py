"""Database rows to the ledger's dataclasses, and the one query that lists findings."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Select, and_, func, select

from .model import DONE, STATUSES, Evidence, Filter, Finding, HistoryEntry, ledger_number
from .schema import evidence, findings, history, sites, visits


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands times back without their zone: they were written in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


def finding_columns():
    return [findings, sites.c.name.label("site_name"), visits.c.inspector.label("inspector")]


def finding_select() -> Select:
    return select(*finding_columns()).select_from(
        findings.join(sites, findings.c.site_id == sites.c.id).join(
            visits, findings.c.visit_id == visits.c.id
        )
    )


def overdue_clause(today: date, first_page: bool = False):
    """Past its due date and not yet verified or closed. The statuses are listed (not "not
    in DONE") so that the (status, due) index answers a count; for a first page
    (``first_page``) the newest findings are walked instead (see ``filtered``)."""
    not_done = [s for s in STATUSES if s not in DONE]
    status = func.coalesce(findings.c.status, "") if first_page else findings.c.status
    return and_(status.in_(not_done), findings.c.due < today)


def filtered(query: Select, f: Filter, today: date) -> Select:
    if f.site:
        # By the site's id, so that the indexes that start with site_id answer.
        site_id = select(sites.c.id).where(sites.c.name == f.site).scalar_subquery()
        query = query.where(findings.c.site_id == site_id)
    if f.status:
        # A first page (limit) is found fastest walking the newest findings first and
        # keeping those of the status; the status index would sort every match first.
        column = findings.c.status if f.limit is None else func.coalesce(findings.c.status, "")
        query = query.where(column.in_(f.status))
    if f.category:
        query = query.where(findings.c.category.in_(f.category))
    if f.level:
        query = query.where(findings.c.level == f.level)
    if f.overdue:
        query = query.where(overdue_clause(today, first_page=f.limit is not None))
    if f.since:
        query = query.where(findings.c.found_on >= f.since)
    if f.until:
        query = query.where(findings.c.found_on <= f.until)
    if f.owner:
        query = query.where(findings.c.owner == f.owner)
    return query


def list_select(f: Filter, today: date) -> Select:
    query = filtered(finding_select(), f, today).order_by(findings.c.id.desc())
    if f.limit is not None:
        query = query.limit(f.limit)
    if f.offset:
        query = query.offset(f.offset)
    return query


def count_select(f: Filter, today: date) -> Select:
    return filtered(select(func.count()).select_from(findings), f, today)


def to_finding(row, today: date) -> Finding:
    m = row._mapping
    due = m["due"]
    return Finding(
        id=m["id"],
        number=ledger_number(m["id"], m["found_on"]),
        site=m["site_name"],
        visit_id=m["visit_id"],
        found_on=m["found_on"],
        inspector=m["inspector"],
        source=m["source"],
        photo_sha=m["photo_sha"],
        photo_size=(m["photo_width"], m["photo_height"]),
        box=(m["x1"], m["y1"], m["x2"], m["y2"]),
        category=m["category"],
        severity=m["severity"],
        level=m["level"],
        label=m["label"],
        review=m["review"],
        clauses=tuple(m["clauses"] or ()),
        status=m["status"],
        measure=m["measure"],
        owner=m["owner"],
        due=due,
        funds=m["funds"],
        rechecker=m["rechecker"],
        rechecked_on=m["rechecked_on"],
        closed_at=utc(m["closed_at"]),
        updated_at=utc(m["updated_at"]),
        version=m["version"],
        overdue=bool(due and due < today and m["status"] not in DONE),
    )


def to_history(row) -> HistoryEntry:
    m = row._mapping
    return HistoryEntry(
        utc(m["at"]), m["actor"], m["action"], m["version"], dict(m["changes"] or {}), m["note"]
    )


def to_evidence(row) -> Evidence:
    m = row._mapping
    return Evidence(
        m["id"], utc(m["at"]), m["actor"], m["kind"], m["photo_sha"], m["note"], m["verdict"]
    )


def history_select(finding_id: int, after_version: int = 0) -> Select:
    return (
        select(history)
        .where(history.c.finding_id == finding_id, history.c.version > after_version)
        .order_by(history.c.id)
    )


def evidence_select(finding_id: int) -> Select:
    return select(evidence).where(evidence.c.finding_id == finding_id).order_by(evidence.c.id)
