"""The Ledger: open it from the settings, then record, list, read and change findings.

    ledger = Ledger.open()                       # SAFETY_DATA_DIR / DATABASE_URL, migrated
    ledger.record_run(results, site, inspector)  # safety.ledger.recording
    ledger.list(Filter(site="B", overdue=True)) -> [Finding]
    ledger.get(id) -> FindingDetail              # with history and evidence
    ledger.update(id, expected_version, owner=..., due=...) -> Finding
    ledger.transition(id, "closed", note=..., photo=...) -> Finding
    ledger.add_evidence(id, photo=bytes, note=...) -> Evidence

Every change is one transaction: it is acknowledged (the method returns) only after the
commit, and a failure (disk full, connection lost) raises NotSaved with nothing written.
A change names the version it was made on; when the finding changed meanwhile, Conflict
says what changed and nothing is overwritten.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import create_engine, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ..errors import ConfigurationError
from . import migrate, rows
from .errors import Conflict, NotAllowed, NotFound, NotSaved
from .extras import LedgerExtras
from .model import (
    EDITABLE,
    LEVELS,
    TRANSITIONS,
    Filter,
    Finding,
    FindingDetail,
)
from .photos import PhotoStore
from .rows import now_utc
from .schema import findings, history
from .settings import LedgerSettings, load_ledger_settings, tune_sqlite


class Ledger(LedgerExtras):
    def __init__(
        self, engine: Engine, photo_store: PhotoStore, today: Callable[[], date] = date.today
    ):
        self.engine, self.photos, self._today = engine, photo_store, today

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, settings: LedgerSettings | None = None, environ: Mapping[str, str] = os.environ
    ) -> Ledger:
        """The ledger the settings name, its schema brought up to date (migrations)."""
        settings = settings or load_ledger_settings(environ)
        url = settings.url
        try:
            if url.get_backend_name() == "sqlite":
                settings.data_dir.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, pool_pre_ping=True)
        except OSError as exc:
            raise ConfigurationError(
                f"SAFETY_DATA_DIR {settings.data_dir}: cannot be created ({exc.strerror}); "
                "set SAFETY_DATA_DIR to a folder this user may write."
            ) from None
        tune_sqlite(engine)
        try:
            migrate.upgrade(engine)
        except OperationalError as exc:
            engine.dispose()
            where = (
                "DATABASE_URL" if settings.database_url else f"SAFETY_DATA_DIR {settings.data_dir}"
            )
            why = str(exc.orig).strip().splitlines()[0] if exc.orig else "no connection"
            raise ConfigurationError(
                f"{where}: the ledger database cannot be opened ({why})."
            ) from None
        return cls(engine, PhotoStore(settings.photo_dir))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def today(self) -> date:
        return self._today()

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction; NotSaved (nothing written) when the database fails."""
        try:
            with self.engine.connect() as connection:
                connection = connection.execution_options(ledger_write=True)
                with connection.begin():
                    yield connection
        except IntegrityError:
            raise
        except (OperationalError, DBAPIError) as exc:
            why = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
            raise NotSaved("ledger.error.not-saved", why=why[:200]) from None

    def reading(self):
        return self.engine.connect()

    # -- reading -------------------------------------------------------------------------

    def list(self, f: Filter | None = None, **criteria: Any) -> list[Finding]:
        f = f or Filter(**criteria)
        today = self.today()
        with self.reading() as c:
            return [rows.to_finding(r, today) for r in c.execute(rows.list_select(f, today))]

    def count(self, f: Filter | None = None, **criteria: Any) -> int:
        f = f or Filter(**criteria)
        with self.reading() as c:
            return int(c.execute(rows.count_select(f, self.today())).scalar_one())

    def _finding(self, c: Connection, finding_id: int) -> Finding:
        row = c.execute(rows.finding_select().where(findings.c.id == finding_id)).first()
        if row is None:
            raise NotFound("ledger.error.not-found", id=finding_id)
        return rows.to_finding(row, self.today())

    def find(self, finding_id: int) -> Finding:
        with self.reading() as c:
            return self._finding(c, finding_id)

    def get(self, finding_id: int) -> FindingDetail:
        with self.reading() as c:
            finding = self._finding(c, finding_id)
            past = tuple(rows.to_history(r) for r in c.execute(rows.history_select(finding_id)))
            kept = tuple(rows.to_evidence(r) for r in c.execute(rows.evidence_select(finding_id)))
        return FindingDetail(finding, past, kept)

    def sites(self) -> list[str]:
        from .schema import sites

        with self.reading() as c:
            return list(c.execute(select(sites.c.name).order_by(sites.c.name)).scalars())

    def photo(self, sha: str) -> bytes | None:
        return self.photos.get(sha)

    # -- changing ------------------------------------------------------------------------

    def _check_version(self, c: Connection, before: Finding, expected: int | None) -> None:
        if expected is None or expected == before.version:
            return
        meanwhile = [
            rows.to_history(r) for r in c.execute(rows.history_select(before.id, expected))
        ]
        changes = [(h.version, h.actor, h.at, h.changes) for h in meanwhile]
        raise Conflict(
            "ledger.error.conflict",
            changes,
            number=before.number,
            expected=expected,
            version=before.version,
        )

    def _apply(
        self,
        c: Connection,
        before: Finding,
        values: dict[str, Any],
        *,
        action: str,
        actor: str,
        note: str,
    ) -> Finding:
        """Write ``values`` on the version read, with one history entry; the new Finding."""
        changes = {
            k: [_plain(getattr(before, k)), _plain(v)]
            for k, v in values.items()
            if getattr(before, k) != v
        }
        version = before.version + 1
        done = c.execute(
            update(findings)
            .where(findings.c.id == before.id, findings.c.version == before.version)
            .values(**values, version=version, updated_at=now_utc())
        )
        if done.rowcount != 1:  # another writer got in between the read and this write
            self._check_version(c, self._finding(c, before.id), before.version)
        c.execute(
            insert(history).values(
                finding_id=before.id,
                at=now_utc(),
                actor=actor,
                action=action,
                version=version,
                changes=changes,
                note=note,
            )
        )
        return self._finding(c, before.id)

    def update(
        self,
        finding_id: int,
        expected_version: int | None,
        *,
        actor: str = "",
        note: str = "",
        **values: Any,
    ) -> Finding:
        """Change the corrective action's fields (EDITABLE); Conflict when the finding is no
        longer at ``expected_version`` (None: whatever it is now)."""
        unknown = sorted(set(values) - set(EDITABLE))
        if unknown:
            raise NotAllowed("ledger.error.not-editable", fields=", ".join(unknown))
        if "level" in values and values["level"] not in LEVELS:
            raise NotAllowed("ledger.error.level", level=values["level"])
        with self.writing() as c:
            before = self._finding(c, finding_id)
            self._check_version(c, before, expected_version)
            return self._apply(c, before, values, action="update", actor=actor, note=note)

    def transition(
        self,
        finding_id: int,
        status: str,
        *,
        expected_version: int | None = None,
        actor: str = "",
        note: str = "",
        photo: bytes | None = None,
    ) -> Finding:
        """Move a finding along the loop (safety.ledger.model). ``photo``: an after photo
        kept as evidence in the same transaction (closing needs one, or a note)."""
        with self.writing() as c:
            before = self._finding(c, finding_id)
            self._check_version(c, before, expected_version)
            if status not in TRANSITIONS.get(before.status, ()):
                allowed = ", ".join(TRANSITIONS.get(before.status, ()))
                raise NotAllowed(
                    "ledger.error.transition",
                    number=before.number,
                    status=before.status,
                    wanted=status,
                    allowed=allowed,
                )
            if status == "reopened" and not note.strip():
                raise NotAllowed("ledger.error.reopen-note", number=before.number)
            if photo is not None:
                self._evidence(
                    c,
                    before.id,
                    photo=photo,
                    note="",
                    actor=actor,
                    kind="after-photo",
                    version=before.version,
                )
            if status == "closed" and not self._has_after_photo(c, before.id):
                if not note.strip():
                    raise NotAllowed("ledger.error.close-evidence", number=before.number)
                self._evidence(
                    c,
                    before.id,
                    photo=None,
                    note=note,
                    actor=actor,
                    kind="note",
                    version=before.version,
                )
            values: dict[str, Any] = {"status": status}
            if status == "closed":
                values["closed_at"] = now_utc()
            elif before.closed_at is not None:
                values["closed_at"] = None
            if status == "verified" and before.rechecked_on is None:
                values["rechecked_on"] = self.today()
            return self._apply(c, before, values, action="status", actor=actor, note=note)

    def assign_bulk(
        self,
        finding_ids: list[int],
        *,
        owner: str | None = None,
        due: date | None = None,
        actor: str = "",
        expected: Mapping[int, int] | None = None,
    ) -> list[Finding]:
        """Owner and due date for several findings at once, all or none; ``expected``: the
        version each was read at (a Conflict for any one saves nothing)."""
        values: dict[str, Any] = {}
        if owner is not None:
            values["owner"] = owner
        if due is not None:
            values["due"] = due
        out = []
        with self.writing() as c:
            for finding_id in finding_ids:
                before = self._finding(c, finding_id)
                self._check_version(c, before, (expected or {}).get(finding_id))
                out.append(self._apply(c, before, values, action="update", actor=actor, note=""))
        return out


def _plain(value: Any) -> Any:
    """A value as history keeps it (JSON)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
