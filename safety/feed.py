"""Items of a slow iterator pulled on a thread of their own, a few ahead.

    feed = Feed(iterator, ahead)      starts pulling at once
    feed.take() -> item               the next item; Feed.PENDING when none is ready yet;
                                      StopIteration at the end; the iterator's exception
    feed.wait(timeout)                until an item (or the end) is there, at most timeout
    feed.close()                      stop pulling (the thread ends at its next item)
    drained(feed) -> Iterator         every item left, waiting for each

Why: the pipeline's loop (safety.inspection.Inspector.inspect_many) asks for the next photo
between handing frames to the model. A video's next frame may take a moment to decode; had
the loop waited for it, the requests ready to go would have waited too.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator


class Feed:
    PENDING = object()
    _END = object()

    def __init__(self, items: Iterator, ahead: int):
        self._items, self._queue = items, queue.Queue(maxsize=max(1, ahead))
        self._stop = threading.Event()
        self._ended = False
        self._thread = threading.Thread(target=self._pull, name="inspect-feed", daemon=True)
        self._thread.start()

    def _pull(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    return
            self._put(self._END)
        except BaseException as exc:  # handed to the loop, which raises it there
            self._put(exc)

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def take(self):
        if self._ended:
            raise StopIteration
        try:
            item = self._queue.get_nowait()
        except queue.Empty:
            return self.PENDING
        if item is self._END:
            self._ended = True
            raise StopIteration
        if isinstance(item, BaseException):
            self._ended = True
            raise item
        return item

    def wait(self, timeout: float) -> None:
        """Block until an item is there (left in the queue) or ``timeout`` passes."""
        with self._queue.not_empty:
            if not self._queue._qsize():
                self._queue.not_empty.wait(timeout)

    def close(self) -> None:
        self._stop.set()


def drained(feed: Feed) -> Iterator:
    """Every item the feed has left, waiting for each (its end, or its exception)."""
    while True:
        try:
            item = feed.take()
        except StopIteration:
            return
        if item is Feed.PENDING:
            feed.wait(0.25)
            continue
        yield item
