"""Run folders: where one run's marked photos, report, exports and review record live, and
whose they are.

``runs_root()`` is the one place that says where the folders are (the server's temporary
folder; the hazard ledger may move them into its data folder: change it here).

Each folder belongs to the visitor who made it (its ``owner`` file holds a salted hash of
who that is, never an address). Making a new folder clears only what is idle past
RUN_TTL_SECONDS and the maker's own oldest folders beyond their share: one visitor making
many runs never removes another visitor's recent work.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from ..limits import KEEP_RUNS, KEEP_RUNS_PER_VISITOR, RUN_TTL_SECONDS

RUNS_ROOT = Path(tempfile.gettempdir()) / "safety-inspect-runs"
# runs/ in the data folder once the app names it (use_data_dir): a review survives a restart.
_ROOT = [RUNS_ROOT]
OWNER_FILE = "owner"
OPERATOR = "operator"  # a private page, or a logged-in user: one owner, KEEP_RUNS folders
_SALT = secrets.token_bytes(16)  # per process: an owner file says nothing after a restart


def use_data_dir(data_dir: Path) -> None:
    """Run folders go to runs/ in the data folder (called once, when the app is built)."""
    _ROOT[0] = Path(data_dir) / "runs"


def runs_root() -> Path:
    """Where run folders are made, looked for and cleared."""
    return _ROOT[0]


def owner_of(visitor: Any) -> str:
    """Who a new folder belongs to: an anonymous visitor of a public page by their address
    (several sessions of theirs are one visitor), anyone else is the operator."""
    if visitor is None or getattr(visitor, "trusted", True):
        return OPERATOR
    digest = hashlib.sha256(_SALT + f"ip:{visitor.address}".encode()).hexdigest()
    return digest[:32]


def _owner(path: Path) -> str | None:
    try:
        return (path / OWNER_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None  # a folder of before: the operator's


def sweep_runs(
    root: Path, owner: str = OPERATOR, ttl: float = RUN_TTL_SECONDS, keep: int | None = None
) -> None:
    """Delete run folders idle for more than ``ttl`` seconds, and ``owner``'s own folders
    but the newest ``keep`` (KEEP_RUNS for the operator, KEEP_RUNS_PER_VISITOR for a
    visitor). Nobody else's recent folder is touched."""
    if keep is None:
        keep = KEEP_RUNS if owner == OPERATOR else KEEP_RUNS_PER_VISITOR
    try:
        dirs = [p for p in root.iterdir() if p.is_dir() and p.name.startswith("run-")]
        stamped = sorted(((p.stat().st_mtime, p) for p in dirs), reverse=True)
    except OSError:
        return
    now, mine = time.time(), 0
    for stamp, path in stamped:
        ours = (_owner(path) or OPERATOR) == owner
        mine += ours
        if now - stamp > ttl or (ours and mine > keep):
            shutil.rmtree(path, ignore_errors=True)


def new_run_dir(owner: str = OPERATOR) -> Path:
    """A new folder for ``owner``'s run, after clearing (``sweep_runs``) room for it."""
    root = runs_root()
    root.mkdir(parents=True, exist_ok=True)
    keep = (KEEP_RUNS if owner == OPERATOR else KEEP_RUNS_PER_VISITOR) - 1
    sweep_runs(root, owner, keep=keep)
    path = Path(tempfile.mkdtemp(prefix="run-", dir=root))
    (path / OWNER_FILE).write_text(owner, encoding="ascii")
    return path


def remove_run(state: Any) -> None:
    """The session's previous run folder goes when it starts another (``state``: its
    RunState, or None)."""
    if getattr(state, "dir", None):
        path = Path(state.dir)
        if path.parent == runs_root():
            shutil.rmtree(path, ignore_errors=True)
