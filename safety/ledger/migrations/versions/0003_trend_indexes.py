"""Indexes that answer the trends from the index alone (no scan of the findings' rows):
at 100,000 findings a trend over all sites took seconds on SQLite without them; and one
that walks a site's findings newest first.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_findings_week_category": ["week", "category", "site_id", "visit_id"],
    "ix_findings_site_week_category": ["site_id", "week", "category", "visit_id"],
    "ix_findings_status_level": ["status", "level"],
    "ix_findings_site_status_level": ["site_id", "status", "level", "due"],
    "ix_findings_closed": ["closed_at", "found_on", "site_id"],
    # A site's newest findings first (its first page), without sorting all of them.
    "ix_findings_site_id": ["site_id", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "findings", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "findings")
