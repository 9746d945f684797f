"""Videos made in the tests, with PyAV: drawn scenes whose objects sit at known places at
known times (the simulator's colour code, tests/scenes.py), a rotation flag as a phone
writes it, a variable frame rate, a damaged tail, and files that only look like videos.
"""

from __future__ import annotations

import fractions
from collections.abc import Callable, Iterable
from pathlib import Path

import av
from PIL import Image

from tests import scenes

# Stored pixels for a display rotation (counter-clockwise degrees, as VideoFrame.rotation
# reads it back): the inverse of the turn that shows them upright.
_STORE = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    -90: Image.Transpose.ROTATE_90,
}

Objects = list[tuple[str, tuple[int, int, int, int]]]


def write_video(
    path: Path,
    times: Iterable[float],
    draw: Callable[[float], Image.Image],
    *,
    codec: str = "libx264",
    rotation: int = 0,
    rate: int = 10,
    options: dict | None = None,
    container_options: dict | None = None,
) -> Path:
    """A video whose frame at each time in ``times`` (seconds) is ``draw(t)`` as SHOWN:
    with ``rotation`` the pixels are stored turned and the display matrix turns them back.
    Timestamps are milliseconds, so the times may be as irregular as a phone's."""
    path = Path(path)
    times = list(times)
    first = draw(times[0])
    stored_size = first.size if rotation in (0, 180) else first.size[::-1]
    with av.open(str(path), "w", options=container_options or {}) as out:
        stream = out.add_stream(codec, rate=rate, options=options or {})
        stream.width, stream.height = stored_size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = fractions.Fraction(1, 1000)
        if rotation:
            stream.set_display_rotation(rotation)
        for t in times:
            upright = draw(t)
            stored = upright.transpose(_STORE[rotation]) if rotation else upright
            frame = av.VideoFrame.from_image(stored)
            frame.pts = round(t * 1000)
            frame.time_base = fractions.Fraction(1, 1000)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def moving(width: int, height: int, objects: Callable[[float], Objects]):
    """draw(t) for a scene whose objects at time t are ``objects(t)``."""
    return lambda t: scenes.scene(width, height, objects(t))


def steady(rate: float, seconds: float) -> list[float]:
    return [i / rate for i in range(int(seconds * rate))]


def cut_tail(path: Path, keep: float = 0.6) -> Path:
    """Keep the first ``keep`` share of the file's bytes: a copy that stopped mid-way."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def garbage_tail(path: Path, keep: float = 0.6) -> Path:
    """Overwrite the bytes after the first ``keep`` share with noise: a damaged copy."""
    data = bytearray(path.read_bytes())
    start = int(len(data) * keep)
    data[start:] = bytes((i * 151 + 7) % 256 for i in range(len(data) - start))
    path.write_bytes(bytes(data))
    return path


def audio_only(path: Path, seconds: float = 1.0) -> Path:
    """A file with a sound stream and no picture."""
    import numpy as np

    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=44100)
        samples = int(44100 * seconds)
        tone = (np.sin(np.arange(samples) / 10.0) * 0.2).astype(np.float32)
        for start in range(0, samples, 1024):
            chunk = tone[start : start + 1024].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
            frame.sample_rate = 44100
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path
