"""Alembic's environment: the ledger runs its migrations on a connection it hands over
(safety.ledger.migrate), never from an alembic.ini."""

from __future__ import annotations

from alembic import context

from safety.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
