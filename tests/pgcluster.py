"""A throwaway PostgreSQL cluster for the ledger's tests and benchmark.

``.ci/run`` starts one and exports its URL as SAFETY_TEST_POSTGRES_URL. Without it,
``start_cluster()`` starts one the same way (Debian's ``postgresql`` package: initdb and
postgres run as the ``postgres`` user, since they refuse root, in a temporary folder that
user owns, on a free loopback port, trust authentication) and stops it at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager

ENV = "SAFETY_TEST_POSTGRES_URL"


def pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextmanager
def start_cluster():
    """Yield the admin URL of a fresh cluster; stop and delete it afterwards."""
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian package 'postgresql')")
    folder = tempfile.mkdtemp(prefix="ledger-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = os.path.join(folder, "data"), _free_port()
    subprocess.run(
        _as_postgres(
            [
                f"{bindir}/initdb",
                "-D",
                data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        _as_postgres(
            [
                f"{bindir}/postgres",
                "-D",
                data,
                "-p",
                str(port),
                "-h",
                "127.0.0.1",
                "-k",
                folder,
                "-c",
                "fsync=off",
                "-c",
                "max_connections=100",
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    try:
        _wait(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


def _wait(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    import psycopg

    end = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if server.poll() is not None or time.monotonic() > end:
                raise RuntimeError("the PostgreSQL test cluster did not start") from None
            time.sleep(0.2)


def new_database(admin_url: str) -> str:
    """A fresh, empty database on the cluster; its URL."""
    import psycopg

    name = f"ledger_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
