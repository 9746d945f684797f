"""Which frames of a video are sent: a rate, scene changes, a cap, near-duplicates skipped.

    sample_frames(path, fps, max_frames, ...) -> VideoFrames
        iterate it for (t, upright PIL image); ``.info``, ``.size``, ``.notes`` and the
        counts (``sent``, ``duplicates``, ``decoded``) describe what was done
    Sampler(options, duration_s)   the choice alone (pure): decide(t, signature) -> reason

The rules, in order, for each decoded frame (times from timestamps, not frame counts):
  1. the cap: once ``max_frames`` were sent, stop (a note says so). When the length is
     known the rate is lowered beforehand so that the cap spans the whole video;
  2. a scene change (its small copy, block means of each plane, differs from the last
     frame sent by SCENE_CHANGE_DIFF or more on average, at least MIN_SCENE_GAP_S after
     it) is sent at once; frames are compared every SCENE_CHECK_S (0.4 s), not all;
  3. a frame due by the rate (``fps``: one every 1/fps seconds from the last one sent) is
     sent, unless it is a near-duplicate of the last one sent (no block of the small copy
     changed by DUPLICATE_DIFF or more: nothing moved) and that one is less than
     VIDEO_KEEPALIVE_S old.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .. import limits
from ..i18n import t
from .decode import Video, VideoInfo, open_video

_EPS = 1e-3  # a frame a millisecond early is on time (timestamps are rounded)
SCENE_CHECK_S = 0.4  # frames between those due are compared for a scene cut this often


@dataclass(frozen=True)
class SamplingOptions:
    fps: float = limits.DEFAULT_VIDEO_FPS
    max_frames: int = limits.DEFAULT_MAX_FRAMES
    scene: bool = True  # send scene changes beside the rate
    dedupe: bool = True  # skip near-duplicates due by the rate
    max_side: int = limits.VIDEO_MAX_SIDE

    def rate_for(self, duration_s: float | None) -> float:
        """Frames per second sampled for a video this long: ``fps``, lowered so that the
        cap spans the whole video."""
        if duration_s and duration_s * self.fps > self.max_frames:
            return self.max_frames / duration_s
        return self.fps

    def expected_frames(self, duration_s: float | None) -> int:
        """Frames the rate gives for this length (scene changes may add some, within the
        cap); the cap when the length is unknown."""
        if not duration_s:
            return self.max_frames
        return max(
            1, min(self.max_frames, math.ceil(duration_s * self.rate_for(duration_s) - _EPS))
        )


class Sampler:
    """The choice of frames alone: fed (t, signature) in time order."""

    def __init__(self, options: SamplingOptions, duration_s: float | None = None):
        self.options = options
        self.period = 1.0 / options.rate_for(duration_s)
        self.sent = self.duplicates = self.scenes = 0
        self.full = False  # the cap was reached with frames left
        self._last_sig: np.ndarray | None = None
        self._last_t = 0.0
        self._due = 0.0
        self._checked = 0.0  # the last frame compared

    def wants(self, t: float) -> bool:
        """Whether the frame at ``t`` needs looking at: due by the rate, or time for a
        scene check (every SCENE_CHECK_S). Others are decoded and dropped unseen: the
        check costs more than FFmpeg's decode of a frame."""
        if self.sent >= self.options.max_frames:
            self.full = True
            return False
        if self._last_sig is None or t + _EPS >= self._due:
            return True
        return self.options.scene and t - self._checked >= SCENE_CHECK_S

    def decide(self, t: float, signature: np.ndarray) -> str | None:
        """Returns "rate" or "scene" when the frame at ``t`` is sent, else None."""
        if self.sent >= self.options.max_frames:
            self.full = True
            return None
        if self._last_sig is None:
            return self._send(t, signature, "rate")
        self._checked = t
        change = np.abs(signature - self._last_sig)
        since = t - self._last_t
        o = self.options
        scene = float(change.mean()) >= limits.SCENE_CHANGE_DIFF
        if o.scene and scene and since >= limits.MIN_SCENE_GAP_S:
            self.scenes += 1
            return self._send(t, signature, "scene")
        if t + _EPS < self._due:
            return None
        same = float(change.max()) < limits.DUPLICATE_DIFF
        if o.dedupe and same and since < limits.VIDEO_KEEPALIVE_S:
            self.duplicates += 1
            self._due = t + self.period
            return None
        return self._send(t, signature, "rate")

    def _send(self, t: float, signature: np.ndarray, reason: str) -> str:
        self.sent += 1
        self._last_sig, self._last_t, self._due = signature, t, t + self.period
        self._checked = t
        return reason


class VideoFrames:
    """The frames sampled from one video. Opening checks the file (InputError now, for this
    video alone); iterating decodes and yields (t, upright image) one at a time."""

    def __init__(self, path: str | os.PathLike, options: SamplingOptions, lang: str = "en"):
        self.options, self.lang = options, lang
        self._video: Video = open_video(path, lang)
        self.info: VideoInfo = self._video.info
        self.sampler = Sampler(options, self.info.duration_s)
        self._last_t: float | None = None

    @property
    def rate(self) -> float:
        return 1.0 / self.sampler.period

    @property
    def size(self) -> tuple[int, int]:
        return self._video.size

    @property
    def rotation(self) -> int:
        return self._video.rotation

    @property
    def decoded(self) -> int:
        return self._video.decoded

    @property
    def sent(self) -> int:
        return self.sampler.sent

    @property
    def duplicates(self) -> int:
        return self.sampler.duplicates

    @property
    def last_t(self) -> float | None:
        return self._last_t

    def __iter__(self) -> Iterator[tuple[float, Image.Image]]:
        try:
            for raw in self._video.frames():
                self._last_t = raw.t
                if (
                    not self.sampler.wants(raw.t)
                    or self.sampler.decide(raw.t, raw.signature) is None
                ):
                    if self.sampler.full:
                        break
                    continue
                yield raw.t, raw.picture(self.options.max_side)
        finally:
            self._video.close()

    @property
    def duration_s(self) -> float | None:
        """The container's length, else (a stream that does not say) the last frame's time."""
        return self.info.duration_s or self._last_t

    @property
    def notes(self) -> list[str]:
        """What a reader of the result must know about the sampling (catalogue words)."""
        out = []
        if self._video.cut_at is not None:
            out.append(t("video.cut-short", self.lang, t=_clock(self._video.cut_at)))
        if self.sampler.full:
            out.append(
                t(
                    "video.capped",
                    self.lang,
                    n=self.options.max_frames,
                    t=_clock(self._last_t or 0.0),
                )
            )
        if self.rate + _EPS < self.options.fps:
            out.append(
                t(
                    "video.rate-lowered",
                    self.lang,
                    fps=self.options.fps,
                    rate=self.rate,
                    n=self.options.max_frames,
                )
            )
        return out


def _clock(seconds: float) -> str:
    """12.3 s as "0:12.3"; an hour and more as "1:02:03"."""
    m, s = divmod(max(0.0, seconds), 60)
    h, m = divmod(int(m), 60)
    return f"{h}:{m:02d}:{s:02.0f}" if h else f"{m}:{s:04.1f}"


def sample_frames(
    path: str | os.PathLike,
    fps: float = limits.DEFAULT_VIDEO_FPS,
    max_frames: int = limits.DEFAULT_MAX_FRAMES,
    *,
    scene: bool = True,
    dedupe: bool = True,
    max_side: int = limits.VIDEO_MAX_SIDE,
    lang: str = "en",
) -> VideoFrames:
    """The frames of the video at ``path`` to send, as (t seconds, upright RGB image).
    Raises InputError (catalogue words in ``lang``) when the file is not a video we can read."""
    options = SamplingOptions(fps, max_frames, scene, dedupe, max_side)
    return VideoFrames(path, options, lang)
