"""Never a flood: how many messages a robot may be sent, and what it was told lately.

RateLimiter  a sliding window per minute (and per second where the platform has one): the
             time to wait before the next message may go.
Deduper      the same hazard (site, source, kind of finding) is not alerted twice within
             ``window`` seconds.
Both take the time as an argument (a monotonic clock in use), so tests need no sleeping.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Hashable


class RateLimiter:
    def __init__(self, per_minute: int, per_second: int | None = None):
        self.windows = [(60.0, per_minute)] + ([(1.0, per_second)] if per_second else [])
        self.sent: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more message may be sent (0: now)."""
        longest = self.windows[0][0]
        while self.sent and self.sent[0] <= now - longest:
            self.sent.popleft()
        wait = 0.0
        for span, limit in self.windows:
            recent = [s for s in self.sent if s > now - span]
            if len(recent) >= limit:
                wait = max(wait, recent[-limit] + span - now)
        return wait

    def note(self, now: float) -> None:
        """One message went out at ``now``."""
        self.sent.append(now)


class Deduper:
    def __init__(self, window: float):
        self.window = window
        self.last: dict[Hashable, float] = {}
        self.lock = threading.Lock()

    def fresh(self, key: Hashable, now: float) -> bool:
        """True (and remembered) when ``key`` was not alerted within the window."""
        with self.lock:
            last = self.last.get(key)
            if last is not None and now - last < self.window:
                return False
            self.last[key] = now
            if len(self.last) > 10_000:  # forget the oldest: memory stays bounded
                for old in sorted(self.last, key=self.last.__getitem__)[:5_000]:
                    del self.last[old]
            return True

    def forget(self, key: Hashable) -> None:
        """An alert that never arrived: the next sighting may alert again."""
        with self.lock:
            self.last.pop(key, None)
