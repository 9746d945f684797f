"""Photos stored once by SHA-256 in the data folder: photos/ab/abcdef....jpg.

The bytes are written to a temporary file, flushed to disk and renamed into place, so a
photo is either whole or absent; the same photo added twice is stored once.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from PIL import Image

from .errors import BadPhoto

MAX_PHOTO_BYTES = 40 * 1024 * 1024


class PhotoStore:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, sha: str) -> Path:
        return self.folder / sha[:2] / f"{sha}.jpg"

    def put(self, data: bytes) -> tuple[str, int, int]:
        """Store ``data`` (an image); (sha256, width, height)."""
        if len(data) > MAX_PHOTO_BYTES:
            raise BadPhoto("ledger.error.photo-size", mb=MAX_PHOTO_BYTES // (1024 * 1024))
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
        except Exception:  # noqa: BLE001 - any decoder failure means "not a photo"
            raise BadPhoto("ledger.error.not-image") from None
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return sha, width, height

    def get(self, sha: str) -> bytes | None:
        try:
            return self.path(sha).read_bytes()
        except OSError:
            return None
