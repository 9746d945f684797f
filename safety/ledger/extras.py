"""The Ledger's evidence, and the rest of its API, each part in its own module: recording
runs, trends, notices, backup. (safety.ledger.store.Ledger inherits these.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from .model import Evidence, Recorded
from .rows import now_utc
from .schema import evidence, history


class LedgerExtras:
    # -- evidence ------------------------------------------------------------------------

    def _has_after_photo(self, c: Connection, finding_id: int) -> bool:
        query = select(evidence.c.id).where(
            evidence.c.finding_id == finding_id,
            evidence.c.kind.in_(("after-photo", "recheck")),
            evidence.c.photo_sha.is_not(None),
        )
        return c.execute(query.limit(1)).first() is not None

    def _evidence(
        self,
        c: Connection,
        finding_id: int,
        *,
        photo: bytes | None,
        note: str,
        actor: str,
        kind: str,
        version: int,
        verdict: str = "",
    ) -> int:
        sha = self.store_photo(c, photo) if photo is not None else None
        at = now_utc()
        new_id = c.execute(
            insert(evidence).values(
                finding_id=finding_id,
                at=at,
                actor=actor,
                kind=kind,
                photo_sha=sha,
                note=note,
                verdict=verdict,
            )
        ).inserted_primary_key[0]
        c.execute(
            insert(history).values(
                finding_id=finding_id,
                at=at,
                actor=actor,
                action="evidence",
                version=version,
                changes={"evidence": [None, kind]},
                note=note,
            )
        )
        return int(new_id)

    def store_photo(self, c: Connection, data: bytes) -> str:
        """Keep the photo's bytes (once) and its row; its SHA-256."""
        from .recording import photo_row

        return photo_row(c, self.photos, data)

    def add_evidence(
        self,
        finding_id: int,
        *,
        photo: bytes | None = None,
        note: str = "",
        actor: str = "",
        kind: str | None = None,
        verdict: str = "",
    ) -> Evidence:
        """An after photo or a note (or the model's re-check answer). Evidence is added
        beside what others change: it does not raise the finding's version."""
        kind = kind or ("after-photo" if photo is not None else "note")
        with self.writing() as c:
            before = self._finding(c, finding_id)
            new_id = self._evidence(
                c,
                finding_id,
                photo=photo,
                note=note,
                actor=actor,
                kind=kind,
                version=before.version,
                verdict=verdict,
            )
        return next(e for e in self.get(finding_id).evidence if e.id == new_id)

    # -- the rest of the API, each in its own module -------------------------------------

    def record_run(self, results, site: str, inspector: str = "", **options) -> Recorded:
        """Record a run's results (safety.ledger.recording.record_run)."""
        from .recording import record_run

        return record_run(self, results, site, inspector, **options)

    def import_results(self, path, site: str, inspector: str = "", **options) -> Recorded:
        """A results JSON or JSONL made elsewhere; the same run twice adds nothing."""
        from .recording import import_results

        return import_results(self, path, site, inspector, **options)

    def trends(self, site: str | None = None, **options) -> dict[str, Any]:
        """Findings per week by category, open against closed, overdue, mean days to close,
        repeated hazards (safety.ledger.trends)."""
        from .trends import trends

        return trends(self, site, **options)

    def create_notice(self, site: str, finding_ids, **options):
        """A rectification notice and its link's token (safety.ledger.notices)."""
        from .notices import create_notice

        return create_notice(self, site, finding_ids, **options)

    def verify_token(self, token: str):
        from .notices import verify_token

        return verify_token(self, token)

    def revoke_notice(self, notice_id: int, actor: str = ""):
        from .notices import revoke_notice

        return revoke_notice(self, notice_id, actor)

    def notices(self, site: str | None = None):
        from .notices import list_notices

        return list_notices(self, site)

    def backup(self, path) -> int:
        """A consistent copy of the whole ledger (safety.ledger.backup); rows written."""
        from .backup import backup

        return backup(self, path)
