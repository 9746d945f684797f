"""The watch loop: every interval, each source polled, what is new inspected, recorded in the
ledger where there is one, and alerted; a line for each photo and one for each round.

A source that fails is reported once ("down"), retried every interval, and reported again
when it is back. Ctrl+C or SIGTERM sets ``stop``: the round in progress is cut short, pending
alerts go out, and the loop returns.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..alerts.hooks import notify
from ..alerts.sender import Alerter
from ..detections import ImageResult
from ..files import write_atomic
from ..i18n import t, t_n
from ..inspection import Inspector
from ..ledger_link import available as ledger_available
from ..ledger_link import record as ledger_record
from ..source import Source
from ..summary import summarize, verdict_text
from .sources import VIDEO_SUFFIXES, Frame, SourceDown


@dataclass
class Tally:
    rounds: int = 0
    inspected: int = 0
    failed: int = 0
    alerts: int = 0
    recorded: int = 0
    down: set[str] = field(default_factory=set)


def _video_support():
    """safety.video where this install has it (videos are sampled into frames), else None."""
    try:
        if importlib.util.find_spec("safety.video") is None:
            return None
    except (ImportError, ValueError):
        return None
    return importlib.import_module("safety.video")


class Watcher:
    def __init__(
        self,
        sources: list,
        inspector: Inspector,
        every: float,
        lang: str,
        say: Callable[[str], None],
        *,
        site: str = "",
        alerter: Alerter | None = None,
        rules=None,
        out_dir: Path | None = None,
        stop: threading.Event | None = None,
    ):
        self.sources, self.inspector, self.every = sources, inspector, every
        self.lang, self.say, self.site = lang, say, site
        self.alerter, self.rules, self.out_dir = alerter, rules, out_dir
        self.stop = stop or threading.Event()
        self.tally = Tally()
        self.video = _video_support()
        self.videos_said = False
        self.ledger = ledger_available()

    def run(self, rounds: int | None = None) -> Tally:
        """Round after round until stopped (or ``rounds`` rounds, for tests)."""
        ledger = t("watch.ledger-on" if self.ledger else "watch.ledger-off", self.lang)
        self.say(t("watch.start", self.lang, n=len(self.sources), every=self.every, ledger=ledger))
        while not self.stop.is_set():
            started = time.monotonic()
            self.round()
            if rounds is not None and self.tally.rounds >= rounds:
                break
            self.stop.wait(max(0.0, self.every - (time.monotonic() - started)))
        return self.tally

    def round(self) -> None:
        frames: list[Frame] = []
        for source in self.sources:
            if self.stop.is_set():
                return
            frames += self._poll(source)
        if frames and not self.stop.is_set():
            self._inspect(frames)
        self.tally.rounds += 1
        self.say(t("watch.round", self.lang, clock=time.strftime("%H:%M:%S"), new=len(frames),
                   down=len(self.tally.down), inspected=self.tally.inspected,
                   alerts=self.tally.alerts, every=self.every))  # fmt: skip

    def _poll(self, source) -> list[Frame]:
        try:
            frames = source.poll()
        except SourceDown as exc:
            if source.name not in self.tally.down:  # said once, not every interval
                self.tally.down.add(source.name)
                self.say(t("watch.down", self.lang, source=source.name, why=exc, every=self.every))
            return []
        if source.name in self.tally.down:
            self.tally.down.discard(source.name)
            self.say(t("watch.back", self.lang, source=source.name))
        return frames

    def _items(self, frames: list[Frame]) -> list[Source | str]:
        items: list[Source | str] = []
        for f in frames:
            if f.path and Path(f.path).suffix.lower() in VIDEO_SUFFIXES:
                if self.video is None:
                    if not self.videos_said:
                        self.say(t("watch.no-video", self.lang))
                        self.videos_said = True
                    continue
                items.append(f.path)
            else:
                items.append(Source(f.name, data=f.data, path=f.path))
        return items

    def _inspect(self, frames: list[Frame]) -> None:
        items = self._items(frames)
        if not items:
            return
        if self.video is not None:
            results = self.video.inspect_mixed(self.inspector, items, lang=self.lang)
        else:
            results = self.inspector.inspect_many(items, cancel=self.stop)
        done: list[ImageResult] = []
        for r in results:
            self.tally.inspected += 1
            self.tally.failed += not r.ok
            self.tally.alerts += notify(self.alerter, r, self.site, self.rules, self.lang)
            self._keep(r)
            self._line(r)
            done.append(r)
        if self.ledger and done:
            try:
                self.tally.recorded += ledger_record(done, self.site, origin="watch",
                                                     rules=self.rules, lang=self.lang)  # fmt: skip
            except Exception as exc:  # the ledger's own errors say the fix; the watch goes on
                self.say(t("watch.not-recorded", self.lang, why=exc))

    def _keep(self, r: ImageResult) -> None:
        if self.out_dir and r.ok and r.marked_jpeg:
            stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in r.source)[-80:]
            write_atomic(self.out_dir / f"{time.strftime('%Y%m%d-%H%M%S')}_{stem}_marked.jpg",
                         r.marked_jpeg)  # fmt: skip
        r.marked_jpeg = r.preview_jpeg = r.photo_jpeg = None  # memory stays flat

    def _line(self, r: ImageResult) -> None:
        clock = time.strftime("%H:%M:%S")
        if not r.ok:
            self.say(
                t("watch.photo-failed", self.lang, clock=clock, source=r.source, error=r.error)
            )
            return
        verdict = verdict_text(summarize([r]), self.lang)
        self.say(t("watch.photo", self.lang, clock=clock, source=r.source, verdict=verdict))


def summary_line(tally: Tally, lang: str) -> str:
    return t_n("watch.stopped", tally.inspected, lang, rounds=tally.rounds, alerts=tally.alerts)
