"""Are our sites getting better? Counts over time, per site or overall.

weeks       findings per week by category (the last ``weeks`` weeks, oldest first)
flow        per week: found and closed
open, closed, overdue, by_status, by_level   as they stand today
mean_days_to_close                           over the findings closed so far
repeated    site and category found again on several visits (REPEAT_VISITS or more)
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Date, cast, distinct, func, select

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
        # By the site's id, so that the indexes that start with site_id answer.
        where.append(
            findings.c.site_id == select(sites.c.id).where(sites.c.name == site).scalar_subquery()
        )

    def q(*columns):
        return select(*columns).select_from(findings).where(*where)

    closed_day = func.date(findings.c.closed_at)
    if ledger.engine.dialect.name == "sqlite":
        span_days = func.julianday(closed_day) - func.julianday(findings.c.found_on)
    else:
        span_days = cast(findings.c.closed_at, Date) - findings.c.found_on
    since_time = datetime.combine(first, datetime.min.time(), timezone.utc)
    with ledger.reading() as c:
        per_week = c.execute(
            q(findings.c.week, findings.c.category, func.count())
            .where(findings.c.week >= first, findings.c.week <= last)
            .group_by(findings.c.week, findings.c.category)
        ).all()
        counted = c.execute(
            q(findings.c.status, findings.c.level, func.count()).group_by(
                findings.c.status, findings.c.level
            )
        ).all()
        overdue = c.execute(q(func.count()).where(overdue_clause(today))).scalar_one()
        closed_days = c.execute(
            q(closed_day, func.count(), func.sum(span_days))
            .where(findings.c.closed_at >= since_time)
            .group_by(closed_day)
        ).all()
        # Repeated: the same category at a site on several visits within the weeks shown.
        visits_n = func.count(distinct(findings.c.visit_id))
        repeated = c.execute(
            q(findings.c.site_id, findings.c.category, visits_n)
            .where(findings.c.week >= first, findings.c.week <= last)
            .group_by(findings.c.site_id, findings.c.category)
            .having(visits_n >= REPEAT_VISITS)
        ).all()
        names = dict(c.execute(select(sites.c.id, sites.c.name)).all()) if repeated else {}
    table = {w: Counter() for w in span}
    for week, category, n in per_week:
        table.setdefault(week, Counter())[category] += n
    closed_week = Counter()
    for day, n, _ in closed_days:
        closed_week[week_of(day if isinstance(day, date) else date.fromisoformat(day))] += n
    n_closed = sum(n for _, n, _ in closed_days)
    mean = sum(float(days or 0) for _, _, days in closed_days) / n_closed if n_closed else None
    by_status, by_level = Counter(), Counter()
    for status, level, n in counted:
        by_status[status] += n
        by_level[level] += n
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
        "mean_days_to_close": None if mean is None else round(float(mean), 1),
        "repeated": sorted(
            ({"site": names[s], "category": cat, "visits": int(n)} for s, cat, n in repeated),
            key=lambda r: (-r["visits"], r["site"], r["category"]),
        ),
    }
