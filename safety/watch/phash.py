"""A perceptual hash: whether a camera's snapshot shows anything new.

The difference hash (dHash): the picture shrunk to 9x8 grey pixels, one bit per pair of
neighbours (is the left one brighter?). JPEG noise, a timestamp overlay's seconds and small
changes of light move a few of the 64 bits; a person walking in moves many. Two snapshots
whose hashes differ in at most ``threshold`` bits are the same scene.
"""

from __future__ import annotations

import io

from PIL import Image

DEFAULT_THRESHOLD = 6  # of 64 bits


def dhash(data: bytes) -> int:
    """The 64-bit difference hash of an encoded image (raises OSError if it is none)."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("L", (64, 64))  # JPEG: decode at a fraction of the size, cheaply
        small = image.convert("L").resize((9, 8), Image.Resampling.BILINEAR)
    pixels = small.tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (left > right)
    return bits


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()
