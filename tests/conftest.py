import pytest

from tests.ledger_db import ledger, ledger_settings, pg_admin_url  # noqa: F401 (fixtures)
from tests.simulator import SimulatedModel, serve


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """Every test starts with no endpoint configured and its own calibration cache."""
    for name in (
        "QWEN_VL_BASE_URL",
        "QWEN_VL_MODEL",
        "QWEN_VL_API_KEY",
        "DASHSCOPE_API_KEY",
        "QWEN_VL_PRESET",
        "QWEN_VL_COORDS",
        "QWEN_VL_MAX_PIXELS",
        "QWEN_VL_TIMEOUT",
        "QWEN_VL_RETRIES",
        "QWEN_VL_CONCURRENCY",
        "QWEN_VL_MAX_TOKENS",
        "SAFETY_ALLOWED_NETWORKS",
        "DATABASE_URL",
        "SAFETY_PUBLIC_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SAFETY_CACHE_DIR", str(tmp_path / "cache"))
    # The hazard ledger records every inspect run: each test has its own data folder.
    monkeypatch.setenv("SAFETY_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def simulator():
    """Start simulated endpoints: simulator(convention=..., grid=..., ...) -> server."""
    servers = []

    def start(**kwargs):
        server = serve(SimulatedModel(**kwargs))
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
