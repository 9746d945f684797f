"""``ledger backup FILE``: a consistent copy of the whole ledger as a SQLite file (from
SQLite or PostgreSQL alike), openable as a ledger (SAFETY_DATA_DIR with it as
ledger.sqlite3, or DATABASE_URL=sqlite:///FILE). The photos it refers to are copied into
FILE's folder beside it (``FILE.photos/``), each once.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, select, text

from . import migrate
from .schema import metadata, photos


def backup(ledger, path) -> int:
    """Write the copy; the number of rows copied."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    tmp.unlink(missing_ok=True)
    try:
        if ledger.engine.dialect.name == "sqlite":
            rows = _sqlite_copy(ledger, tmp)
        else:
            rows = _table_copy(ledger, tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    _copy_photos(ledger, path)
    return rows


def _sqlite_copy(ledger, tmp: Path) -> int:
    """SQLite's own online backup: a consistent snapshot while others write."""
    raw = ledger.engine.raw_connection()
    try:
        target = sqlite3.connect(tmp)
        with target:
            raw.driver_connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        target.close()
    finally:
        raw.close()
    with sqlite3.connect(tmp) as check:
        return sum(
            check.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0]
            for t in metadata.sorted_tables
        )


def _table_copy(ledger, tmp: Path) -> int:
    """Every table, in one read transaction (one snapshot), into a fresh SQLite ledger."""
    target = create_engine(f"sqlite:///{tmp}")
    migrate.upgrade(target)
    rows = 0
    with ledger.engine.connect() as source:
        source = source.execution_options(isolation_level="REPEATABLE READ")
        with source.begin(), target.begin() as out:
            for table in metadata.sorted_tables:
                batch = [dict(r._mapping) for r in source.execute(select(table))]
                if batch:
                    out.execute(table.insert(), batch)
                rows += len(batch)
            out.execute(text("SELECT 1"))
    target.dispose()
    return rows


def _copy_photos(ledger, path: Path) -> None:
    folder = path.with_name(path.name + ".photos")
    with ledger.reading() as c:
        shas = list(c.execute(select(photos.c.sha256)).scalars())
    for sha in shas:
        source = ledger.photos.path(sha)
        target = folder / sha[:2] / source.name
        if source.exists() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
