"""Fixtures of the ledger's tests: a ledger on SQLite and on a real PostgreSQL.

PostgreSQL comes from SAFETY_TEST_POSTGRES_URL (``.ci/run`` starts a cluster and sets it),
else from a cluster started here for the session (tests.pgcluster). When neither is
possible the PostgreSQL tests fail under CI=true, and are skipped, saying why, elsewhere.
"""

from __future__ import annotations

import os

import pytest

from safety.ledger import Ledger, LedgerSettings
from tests import pgcluster

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_admin_url():
    url = os.environ.get(pgcluster.ENV)
    if url:
        yield url
        return
    try:
        cluster = pgcluster.start_cluster()
        url = cluster.__enter__()
    except Exception as exc:  # noqa: BLE001 - any reason the cluster cannot start
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required in CI and could not be started: {exc}")
        pytest.skip(f"no PostgreSQL for the ledger tests ({exc}); set {pgcluster.ENV}")
    yield url
    cluster.__exit__(None, None, None)


@pytest.fixture
def ledger_settings(request, tmp_path):
    """LedgerSettings for the test's backend (parametrize with BACKENDS, indirect)."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield LedgerSettings(tmp_path / "data")
        return
    admin = request.getfixturevalue("pg_admin_url")
    url = pgcluster.new_database(admin)
    yield LedgerSettings(tmp_path / "data", database_url=url)
    pgcluster.drop_database(admin, url)


@pytest.fixture
def ledger(ledger_settings):
    with Ledger.open(ledger_settings) as opened:
        yield opened


def both(fn):
    """Run the test on SQLite and on PostgreSQL."""
    return pytest.mark.parametrize("ledger_settings", BACKENDS, indirect=True)(fn)
