"""The review surfaces in the attackers' mix (benchmarks/attack_load.py): a third attacker,
from its own loopback address, that reopens the worst run the page lets it reopen and then
asks for the report and for redraws until it is refused, again and again.

The run it reopens lists as many photos as a run may have (SAFETY_MAX_PHOTOS, 50), over the
attackers' 50 MP photos (one of each costly kind, so that an upload fits the attack's
minute), each with the most findings a reopened photo may have (REOPEN_MAX_FINDINGS): each
upload decoded once, every entry blurred and drawn with its findings.
It uses the page's own events, as a browser does: Gradio's queue, by event index.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REVIEW_ADDRESS = "127.0.0.5"
MAX_ROUNDS = 200


@dataclass
class ReviewTally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: Counter = field(default_factory=Counter)  # reopen, report, redraw: accepted
    refused: Counter = field(default_factory=Counter)  # (what, message)
    seconds: dict = field(default_factory=dict)  # what -> [seconds of each accepted]

    def plain(self) -> dict:
        return {
            "done": dict(self.done),
            "refused": {f"{w}: {m}": n for (w, m), n in self.refused.items()},
            "seconds": self.seconds,
        }


def worst_results(photos: list[str], n_photos: int, findings: int, folder: Path) -> Path:
    """A results JSON of ``n_photos`` entries over ``photos``, ``findings`` each."""
    entries = []
    from PIL import Image

    for n in range(n_photos):
        path = photos[n % len(photos)]
        with Image.open(path) as img:
            width, height = img.size
        sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        boxes = [
            {"category": "person", "helmet": "missing", "label": "worker",
             "box": [(37 * k) % (width - 60), (53 * k) % (height - 120),
                     (37 * k) % (width - 60) + 50, (53 * k) % (height - 120) + 110]}
            for k in range(findings)
        ]  # fmt: skip
        entries.append({"source": Path(path).name, "width": width, "height": height,
                        "error": None, "sha256": sha, "detections": boxes})  # fmt: skip
    out = folder / "worst-results.json"
    out.write_text(json.dumps({"images": entries}), encoding="utf-8")
    return out


class Page:
    """The page's events over one loopback address, as a browser sends them."""

    def __init__(self, url: str, source: str | None):
        transport = httpx.HTTPTransport(local_address=source) if source else None
        self.http = httpx.Client(base_url=url.rstrip("/"), transport=transport, timeout=600)
        self.session = uuid.uuid4().hex[:12]
        config = self.http.get("/config").json()
        self.ids = {c["props"]["elem_id"]: c["id"] for c in config["components"]
                    if c.get("props", {}).get("elem_id")}  # fmt: skip
        self.deps = config["dependencies"]

    def event(self, elem_id: str) -> int:
        target = [self.ids[elem_id], "click"]
        return next(d["id"] for d in self.deps if target in [list(t) for t in d["targets"]])

    def upload(self, paths: list[str]) -> list[dict]:
        files = [("files", (Path(p).name, Path(p).read_bytes())) for p in paths]
        served = self.http.post("/gradio_api/upload", files=files).json()
        return [{"path": s, "orig_name": Path(p).name, "meta": {"_type": "gradio.FileData"}}
                for s, p in zip(served, paths, strict=True)]  # fmt: skip

    def call(self, index: int, data: list) -> tuple[bool, str]:
        self.http.post("/gradio_api/queue/join", json={
            "data": data, "fn_index": index, "session_hash": self.session,
            "event_data": None, "trigger_id": None,
        }).raise_for_status()  # fmt: skip
        params = {"session_hash": self.session}
        with self.http.stream("GET", "/gradio_api/queue/data", params=params) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        output = message.get("output") or {}
                        return bool(message.get("success")), str(output.get("error") or "")
        return False, "stream ended"


def review_attacker(
    url: str, source: str | None, photos: list[str], results: str, window_end: float,
    stop: threading.Event, tally: ReviewTally, busy: list[threading.Event] = (),
) -> None:  # fmt: skip
    until = time.perf_counter() + 120
    for event in busy:  # once the other attackers' runs are going (their uploads done)
        event.wait(max(0.0, until - time.perf_counter()))
    confirm_all = [None, "en", "x", "", None, "", None, "person:missing"]
    page = Page(url, source)
    reopen, write = page.event("reopen"), page.event("write-report")
    redraw = page.event("review-confirm-all")

    def attempt(what: str, index: int, data: list) -> bool:
        started = time.perf_counter()
        ok, message = page.call(index, data)
        with tally.lock:
            if ok:
                tally.done[what] += 1
                tally.seconds.setdefault(what, []).append(time.perf_counter() - started)
            else:
                tally.refused[(what, " ".join(message.split())[:100])] += 1
        return ok

    try:
        uploaded = page.upload([results, *photos])  # once: the server keeps them a while
        for _ in range(MAX_ROUNDS):
            if stop.is_set() or time.perf_counter() >= window_end:
                break
            if not attempt("reopen", reopen, [uploaded, "en"]):
                time.sleep(1)
                continue
            report = [None, "en", "", "", ""]
            while time.perf_counter() < window_end and attempt("report", write, report):
                pass
            while time.perf_counter() < window_end and attempt("redraw", redraw, confirm_all):
                pass
    finally:
        page.http.close()
