"""Where a photo's bytes come from: an upload, a path or a URL.

Source(name, data=|path=|url=)   one photo to inspect; ``name`` is what the user gave
as_source(item) -> Source        a path, URL, bytes or (name, bytes) as a Source
read_bytes(source, policy)       its bytes: a URL through safety.net (checked, pinned)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .i18n import Phrase
from .limits import MAX_PHOTO_BYTES, MAX_PHOTO_MB
from .net import FetchPolicy, fetch_image_bytes


def is_url(text: str) -> bool:
    """A scheme before any path: "https://...", not "photos/a.jpg"."""
    return "://" in text[:16]


@dataclass(frozen=True)
class Source:
    """One photo to inspect. ``name`` is what the user gave (path, URL or file name)."""

    name: str
    data: bytes | None = None
    path: str | None = None
    url: str | None = None


def as_source(item: Source | str | Path | bytes | tuple[str, bytes]) -> Source:
    if isinstance(item, Source):
        return item
    if isinstance(item, bytes):
        return Source("upload", data=item)
    if isinstance(item, tuple):
        name, data = item
        return Source(str(name), data=data)
    text = str(item).strip()
    if is_url(text):
        return Source(text, url=text)
    return Source(text, path=text)


def read_bytes(src: Source, policy: FetchPolicy) -> bytes:
    if src.data is not None:
        return src.data
    if src.url is not None:
        return fetch_image_bytes(src.url, policy)[0]
    path = Path(src.path or "")
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            raise InputError(Phrase("photo.error.too-big", mb=size / 1e6, limit=MAX_PHOTO_MB))
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(Phrase("photo.error.no-file")) from None
    except IsADirectoryError:
        raise InputError(Phrase("photo.error.folder")) from None
    except PermissionError:
        raise InputError(Phrase("photo.error.denied")) from None


Reader = Callable[[Source], bytes]
