"""Reopening a run from its results JSON and its photos: a visitor's upload, so the work it
causes is bounded and counted like a run's.

The results file is read within the page's limits (its size, as many photos as a run may
have, REOPEN_MAX_FINDINGS per photo, nesting) and problems name the file as uploaded, never
where the server keeps it. The reopened run counts against the visitor's allowance as a run
of that many photos. Every photo the results name must be uploaded with them (by SHA-256,
else by file name) and be the size the results say; each uploaded photo is decoded once,
within the public photo limits and the app's shared decode budget, however often the
results name it. Nothing is saved until every check has passed: a refused reopen leaves no
folder behind. The work is a generator that yields after each photo, so it stops when the
visitor goes away.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..i18n import t
from ..images import DISPLAY_MAX_SIDE, decode_cost, encode_jpeg, fit_within, load_image
from ..limits import (
    MAX_IMAGE_PIXELS,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_MB,
    PUBLIC_MAX_IMAGE_PIXELS,
    REOPEN_MAX_BYTES,
    REOPEN_MAX_FINDINGS,
)
from ..privacy import blur_result
from ..results_io import ReadLimits, Results, load_results
from .form import file_path

SHOWN_NAMES = 3  # missing photos named in the refusal; the rest are counted


def read_document(files, max_photos: int, lang: str) -> tuple[Results, list[tuple[str, str]]]:
    """The results of the uploaded JSON and the other uploads as (path, name)."""
    uploads = [file_path(f) for f in files or []]
    documents = [(path, name) for path, name in uploads if name.lower().endswith(".json")]
    if not documents:
        raise InputError(t("page.reopen-no-json", lang))
    path, name = documents[0]
    limits = ReadLimits(max_bytes=REOPEN_MAX_BYTES, max_images=max_photos,
                        max_findings=REOPEN_MAX_FINDINGS)  # fmt: skip
    read = load_results(path, limits, name=name)
    return read, [(p, n) for p, n in uploads if (p, n) not in documents]


def _digest(path: str, name: str, lang: str) -> str:
    try:
        size = os.stat(path).st_size
        if size > MAX_PHOTO_BYTES:
            error = t("photo.error.too-big", lang, mb=size / 1e6, limit=MAX_PHOTO_MB)
            raise InputError(t("page.reopen-photo", lang, name=name, error=error))
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        raise InputError(t("page.reopen-photo", lang, name=name,
                           error=t("photo.error.no-file", lang))) from None  # fmt: skip
    return digest.hexdigest()


def match_photos(read: Results, uploads: list[tuple[str, str]], lang: str) -> dict[int, tuple]:
    """For each photo of the results that was read, its upload (path, name); InputError
    naming the photos not uploaded."""
    by_hash, by_name = {}, {}
    for path, name in uploads:
        by_hash.setdefault(_digest(path, name, lang), (path, name))
        by_name.setdefault(name, (path, name))
    found, missing = {}, []
    for r in read.images:
        if r.ok:
            upload = by_hash.get(r.sha256 or "") or by_name.get(os.path.basename(r.source))
            if upload is None:
                missing.append(os.path.basename(r.source))
            else:
                found[r.index] = upload
    if missing:
        names = ", ".join(missing[:SHOWN_NAMES])
        names += f" (+{len(missing) - SHOWN_NAMES})" if len(missing) > SHOWN_NAMES else ""
        raise InputError(t("page.reopen-missing", lang, names=names))
    return found


def decode_photos(
    read: Results, found: dict[int, tuple], lang: str, *, public: bool, budget, blur: bool
) -> Iterator[int]:
    """Give every photo of ``read`` its display copy (each upload decoded once); yields the
    number of photos done after each. Raises InputError at the first that cannot be used."""
    copies: dict[str, tuple[bytes, tuple[int, int]]] = {}
    cap = PUBLIC_MAX_IMAGE_PIXELS if public else MAX_IMAGE_PIXELS
    done = 0
    for r in read.images:
        if r.index not in found:
            continue
        path, name = found[r.index]
        if path not in copies:
            try:
                data = Path(path).read_bytes()
                with budget.hold(decode_cost(data)):
                    loaded = load_image(data, max_pixels=cap)
                    jpeg = encode_jpeg(fit_within(loaded.image, DISPLAY_MAX_SIDE), 85)
            except InputError as exc:
                raise InputError(t("page.reopen-photo", lang, name=name,
                                   error=exc.text(lang))) from None  # fmt: skip
            copies[path] = (jpeg, (loaded.orig_w, loaded.orig_h))
            del data, loaded
        jpeg, (w, h) = copies[path]
        if (w, h) != (r.width, r.height):
            raise InputError(t("page.reopen-size", lang, name=name, w=w, h=h, rw=r.width,
                               rh=r.height))  # fmt: skip
        r.photo_jpeg = jpeg
        if blur:  # a public page: faces blurred in a reopened run too
            blur_result(r, lang)
        done += 1
        yield done
