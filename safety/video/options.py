"""The command line's video flags (--fps, --max-frames) and the estimate printed before a
run spends anything: the frames to send, the requests, tokens and, at a known price, money.

    add_video_args(group, lang)              the flags, with their defaults from limits
    options_from_args(args, lang)            SamplingOptions, or a ConfigurationError
    estimate(names, settings, options, lang) -> str | None   one line (None: no video)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .. import limits
from ..cost import ANSWER_TOKENS, CURRENCY, per_photo, price_for
from ..errors import ConfigurationError, SafetyError
from ..i18n import t
from .decode import open_video
from .pipeline import is_video
from .sampling import SamplingOptions


def add_video_args(group, lang: str) -> None:
    group.add_argument(
        "--fps", metavar="N", help=t("video.cli.fps", lang, n=limits.DEFAULT_VIDEO_FPS)
    )
    group.add_argument(
        "--max-frames",
        metavar="N",
        help=t("video.cli.max-frames", lang, n=limits.DEFAULT_MAX_FRAMES),
    )


def options_from_args(args, lang: str) -> SamplingOptions:
    """The sampling the flags ask for; a bad value names the flag and what it takes."""
    fps_text = getattr(args, "fps", None)
    frames_text = getattr(args, "max_frames", None)
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


def _clock(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def estimate(names: Iterable[str], settings, options: SamplingOptions, lang: str) -> str | None:
    """One line before the run: the videos among ``names`` (opened for their length only),
    the frames they will give, and what sending them costs (before any re-check)."""
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
        n = options.expected_frames(info.duration_s)
        w, h = info.width, info.height
        k = min(1.0, options.max_side / max(w, h))
        per_request, per_tokens = per_photo(settings.detail, round(w * k), round(h * k))
        seconds += info.duration_s or 0.0
        frames += n
        requests += n * per_request
        tokens += n * per_tokens
    if not videos:
        return None
    line = t(
        "video.estimate",
        lang,
        videos=videos,
        seconds=_clock(seconds),
        frames=frames,
        requests=requests,
        tokens=tokens,
    )
    price = price_for(settings.model)
    if price is not None and requests:
        answer = requests * ANSWER_TOKENS
        money = (tokens - answer) / 1000 * price[0] + answer / 1000 * price[1]
        line += t(
            "video.estimate-money", lang, money=money, currency=CURRENCY, model=settings.model
        )
    else:
        line += t("video.estimate-end", lang)
    if unreadable:
        line += " " + t("video.estimate-unreadable", lang, n=unreadable)
    return line
