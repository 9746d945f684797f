"""What watch mode looks at, each polled once an interval.

    FolderSource    new or changed photos and videos in a folder (its subfolders too)
    SnapshotSource  a camera's JPEG snapshot URL, fetched through safety.net's guarded
                    download (checked address, pinned connection, size cap, deadline)
    StreamSource    an RTSP/RTMP/HLS/MJPEG stream: one frame an interval, through PyAV
                    (FFmpeg) when it is installed

``poll()`` returns the new frames as (name, bytes or None, path or None) and raises
SourceDown when the source cannot be reached. A snapshot or frame whose perceptual hash is
within the threshold of the last one sent is not returned again. A camera's frames all carry
the camera's name: the same hazard seen by the same camera is one hazard (for the alerts'
dedupe window), however many frames show it.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from ..archive.sources import PHOTO_SUFFIXES
from ..errors import SafetyError
from ..net import FetchPolicy
from ..net.photos import fetch_image_bytes
from .phash import DEFAULT_THRESHOLD, dhash, distance

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".3gp"})
STREAM_SCHEMES = ("rtsp", "rtsps", "rtmp", "rtmps")
STREAM_SUFFIXES = (".m3u8", ".mjpg", ".mjpeg", ".flv")
SETTLE_S = 2.0  # a file younger than this may still be syncing: it waits one more poll


class SourceDown(Exception):
    """The source cannot be reached now (the message names the host, never the query)."""


@dataclass(frozen=True)
class Frame:
    name: str
    data: bytes | None = None
    path: str | None = None


def display_name(url: str) -> str:
    """A URL as shown in lines and alerts: scheme, host and path; the query (which may carry
    a camera's password or token) and any user:password@ are left out."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class FolderSource:
    def __init__(self, folder: str):
        self.folder = Path(folder)
        self.name = str(folder)
        self.seen: dict[str, tuple[int, int]] = {}
        self.waiting: dict[str, tuple[int, int]] = {}
        self.first = True

    def _files(self):
        if not self.folder.is_dir():
            raise SourceDown(self.name)
        for root, _dirs, files in os.walk(self.folder):
            for file in files:
                if Path(file).suffix.lower() in PHOTO_SUFFIXES | VIDEO_SUFFIXES:
                    yield os.path.join(root, file)

    def poll(self) -> list[Frame]:
        """Files that appeared or changed since the last poll. Files already there when watch
        starts are its baseline: a restart does not inspect (and alert) them again."""
        new: list[Frame] = []
        now = time.time()
        for path in sorted(self._files()):
            try:
                st = os.stat(path)
            except OSError:
                continue  # removed meanwhile
            stamp = (st.st_mtime_ns, st.st_size)
            if self.first or self.seen.get(path) == stamp:
                self.seen[path] = stamp
                continue
            settled = self.waiting.get(path) == stamp or now - st.st_mtime >= SETTLE_S
            if not settled or st.st_size == 0:
                self.waiting[path] = stamp  # still being written: next time
                continue
            self.waiting.pop(path, None)
            self.seen[path] = stamp
            new.append(Frame(path, path=path))
        self.first = False
        return new


class _Hashed:
    """Shared by snapshots and streams: skip a frame that looks like the last one sent."""

    def __init__(self, threshold: int):
        self.threshold = threshold
        self.last: int | None = None
        self.unchanged = 0

    def changed(self, data: bytes) -> bool:
        try:
            h = dhash(data)
        except OSError:
            return True  # not decodable here: let the inspection say what is wrong
        if self.last is not None and distance(self.last, h) <= self.threshold:
            self.unchanged += 1
            return False
        self.last = h
        return True


class SnapshotSource(_Hashed):
    def __init__(self, url: str, policy: FetchPolicy, threshold: int = DEFAULT_THRESHOLD):
        super().__init__(threshold)
        self.url, self.policy, self.name = url, policy, display_name(url)

    def poll(self) -> list[Frame]:
        try:
            data, _ = fetch_image_bytes(self.url, self.policy)
        except SafetyError as exc:
            raise SourceDown(str(exc)) from None
        if not self.changed(data):
            return []
        return [Frame(self.name, data=data)]


class StreamSource(_Hashed):
    def __init__(self, url: str, timeout: float, threshold: int = DEFAULT_THRESHOLD):
        super().__init__(threshold)
        self.url, self.timeout, self.name = url, timeout, display_name(url)

    def poll(self) -> list[Frame]:
        try:
            import av  # PyAV: optional; its wheels carry FFmpeg
        except ImportError:
            raise SourceDown("PyAV") from None
        try:
            options = {"rtsp_transport": "tcp"} if self.url.startswith("rtsp") else {}
            with av.open(self.url, options=options, timeout=self.timeout) as container:
                frame = next(container.decode(video=0))
                buffer = io.BytesIO()
                frame.to_image().save(buffer, "JPEG", quality=90)
        except (av.FFmpegError, StopIteration, OSError) as exc:
            raise SourceDown(type(exc).__name__) from None
        data = buffer.getvalue()
        if not self.changed(data):
            return []
        return [Frame(self.name, data=data)]


def is_stream(spec: str) -> bool:
    parts = urlsplit(spec)
    return parts.scheme in STREAM_SCHEMES or (
        parts.scheme in ("http", "https") and parts.path.lower().endswith(STREAM_SUFFIXES)
    )


def make_source(spec: str, policy: FetchPolicy, every: float, threshold: int = DEFAULT_THRESHOLD):
    """The source a command-line SOURCE names. A snapshot's download must end within the
    interval (at most the policy's own deadline), so a stalled camera never stops the loop."""
    timeout = max(1.0, min(policy.total_timeout, every))
    if is_stream(spec):
        return StreamSource(spec, timeout, threshold)
    if urlsplit(spec).scheme in ("http", "https"):
        quick = replace(policy, read_timeout=min(policy.read_timeout, timeout),
                        total_timeout=timeout)  # fmt: skip
        return SnapshotSource(spec, quick, threshold)
    return FolderSource(spec)
