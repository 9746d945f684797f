"""A run's videos before anything is spent: each video's sampling within the page's bounds
(length, size, frames per video), the frames a visitor is charged, and the estimate the
page shows beside the upload.

    plan_videos(items, config, lang) -> VideoPlan
        .options_for(src)   the video's SamplingOptions; raises InputError for a video
                            past the page's bounds (that video's error; the others go on)
        .charged            frames counted against the visitor's photos per hour
    estimate_html(paths, names, config, detail, lang, trusted) -> str   the text beside the upload

Every frame sent counts as a photo against the per-hour limit of a public page. A video's
cap is the frames its length gives at the rate, plus room for scene changes, never more than
the page's frames per video; the visitor is charged that cap (known before the run), so the
run can never send more than was counted.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace

from ..config import AppConfig
from ..cost import CURRENCY, per_photo
from ..errors import InputError, SafetyError
from ..i18n import t
from ..limits import DEFAULT_DETAIL
from ..source import Source
from ..video import SamplingOptions, is_video
from ..video.decode import open_video
from ..video.options import clock, estimate_counts
from .views import esc, short

SCENE_ROOM = 0.2  # scene changes a video may add beyond its rate, as a share of its frames


@dataclass
class _Planned:
    options: SamplingOptions | None
    error: str | None = None
    seconds: float | None = None
    mb: float = 0.0


@dataclass
class VideoPlan:
    """The videos of one run, each with its sampling or the reason it is refused."""

    by_path: dict[str, _Planned] = field(default_factory=dict)
    default: SamplingOptions = field(default_factory=SamplingOptions)

    @property
    def charged(self) -> int:
        return sum(p.options.max_frames for p in self.by_path.values() if p.options)

    @property
    def videos(self) -> int:
        return len(self.by_path)

    def options_for(self, src: Source) -> SamplingOptions:
        planned = self.by_path.get(src.path or "")
        if planned is None:
            return self.default
        if planned.error:
            raise InputError(planned.error)
        return planned.options


def _cap(frames_per_video: int, duration_s: float | None) -> SamplingOptions:
    """One video's sampling: the rate's frames for its length plus room for scene changes,
    within the page's frames per video (the rate is lowered to fit a long video)."""
    whole = SamplingOptions(max_frames=frames_per_video)
    if not duration_s:
        return whole
    expected = whole.expected_frames(duration_s)
    room = max(2, math.ceil(expected * SCENE_ROOM))
    return replace(whole, max_frames=min(frames_per_video, expected + room))


def _plan_one(path: str, name: str, config: AppConfig, lang: str) -> _Planned:
    try:
        mb = os.path.getsize(path) / (1024 * 1024)
    except OSError:
        return _Planned(SamplingOptions(max_frames=config.video_frames))  # the run says why
    if mb > config.max_video_mb:
        key = dict(name=short(name, 60), mb=mb, limit=config.max_video_mb)
        return _Planned(None, t("page.video.too-big", lang, **key), mb=mb)
    try:
        with open_video(path, lang, threads=False) as video:
            seconds = video.info.duration_s
    except SafetyError:
        # Not a video we can read: the run says why at once, having sent nothing.
        return _Planned(SamplingOptions(max_frames=1), mb=mb)
    if config.max_video_s and seconds and seconds > config.max_video_s:
        words = dict(name=short(name, 60), length=clock(seconds), limit=clock(config.max_video_s))
        return _Planned(None, t("page.video.too-long", lang, **words), seconds, mb)
    return _Planned(_cap(config.video_frames, seconds), None, seconds, mb)


def check_photo_sizes(items: list[Source], config: AppConfig, lang: str) -> None:
    """An uploaded photo past the page's photo size (uploads may be as large as a video)."""
    for src in items:
        if src.path and not is_video(src.name):
            try:
                mb = os.path.getsize(src.path) / (1024 * 1024)
            except OSError:
                continue  # the run says why it cannot be read
            if mb > config.max_file_mb:
                words = dict(name=short(src.name, 60), mb=mb, limit=config.max_file_mb)
                raise InputError(t("page.photo-too-big", lang, **words))


def plan_videos(items: list[Source], config: AppConfig, lang: str) -> VideoPlan:
    """Open each uploaded video's header once: its length, size and sampling."""
    check_photo_sizes(items, config, lang)
    return _plan_quietly(items, config, lang)


@dataclass(frozen=True)
class _Costed:
    """The two settings the estimate reads."""

    detail: str
    model: str | None


def _settings(config: AppConfig, detail: str | None) -> _Costed:
    """What the estimate needs of the endpoint: the detail chosen and, for a price, the
    model (not the owner's on a public page, as the photos' cost: safety.web.estimate)."""
    own = config.endpoint
    model = own.model if own is not None and not config.public else None
    return _Costed(detail=detail or (own.detail if own else DEFAULT_DETAIL), model=model)


def estimate_html(
    paths: list[tuple[str, str]], config: AppConfig, detail: str | None, lang: str,
    trusted: bool,
) -> str:  # fmt: skip
    """The cost of the uploaded files before Inspect: each video's length, size and frames,
    the requests and the price; a public page's bounds and what the visitor is charged.
    ``paths``: (path on disk, name as uploaded). Empty without a video."""
    videos = [(p, n) for p, n in paths if is_video(n)]
    if not videos:
        return ""
    items = [Source(n, path=p) for p, n in paths]
    plan = _plan_quietly(items, config, lang)  # a photo too large is said at Inspect
    settings = _settings(config, detail)
    by_path = {p: n for p, n in videos}
    lines, problems = [], []
    for path, planned in plan.by_path.items():
        name = short(by_path.get(path, path), 40)
        if planned.error:
            problems.append(planned.error)
            continue
        frames = planned.options.expected_frames(planned.seconds) if planned.options else 0
        length = clock(planned.seconds) if planned.seconds else "?"
        size = f"{planned.mb:.1f} MB" if planned.mb >= 0.1 else f"{planned.mb * 1024:.0f} KB"
        lines.append(t("page.video.line", lang, name=name, length=length, size=size,
                       frames=frames))  # fmt: skip
    ok_paths = [p for p, pl in plan.by_path.items() if not pl.error]
    counts = estimate_counts(ok_paths, settings, lambda p: plan.by_path[p].options, lang)
    photos = [p for p, n in paths if not is_video(n)]
    if counts.videos:
        lines.append(t("video.estimate", lang, videos=counts.videos, seconds=clock(counts.seconds),
                       frames=counts.frames, requests=counts.requests, tokens=counts.tokens)
                     + t("video.estimate-end", lang))  # fmt: skip
    if photos:
        per_request = per_photo(settings.detail, 1600, 1200)[0]
        lines.append(t("page.video.photos", lang, n=len(photos),
                       requests=len(photos) * per_request))  # fmt: skip
    if counts.money is not None:
        lines.append(t("page.video.money", lang, money=counts.money, currency=CURRENCY))
    elif settings.model:
        lines.append(t("page.video.no-price", lang))
    if config.public:
        limits_line = t("page.video.bounds", lang, length=clock(config.max_video_s or 0),
                        mb=config.max_video_mb, frames=config.video_frames)  # fmt: skip
        lines.append(limits_line)
        if not trusted and config.photos_per_hour:
            n = plan.charged + len(photos)
            lines.append(t("page.video.charged", lang, per_hour=config.photos_per_hour, n=n))
    body = "".join(f"<li>{esc(line)}</li>" for line in lines)
    bad = "".join(f'<li class="bad">{esc(p)}</li>' for p in problems)
    title = esc(t("page.video.estimate-title", lang))
    return f'<div class="video-estimate"><b>{title}</b><ul>{bad}{body}</ul></div>'


def _plan_quietly(items: list[Source], config: AppConfig, lang: str) -> VideoPlan:
    plan = VideoPlan(default=SamplingOptions(max_frames=config.video_frames))
    for src in items:
        if src.path and is_video(src.name):
            plan.by_path[src.path] = _plan_one(src.path, src.name, config, lang)
    return plan
