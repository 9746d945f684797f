"""Photos in: decode, put upright, normalise the colour mode, check sizes; frames out.

Speed matters here (the target: 150 ms per 12 MP photo outside the model): a JPEG is decoded with
Pillow's draft mode at the smallest DCT scale that still covers what we need (the frame sent
to the model and the marked photo we show), which skips most of the decoding work. The full
upright size is still known from the header, and every box is reported in it.
"""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .errors import InputError
from .i18n import Phrase
from .limits import MAX_IMAGE_PIXELS, MAX_PHOTO_BYTES, MAX_PHOTO_MB

MIN_SIDE = 16
MAX_ASPECT = 200  # Qwen models refuse more elongated images
# The marked photo we keep for display and reports: at least DISPLAY_MIN_SIDE on its long
# side when the photo has it, at most DISPLAY_MAX_SIDE. The slack between the two lets a
# draft-decoded JPEG (e.g. 4000 px at 1/2 scale = 2000 px) be used without another resample.
DISPLAY_MIN_SIDE = 1600
DISPLAY_MAX_SIDE = 2048

# Pillow's own bomb guard raises at 2x its limit and only warns at 1x; we make both errors.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Orientations 5..8 swap width and height when the photo is put upright.
_SWAPPING_ORIENTATIONS = {5, 6, 7, 8}


@dataclass
class LoadedImage:
    """An upright RGB photo, possibly decoded at reduced scale, and its true upright size."""

    image: Image.Image  # upright RGB; may be smaller than the original (draft decoding)
    orig_w: int  # upright size of the original photo
    orig_h: int
    sha256: str
    file_bytes: int
    format: str

    @property
    def scale(self) -> float:
        """Pixels of ``image`` per pixel of the original."""
        return self.image.width / self.orig_w


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            img.size  # noqa: B018 - header is parsed lazily; touch it inside the guard
            return img
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(Phrase("photo.error.bomb", mp=MAX_IMAGE_PIXELS // 1_000_000)) from None
    except UnidentifiedImageError:
        raise InputError(Phrase("photo.error.not-image")) from None
    except Exception as exc:  # Pillow raises many types for broken headers
        raise InputError(Phrase("photo.error.damaged", kind=type(exc).__name__)) from None


def _flatten(img: Image.Image) -> Image.Image:
    """Any mode -> RGB. Transparent areas become white (models read them as background)."""
    if img.mode == "RGB":
        return img
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16/32-bit greyscale: scale to 8 bits by the actual range, not by truncation.
        img = img.convert("I")
        lo, hi = img.getextrema()
        span = max(1, hi - lo)
        img = img.point(lambda v: (v - lo) * 255 / span).convert("L")
    if img.mode == "F":
        img = img.convert("L")
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    if img.mode in ("LA", "PA"):
        img = img.convert("RGBA")
    if img.mode == "RGBA":
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        return background
    return img.convert("RGB")  # L, 1, CMYK, YCbCr, LAB, HSV...


# Bytes a decoded pixel costs on its way to a frame, measured per kind of file
# (benchmarks/attack_load.py): Pillow keeps RGB, RGBA, grey+alpha and 32-bit images at 4
# bytes a pixel, and a photo passes through several copies (decoded, upright, flattened to
# RGB, resized). A JPEG is decoded in draft mode at a reduced scale when it can be.
COST_PER_PIXEL = {"JPEG": 6, "other": 16}


def decode_cost(data: bytes) -> int:
    """The memory decoding this file may take, in bytes, from its header alone."""
    img = _open(data)
    width, height = img.size
    return width * height * COST_PER_PIXEL.get(img.format or "", COST_PER_PIXEL["other"])


def load_image(
    data: bytes,
    *,
    need_long_side: int | Callable[[int, int], int] = DISPLAY_MIN_SIDE,
    max_pixels: int = MAX_IMAGE_PIXELS,
) -> LoadedImage:
    """Decode ``data`` into an upright RGB image whose long side is at least
    ``need_long_side`` (or the original's, if smaller). ``need_long_side`` may be a function
    of the upright original size, for callers whose need depends on it.

    Raises InputError with a user-facing message for anything we cannot use.
    """
    if not data:
        raise InputError(Phrase("photo.error.empty"))
    if len(data) > MAX_PHOTO_BYTES:
        raise InputError(Phrase("photo.error.too-big", mb=len(data) / 1e6, limit=MAX_PHOTO_MB))
    img = _open(data)
    fmt = img.format or "unknown"
    width, height = img.size
    if width * height > max_pixels:
        raise InputError(
            Phrase("photo.error.megapixels", mp=width * height / 1e6, limit=max_pixels // 1_000_000)
        )
    orientation = 1
    try:
        orientation = int(img.getexif().get(0x0112, 1) or 1)
    except Exception:  # a broken EXIF block must not lose the photo
        orientation = 1
    up_w, up_h = (height, width) if orientation in _SWAPPING_ORIENTATIONS else (width, height)
    if min(up_w, up_h) < MIN_SIDE:
        raise InputError(Phrase("photo.error.too-small", w=up_w, h=up_h, min=MIN_SIDE))
    if max(up_w, up_h) / min(up_w, up_h) > MAX_ASPECT:
        raise InputError(Phrase("photo.error.elongated", w=up_w, h=up_h, most=MAX_ASPECT))
    if callable(need_long_side):
        need_long_side = need_long_side(up_w, up_h)
    if getattr(img, "is_animated", False):
        img.seek(0)  # animated GIF/WebP/PNG: the first frame is the photo
    if fmt == "JPEG" and img.mode in ("RGB", "L", "CMYK", "YCbCr"):
        # Ask for the smallest DCT scale whose long side still covers what we need.
        ratio = min(1.0, need_long_side / max(width, height))
        img.draft(
            "RGB" if img.mode != "CMYK" else None,
            (max(1, int(width * ratio + 0.999)), max(1, int(height * ratio + 0.999))),
        )
    try:
        img.load()
    except (OSError, SyntaxError, ValueError) as exc:
        why = " ".join(str(exc).split())[:80]
        raise InputError(Phrase("photo.error.corrupt", why=why)) from None
    try:
        # exif_transpose copies the whole image even when there is nothing to turn.
        upright = ImageOps.exif_transpose(img) if orientation != 1 else img
    except Exception:
        upright = img  # unreadable EXIF: keep the pixels as stored
    upright = _flatten(upright)
    return LoadedImage(
        image=upright,
        orig_w=up_w,
        orig_h=up_h,
        sha256=hashlib.sha256(data).hexdigest(),
        file_bytes=len(data),
        format=fmt,
    )


def resized(img: Image.Image, width: int, height: int) -> Image.Image:
    if img.size == (width, height):
        return img
    # reducing_gap makes large downscales much faster at no visible cost.
    return img.resize((width, height), Image.Resampling.BICUBIC, reducing_gap=2.0)


def fit_within(img: Image.Image, max_side: int) -> Image.Image:
    """A copy no longer than max_side on its long side (the same image if already small)."""
    w, h = img.size
    if max(w, h) <= max_side:
        return img
    ratio = max_side / max(w, h)
    return resized(img, max(1, round(w * ratio)), max(1, round(h * ratio)))


def encode_jpeg(img: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality, optimize=False)
    return out.getvalue()


class DecodeBudget:
    """Memory that decoding photos may take at once, shared by every run of the app: a photo
    waits for room before it is decoded.

    A photo that costs more than the whole budget waits until it has the budget to itself.
    However many runs and photos there are, decoding never holds more than the budget (plus
    one such photo), so the app's peak memory is bounded.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self._free = limit
        self._ready = threading.Condition()

    @contextmanager
    def hold(self, cost: int) -> Iterator[None]:
        need = min(max(1, cost), self.limit)
        with self._ready:
            self._ready.wait_for(lambda: self._free >= need)
            self._free -= need
        try:
            yield
        finally:
            with self._ready:
                self._free += need
                self._ready.notify_all()
