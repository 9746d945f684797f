"""Synthetic site photos with known truth, for end-to-end coordinate tests.

Objects are saturated rectangles in the simulator's colour code (tests/simulator/):
red = fire, blue = smoke, green = person with hard hat, yellow = person without. A photo can
be stored rotated with an EXIF orientation tag, so that its UPRIGHT view is the scene.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

COLOURS = {
    "fire": (235, 25, 20),
    "smoke": (20, 40, 225),
    "person": (20, 200, 40),
    "person-missing": (245, 235, 20),
}
CATEGORY = {"fire": "fire", "smoke": "smoke", "person": "person", "person-missing": "person"}

# Stored pixels for each EXIF orientation: the inverse of what exif_transpose applies.
_STORE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def layout(width: int, height: int, seed: int = 0) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Four non-touching objects at seeded places, each 8-25% of the photo's sides."""
    rng = random.Random(seed)
    cells = [(0, 0), (1, 0), (0, 1), (1, 1)]
    kinds = ["fire", "smoke", "person", "person-missing"]
    rng.shuffle(kinds)
    objects = []
    for (cx, cy), kind in zip(cells, kinds):
        cw, ch = width / 2, height / 2
        w = rng.uniform(0.16, 0.5) * cw
        h = rng.uniform(0.16, 0.5) * ch
        x1 = cx * cw + rng.uniform(0.1, 0.9) * (cw - w) * 0.9
        y1 = cy * ch + rng.uniform(0.1, 0.9) * (ch - h) * 0.9
        objects.append((kind, (round(x1), round(y1), round(x1 + w), round(y1 + h))))
    return objects


def scene(width: int, height: int, objects, *, background=(236, 234, 226)) -> Image.Image:
    img = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(img)
    for kind, (x1, y1, x2, y2) in objects:
        draw.rectangle((x1, y1, x2 - 1, y2 - 1), fill=COLOURS[kind])
    return img


def jpeg_bytes(upright: Image.Image, orientation: int = 1, quality: int = 90) -> bytes:
    """Encode so that the UPRIGHT view (after EXIF orientation) is ``upright``."""
    stored = upright.transpose(_STORE[orientation]) if orientation in _STORE else upright
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    out = io.BytesIO()
    stored.save(out, format="JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()
