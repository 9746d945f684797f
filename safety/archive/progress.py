"""What a long run shows while it works.

On a terminal: one tqdm bar on stderr with photos done out of the total, photos per second,
the time left and the failures so far; a failed photo's line is printed above the bar. The
total is counted in the background (a folder of 100,000 photos starts at once; until the
count is in, the bar shows "?"). Elsewhere (standard output or error piped or in a log
file, ``--quiet``, ``--json -``): plain lines, one per photo, which is what a log wants.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable

from ..i18n import t


def wants_bar(quiet: bool, json_to_stdout: bool, streams=None) -> bool:
    """A bar only when a person watches: both outputs on a terminal. ``inspect ... > log``
    keeps its plain lines in the log."""
    streams = streams or (sys.stdout, sys.stderr)
    on_terminal = all(getattr(s, "isatty", lambda: False)() for s in streams)
    return not quiet and not json_to_stdout and on_terminal


class Progress:
    """Counts of this run, and the bar when there is one (``bar=False``: no bar)."""

    def __init__(self, lang: str, *, bar: bool, out=None):
        self.lang = lang
        self.out = out  # where plain lines go (stdout; stderr when stdout carries the JSON)
        self.done = 0
        self.failed = 0
        self.total: int | None = None
        self._bar = None
        self._lock = threading.Lock()
        self._seen: set[str] = set()
        if bar:
            from tqdm import tqdm

            # A terminal that reports no size (a bare pty, some emulators) would get no bar
            # from tqdm: give it a common one.
            try:
                sized = os.get_terminal_size(sys.stderr.fileno()).columns > 0
            except (OSError, ValueError):
                sized = False
            self._bar = tqdm(
                total=None,
                file=sys.stderr,
                unit=t("archive.unit", lang),
                dynamic_ncols=sized,
                ncols=None if sized else 100,
                nrows=None if sized else 24,
                smoothing=0.05,  # an archive's pace: the average over many photos
                bar_format=t("archive.bar", lang),
                postfix=t("archive.failed-so-far", lang, n=0),
            )

    def count_in_background(self, counter: Callable[[], int]) -> None:
        """Count the photos to do in a thread; the bar's total is set when known."""

        def count() -> None:
            try:
                total = counter()
            except Exception:  # a folder that changes under us: the bar just shows "?"
                return
            with self._lock:
                self.total = total
                if self._bar is not None:
                    self._bar.total = total
                    self._bar.refresh()

        threading.Thread(target=count, name="count-photos", daemon=True).start()

    def advance(self, failed: bool) -> None:
        with self._lock:
            self.done += 1
            self.failed += failed
            if self._bar is not None:
                if failed:
                    self._bar.set_postfix_str(
                        t("archive.failed-so-far", self.lang, n=self.failed), refresh=False
                    )
                self._bar.update(1)

    def say(self, line: str, *, err: bool = False) -> None:
        """A line for the user, printed above the bar when there is one."""
        stream = sys.stderr if err or self._bar is not None else (self.out or sys.stdout)
        if self._bar is not None:
            self._bar.write(line, file=stream)
        else:
            print(line, file=stream, flush=True)

    @property
    def has_bar(self) -> bool:
        return self._bar is not None

    def position(self) -> tuple[int, str]:
        """(photos done, total) for a plain line; the total is "?" while being counted."""
        return self.done, "?" if self.total is None else str(self.total)

    def new_notes(self, notes: list[str]) -> list[str]:
        """The notes to print: all of them in plain lines (a log keeps every one); above a
        bar, each text once (a calibration note on every photo would bury the bar)."""
        if self._bar is None:
            return list(notes)
        fresh = [n for n in dict.fromkeys(notes) if n not in self._seen]
        if len(self._seen) < 1000:
            self._seen.update(fresh)
        return fresh

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
