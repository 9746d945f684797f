"""Which photos a run takes: files and URLs as given, folders walked lazily.

    photo_names(inputs, glob=None, shard=None) -> Iterator[str]
    numbered(inputs, glob=None, shard=None) -> Iterator[(position, str)]
    count_photos(inputs, glob=None, shard=None) -> int     (the same walk, names only)
    Shard.parse("K/N")                                     --shard: the K-th of N parts

A folder is walked depth first, each level in name order, so every run (and every machine)
sees the same order; hidden files and folders (".name") are left out and symbolic links to
folders are not followed (no loops). Only names are read here: a folder of 100,000 photos
starts at once, and each photo's bytes are read when its turn comes.

``--glob`` narrows what folders give (files and URLs named on the command line are always
taken): a pattern with a "/" is matched against the path below the folder, one without
against the file name; case is ignored, and "*" also matches "/" (fnmatch).

``--shard K/N`` keeps the photos whose key hashes to part K (1..N). The key is the path below
the folder for photos found in one, else the name as given: the same on every machine that
runs the same command, wherever the archive is mounted. The N parts are disjoint and together
are the whole input.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from ..errors import ConfigurationError
from ..i18n import t
from ..limits import VIDEO_SUFFIXES
from ..source import is_url

# What a folder gives: the formats the pipeline decodes (safety.images), and videos
# (safety.video samples their frames).
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"})
TAKEN_SUFFIXES = PHOTO_SUFFIXES | VIDEO_SUFFIXES


@dataclass(frozen=True)
class Shard:
    """The K-th (1-based) of N disjoint parts of the input."""

    k: int
    n: int

    @classmethod
    def parse(cls, text: str, lang: str = "en") -> Shard:
        k, sep, n = text.partition("/")
        try:
            shard = cls(int(k), int(n))
        except ValueError:
            shard = None
        if not sep or shard is None or not (1 <= shard.k <= shard.n):
            raise ConfigurationError(t("archive.bad-shard", lang, shard=text))
        return shard

    def takes(self, key: str) -> bool:
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.n == self.k - 1


def _matches(relative: str, pattern: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    target = relative if "/" in pattern else name
    return fnmatchcase(target.lower(), pattern.lower())


def _walk(folder: str, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, path below ``folder``) of every photo under it, depth first, in name order."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return  # an unreadable sub-folder is skipped; the top folder is checked before
    for entry in entries:
        if entry.name.startswith("."):
            continue
        relative = prefix + entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path, relative + "/")
            elif entry.is_file() and Path(entry.name).suffix.lower() in TAKEN_SUFFIXES:
                yield entry.path, relative
        except OSError:
            continue


def _keyed(inputs: Iterable[str], glob: str | None) -> Iterator[tuple[str, str]]:
    """(name, shard key) of every photo the inputs give."""
    for item in inputs:
        text = str(item).strip()
        if not is_url(text) and os.path.isdir(text):
            for path, relative in _walk(text):
                if glob is None or _matches(relative, glob):
                    yield path, relative
        else:
            yield text, text


def numbered(
    inputs: Iterable[str], glob: str | None = None, shard: Shard | None = None
) -> Iterator[tuple[int, str]]:
    """(position in the whole input, name) of every photo the inputs give, lazily, in a
    stable order. Positions count every photo, sharded out or not: the results of the N
    parts joined sort back into the order of the whole."""
    for position, (name, key) in enumerate(_keyed(inputs, glob)):
        if shard is None or shard.takes(key):
            yield position, name


def photo_names(
    inputs: Iterable[str], glob: str | None = None, shard: Shard | None = None
) -> Iterator[str]:
    """Every photo the inputs give, lazily, in a stable order (see the module docstring)."""
    return (name for _position, name in numbered(inputs, glob, shard))


def count_photos(inputs: Iterable[str], glob: str | None = None, shard: Shard | None = None) -> int:
    return sum(1 for _ in photo_names(inputs, glob, shard))


def check_inputs(inputs: Iterable[str], lang: str = "en") -> None:
    """A folder named on the command line must be readable (a file's problems are the
    photo's own error later, so one missing file does not stop a batch)."""
    for item in inputs:
        text = str(item).strip()
        if not is_url(text) and os.path.isdir(text) and not os.access(text, os.R_OK | os.X_OK):
            raise ConfigurationError(t("archive.folder-unreadable", lang, folder=text))
