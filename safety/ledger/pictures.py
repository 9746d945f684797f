"""Small pictures of a finding: the before photo cropped around its box (the box drawn in),
and thumbnails of after photos. For the exports, the PDFs, the re-check and the page."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageOps

from .model import Finding

MARGIN = 0.6  # of the box's size, on each side: enough of the place to recognise it
BOX_RED = (230, 20, 20)


def _jpeg(image: Image.Image, quality: int = 80) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def upright(data: bytes) -> Image.Image:
    """The photo as it is seen (EXIF orientation applied): boxes are in these pixels."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return ImageOps.exif_transpose(image)


def crop_box(finding: Finding, photo: bytes, long_side: int = 320, draw: bool = True):
    """The stored photo cut around the finding's box (as an Image), or None."""
    try:
        image = upright(photo)
    except Exception:  # noqa: BLE001 - a stored photo that cannot be read: no picture
        return None
    ow, oh = finding.photo_size
    sx = image.width / ow if ow else 1.0
    sy = image.height / oh if oh else 1.0
    x1, y1, x2, y2 = finding.box
    x1, x2, y1, y2 = x1 * sx, x2 * sx, y1 * sy, y2 * sy
    mx, my = MARGIN * (x2 - x1), MARGIN * (y2 - y1)
    left, top = max(0, int(x1 - mx)), max(0, int(y1 - my))
    right, bottom = min(image.width, int(x2 + mx) + 1), min(image.height, int(y2 + my) + 1)
    if right <= left or bottom <= top:
        return None
    part = image.convert("RGB").crop((left, top, right, bottom))
    if draw:
        width = max(2, round(max(part.size) / 120))
        ImageDraw.Draw(part).rectangle(
            (x1 - left, y1 - top, x2 - left, y2 - top), outline=BOX_RED, width=width
        )
    part.thumbnail((long_side, long_side))
    return part


def before_jpeg(finding: Finding, photo: bytes | None, long_side: int = 320) -> bytes | None:
    if not photo:
        return None
    part = crop_box(finding, photo, long_side)
    return _jpeg(part) if part is not None else None


def thumb_jpeg(photo: bytes | None, long_side: int = 320) -> bytes | None:
    if not photo:
        return None
    try:
        image = upright(photo)
    except Exception:  # noqa: BLE001 - not an image: no thumbnail
        return None
    image = image.convert("RGB")
    image.thumbnail((long_side, long_side))
    return _jpeg(image)


def after_photo(ledger, finding_id: int) -> bytes | None:
    """The newest after photo kept as evidence for the finding, or None."""
    for e in reversed(ledger.get(finding_id).evidence):
        if e.photo_sha:
            data = ledger.photo(e.photo_sha)
            if data:
                return data
    return None
