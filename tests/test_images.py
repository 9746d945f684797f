"""Loading photos: upright, RGB, sizes checked, bad files refused with clear messages."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from safety.errors import InputError
from safety.images import load_image
from tests import scenes


def _encode(img: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, **kw)
    return out.getvalue()


@pytest.mark.parametrize("orientation", [1, 2, 3, 4, 5, 6, 7, 8])
def test_exif_orientation_gives_the_upright_photo_and_size(orientation):
    upright = scenes.scene(400, 300, [("fire", (10, 20, 110, 70))])
    loaded = load_image(scenes.jpeg_bytes(upright, orientation))
    assert (loaded.orig_w, loaded.orig_h) == (400, 300)
    assert loaded.image.size == (400, 300)
    r, g, b = loaded.image.getpixel((60, 45))  # inside the red rectangle, upright
    assert r > 170 and g < 90 and b < 90


def test_large_jpeg_is_draft_decoded_but_reports_full_size():
    big = scenes.scene(4000, 3000, [("smoke", (100, 100, 900, 700))])
    loaded = load_image(scenes.jpeg_bytes(big), need_long_side=1000)
    assert (loaded.orig_w, loaded.orig_h) == (4000, 3000)
    assert 1000 <= loaded.image.width < 4000  # decoded at a reduced DCT scale
    assert loaded.scale == loaded.image.width / 4000


@pytest.mark.parametrize(
    "make",
    [
        # CMYK JPEG from a print workflow.
        lambda: _encode(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG"),
        # 16-bit greyscale PNG (thermal or scientific cameras).
        lambda: _encode(Image.new("I;16", (64, 48), 40000), "PNG"),
        # Palette PNG with a transparent colour.
        lambda: _encode(Image.new("P", (64, 48), 3), "PNG", transparency=3),
        # RGBA PNG with an alpha channel.
        lambda: _encode(Image.new("RGBA", (64, 48), (10, 200, 10, 128)), "PNG"),
        # Greyscale JPEG.
        lambda: _encode(Image.new("L", (64, 48), 128), "JPEG"),
        # WebP and BMP.
        lambda: _encode(Image.new("RGB", (64, 48), (1, 2, 3)), "WEBP"),
        lambda: _encode(Image.new("RGB", (64, 48), (1, 2, 3)), "BMP"),
    ],
)
def test_colour_modes_become_rgb(make):
    loaded = load_image(make())
    assert loaded.image.mode == "RGB"
    assert (loaded.orig_w, loaded.orig_h) == (64, 48)


def test_animated_gif_uses_the_first_frame():
    frames = [Image.new("RGB", (40, 30), c) for c in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    loaded = load_image(out.getvalue())
    r, _, b = loaded.image.getpixel((5, 5))
    assert r > 200 and b < 50


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),  # an empty upload
        (b"<html>not an image</html>", "not an image"),  # a web page saved as .jpg
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "damaged|not an image"),  # a bare JPEG header
    ],
)
def test_unusable_files_are_refused_clearly(data, words):
    with pytest.raises(InputError, match=words):
        load_image(data)


def test_truncated_jpeg_is_refused():
    data = scenes.jpeg_bytes(scenes.scene(800, 600, []))
    with pytest.raises(InputError, match="truncated|corrupt|damaged"):
        load_image(data[: len(data) // 2])


@pytest.mark.slow
def test_decompression_bomb_is_refused():
    # A tiny PNG that claims 20000 x 20000 pixels: refused from the header, never decoded.
    bomb = _encode(Image.new("1", (20000, 20000)), "PNG")
    assert len(bomb) < 200_000
    with pytest.raises(InputError, match="too large"):
        load_image(bomb)


@pytest.mark.parametrize("size", [(8, 8), (4000, 15), (12, 3000)])
def test_tiny_and_extreme_aspect_photos_are_refused(size):
    with pytest.raises(InputError, match="too small|elongated"):
        load_image(_encode(Image.new("RGB", size, (9, 9, 9)), "PNG"))
