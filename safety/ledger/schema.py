"""The ledger's tables at the newest migration (SQLAlchemy Core: the same schema on SQLite
and PostgreSQL). The migrations in ``migrations/versions`` build it; this module is what the
code reads and writes. Times are UTC; dates (due, found) are ISO dates.

    sites       one row per site name
    visits      one inspection run: when, who, endpoint host, model, prompt hash, verdict
    photos      a photo stored once by SHA-256 (the bytes live in the data folder)
    findings    one hazard, its loop status, its corrective action (the six things) and a
                version that every change raises (two people never overwrite each other)
    history     append-only: who changed what, when, from which version to which
    evidence    after photos, notes, the model's re-check answers
    notices     a rectification notice: its findings, and the token of the site manager's link
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

sites = Table(
    "sites",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

visits = Table(
    "visits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=False, index=True),
    # The same run recorded twice (an import repeated) is recognised by this key.
    Column("run_key", String(64), nullable=False, unique=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("inspector", String(200), nullable=False, default=""),
    Column("endpoint", String(300), nullable=False, default=""),
    Column("model", String(200), nullable=False, default=""),
    Column("prompt_hash", String(64), nullable=False, default=""),
    Column("verdict", String(40), nullable=False, default=""),
    Column("origin", String(20), nullable=False, default="cli"),  # cli | web | import | recheck
    Column("photos", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
)

photos = Table(
    "photos",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("visit_id", Integer, ForeignKey("visits.id"), nullable=False, index=True),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=False),
    Column("source", Text, nullable=False, default=""),  # the photo's name in the run
    Column("source_sha", String(64), nullable=True),  # SHA-256 of the original file
    Column("photo_sha", String(64), ForeignKey("photos.sha256"), nullable=True),
    Column("photo_width", Integer, nullable=False, default=0),  # of the original
    Column("photo_height", Integer, nullable=False, default=0),
    Column("x1", Float, nullable=False),
    Column("y1", Float, nullable=False),
    Column("x2", Float, nullable=False),
    Column("y2", Float, nullable=False),
    Column("category", String(20), nullable=False),
    Column("severity", String(20), nullable=False, default=""),  # or the hard-hat state
    Column("level", String(10), nullable=False, default="general"),  # general | major
    Column("label", Text, nullable=False, default=""),  # the model's words (untrusted)
    Column("review", String(20), nullable=False, default="unreviewed"),
    Column("clauses", JSON, nullable=False, default=list),
    Column("status", String(20), nullable=False, default="open"),
    Column("found_on", Date, nullable=False),
    Column("week", Date, nullable=False),  # the Monday of found_on: trends group by it
    # The six things of a corrective action (六定): the item is the finding itself.
    Column("measure", Text, nullable=False, default=""),
    Column("owner", String(200), nullable=False, default=""),
    Column("due", Date, nullable=True),
    Column("funds", String(200), nullable=False, default=""),
    Column("rechecker", String(200), nullable=False, default=""),
    Column("rechecked_on", Date, nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Index("ix_findings_site_status", "site_id", "status"),
    Index("ix_findings_status_due", "status", "due"),
    Index("ix_findings_site_week", "site_id", "week"),
    # Migration 0003: the trends read these alone.
    Index("ix_findings_week_category", "week", "category", "site_id", "visit_id"),
    Index("ix_findings_site_week_category", "site_id", "week", "category", "visit_id"),
    Index("ix_findings_status_level", "status", "level"),
    Index("ix_findings_site_status_level", "site_id", "status", "level", "due"),
    Index("ix_findings_closed", "closed_at", "found_on", "site_id"),
    Index("ix_findings_site_id", "site_id", "id"),
)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("finding_id", Integer, ForeignKey("findings.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False, default=""),
    Column("action", String(20), nullable=False),  # recorded | update | status | evidence
    Column("version", Integer, nullable=False),  # the finding's version after this change
    Column("changes", JSON, nullable=False, default=dict),  # field -> [before, after]
    Column("note", Text, nullable=False, default=""),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("finding_id", Integer, ForeignKey("findings.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False, default=""),
    Column("kind", String(20), nullable=False),  # after-photo | note | recheck
    Column("photo_sha", String(64), ForeignKey("photos.sha256"), nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("verdict", String(20), nullable=False, default=""),  # recheck: gone | present | unclear
)

notices = Table(
    "notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False, default=""),
    # SHA-256 of the link's token: the token itself is never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

notice_findings = Table(
    "notice_findings",
    metadata,
    Column("notice_id", Integer, ForeignKey("notices.id"), primary_key=True),
    Column("finding_id", Integer, ForeignKey("findings.id"), primary_key=True),
    UniqueConstraint("notice_id", "finding_id"),
)
