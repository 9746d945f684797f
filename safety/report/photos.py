"""Photos re-encoded for the page, so that a report of 50 photos stays small.

The marked photo is placed at most 1400 px on its long side, the original at most 600 px;
both as JPEG 70. A photo that is already small enough keeps its own bytes. When the result
keeps its unmarked copy (``photo_jpeg``), the marks are drawn again from it as the findings
stand after review, with an "UNREVIEWED" stamp while any is (``annotate.redraw``); else the
marked photo made at inspection is used.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image as PILImage
from reportlab.platypus import Image

from ..annotate import redraw
from ..detections import ImageResult

# Photos as placed on the page: long side in pixels and JPEG quality.
MARKED_MAX_SIDE = 1400
MARKED_QUALITY = 70
ORIGINAL_MAX_SIDE = 600
ORIGINAL_QUALITY = 70


@dataclass
class PagePhoto:
    data: bytes
    width: int
    height: int


# (marked photo, original) of one result; None when absent or undecodable.
PhotoPair = tuple[PagePhoto | None, PagePhoto | None]


def page_jpeg(data: bytes | None, max_side: int, quality: int) -> PagePhoto | None:
    """Re-encode a photo for the page: long side <= max_side, JPEG at ``quality``.

    Returns None when there is no image or it cannot be decoded.
    """
    if not data:
        return None
    try:
        img = PILImage.open(io.BytesIO(data))
        w, h = img.size
        ratio = min(1.0, max_side / max(w, h))
        if img.format == "JPEG":
            img.draft("RGB", (max(1, int(w * ratio + 0.999)), max(1, int(h * ratio + 0.999))))
        img.load()
        if img.mode != "RGB":
            img = img.convert("RGB")
        if max(img.size) > max_side:
            r = max_side / max(img.size)
            size = (max(1, round(img.width * r)), max(1, round(img.height * r)))
            img = img.resize(size, PILImage.Resampling.BICUBIC, reducing_gap=2.0)
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=quality, optimize=True)
        encoded = out.getvalue()
        if (
            ratio >= 1.0
            and len(data) <= len(encoded)
            and PILImage.open(io.BytesIO(data)).format == "JPEG"
        ):
            return PagePhoto(data, w, h)  # already small: keep the original bytes
        return PagePhoto(encoded, img.width, img.height)
    except Exception:  # a damaged preview must not lose the report
        return None


def marked_photo(r: ImageResult, lang: str) -> bytes | None:
    """The marked photo as the findings stand now, stamped while any is unreviewed."""
    if r.ok and r.photo_jpeg:
        try:
            drawn = redraw(r, lang, stamp=True)
        except Exception:  # a damaged copy must not lose the report: use the one drawn before
            drawn = None
        if drawn:
            return drawn
    return r.marked_jpeg


def prepare_photos(results: Sequence[ImageResult], lang: str = "en") -> list[PhotoPair]:
    """(marked, original) for each result, in order; drawn and encoded on up to 8 threads."""

    def one(r: ImageResult) -> PhotoPair:
        return (
            page_jpeg(marked_photo(r, lang), MARKED_MAX_SIDE, MARKED_QUALITY),
            page_jpeg(r.preview_jpeg or r.photo_jpeg, ORIGINAL_MAX_SIDE, ORIGINAL_QUALITY),
        )

    workers = max(1, min(8, os.cpu_count() or 1, len(results)))
    if workers == 1:
        return [one(r) for r in results]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report-img") as pool:
        return list(pool.map(one, results))


def image(photo: PagePhoto, max_w: float, max_h: float) -> Image:
    """The photo as a flowable, as large as fits in max_w x max_h (points)."""
    scale = min(max_w / photo.width, max_h / photo.height)
    return Image(io.BytesIO(photo.data), width=photo.width * scale, height=photo.height * scale)
