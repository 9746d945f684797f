"""Faces made unrecognisable in every image we write or show.

Two sources of regions, both blurred hard (a mosaic, then a Gaussian blur, so no detail of
the face survives at any size we show):

* faces found by OpenCV's Haar cascades (frontal and profile). They ship inside the
  opencv-python-headless wheel (``cv2.data.haarcascades``): nothing is downloaded at run
  time. A detector misses faces under hard hats and turned away, so also:
* the head region of every person box the model returned (the upper part of the box).

The findings are never changed: only pixels are. ``Privacy`` is the hook the pipeline takes
(``Inspector(privacy=...)``): called with ``boxes=None`` on the frame about to be sent (it
blurs only when ``before_send``), and with the person boxes (display pixels) on the display
copy before the marks are drawn.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageFilter

from .detections import Box, ImageResult
from .images import encode_jpeg, fit_within

# The upper part of a person box taken as the head: a standing person's head is about the
# top fifth of the box; a crouching or cut-off one more. A generous share, widened a little.
HEAD_SHARE = 0.3
HEAD_MAX_ASPECT = 1.2  # the head region is at most this many box widths tall
MARGIN = 0.15  # each blurred region grows by this share of its size on every side
MIN_FACE_SIDE = 12  # pixels: smaller faces are not recognisable anyway
DETECT_MAX_SIDE = 640

_cascades = threading.local()  # a CascadeClassifier is not safe to share between threads


def _detectors():
    found = getattr(_cascades, "detectors", None)
    if found is None:
        import cv2

        names = ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml")
        found = [cv2.CascadeClassifier(cv2.data.haarcascades + name) for name in names]
        _cascades.detectors = found
    return found


def detect_faces(image: Image.Image) -> list[Box]:
    """Face boxes (x1, y1, x2, y2) in the image's pixels: frontal, and profile both ways."""
    import cv2
    import numpy as np

    # Found on a copy at most DETECT_MAX_SIDE wide: fast enough for every photo, and a face
    # too small to find there is too small to recognise in what we show.
    k = min(1.0, DETECT_MAX_SIDE / max(image.size))
    small = image if k == 1.0 else image.resize((round(image.width * k), round(image.height * k)))
    gray = cv2.equalizeHist(np.asarray(small.convert("L")))
    w = gray.shape[1]
    side = max(MIN_FACE_SIDE, min(gray.shape) // 40)
    boxes: list[Box] = []
    for index, detector in enumerate(_detectors()):
        views = [(gray, False)] + ([(cv2.flip(gray, 1), True)] if index == 1 else [])
        for view, flipped in views:
            found = detector.detectMultiScale(
                view, scaleFactor=1.1, minNeighbors=5, minSize=(side, side)
            )
            for x, y, fw, fh in found if len(found) else []:
                x1 = w - (x + fw) if flipped else x
                boxes.append((x1 / k, y / k, (x1 + fw) / k, (y + fh) / k))
    return boxes


def head_region(box: Box) -> Box:
    """The upper part of a person box, where the head is."""
    x1, y1, x2, y2 = box
    width, height = x2 - x1, y2 - y1
    head = min(height * HEAD_SHARE, width * HEAD_MAX_ASPECT)
    return (x1, y1, x2, y1 + max(head, 1.0))


def blur_regions(image: Image.Image, regions: Sequence[Box]) -> Image.Image:
    """A copy of the image with each region (grown by MARGIN) mosaicked and blurred."""
    out = image.convert("RGB").copy()
    w, h = out.size
    for x1, y1, x2, y2 in regions:
        mx, my = (x2 - x1) * MARGIN, (y2 - y1) * MARGIN
        left, top = max(0, int(x1 - mx)), max(0, int(y1 - my))
        right, bottom = min(w, int(x2 + mx + 1)), min(h, int(y2 + my + 1))
        if right - left < 2 or bottom - top < 2:
            continue
        patch = out.crop((left, top, right, bottom))
        # A mosaic of about 6 cells across the region: no feature of a face survives it.
        cells = max(1, min(patch.width, patch.height) // 6)
        small = patch.resize(
            (max(1, patch.width // cells), max(1, patch.height // cells)), Image.BILINEAR
        )
        patch = small.resize(patch.size, Image.NEAREST)
        patch = patch.filter(ImageFilter.GaussianBlur(radius=max(2, cells // 2)))
        out.paste(patch, (left, top))
    return out


def blur_faces(image: Image.Image, person_boxes: Sequence[Box] = ()) -> Image.Image:
    """Faces found in the image, and the head region of each person box, blurred."""
    regions = detect_faces(image) + [head_region(box) for box in person_boxes]
    return blur_regions(image, regions) if regions else image


@dataclass(frozen=True)
class Privacy:
    """What to blur. The pipeline's hook: ``privacy(image, boxes)``."""

    blur_faces: bool = True
    before_send: bool = False

    def __bool__(self) -> bool:
        return self.blur_faces or self.before_send

    def __call__(self, image: Image.Image, boxes: Sequence[Box] | None) -> Image.Image:
        if boxes is None:  # the frame about to be sent to the model
            return blur_faces(image) if self.before_send else image
        return blur_faces(image, boxes) if self.blur_faces else image


def make_privacy(blur: bool, before_send: bool = False) -> Privacy | None:
    """The hook for these choices, or None when nothing is blurred."""
    privacy = Privacy(blur_faces=blur or before_send, before_send=before_send)
    return privacy if privacy else None


def person_boxes(result: ImageResult, scale: float) -> list[Box]:
    """Every person box of a result (rejected ones too: a person is still there), scaled."""
    return [
        (x1 * scale, y1 * scale, x2 * scale, y2 * scale)
        for d in result.detections
        if d.category == "person"
        for x1, y1, x2, y2 in [d.box]
    ]


def blur_result(result: ImageResult, lang: str = "en", preview_max_side: int = 800) -> None:
    """Blur the result's unmarked copy in place, with its person boxes as they stand now (a
    reviewer may have added one), and draw the preview and the marked photo from it."""
    from .annotate import redraw

    if not result.photo_jpeg or not result.width:
        return
    with Image.open(io.BytesIO(result.photo_jpeg)) as img:
        photo = img.convert("RGB")
    blurred = blur_faces(photo, person_boxes(result, photo.width / result.width))
    result.photo_jpeg = encode_jpeg(blurred, quality=85)
    result.preview_jpeg = encode_jpeg(fit_within(blurred, preview_max_side), quality=80)
    result.marked_jpeg = redraw(result, lang)
