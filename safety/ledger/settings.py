"""Where the ledger lives: SAFETY_DATA_DIR (SQLite and the photos) or DATABASE_URL.

    SAFETY_DATA_DIR   the data folder: ledger.sqlite3 and photos/ (stored once by SHA-256).
                      Default: ./data beside the app; on a Hugging Face Space (SPACE_ID set),
                      /data when persistent storage is mounted there and writable.
    DATABASE_URL      postgresql://user@host/db (psycopg 3) or sqlite:///file: the records go
                      there instead; photos stay in the data folder.

A bad DATABASE_URL is a ConfigurationError naming the variable (one line, exit status 2).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError

from ..errors import ConfigurationError

APP_DIR = Path(__file__).resolve().parents[2]
SPACE_DATA = Path("/data")
DB_FILE = "ledger.sqlite3"
SQLITE_BUSY_MS = 10_000  # a writer waits this long for another before "database is locked"


@dataclass(frozen=True)
class LedgerSettings:
    data_dir: Path
    database_url: str | None = None  # None: SQLite in data_dir
    # True when the records would vanish at a restart (a Space without /data and no
    # DATABASE_URL): the page says so and how to keep them.
    ephemeral: bool = False

    @property
    def url(self) -> URL:
        if self.database_url:
            return parse_database_url(self.database_url)
        return URL.create("sqlite+pysqlite", database=str(self.data_dir / DB_FILE))

    @property
    def photo_dir(self) -> Path:
        return self.data_dir / "photos"


def _writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def load_ledger_settings(environ: Mapping[str, str] = os.environ) -> LedgerSettings:
    """The ledger's settings from the environment (read once, at start-up)."""
    wanted = (environ.get("SAFETY_DATA_DIR") or "").strip()
    database_url = (environ.get("DATABASE_URL") or "").strip() or None
    ephemeral = False
    if wanted:
        data_dir = Path(wanted).expanduser()
    elif environ.get("SPACE_ID") and _writable(SPACE_DATA):
        data_dir = SPACE_DATA
    else:
        data_dir = APP_DIR / "data"
        ephemeral = bool(environ.get("SPACE_ID")) and database_url is None
    if database_url:
        parse_database_url(database_url)  # a bad one stops here, at start-up
    return LedgerSettings(data_dir, database_url, ephemeral)


def parse_database_url(text: str) -> URL:
    """DATABASE_URL as SQLAlchemy reads it: postgresql:// goes through psycopg 3."""
    hint = "DATABASE_URL: expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or "
    hint += "sqlite:///FILE"
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise ConfigurationError(f"{hint}; got something that is not a database URL.") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        if not url.database:
            raise ConfigurationError(f"{hint}; the database name is missing.")
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and url.database:
        return url.set(drivername="sqlite+pysqlite")
    shown = url.drivername  # never the password
    raise ConfigurationError(f"{hint}; {shown!r} is not supported.")


def tune_sqlite(engine: Engine) -> None:
    """WAL (a kill -9 loses nothing committed; readers do not block the writer), full
    fsync at commit, foreign keys on, and a busy timeout rather than an instant lock error."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        # pysqlite's own transaction handling would defer BEGIN; we issue it ourselves so a
        # writer takes the lock at the start of its transaction (no upgrade deadlocks).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        # A writer takes the lock at BEGIN (no upgrade deadlock between two writers that
        # both read first); a reader does not hold writers up.
        write = connection.get_execution_options().get("ledger_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
