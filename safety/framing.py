"""One photo's bytes -> the frame sent to the model, and what is known of the photo.

    frame_size(width, height, plan) -> (w, h)     the frame a photo of that size is sent as
    describe(result, loaded, lang)                size, SHA-256, quality (and its note)
    encode_frame(image, size, privacy) -> bytes   resized, blurred if asked, JPEG
    frame_photo(data, plan, result, ...) -> bytes all three, decoding no larger than needed

The one frame path: the live pipeline (``safety.inspection``) and work done without a live
model (the Batch API, ``safety.batch_api``) both call these, so a photo is framed the same
way either way: same decode, same frame, same JPEG, same quality check. Boxes
then come back in the same frame and go through the same conversion.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from . import geometry
from .backends.calibration import Plan
from .detections import ImageResult
from .images import LoadedImage, encode_jpeg, load_image, resized
from .limits import MAX_IMAGE_PIXELS
from .quality import quality_note, quality_record

FRAME_JPEG_QUALITY = 85

Privacy = Callable[[Image.Image, list | None], Image.Image]


def frame_size(width: int, height: int, plan: Plan) -> tuple[int, int]:
    return geometry.choose_frame(width, height, plan.grid, plan.max_pixels)


def describe(result: ImageResult, loaded: LoadedImage, lang: str = "en") -> None:
    """The photo's size, SHA-256 and quality on its result (a low quality adds its note)."""
    result.width, result.height = loaded.orig_w, loaded.orig_h
    result.sha256, result.file_bytes = loaded.sha256, loaded.file_bytes
    result.quality = quality_record(loaded.image, loaded.orig_w, loaded.orig_h)
    if result.low_quality:
        result.notes.append(quality_note(result.quality, lang))


def encode_frame(
    image: Image.Image, size: tuple[int, int], privacy: Privacy | None = None
) -> bytes:
    """The frame as sent: resized, faces blurred when the privacy hook says so (it is called
    with no boxes: the frame about to leave), then JPEG."""
    sent = resized(image, *size)
    if privacy is not None:
        sent = privacy(sent, None)
    return encode_jpeg(sent, quality=FRAME_JPEG_QUALITY)


def frame_photo(
    data: bytes,
    plan: Plan,
    result: ImageResult,
    *,
    lang: str = "en",
    privacy: Privacy | None = None,
    max_image_pixels: int = MAX_IMAGE_PIXELS,
) -> bytes:
    """The JPEG frame of a photo, for a run that keeps no copy of it (nothing is drawn):
    decoded only as large as the frame needs. Fills in ``result``'s size, SHA-256, quality,
    frame and upload size; raises InputError for a photo that cannot be used."""
    loaded = load_image(
        data,
        need_long_side=lambda w, h: max(frame_size(w, h, plan)),
        max_pixels=max_image_pixels,
    )
    describe(result, loaded, lang)
    size = frame_size(loaded.orig_w, loaded.orig_h, plan)
    jpeg = encode_frame(loaded.image, size, privacy)
    result.frame, result.upload_bytes = size, len(jpeg)
    return jpeg
