"""Hazard levels (一般 / 重大) and rectification notices with the site manager's link.

A finding's level was first derived when shown; a ledger sorts and filters by it, and an
officer may raise a finding to major by hand, so it becomes a column, filled in for the
findings already recorded by the rule of safety.ledger.model.level_for (kept here as it
stood, so this migration means the same thing forever). Notices get their own tables.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.add_column(
            sa.Column("level", sa.String(10), nullable=False, server_default="general")
        )
    findings = sa.table(
        "findings", sa.column("category"), sa.column("severity"), sa.column("level")
    )
    # The rule at the time of this migration: fire unless minor, and severe smoke, are major.
    op.execute(
        findings.update()
        .where(
            sa.or_(
                sa.and_(findings.c.category == "fire", findings.c.severity != "minor"),
                sa.and_(findings.c.category == "smoke", findings.c.severity == "severe"),
            )
        )
        .values(level="major")
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ),
    )
    op.create_table(
        "notice_findings",
        sa.Column("notice_id", sa.Integer, sa.ForeignKey("notices.id"), primary_key=True),
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("findings.id"), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("notice_findings")
    op.drop_table("notices")
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("level")
