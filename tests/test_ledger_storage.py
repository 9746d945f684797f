"""The ledger's storage: migrations upgrade a filled database without losing a row; a
change is acknowledged only after its commit (a real kill -9 loses nothing acknowledged);
a full disk or a lost connection says "not saved" and writes nothing half."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import create_engine, event, func, select, text

from safety.detections import Detection, ImageResult
from safety.ledger import Ledger, NotSaved, migrate
from safety.ledger.schema import findings, visits
from safety.ledger.settings import tune_sqlite
from tests.ledger_db import both

ROOT = Path(__file__).resolve().parent.parent
AT = datetime(2026, 10, 5, 9, 30, tzinfo=timezone.utc)


def _old_rows():
    """Rows as the first schema (0001) held them: every kind of finding the level rule sees."""
    kinds = [
        ("fire", "severe"),
        ("fire", "minor"),
        ("fire", "unknown"),
        ("smoke", "severe"),
        ("smoke", "moderate"),
        ("person", "missing"),
        ("person", "unknown"),
    ]
    out = []
    for i, (category, severity) in enumerate(kinds, start=1):
        out.append(
            dict(
                id=i,
                visit_id=1,
                site_id=1,
                source=f"p{i}.jpg",
                source_sha="f" * 64,
                photo_sha="e" * 64,
                photo_width=640,
                photo_height=480,
                x1=1.0 * i,
                y1=2.0,
                x2=50.5 + i,
                y2=60.25,
                category=category,
                severity=severity,
                label=f"label {i} <b>",
                review="unreviewed",
                clauses=[f"C-{i}"],
                status="open" if i % 2 else "closed",
                found_on=date(2026, 10, 5),
                week=date(2026, 10, 5),
                measure=f"measure {i}",
                owner=f"owner {i}",
                due=date(2026, 10, 5 + i),
                funds="100",
                rechecker="Li",
                rechecked_on=None,
                closed_at=None if i % 2 else AT,
                updated_at=AT,
                version=i,
            )
        )
    return out


@both
def test_migration_upgrades_a_filled_first_schema(ledger_settings):
    engine = create_engine(ledger_settings.url)
    tune_sqlite(engine)
    if engine.dialect.name == "sqlite":
        ledger_settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(engine, "0001")
    assert migrate.current(engine) == "0001"
    meta = sa.MetaData()
    meta.reflect(engine)
    assert "level" not in meta.tables["findings"].c and "notices" not in meta.tables
    old = _old_rows()
    with engine.begin() as c:
        c.execute(meta.tables["sites"].insert(), [{"id": 1, "name": "Old site", "created_at": AT}])
        c.execute(
            meta.tables["visits"].insert(),
            [
                dict(
                    id=1,
                    site_id=1,
                    run_key="k" * 64,
                    at=AT,
                    inspector="Wang",
                    endpoint="http://h:1",
                    model="qwen",
                    prompt_hash="0" * 64,
                    verdict="immediate-action",
                    origin="cli",
                    photos=7,
                    failed=0,
                )
            ],
        )
        c.execute(
            meta.tables["photos"].insert(),
            [dict(sha256="e" * 64, width=640, height=480, bytes=1234, created_at=AT)],
        )
        c.execute(meta.tables["findings"].insert(), old)
        c.execute(
            meta.tables["history"].insert(),
            [
                dict(
                    finding_id=i,
                    at=AT,
                    actor="Wang",
                    action="recorded",
                    version=1,
                    changes={"x": [None, i]},
                    note=f"n{i}",
                )
                for i in range(1, 8)
            ],
        )
        c.execute(
            meta.tables["evidence"].insert(),
            [
                dict(
                    finding_id=2,
                    at=AT,
                    actor="Li",
                    kind="note",
                    photo_sha=None,
                    note="gone",
                    verdict="",
                )
            ],
        )
    engine.dispose()

    with Ledger.open(ledger_settings) as ledger:  # start-up runs the migrations to head
        assert migrate.current(ledger.engine) == migrate.head() == "0003"
        with ledger.reading() as c:
            rows = {r._mapping["id"]: dict(r._mapping) for r in c.execute(select(findings))}
            visit = dict(c.execute(select(visits)).one()._mapping)
        assert visit["inspector"] == "Wang" and visit["photos"] == 7
        expected_levels = ["major", "general", "major", "major", "general", "general", "general"]
        for before, level in zip(old, expected_levels):
            after = rows[before["id"]]
            assert after.pop("level") == level
            for key, value in before.items():
                got = after[key]
                if isinstance(value, datetime) and got is not None and got.tzinfo is None:
                    got = got.replace(tzinfo=timezone.utc)
                assert got == value, (before["id"], key)
        detail = ledger.get(3)
        assert detail.history[0].changes == {"x": [None, 3]}
        assert ledger.get(2).evidence[0].note == "gone"
        assert ledger.notices() == []
        # The upgraded ledger works: the loop goes on.
        moved = ledger.transition(3, "notified", expected_version=3, actor="Li")
        assert moved.version == 4 and moved.level == "major"


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from safety.detections import Detection, ImageResult
    from safety.ledger import Ledger, LedgerSettings
    from pathlib import Path

    settings = LedgerSettings(Path(sys.argv[1]), sys.argv[2] or None)
    ledger = Ledger.open(settings)
    boxes = [Detection("fire", "severe", "f", "", (i, 1, i + 10, 20)) for i in range(5)]
    ids = ledger.record_run([ImageResult("a.jpg", width=99, height=99, detections=boxes)],
                            "Kill site", "w").finding_ids
    print("READY", flush=True)
    n = 0
    while True:
        fid = ids[n % len(ids)]
        f = ledger.find(fid)
        done = ledger.update(fid, f.version, owner=f"owner-{n}")
        print(f"ACK {fid} {done.version} owner-{n}", flush=True)
        n += 1
    """
)


@both
def test_kill_9_loses_nothing_acknowledged(ledger_settings, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [
            sys.executable,
            str(script),
            str(ledger_settings.data_dir),
            ledger_settings.database_url or "",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    acked = []
    try:
        assert process.stdout.readline().strip() == "READY"
        while len(acked) < 60:
            line = process.stdout.readline()
            assert line, "the writer stopped before it was killed"
            _, fid, version, owner = line.split()
            acked.append((int(fid), int(version), owner))
    finally:
        process.send_signal(signal.SIGKILL)  # mid-write, most likely: no clean shutdown
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    with Ledger.open(ledger_settings) as ledger:
        for fid, version, owner in acked:
            finding = ledger.find(fid)
            assert finding.version >= version  # every acknowledged change is there
            kept = [h for h in ledger.get(fid).history if h.version == version]
            assert len(kept) == 1 and kept[0].changes["owner"][1] == owner
        # and a later, unacknowledged one is whole or absent: versions run without a gap
        for f in ledger.list():
            versions = [h.version for h in ledger.get(f.id).history if h.action == "update"]
            assert versions == list(range(2, f.version + 1))


def _hazards(n):
    return [
        ImageResult(
            f"p{i}.jpg",
            width=99,
            height=99,
            detections=[Detection("smoke", "severe", "s" * 400, "", (1, 1, 9, 9))],
        )
        for i in range(n)
    ]


def test_a_full_disk_is_not_saved_and_nothing_is_half_written(ledger_settings):
    ledger = Ledger.open(ledger_settings)
    ledger.record_run(_hazards(2), "Full", "w")
    before = (ledger.count(), ledger.get(1).to_dict())
    with ledger.reading() as c:
        pages = c.execute(text("PRAGMA page_count")).scalar_one()

    @event.listens_for(ledger.engine, "connect")
    def _full(dbapi_connection, _record):  # the file may not grow: SQLite's "disk is full"
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    ledger.engine.dispose()
    with pytest.raises(NotSaved) as caught:
        ledger.record_run(_hazards(400), "Full", "w")
    assert str(caught.value).startswith("Not saved") and "full" in str(caught.value)
    assert "未保存" in caught.value.message("zh")
    with pytest.raises(NotSaved):
        ledger.update(1, None, measure="m" * 200_000)
    ledger.close()
    with Ledger.open(ledger_settings) as again:
        assert (again.count(), again.get(1).to_dict()) == before
        with again.reading() as c:
            assert c.execute(select(func.count()).select_from(visits)).scalar_one() == 1


@pytest.mark.parametrize("ledger_settings", ["postgresql"], indirect=True)
def test_a_lost_connection_is_not_saved_and_nothing_is_half_written(ledger_settings):
    import psycopg

    ledger = Ledger.open(ledger_settings)

    def cut(_result):  # called inside record_run's transaction, after the visit's insert
        with psycopg.connect(ledger_settings.database_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        return None

    with pytest.raises(NotSaved) as caught:
        ledger.record_run(_hazards(3), "Lost", "w", photo_for=cut)
    assert "Not saved" in str(caught.value)
    assert ledger.count() == 0 and ledger.sites() == []  # reconnects; nothing of the run
    assert json.dumps(ledger.trends())  # and the ledger carries on
    done = ledger.record_run(_hazards(3), "Lost", "w")
    assert len(done.finding_ids) == 3
    ledger.close()
