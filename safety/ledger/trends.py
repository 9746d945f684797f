"""Are our sites getting better? Counts over time, per site or overall.

weeks       findings per week by category (the last ``weeks`` weeks, oldest first)
flow        per week: found and closed
open, closed, overdue, by_status, by_level   as they stand today
mean_days_to_close                           over the findings closed so far
repeated    site and category found again on several visits (REPEAT_VISITS or more)
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import distinct, func, select

from ..detections import CATEGORIES
from .model import DONE, week_of
from .rows import overdue_clause
from .schema import findings, sites

REPEAT_VISITS = 3


def trends(
    ledger,
    site: str | None = None,
    *,
    weeks: int = 12,
    today: date | None = None,
    since: date | None = None,
    until: date | None = None,
) -> dict:
    today = today or ledger.today()
    last = week_of(until or today)
    first = week_of(since) if since else last - timedelta(weeks=weeks - 1)
    span = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    where = []
    if site:
        where.append(sites.c.name == site)
    joined = findings.join(sites, findings.c.site_id == sites.c.id)

    def q(*columns):
        return select(*columns).select_from(joined).where(*where)

    with ledger.reading() as c:
        per_week = c.execute(
            q(findings.c.week, findings.c.category, func.count())
            .where(findings.c.week >= first, findings.c.week <= last)
            .group_by(findings.c.week, findings.c.category)
        ).all()
        by_status = dict(
            c.execute(q(findings.c.status, func.count()).group_by(findings.c.status)).all()
        )
        by_level = dict(
            c.execute(q(findings.c.level, func.count()).group_by(findings.c.level)).all()
        )
        overdue = c.execute(q(func.count()).where(overdue_clause(today))).scalar_one()
        closed_rows = c.execute(
            q(findings.c.found_on, findings.c.closed_at).where(findings.c.closed_at.is_not(None))
        ).all()
        repeated = c.execute(
            q(sites.c.name, findings.c.category, func.count(distinct(findings.c.visit_id)))
            .group_by(sites.c.name, findings.c.category)
            .having(func.count(distinct(findings.c.visit_id)) >= REPEAT_VISITS)
            .order_by(func.count(distinct(findings.c.visit_id)).desc(), sites.c.name)
        ).all()
    table = {w: Counter() for w in span}
    for week, category, n in per_week:
        table.setdefault(week, Counter())[category] += n
    closed_week = Counter(week_of(closed.date()) for _, closed in closed_rows)
    days = [(closed.date() - found).days for found, closed in closed_rows]
    total = sum(by_status.values())
    done = sum(by_status.get(s, 0) for s in DONE)
    return {
        "site": site,
        "today": today.isoformat(),
        "weeks": [
            {
                "week": w.isoformat(),
                **{k: table[w][k] for k in CATEGORIES if k != "other"},
                "total": sum(table[w].values()),
            }
            for w in span
        ],
        "flow": [
            {"week": w.isoformat(), "found": sum(table[w].values()), "closed": closed_week[w]}
            for w in span
        ],
        "total": total,
        "open": total - done,
        "closed": done,
        "overdue": int(overdue),
        "by_status": {k: int(v) for k, v in sorted(by_status.items())},
        "by_level": {k: int(v) for k, v in sorted(by_level.items())},
        "mean_days_to_close": round(sum(days) / len(days), 1) if days else None,
        "repeated": [{"site": s, "category": cat, "visits": int(n)} for s, cat, n in repeated],
    }
