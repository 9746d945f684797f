"""A result's photo found again on disk, and its display copy made from it.

    PhotoFinder(folder, base).find(result, where, lang) -> Path | problem
    attach_photo(result, path, where, lang) -> problem | None

Without a folder, a photo is looked for at its ``source`` path (as given, or relative to
``base``, the results file's folder). With a folder (``report --photos DIR``) it is looked
for only inside it: at its ``source`` when that names a file below DIR, else by SHA-256 when
the results have it, else by file name. A ``source`` that points out of DIR (an absolute
path, ``../``, a link leading out) is never opened, and the problem does not say whether
such a path exists: the results file may come from anyone. A file whose SHA-256 differs from
the one recorded is not the photo. A file's size is checked before it is read. The report
command, a resumed run's report and a collected batch all use these, so the copies are the
same.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..detections import ImageResult
from ..errors import InputError
from ..exports import file_name
from ..i18n import Phrase, t
from ..images import DISPLAY_MAX_SIDE, encode_jpeg, fit_within, load_image
from ..inspection import PREVIEW_MAX_SIDE
from ..limits import MAX_PHOTO_BYTES, MAX_PHOTO_MB
from ..source import is_url

# Files looked at in --photos DIR (and below it).
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"})


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _sha256(path: Path) -> str | None:
    """The file's SHA-256; None when it cannot be read or is larger than any photo may be."""
    size = _size(path)
    if size is None or size > MAX_PHOTO_BYTES:
        return None
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


class PhotoFinder:
    """Where a result's photo is: at its source path, else in a folder by SHA-256 or name.
    A photo whose SHA-256 differs from the one the results recorded is not the photo."""

    def __init__(self, folder: Path | None, base: Path):
        self.folder = folder
        self._inside = os.path.realpath(folder) if folder is not None else None
        self.base = base  # the results JSON's folder: a relative source may be relative to it
        self._files: list[Path] | None = None
        self._hashes: dict[str, Path] | None = None

    def files(self) -> list[Path]:
        if self._files is None:
            self._files = []
            if self.folder is not None:
                for root, dirs, names in os.walk(self.folder):
                    dirs.sort()
                    for name in sorted(names):
                        path = Path(root, name)
                        if Path(name).suffix.lower() in PHOTO_SUFFIXES and self.inside(path):
                            self._files.append(path)
        return self._files

    def inside(self, path: Path) -> bool:
        """Whether ``path``, links followed, is a file below the folder."""
        assert self._inside is not None
        real = os.path.realpath(path)
        return real.startswith(self._inside + os.sep) and os.path.isfile(real)

    def by_sha256(self, sha: str) -> Path | None:
        if self._hashes is None:
            self._hashes = {}
            for path in self.files():
                digest = _sha256(path)
                if digest:
                    self._hashes.setdefault(digest, path)
        return self._hashes.get(sha)

    def candidates(self, source: str) -> list[Path]:
        """Files that may be the photo: its source path, then files of its name in the folder."""
        paths: list[Path] = []
        if source and not is_url(source) and self.folder is None:
            given = Path(source)
            paths += [given] if given.is_absolute() else [given, self.base / given]
        elif source and not is_url(source):
            given = self.folder / source.lstrip("/\\")
            paths += [given] if self.inside(given) else []
        name = file_name(source)
        paths += [path for path in self.files() if path.name == name]
        seen, out = set(), []
        for path in paths:
            key = os.path.realpath(path)
            if key not in seen and path.is_file():
                seen.add(key)
                out.append(path)
        return out

    def find(self, r: ImageResult, where: str, lang: str) -> Path | str:
        """The photo's path, or the problem (one line) when it is not found."""
        differs: list[Path] = []
        for path in self.candidates(r.source):
            if r.sha256 is None or _sha256(path) == r.sha256:
                return path
            differs.append(path)
        if r.sha256 and self.folder is not None:
            found = self.by_sha256(r.sha256)
            if found is not None:
                return found
        if differs:
            return t("cli.photo-differs", lang, where=where, path=differs[0])
        if self.folder is not None:
            return t("cli.photo-not-in-dir", lang, where=where, dir=self.folder)
        return t("cli.photo-not-found", lang, where=where)


def read_photo(path: Path) -> bytes:
    """The file's bytes, its size checked first: a file larger than any photo may be is
    refused before a byte of it is read (InputError), and no more than that is ever read."""
    size = path.stat().st_size
    if size > MAX_PHOTO_BYTES:
        raise InputError(Phrase("photo.error.too-big", mb=size / 1e6, limit=MAX_PHOTO_MB))
    with path.open("rb") as f:
        data = f.read(MAX_PHOTO_BYTES + 1)  # a file that grew since stat is caught by load
    return data


def attach_photo(r: ImageResult, path: Path, where: str, lang: str) -> str | None:
    """Decode the photo and keep its unmarked display copy and preview on the result (the
    report draws the marks); the problem, as one line, when it cannot be used."""
    try:
        loaded = load_image(read_photo(path))
    except OSError as exc:
        return t("cli.photo-unreadable", lang, where=where, path=path, error=exc.strerror or exc)
    except InputError as exc:
        return t("cli.photo-unreadable", lang, where=where, path=path, error=exc.text(lang))
    if (loaded.orig_w, loaded.orig_h) != (r.width, r.height):
        return t("cli.photo-size", lang, where=where, path=path, w=loaded.orig_w,
                 h=loaded.orig_h, rw=r.width, rh=r.height)  # fmt: skip
    display = fit_within(loaded.image, DISPLAY_MAX_SIDE)
    r.photo_jpeg = encode_jpeg(display, quality=85)
    r.preview_jpeg = encode_jpeg(fit_within(display, PREVIEW_MAX_SIDE), quality=80)
    r.marked_jpeg = None  # the report draws the marks as they stand now
    r.sha256 = r.sha256 or loaded.sha256
    if r.file_bytes is None:
        r.file_bytes = loaded.file_bytes
    return None
