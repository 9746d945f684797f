"""The hazard ledger's speed on SQLite and PostgreSQL.

    python benchmarks/ledger.py [--photos 10000] [--findings 100000] [--sites 50]
                                [--backend sqlite|postgresql|both]

For each backend, in a fresh database:
  * import: a results JSONL of N photos (as ``inspect --results`` writes it: a few hazards
    in most photos) through ``Ledger.import_results``, the ``ledger import`` step; wall time;
  * list and filter queries on a ledger of 100,000 findings across 50 sites (half a year
    of weekly visits, statuses and due dates spread as a real ledger's): each query run 40
    times, p50 and p95 in ms (aim: p95 under 100 ms on SQLite);
  * trends, overall and for one site: p50 and p95 (aim: under 300 ms).
PostgreSQL: SAFETY_TEST_POSTGRES_URL, else a throwaway cluster started here (tests/pgcluster,
Debian's postgresql package).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine  # noqa: E402
from safety.detections import Detection, ImageResult  # noqa: E402
from safety.ledger import Filter, Ledger, LedgerSettings  # noqa: E402
from safety.ledger.model import level_for, week_of  # noqa: E402
from safety.ledger.schema import findings, history, sites, visits  # noqa: E402

KINDS = [
    ("fire", "severe"),
    ("fire", "minor"),
    ("smoke", "moderate"),
    ("person", "missing"),
    ("person", "unknown"),
]
STATUS_MIX = ["open"] * 3 + ["notified"] * 2 + ["rectified", "verified"] + ["closed"] * 5


def results_file(folder: Path, photos: int) -> Path:
    rng = random.Random(1)
    path = folder / "results.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(photos):
            boxes = []
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                category, status = rng.choice(KINDS + [("person", "worn")])
                x, y = rng.randrange(0, 3500), rng.randrange(0, 2500)
                boxes.append(
                    Detection(category, status, category, status, (x, y, x + 200, y + 300))
                )
            r = ImageResult(
                f"archive/site-{i % 50:02d}/IMG_{i:05d}.jpg",
                index=i,
                width=4000,
                height=3000,
                sha256=f"{i:064x}",
                detections=boxes,
                model="qwen",
            )
            out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    return path


def fill(ledger: Ledger, total: int, n_sites: int) -> None:
    """A ledger of ``total`` findings: weekly visits to each site over half a year."""
    rng = random.Random(2)
    today = date.today()
    now = datetime.now(timezone.utc)
    with ledger.writing() as c:
        c.execute(
            sites.insert(),
            [
                {"id": 10_000 + s, "name": f"Site {s:02d}", "created_at": now}
                for s in range(n_sites)
            ],
        )
        weeks = 26
        per_visit = max(1, total // (n_sites * weeks))
        visit_rows, finding_rows, fid = [], [], 1_000_000
        for s in range(n_sites):
            for w in range(weeks):
                vid = 100_000 + s * weeks + w
                day = today - timedelta(days=7 * (weeks - w) - rng.randrange(7))
                visit_rows.append(
                    dict(
                        id=vid,
                        site_id=10_000 + s,
                        run_key=f"bench-{vid}",
                        at=datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc),
                        inspector="bench",
                        endpoint="",
                        model="qwen",
                        prompt_hash="",
                        verdict="review",
                        origin="import",
                        photos=per_visit,
                        failed=0,
                    )
                )
                for _ in range(per_visit):
                    category, severity = rng.choice(KINDS)
                    status = rng.choice(STATUS_MIX)
                    closed = None
                    if status == "closed":
                        closed = datetime.combine(
                            day + timedelta(days=rng.randrange(1, 30)),
                            datetime.min.time(),
                            timezone.utc,
                        )
                    fid += 1
                    finding_rows.append(
                        dict(
                            id=fid,
                            visit_id=vid,
                            site_id=10_000 + s,
                            source=f"IMG_{fid}.jpg",
                            source_sha=None,
                            photo_sha=None,
                            photo_width=4000,
                            photo_height=3000,
                            x1=1.0,
                            y1=1.0,
                            x2=90.0,
                            y2=90.0,
                            category=category,
                            severity=severity,
                            level=level_for(category, severity),
                            label=category,
                            review="unreviewed",
                            clauses=[],
                            status=status,
                            found_on=day,
                            week=week_of(day),
                            measure="measure",
                            owner=rng.choice(["", "Li", "Wang", "Zhao"]),
                            due=day + timedelta(days=rng.randrange(0, 21)),
                            funds="",
                            rechecker="",
                            rechecked_on=None,
                            closed_at=closed,
                            updated_at=now,
                            version=1,
                        )
                    )
        c.execute(visits.insert(), visit_rows)
        for i in range(0, len(finding_rows), 5000):
            chunk = finding_rows[i : i + 5000]
            c.execute(findings.insert(), chunk)
            c.execute(
                history.insert(),
                [
                    dict(
                        finding_id=r["id"],
                        at=now,
                        actor="bench",
                        action="recorded",
                        version=1,
                        changes={},
                        note="",
                    )
                    for r in chunk
                ],
            )
    if ledger.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load: statistics, and the visibility map
        # that lets PostgreSQL answer from an index alone.
        with ledger.engine.connect() as c:
            c.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")


def timed(fn, repeat: int) -> tuple[float, float, object]:
    fn()  # warm: the first call pays for connections and plans
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], out


def bench(name: str, settings: LedgerSettings, args, folder: Path) -> None:
    print(f"\n== {name} ==")
    with Ledger.open(settings) as ledger:
        source = results_file(folder, args.photos)
        start = time.perf_counter()
        done = ledger.import_results(source, "Imported site", "bench")
        took = time.perf_counter() - start
        print(
            f"import {args.photos:,} photos ({len(done.finding_ids):,} findings): {took:.1f} s "
            f"({took / args.photos * 1000:.2f} ms per photo)"
        )
        start = time.perf_counter()
        again = ledger.import_results(source, "Imported site", "bench")
        assert again.already
        print(f"the same import again (adds nothing): {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        fill(ledger, args.findings, args.sites)
        print(
            f"filled: {ledger.count():,} findings across {len(ledger.sites())} sites "
            f"({time.perf_counter() - start:.1f} s)"
        )
        queries = {
            "list one site (first page of 100)": Filter(site="Site 07", limit=100),
            "list one site, all its findings": Filter(site="Site 07"),
            "open + notified, first page": Filter(status=("open", "notified"), limit=100),
            "overdue, first page": Filter(overdue=True, limit=100),
            "site + status + category": Filter(
                site="Site 21", status=("open",), category=("person",)
            ),
            "major, last 30 days": Filter(
                level="major", since=date.today() - timedelta(30), limit=100
            ),
        }
        print(f"{'query':44s} {'rows':>6s} {'p50 ms':>8s} {'p95 ms':>8s}")
        for label, f in queries.items():
            p50, p95, out = timed(lambda f=f: ledger.list(f), args.repeat)
            print(f"{label:44s} {len(out):6d} {p50:8.1f} {p95:8.1f}")
        p50, p95, n = timed(lambda: ledger.count(Filter(overdue=True)), args.repeat)
        print(f"{'count overdue (all sites)':44s} {n:6d} {p50:8.1f} {p95:8.1f}")
        for label, site in (("trends, all sites", None), ("trends, one site", "Site 07")):
            p50, p95, data = timed(lambda s=site: ledger.trends(s), args.repeat)
            print(f"{label:44s} {data['total']:6d} {p50:8.1f} {p95:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=10_000)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.backend in ("sqlite", "both"):
            bench("SQLite (WAL)", LedgerSettings(folder / "sqlite"), args, folder)
        if args.backend in ("postgresql", "both"):
            import os

            from tests import pgcluster

            url = os.environ.get(pgcluster.ENV)
            if url:
                target = pgcluster.new_database(url)
                bench("PostgreSQL", LedgerSettings(folder / "pg", target), args, folder)
            else:
                with pgcluster.start_cluster() as admin:
                    target = pgcluster.new_database(admin)
                    bench("PostgreSQL", LedgerSettings(folder / "pg", target), args, folder)


if __name__ == "__main__":
    main()
