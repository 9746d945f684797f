"""What the video flags (--fps, --max-frames) ask for, and the estimate printed before a
run spends anything: the frames to send, the requests, tokens and, at a known price, money.

    options_from_args(opts, lang)            SamplingOptions, or a ConfigurationError
    estimate(names, settings, options, lang) -> str | None   one line (None: no video)
    estimate_counts(names, settings, options) -> Estimate     the same, as numbers (the page)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .. import limits
from ..cost import ANSWER_TOKENS, CURRENCY, per_photo, price_for
from ..errors import ConfigurationError, SafetyError
from ..i18n import t
from .decode import open_video
from .pipeline import is_video
from .sampling import SamplingOptions


def options_from_args(opts, lang: str) -> SamplingOptions:
    """The sampling the run's options ask for (``opts.fps`` and ``opts.max_frames`` as
    typed); a bad value names the flag and what it takes."""
    fps_text, frames_text = opts.fps, opts.max_frames
    fps, max_frames = limits.DEFAULT_VIDEO_FPS, limits.DEFAULT_MAX_FRAMES
    if fps_text is not None:
        try:
            fps = float(fps_text)
        except ValueError:
            fps = math.nan
        if not limits.MIN_VIDEO_FPS <= fps <= limits.MAX_VIDEO_FPS:
            raise ConfigurationError(
                t(
                    "video.bad-fps",
                    lang,
                    low=limits.MIN_VIDEO_FPS,
                    high=limits.MAX_VIDEO_FPS,
                    value=fps_text,
                )
            )
    if frames_text is not None:
        try:
            max_frames = int(str(frames_text).strip())
        except ValueError:
            max_frames = 0
        if not 1 <= max_frames <= limits.MAX_MAX_FRAMES:
            raise ConfigurationError(
                t("video.bad-max-frames", lang, high=limits.MAX_MAX_FRAMES, value=frames_text)
            )
    return SamplingOptions(fps=fps, max_frames=max_frames)


def clock(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


@dataclass(frozen=True)
class Estimate:
    """What the videos of a run will cost before any re-check: ``money`` None without a
    known price."""

    videos: int = 0
    unreadable: int = 0
    seconds: float = 0.0
    frames: int = 0
    requests: int = 0
    tokens: int = 0
    money: float | None = None


def estimate_counts(names: Iterable[str], settings, options, lang: str = "en") -> Estimate:
    """The videos among ``names`` (opened for their length only), the frames they will give
    and what sending them costs. ``options``: SamplingOptions, or a function of the name
    giving each video's own (a page that caps each video by its length)."""
    videos = unreadable = frames = requests = tokens = 0
    seconds = 0.0
    for name in names:
        if not is_video(name) or "://" in name[:16]:
            continue
        videos += 1
        try:
            with open_video(name, lang, threads=False) as video:
                info = video.info
        except SafetyError:
            unreadable += 1
            continue
        own = options(name) if callable(options) else options
        n = own.expected_frames(info.duration_s)
        w, h = info.width, info.height
        k = min(1.0, own.max_side / max(w, h))
        per_request, per_tokens = per_photo(settings.detail, round(w * k), round(h * k))
        seconds += info.duration_s or 0.0
        frames += n
        requests += n * per_request
        tokens += n * per_tokens
    money = None
    price = price_for(settings.model) if settings.model else None
    if price is not None and requests:
        answer = requests * ANSWER_TOKENS
        money = (tokens - answer) / 1000 * price[0] + answer / 1000 * price[1]
    return Estimate(videos, unreadable, seconds, frames, requests, tokens, money)


def estimate(names: Iterable[str], settings, options: SamplingOptions, lang: str) -> str | None:
    """One line before the run: the videos among ``names``, the frames they will give, and
    what sending them costs (before any re-check)."""
    e = estimate_counts(names, settings, options, lang)
    if not e.videos:
        return None
    line = t(
        "video.estimate",
        lang,
        videos=e.videos,
        seconds=clock(e.seconds),
        frames=e.frames,
        requests=e.requests,
        tokens=e.tokens,
    )
    if e.money is not None:
        line += t(
            "video.estimate-money", lang, money=e.money, currency=CURRENCY, model=settings.model
        )
    else:
        line += t("video.estimate-end", lang)
    if e.unreadable:
        line += " " + t("video.estimate-unreadable", lang, n=e.unreadable)
    return line
