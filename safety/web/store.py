"""A run's folder as the record of its review: nothing a reviewer did is lost.

    run-XXXX/
      results.json        the results document with every review decision, the run's meta
                          and a token; rewritten atomically after every decision
      001_photo.jpg       the unmarked photo at display size (marks are drawn again on it)
      001_marked-N.jpg    the marked photo after the N-th change (a new name, so the browser
                          never shows a stale copy)

The browser keeps the folder's name and token (gr.BrowserState), so a reload or a dropped
connection reopens the run as it was; without the token a folder name alone opens nothing.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..annotate import redraw
from ..detections import ImageResult
from ..errors import InputError
from ..files import write_atomic
from ..i18n import Phrase
from ..limits import RUN_TTL_SECONDS
from ..results_io import read_results, to_json
from ..review import Review
from .runfolders import runs_root
from .runs import RunMeta

_NAME = re.compile(r"run-[A-Za-z0-9_]{1,64}")
BROWSER_KEY = "safety-inspect-run"  # where the browser keeps {run, token, photo}
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _lock(path: Path) -> threading.Lock:
    with _LOCKS_LOCK:
        return _LOCKS.setdefault(str(path), threading.Lock())


@dataclass
class StoredRun:
    results: list[ImageResult]
    meta: RunMeta
    review: Review | None
    token: str


class RunStore:
    """One run's folder: save and load its results, draw its photos."""

    def __init__(self, run_dir: Path):
        self.dir = Path(run_dir)
        self.lock = _lock(self.dir)  # one decision at a time per run

    @classmethod
    def open(cls, name: object, token: object, root: Path | None = None) -> RunStore | None:
        """The run a browser remembers, if its folder is still there and the token fits.
        Both come from the browser: anything but a run's name and a text token opens nothing."""
        if not (isinstance(name, str) and isinstance(token, str) and _NAME.fullmatch(name)):
            return None
        store = cls((root or runs_root()) / name)
        try:
            stored = json.loads((store.dir / "results.json").read_text(encoding="utf-8"))
            kept = str(stored.get("token", "")).encode("utf-8")
        except (OSError, ValueError, AttributeError):
            return None
        # Compared as bytes: compare_digest refuses str with non-ASCII characters.
        return store if hmac.compare_digest(kept, token.encode("utf-8", "replace")) else None

    def photo_path(self, index: int) -> Path:
        return self.dir / f"{index + 1:03d}_photo.jpg"

    def save(
        self,
        results: Sequence[ImageResult],
        meta: RunMeta,
        review: Review | None = None,
        token: str | None = None,
    ) -> str:
        """Write results.json atomically (and each photo's unmarked copy once); the token."""
        for r in results:
            if r.photo_jpeg and not self.photo_path(r.index).exists():
                self.photo_path(r.index).write_bytes(r.photo_jpeg)
        token = token or secrets.token_urlsafe(18)
        # The record keeps everything (withholding is for downloads), and survives a crash.
        whole = RunMeta(**{**meta.to_dict(), "withhold": False}).document("en", review)
        text = to_json(results, **whole, run=meta.to_dict(), token=token)
        write_atomic(self.dir / "results.json", text, durable=True, private=True)
        return token

    def load(self) -> StoredRun:
        """The run as saved; InputError (said to the page, naming no path) when its folder
        has gone (cleared after RUN_TTL_SECONDS idle) or cannot be read."""
        try:
            doc = json.loads((self.dir / "results.json").read_text(encoding="utf-8"))
            read = read_results(doc)
            for r in read.images:
                photo = self.photo_path(r.index)
                r.photo_jpeg = photo.read_bytes() if photo.exists() else None
            return StoredRun(read.images, RunMeta.from_dict(doc["run"]), read.review,
                             doc["token"])  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError, InputError):
            raise InputError(Phrase("page.run-gone", hours=RUN_TTL_SECONDS // 3600)) from None

    def marked(self, result: ImageResult, lang: str, highlight: int | None = None) -> str | None:
        """Draw the photo's marks as they stand now; the path of a new file."""
        jpeg = redraw(result, lang, highlight=highlight)
        if jpeg is None:
            return None
        stem = f"{result.index + 1:03d}_marked-"
        versions = sorted(int(p.stem.rsplit("-", 1)[1]) for p in self.dir.glob(stem + "*.jpg"))
        version = versions[-1] + 1 if versions else 0
        path = self.dir / f"{stem}{version}.jpg"
        path.write_bytes(jpeg)
        for old in versions[:-1]:  # keep the one the page may still be showing
            (self.dir / f"{stem}{old}.jpg").unlink(missing_ok=True)
        return str(path)
