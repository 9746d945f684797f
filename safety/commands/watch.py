"""python -m safety watch SOURCE... --every SECONDS [--site NAME] [--alerts FILE.toml]

A SOURCE is a folder (new or changed photos and videos), a camera's snapshot URL, or a
stream URL (rtsp://, rtmp://, .m3u8, .mjpg: one frame an interval, through PyAV). Runs until
Ctrl+C or SIGTERM, which end it cleanly (exit status 0): pending alerts go out first.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from ..alerts.hooks import finish, open_alerter
from ..config import AppConfig
from ..errors import ConfigurationError
from ..i18n import LANGS, t
from ..inspection import Inspector
from ..privacy import make_privacy
from ..site_profile import load_site, with_site
from ..watch.loop import Watcher, summary_line
from ..watch.phash import DEFAULT_THRESHOLD
from ..watch.sources import make_source
from .args import EndpointOptions, add_endpoint_args, add_privacy_args, add_request_args, pick
from .args import add_site_args as add_profile_args

MIN_EVERY_S = 1.0


def add_watch_parser(sub, lang: str) -> None:
    w = sub.add_parser(
        "watch",
        help=t("watch.cli.help", lang),
        description=t("watch.cli.description", lang),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    w.add_argument("sources", nargs="+", metavar="SOURCE", help=t("watch.cli.sources", lang))
    w.add_argument("--every", type=float, required=True, metavar="SECONDS",
                   help=t("watch.cli.every", lang))  # fmt: skip
    w.add_argument("--site", default="", help=t("watch.cli.site", lang))
    w.add_argument("--alerts", metavar="FILE.toml", help=t("alerts.cli.alerts", lang))
    w.add_argument("--out", metavar="DIR", help=t("watch.cli.out", lang))
    w.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD, metavar="BITS",
                   help=t("watch.cli.threshold", lang, n=DEFAULT_THRESHOLD))  # fmt: skip
    w.add_argument("--lang", choices=LANGS, default=lang, help=t("cli.lang", lang, lang=lang))
    add_endpoint_args(w, lang)
    add_request_args(w.add_argument_group(t("cli.group.run", lang)), lang)
    privacy = w.add_argument_group(t("cli.group.privacy", lang))
    add_privacy_args(privacy, lang)
    add_profile_args(privacy, lang)


@dataclass(frozen=True)
class WatchOptions:
    sources: tuple[str, ...]
    every: float
    endpoint: EndpointOptions
    site: str = ""
    alerts: str | None = None
    out: str | None = None
    threshold: int = DEFAULT_THRESHOLD
    lang: str = "en"
    blur_faces: bool = False
    blur_before_send: bool = False
    site_profile: str | None = None
    rules: str | None = None

    @classmethod
    def read(cls, args: argparse.Namespace) -> WatchOptions:
        return pick(cls, args, endpoint=EndpointOptions.read(args))


def cmd_watch(args: argparse.Namespace, config: AppConfig) -> int:
    return watch(WatchOptions.read(args), config)


def _say(line: str) -> None:
    print(line, flush=True)


def _warn(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def watch(opts: WatchOptions, config: AppConfig, stop: threading.Event | None = None) -> int:
    lang = opts.lang
    if opts.every < MIN_EVERY_S:
        raise ConfigurationError(t("watch.bad-every", lang, n=MIN_EVERY_S))
    if not 0 <= opts.threshold <= 64:
        raise ConfigurationError(t("watch.bad-threshold", lang))
    settings = opts.endpoint.settings(config, lang)
    profile, rules = load_site(opts.site_profile, opts.rules, config.rules_dir)
    settings = settings.with_(prompt=with_site(settings.prompt, profile))
    sources = [make_source(s, config.fetch, opts.every, opts.threshold) for s in opts.sources]
    out_dir = Path(opts.out) if opts.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    alerter = open_alerter(opts.alerts, lang, _warn) if opts.alerts else None
    inspector = Inspector(
        settings,
        lang=lang,
        fetch_policy=config.fetch,
        keep_images=True,
        privacy=make_privacy(opts.blur_faces, opts.blur_before_send),
    )
    stop = stop or threading.Event()
    site = opts.site or (profile.name if profile else "")
    watcher = Watcher(sources, inspector, opts.every, lang, _say, site=site, alerter=alerter,
                      rules=rules, out_dir=out_dir, stop=stop)  # fmt: skip
    previous = _on_signals(stop)
    try:
        watcher.run()
    except KeyboardInterrupt:
        stop.set()
    finally:
        _restore(previous)
        inspector.close()
        finish(alerter, _warn, lang)
    _say(summary_line(watcher.tally, lang))
    return 0


def _on_signals(stop: threading.Event) -> dict:
    """SIGTERM (and SIGINT) set ``stop``: the loop ends at its next step, cleanly."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous[sig] = signal.signal(sig, lambda *_: stop.set())
    return previous


def _restore(previous: dict) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)
