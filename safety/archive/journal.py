"""``--results FILE.jsonl``: the run's results on disk, one line per photo as it finishes.

    Journal(path, resume=..., lang=...)   open for appending (refuses to overwrite a file
                                          unless resuming); on resume, repairs it first
    journal.finished(source) -> sha256    what an earlier run finished (None: nothing)
    journal.write(result)                 one line, handed to the OS before it returns
    journal.close()                       last sync; keeps each photo once in the file
    read_entries(path) -> Iterator[dict]  each photo's last line, in input order

Each line is the same object as an entry of the JSON's ``images`` (ImageResult.to_dict).
A line is written with one ``write`` to a file opened for appending, so a process killed at
any moment (even ``kill -9``) leaves whole lines, except where the OS cut a write short (a
full disk, power lost, a network file system): such a last line is repaired on resume, not
kept. The file is synced to the disk at most once a second, and when the run ends: a run
killed by a crash of the machine loses at most that second, which the resume then redoes.

Resume: photos whose last line has no error are done and skipped (when their SHA-256 still
matches); photos whose last line is an error are tried again, and their old line is dropped
so that every photo appears exactly once.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from ..detections import ImageResult
from ..errors import ConfigurationError
from ..files import replacing
from ..i18n import t

SYNC_EVERY_S = 1.0


def entry(result: ImageResult) -> dict:
    return result.to_dict()


def _encode(item: dict) -> bytes:
    return (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _scan(path: Path) -> Iterator[tuple[int, bytes, dict | None]]:
    """(offset, raw line, object or None when it is not one) of every line; a last line
    without its newline (cut short) comes with ``None``."""
    offset = 0
    with open(path, "rb") as f:
        for raw in f:
            item = None
            if raw.endswith(b"\n"):
                try:
                    item = json.loads(raw)
                except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                    item = None  # nested thousands deep is no line of ours either
            if not (isinstance(item, dict) and isinstance(item.get("source"), str)):
                item = None
            yield offset, raw, item
            offset += len(raw)


class Journal:
    def __init__(self, path: str | Path, *, resume: bool = False, lang: str = "en"):
        self.path = Path(path)
        self.lang = lang
        self.done: dict[str, str | None] = {}  # source -> sha256 of a photo finished well
        self.repaired = 0  # lines cut short or unreadable, dropped on resume
        self.retried = 0  # photos whose last line was an error: tried again
        self.models: set[str] = set()  # the models earlier runs' finished photos name
        self._lock = threading.Lock()
        self._duplicates = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._owner = _exclusive(self.path, lang)  # one run per results file at a time
        try:
            exists = self.path.exists() and self.path.stat().st_size > 0
            if exists and not resume:
                raise ConfigurationError(t("archive.results-exist", lang, path=self.path))
            if exists:
                self._recover()
        except BaseException:
            _release(self._owner)
            raise
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._synced = time.monotonic()

    # -- resume --------------------------------------------------------------------------

    def _recover(self) -> None:
        """Read what an earlier run left; rewrite the file when a line must go."""
        last: dict[str, tuple[int, dict]] = {}  # source -> (offset, line) of its last line
        lines = 0
        for offset, _raw, item in _scan(self.path):
            lines += 1
            if item is None:
                self.repaired += 1
                continue
            last[item["source"]] = (offset, item)
        keep = set()
        for source, (offset, item) in last.items():
            if item.get("error") is None:
                keep.add(offset)
                sha = item.get("sha256")
                self.done[source] = sha if isinstance(sha, str) else None
                if isinstance(item.get("model"), str) and len(self.models) < 16:
                    self.models.add(item["model"])
            else:
                self.retried += 1
        if len(keep) != lines:
            self._rewrite(keep)

    def _rewrite(self, keep: set[int]) -> None:
        """Keep only the lines at ``keep`` offsets: written beside, synced, renamed over."""
        with replacing(self.path, "wb", durable=True) as out:
            for offset, raw, _item in _scan(self.path):
                if offset in keep:
                    out.write(raw)

    def finished(self, source: str) -> str | None | bool:
        """The SHA-256 an earlier run recorded for ``source`` when it finished it well;
        ``False`` when it did not (not in the file, or its line was an error)."""
        return self.done.get(source, False)

    # -- writing -------------------------------------------------------------------------

    def write(self, result: ImageResult) -> None:
        data = _encode(entry(result))
        with self._lock:
            view = memoryview(data)
            while view:  # a regular file takes it in one go; a short write is carried on
                view = view[os.write(self._fd, view) :]
            now = time.monotonic()
            if now - self._synced >= SYNC_EVERY_S:
                os.fsync(self._fd)
                self._synced = now
            # A photo an earlier run finished, inspected again (its file changed): its old
            # line goes when the run ends. This run's own photos are not remembered here:
            # memory must not grow with the archive.
            if result.source in self.done:
                self._duplicates = True

    def close(self) -> None:
        with self._lock:
            if self._fd < 0:
                return
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1
        try:
            if self._duplicates:  # keep each photo once: its last line
                last = {item["source"]: off for off, _raw, item in _scan(self.path) if item}
                self._rewrite(set(last.values()))
        finally:
            _release(self._owner)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _exclusive(path: Path, lang: str):
    """Hold a lock beside ``path`` so that a second run on the same file is refused (two
    runs appending to one journal would each skip nothing and send every photo twice).
    The OS drops the lock when the process ends, however it ends."""
    if fcntl is None:  # Windows: no advisory locks here; one run per file is on the user
        return None
    lock = path.with_name(f".{path.name}.lock")
    handle = open(lock, "a+b")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise ConfigurationError(t("archive.results-busy", lang, path=path)) from None
    return handle, lock


def _release(owner) -> None:
    if owner is not None:
        handle, lock = owner
        lock.unlink(missing_ok=True)
        handle.close()


def read_entries(path: str | Path) -> Iterator[dict]:
    """Each photo's last whole line, in input order (``index``, then the file's order).

    Two passes over the file: the first keeps only where each photo's last line is, so memory
    grows with the number of photos by a few dozen bytes each, not with their results."""
    path = Path(path)
    last: dict[str, tuple[int, int]] = {}  # source -> (index, offset)
    for offset, _raw, item in _scan(path):
        if item is not None:
            index = item.get("index")
            last[item["source"]] = (index if isinstance(index, int) else 1 << 62, offset)
    order = sorted(last.values())
    with open(path, "rb") as f:
        for _index, offset in order:
            f.seek(offset)
            yield json.loads(f.readline())
