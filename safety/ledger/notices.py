"""Rectification notices and the site manager's link.

A notice gathers findings of one site; creating it marks them notified. Its link carries a
token: 32 random bytes (unguessable), of which only the SHA-256 is stored, scoped to that
one notice, valid until it expires (NOTICE_DAYS by default) or is revoked. The link works
only when the app knows its public address (SAFETY_PUBLIC_URL): the page at
``notice_link(public_url, token)`` shows that notice's findings and takes after photos and
a note for them, with no account; the officer then verifies.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from sqlalchemy import insert, select, update

from .errors import NotAllowed, NotFound, TokenRefused
from .model import Notice
from .recording import site_id
from .rows import utc
from .schema import notice_findings, notices, sites

NOTICE_DAYS = 14
TOKEN_BYTES = 32
# The site manager's page (safety.web.notice_page) is /notice?token=TOKEN: a route of its
# own beside the app, outside its login.
NOTICE_PATH = "notice"
QUERY_NAME = "token"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def notice_link(public_url: str | None, token: str) -> str | None:
    """The link for the site manager, or None when the app's public address is not known."""
    if not public_url or not token:
        return None
    return f"{public_url.rstrip('/')}/{NOTICE_PATH}?{urlencode({QUERY_NAME: token})}"


def create_notice(
    ledger,
    site: str,
    finding_ids,
    *,
    days: int = NOTICE_DAYS,
    actor: str = "",
    now: datetime | None = None,
) -> Notice:
    """A notice for these findings of ``site``; open (or reopened) ones become notified.
    The returned Notice holds the token: it is shown once and never stored."""
    ids = sorted({int(i) for i in finding_ids})
    if not ids:
        raise NotAllowed("ledger.error.notice-empty")
    now = now or datetime.now(timezone.utc)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with ledger.writing() as c:
        where = site_id(c, site)
        chosen = [ledger._finding(c, i) for i in ids]
        strangers = [f.number for f in chosen if f.site != site]
        if strangers:
            raise NotAllowed("ledger.error.notice-site", site=site, numbers=", ".join(strangers))
        notice_id = int(
            c.execute(
                insert(notices).values(
                    site_id=where,
                    created_at=now,
                    created_by=actor,
                    token_hash=token_hash(token),
                    expires_at=now + timedelta(days=days),
                )
            ).inserted_primary_key[0]
        )
        c.execute(insert(notice_findings), [{"notice_id": notice_id, "finding_id": i} for i in ids])
        for f in chosen:
            if f.status in ("open", "reopened"):
                ledger._apply(
                    c,
                    f,
                    {"status": "notified"},
                    action="status",
                    actor=actor,
                    note=f"notice {notice_id}",
                )
    return Notice(notice_id, site, now, actor, now + timedelta(days=days), None, tuple(ids), token)


def _notice(c, row) -> Notice:
    m = row._mapping
    ids = c.execute(
        select(notice_findings.c.finding_id)
        .where(notice_findings.c.notice_id == m["id"])
        .order_by(notice_findings.c.finding_id)
    ).scalars()
    return Notice(
        m["id"],
        m["site_name"],
        utc(m["created_at"]),
        m["created_by"],
        utc(m["expires_at"]),
        utc(m["revoked_at"]),
        tuple(ids),
    )


def _select():
    return select(notices, sites.c.name.label("site_name")).select_from(
        notices.join(sites, notices.c.site_id == sites.c.id)
    )


def verify_token(ledger, token: str, now: datetime | None = None) -> Notice:
    """The notice a link's token opens; TokenRefused when unknown, expired or revoked."""
    now = now or datetime.now(timezone.utc)
    if not token or len(token) > 200:
        raise TokenRefused("ledger.error.token-unknown")
    with ledger.reading() as c:
        row = c.execute(_select().where(notices.c.token_hash == token_hash(token))).first()
        if row is None:
            raise TokenRefused("ledger.error.token-unknown")
        notice = _notice(c, row)
    if notice.revoked_at is not None:
        raise TokenRefused("ledger.error.token-revoked", id=notice.id)
    if now >= notice.expires_at:
        raise TokenRefused(
            "ledger.error.token-expired",
            id=notice.id,
            at=notice.expires_at.strftime("%Y-%m-%d %H:%M"),
        )
    return notice


def get_notice(ledger, notice_id: int) -> Notice:
    with ledger.reading() as c:
        row = c.execute(_select().where(notices.c.id == notice_id)).first()
        if row is None:
            raise NotFound("ledger.error.notice-not-found", id=notice_id)
        return _notice(c, row)


def revoke_notice(ledger, notice_id: int, actor: str = "") -> Notice:
    """The link stops working at once (the notice and its findings stay)."""
    with ledger.writing() as c:
        done = c.execute(
            update(notices)
            .where(notices.c.id == notice_id, notices.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(timezone.utc))
        )
        if (
            done.rowcount == 0
            and c.execute(select(notices.c.id).where(notices.c.id == notice_id)).first() is None
        ):
            raise NotFound("ledger.error.notice-not-found", id=notice_id)
    return get_notice(ledger, notice_id)


def list_notices(ledger, site: str | None = None) -> list[Notice]:
    query = _select().order_by(notices.c.id.desc())
    if site:
        query = query.where(sites.c.name == site)
    with ledger.reading() as c:
        return [_notice(c, row) for row in c.execute(query).all()]
