"""Files written whole: a reader never sees half a file, and a failure leaves none behind.

    write_atomic(path, data, durable=False, private=False) -> Path   bytes or text, at once
    replacing(path, mode="w", durable=False, private=False)          the same, streamed
    write_together([(path, data), ...])                              several files, all or none

Each file is written to a temporary file beside its place (same folder, so the rename
stays on one file system), then renamed over it when complete. ``durable`` syncs the file
and its folder before and after the rename, for what must survive a power cut (the run's
journal, a reviewer's decisions, a batch's manifest); exports that can be written again
skip that cost. ``private`` makes a new file readable by its owner only (caches and review
records in a shared temporary folder).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_NUMBERS = itertools.count()  # temporary names unique across the threads of one process


def _temporary(path: Path, private: bool) -> tuple[Path, int]:
    """A new file beside ``path`` that no other writer uses; its path and descriptor."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_NUMBERS)}.tmp")
        try:
            return tmp, os.open(tmp, flags, 0o600 if private else 0o666)
        except FileExistsError:  # left by a killed process of the same id: take another name
            continue


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def replacing(
    path: str | Path,
    mode: str = "w",
    *,
    durable: bool = False,
    private: bool = False,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Iterator[IO]:
    """A file (``mode`` "w" for text, "wb" for bytes) written beside ``path`` and renamed over
    it when the block ends without an exception; otherwise ``path`` is left as it was."""
    path = Path(path)
    tmp, fd = _temporary(path, private)
    try:
        text = {"encoding": encoding, "newline": newline} if "b" not in mode else {}
        with os.fdopen(fd, mode, **text) as f:
            yield f
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
        if durable:
            _sync_folder(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(
    path: str | Path, data: bytes | str, *, durable: bool = False, private: bool = False
) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` whole, or not at all."""
    with replacing(path, "wb", durable=durable, private=private) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


def write_together(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file, or none: each to a temporary file beside it, all renamed into place
    only when all were written. An OSError names (``filename``) the file it was writing."""
    temps: list[Path] = []
    path = None
    try:
        for path, data in files:
            tmp, fd = _temporary(Path(path), private=False)
            temps.append(tmp)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        for (path, _), tmp in zip(files, temps):
            os.replace(tmp, path)
    except OSError as exc:
        exc.filename = str(path)  # the file asked for, not its temporary name
        raise
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
