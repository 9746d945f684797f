"""The first schema: sites, visits, photos, findings with the loop and the corrective
action, the append-only history and the evidence.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False, index=True),
        sa.Column("run_key", sa.String(64), nullable=False, unique=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("inspector", sa.String(200), nullable=False),
        sa.Column("endpoint", sa.String(300), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("prompt_hash", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(40), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("photos", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
    )
    op.create_table(
        "photos",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("bytes", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("visit_id", sa.Integer, sa.ForeignKey("visits.id"), nullable=False, index=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_sha", sa.String(64)),
        sa.Column("photo_sha", sa.String(64), sa.ForeignKey("photos.sha256")),
        sa.Column("photo_width", sa.Integer, nullable=False),
        sa.Column("photo_height", sa.Integer, nullable=False),
        sa.Column("x1", sa.Float, nullable=False),
        sa.Column("y1", sa.Float, nullable=False),
        sa.Column("x2", sa.Float, nullable=False),
        sa.Column("y2", sa.Float, nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("review", sa.String(20), nullable=False),
        sa.Column("clauses", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("found_on", sa.Date, nullable=False),
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("measure", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date),
        sa.Column("funds", sa.String(200), nullable=False),
        sa.Column("rechecker", sa.String(200), nullable=False),
        sa.Column("rechecked_on", sa.Date),
        sa.Column("closed_at", TZ),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_findings_site_status", "findings", ["site_id", "status"])
    op.create_index("ix_findings_status_due", "findings", ["status", "due"])
    op.create_index("ix_findings_site_week", "findings", ["site_id", "week"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "finding_id", sa.Integer, sa.ForeignKey("findings.id"), nullable=False, index=True
        ),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "finding_id", sa.Integer, sa.ForeignKey("findings.id"), nullable=False, index=True
        ),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("photo_sha", sa.String(64), sa.ForeignKey("photos.sha256")),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    for name in ("evidence", "history", "findings", "photos", "visits", "sites"):
        op.drop_table(name)
