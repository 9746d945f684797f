"""Opening a video with PyAV and reading its frames upright, at a bounded size, by timestamp.

    open_video(path, lang) -> Video          checked: a video stream we can decode, else a
                                             catalogue InputError for this file alone
    video.info                               VideoInfo: duration, size, rate, codec
    video.size, video.rotation               as shown (known once the first frame is read)
    video.frames() -> Iterator[RawFrame]     every decoded frame: its time in seconds (from
                                             its timestamp, so a variable frame rate is exact),
                                             a tiny grey signature, and a way to the picture

FFmpeg (inside PyAV's wheels) decodes every frame of a compressed video anyway; what we add
per frame is a strided look at the luma plane (the signature, a few microseconds), and only
the frames sampled become pictures (scaled as they are converted, then turned upright).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from PIL import Image

from ..errors import InputError
from ..i18n import t
from ..limits import VIDEO_MAX_SIDE

# Container formats FFmpeg gives a single still picture: a photo renamed to .mp4.
_IMAGE_FORMATS = ("image2", "_pipe", "gif", "apng", "webp")
# The signature: block means of each plane on a grid of this many cells.
SIG_W, SIG_H = 32, 18
PER_BLOCK = 2  # samples a block a side: 2 x 2 pixels read per block of each plane
# Counter-clockwise display rotation (VideoFrame.rotation) -> what turns the stored
# pixels upright. FFmpeg's own player applies the same (transpose=cclock for 90).
_UPRIGHT = {
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    -90: Image.Transpose.ROTATE_270,
}


@dataclass(frozen=True)
class VideoInfo:
    """What the container says. ``width`` x ``height`` as stored: a phone video's frames
    are turned upright as they are read (``Video.size`` is the size as shown)."""

    duration_s: float | None  # None: the container does not say
    width: int
    height: int
    rate: float | None  # the stream's average frame rate (informative: times come from pts)
    codec: str
    file_bytes: int


class RawFrame:
    """One decoded frame: ``t`` (seconds from the start), ``signature`` (3 x SIG_H x SIG_W
    block means of its planes), and ``picture(max_side)`` converting it upright when it is kept."""

    __slots__ = ("t", "_frame", "_rotation", "_sig")

    def __init__(self, t: float, frame, rotation: int):
        self.t, self._frame, self._rotation, self._sig = t, frame, rotation, None

    @property
    def signature(self) -> np.ndarray:
        if self._sig is None:
            self._sig = _signature(self._frame)
        return self._sig

    def picture(self, max_side: int = VIDEO_MAX_SIDE) -> Image.Image:
        """The frame as an upright RGB picture, its long side at most ``max_side``."""
        w, h = self._frame.width, self._frame.height
        k = min(1.0, max_side / max(w, h))
        size = {"width": max(2, round(w * k)), "height": max(2, round(h * k))} if k < 1 else {}
        # FFmpeg converts (and scales) to RGB; VideoFrame.to_image is several times slower
        # on a 1080p frame than this array handed to Pillow.
        img = Image.fromarray(self._frame.to_ndarray(format="rgb24", **size))
        turn = _UPRIGHT.get(self._rotation)
        return img.transpose(turn) if turn is not None else img


def _signature(frame) -> np.ndarray:
    """Block means of a strided sample of each plane (luma and both chroma planes, so that
    a colour that moves is seen even where brightness hardly changes): a few thousand
    pixels read, whatever the frame's size. Rotation does not matter here: frames are only
    compared with frames of the same video."""
    name = frame.format.name
    if name.startswith(("yuv", "yuvj")) and len(frame.planes) >= 3:
        planes = []
        for plane in frame.planes[:3]:
            h, w = plane.height, plane.width
            pixels = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:h, :w]
            planes.append(_blocks(pixels))
        return np.stack(planes)
    small = frame.to_ndarray(format="rgb24", width=SIG_W * PER_BLOCK, height=SIG_H * PER_BLOCK)
    return np.stack([_blocks(small[..., i]) for i in range(3)])


def _blocks(pixels: np.ndarray) -> np.ndarray:
    """SIG_H x SIG_W block means of a strided sample covering the whole plane."""
    h, w = pixels.shape
    step_y, step_x = max(1, -(-h // (SIG_H * PER_BLOCK))), max(1, -(-w // (SIG_W * PER_BLOCK)))
    sample = pixels[::step_y, ::step_x].astype(np.float32)
    sh, sw = sample.shape[0] // SIG_H, sample.shape[1] // SIG_W
    if sh == 0 or sw == 0:
        return np.full((SIG_H, SIG_W), float(sample.mean()), np.float32)
    return sample[: sh * SIG_H, : sw * SIG_W].reshape(SIG_H, sh, SIG_W, sw).mean(axis=(1, 3))


def _is_image_format(name: str) -> bool:
    return any(part in name for part in _IMAGE_FORMATS)


class Video:
    """An open video file (use as a context manager, or call close)."""

    def __init__(self, container, stream, info: VideoInfo, lang: str):
        self._container, self._stream, self.info, self.lang = container, stream, info, lang
        self.decoded = 0  # frames decoded so far
        # Counter-clockwise degrees the stored pixels are turned to be shown: FFmpeg gives
        # each frame its display matrix, however the container stores it.
        self.rotation = 0
        self.cut_at: float | None = None  # where a corrupt or truncated file stopped decoding

    def frames(self) -> Iterator[RawFrame]:
        """Every frame in presentation order. A file that is damaged after its start stops
        here (``cut_at`` says when); one damaged from the start raises InputError."""
        stream, last_t = self._stream, None
        try:
            for frame in self._container.decode(stream):
                if frame.pts is None or frame.time is None:
                    continue  # no timestamp: nothing to place it in time by
                t = max(0.0, float(frame.time) - self._start)
                if not self.decoded:
                    self.rotation = quarter_turn(frame.rotation)
                self.decoded += 1
                last_t = t
                yield RawFrame(t, frame, self.rotation)
        except (av.error.FFmpegError, ValueError) as exc:
            if last_t is None:
                raise InputError(t("video.unreadable", self.lang, why=_why(exc))) from None
            self.cut_at = last_t
        if last_t is None:
            raise InputError(t("video.no-frames", self.lang))
        if self.cut_at is None and _short(last_t, self.info):
            self.cut_at = last_t  # the file ends before the length its header gives

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) as shown: the stored size, turned by the rotation."""
        w, h = self.info.width, self.info.height
        return (h, w) if self.rotation in (90, -90) else (w, h)

    @property
    def _start(self) -> float:
        start, base = self._stream.start_time, self._stream.time_base
        return float(start * base) if start is not None and base is not None else 0.0

    def close(self) -> None:
        self._container.close()

    def __enter__(self) -> Video:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _short(last_t: float, info: VideoInfo) -> bool:
    """The last frame decoded is well before the end the header promised (a copy that
    stopped mid-way decodes quietly up to where it stops)."""
    if not info.duration_s:
        return False
    slack = max(1.0, 3.0 / info.rate) if info.rate else 1.0
    return last_t + slack < info.duration_s


def _why(exc: BaseException) -> str:
    """FFmpeg's own words for a failure, short and on one line (no path of ours in them)."""
    text = getattr(exc, "strerror", None) or str(exc)
    return " ".join(str(text).split())[:80]


def open_video(path: str | os.PathLike, lang: str = "en", *, threads: bool = True) -> Video:
    """Open ``path`` as a video, or raise InputError saying what is wrong with it and what
    to do. ``threads``: let FFmpeg decode on several threads (frame threading)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(t("video.missing", lang)) from None
    except OSError as exc:
        raise InputError(t("video.unreadable", lang, why=exc.strerror or "")) from None
    if size == 0:
        raise InputError(t("video.empty", lang))
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(t("video.unreadable", lang, why=_why(exc))) from None
    try:
        return _checked(container, size, lang, threads)
    except BaseException:
        container.close()
        raise


def _checked(container, size: int, lang: str, threads: bool) -> Video:
    if _is_image_format(container.format.name):
        raise InputError(t("video.is-image", lang))
    if not container.streams.video:
        key = "video.audio-only" if container.streams.audio else "video.no-video"
        raise InputError(t(key, lang))
    stream = container.streams.video[0]
    ctx = stream.codec_context
    if ctx is None or not ctx.name or ctx.name in ("none",):
        raise InputError(t("video.codec", lang, codec=_tag(stream, lang)))
    if ctx.name in ("png", "mjpeg", "bmp", "gif") and (stream.frames or 0) <= 1:
        raise InputError(t("video.is-image", lang))
    if not (ctx.width and ctx.height):
        raise InputError(t("video.codec", lang, codec=ctx.name))
    if threads:
        stream.thread_type = "AUTO"
    duration = None
    if stream.duration and stream.time_base:
        duration = float(stream.duration * stream.time_base)
    elif container.duration:
        duration = container.duration / 1_000_000  # AV_TIME_BASE
    rate = float(stream.average_rate) if stream.average_rate else None
    info = VideoInfo(duration, ctx.width, ctx.height, rate, ctx.name, size)
    return Video(container, stream, info, lang)


def _tag(stream, lang: str) -> str:
    """The codec's name as FFmpeg knows it, or the catalogue's word for an unknown one."""
    ctx = stream.codec_context
    name = getattr(ctx, "name", None) if ctx is not None else None
    if not name or name == "none":
        return t("video.codec.unknown", lang)
    return "".join(ch for ch in str(name) if ch.isprintable())[:24]


def quarter_turn(degrees: float | None) -> int:
    """A display rotation rounded to a quarter turn, in -90, 0, 90, 180."""
    turns = int(round((degrees or 0) / 90.0)) % 4
    return (0, 90, 180, -90)[turns]
