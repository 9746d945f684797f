"""Who is asking, and how much they may still ask: per-client limits of a public page.

A visitor is known by their address (the socket's peer; on a Space, the address the Space's
own proxy recorded last in X-Forwarded-For, which no client can choose) and by their
browser session. Each has its own count of photos in the last hour, and its own number of
runs going on at once: a visitor who opens many sessions still has one address.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import gradio as gr

from ..config import AppConfig
from ..errors import InputError
from ..i18n import t

HOUR = 3600.0


@dataclass(frozen=True)
class Visitor:
    address: str
    session: str
    trusted: bool  # logged in through SAFETY_AUTH, or the page is not public

    @property
    def keys(self) -> tuple[str, str]:
        return (f"ip:{self.address}", f"session:{self.session}")


def visitor_of(request: gr.Request | None, config: AppConfig) -> Visitor:
    headers = getattr(request, "headers", None) or {}
    client = getattr(request, "client", None)
    address = getattr(client, "host", None) or "unknown"
    forwarded = headers.get("x-forwarded-for", "")
    if config.behind_proxy and forwarded:
        # Behind the Space's proxy the peer is the proxy; the proxy appends the address it
        # saw, so the last entry is the one a visitor cannot choose. Anywhere else the header
        # is the client's own words, and a client could name a new address per request.
        address = forwarded.split(",")[-1].strip() or address
    session = getattr(request, "session_hash", None) or "none"
    logged_in = bool(getattr(request, "username", None))
    return Visitor(address, session, trusted=logged_in or not config.public)


class ClientLimits:
    """Photos per hour and runs at once, per address and per session (0: no limit); and
    other work per hour (``spend``: reports written, photos drawn again)."""

    def __init__(
        self,
        photos_per_hour: int,
        runs_at_once: int,
        clock: Callable = time.time,
        work_per_hour: dict[str, int] | None = None,
    ):
        self.photos_per_hour = photos_per_hour
        self.runs_at_once = runs_at_once
        self.clock = clock
        # kind of work -> (units per hour, the refusal's catalogue key); 0: no limit
        self.work_per_hour = work_per_hour or {}
        self._lock = threading.Lock()
        self._photos: dict[str, deque[tuple[float, int]]] = {}
        self._running: dict[str, int] = {}

    def _used(self, key: str, now: float) -> int:
        window = self._photos.get(key)
        if window is None:
            return 0
        while window and window[0][0] <= now - HOUR:
            window.popleft()
        if not window:
            del self._photos[key]  # an idle visitor costs no memory
            return 0
        return sum(n for _, n in window)

    def _wait_minutes(self, key: str, photos: int, now: float, limit: int | None = None) -> int:
        """Minutes until ``photos`` more fit in the key's hour, as its oldest runs expire."""
        limit = self.photos_per_hour if limit is None else limit
        used = self._used(key, now)
        for stamp, n in self._photos.get(key, ()):
            used -= n
            if used + photos <= limit:
                return max(1, math.ceil((stamp + HOUR - now) / 60))
        return 60

    def spend(self, visitor: Visitor, kind: str, units: int, lang: str) -> None:
        """Count ``units`` of work of ``kind`` (a key of ``work_per_hour``) against the
        visitor's hour, or raise InputError saying when to come back."""
        limit = self.work_per_hour.get(kind, 0)
        if visitor.trusted or not limit or units <= 0:
            return
        with self._lock:
            now = self.clock()
            keys = [f"{kind}|{key}" for key in visitor.keys]
            for key in keys:
                if self._used(key, now) + units > limit:
                    minutes = self._wait_minutes(key, units, now, limit)
                    raise InputError(t(f"page.limit.{kind}", lang, n=limit, minutes=minutes))
            for key in keys:
                self._photos.setdefault(key, deque()).append((now, units))

    @contextmanager
    def run(self, visitor: Visitor, photos: int, lang: str) -> Iterator[None]:
        """Admit one run of ``photos`` photos, or raise InputError saying when to come back."""
        if visitor.trusted:
            yield
            return
        with self._lock:
            now = self.clock()
            if len(self._photos) > 1000:  # forget every visitor whose hour has passed
                for key in list(self._photos):
                    self._used(key, now)
            for key in visitor.keys:
                if self.runs_at_once and self._running.get(key, 0) >= self.runs_at_once:
                    raise InputError(t("page.limit.runs", lang, n=self.runs_at_once))
            if self.photos_per_hour:
                if photos > self.photos_per_hour:
                    raise InputError(t("page.limit.run-size", lang, n=self.photos_per_hour))
                for key in visitor.keys:
                    if self._used(key, now) + photos > self.photos_per_hour:
                        minutes = self._wait_minutes(key, photos, now)
                        raise InputError(
                            t("page.limit.hour", lang, n=self.photos_per_hour, minutes=minutes)
                        )
                for key in visitor.keys:
                    self._photos.setdefault(key, deque()).append((now, photos))
            for key in visitor.keys:
                self._running[key] = self._running.get(key, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                for key in visitor.keys:
                    self._running[key] -= 1
                    if not self._running[key]:
                        del self._running[key]
