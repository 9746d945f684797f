"""One run through the web app's "/inspect" API against a simulated endpoint: how close does
the web path come to what the endpoint can give?

    python benchmarks/web_api.py [--photos 48] [--latency 1.0] [--capacity 8] [--runs 3]

The real app (safety.web.build_app, queued as app.py does) runs in this process, the
simulated endpoint in its own (``latency`` seconds a photo, ``capacity`` at once) and the
API's client in a third, as a caller on another machine would: one gradio_client call sends
every photo (small JPEGs, as phones send after resizing) at concurrency = capacity, with the
second look at people off, so each photo is one request. The ideal is the endpoint's own
time, photos / capacity x latency. Printed per run: the whole call, split into the upload
(gradio_client sends the files one request at a time before it calls the API) and the run
(the API's handler, from its first line to its answer), and each against the ideal.

Two clients: gradio_client as it comes, and the same with one TLS context for all its
uploads (``ssl_verify=ssl.create_default_context()``): as it comes, it builds a new one for
every file even over plain http, about 50 ms of CPU each, which on a small machine shared
with the server is the server's CPU too.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import socket
import statistics
import tempfile
import time
from pathlib import Path

from common import SimulatorProcess, machine

from tests import scenes

QWEN25 = "Qwen/Qwen2.5-VL-7B-Instruct"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def small_photos(count: int) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="safety-web-api-"))
    paths = []
    for i in range(count):
        path = work / f"site{i:03d}.jpg"
        w, h = (800, 600) if i % 2 else (640, 960)
        path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, scenes.layout(w, h, i))))
        paths.append(str(path))
    return paths


def client_main(url: str, photos: list[str], runs: int, one_tls: bool, send) -> None:
    """The caller, in its own process: a warm-up call, then ``runs`` timed ones."""
    import ssl

    from gradio_client import Client, handle_file

    verify = ssl.create_default_context() if one_tls else True
    client = Client(url, verbose=False, ssl_verify=verify)
    calls = []
    for _ in range(runs + 1):
        started = time.time()
        doc = client.predict(
            files=[handle_file(p) for p in photos], recheck="off", api_name="/inspect"
        )
        failed = sum(1 for img in doc["images"] if img["error"])
        calls.append((started, time.time(), len(doc["images"]), failed))
    send.send(calls[1:])


def timed_handler(handlers, spans: list) -> None:
    """Note when the API's handler starts and ends (it changes nothing else)."""
    inner = handlers.api_inspect

    @functools.wraps(inner)
    def api_inspect(*args, **kwargs):
        started = time.time()
        try:
            return inner(*args, **kwargs)
        finally:
            spans.append((started, time.time()))

    handlers.api_inspect = api_inspect


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=int, default=48)
    ap.add_argument("--latency", type=float, default=1.0, help="simulated seconds a photo")
    ap.add_argument("--capacity", type=int, default=8, help="simulated server slots")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per client (after a warm-up)")
    args = ap.parse_args()
    photos = small_photos(args.photos)
    ideal = args.photos / args.capacity * args.latency
    spawn = multiprocessing.get_context("spawn")

    with SimulatorProcess("--latency", str(args.latency), "--capacity", str(args.capacity)) as sim:
        environ = dict(os.environ)
        environ.update(
            QWEN_VL_BASE_URL=sim.base_url,
            QWEN_VL_MODEL=QWEN25,
            QWEN_VL_COORDS="absolute",
            QWEN_VL_CONCURRENCY=str(args.capacity),
            SAFETY_MAX_PHOTOS=str(max(args.photos, 20)),
        )
        import gradio as gr

        from safety.web import build_app, handlers, launch_kwargs

        spans: list[tuple[float, float]] = []
        real = handlers.Handlers.api_inspect
        timed_handler(handlers.Handlers, spans)
        app = build_app(environ).queue(default_concurrency_limit=2, max_size=32)
        app.launch(
            server_name="127.0.0.1",
            server_port=free_port(),
            prevent_thread_lock=True,
            quiet=True,
            **launch_kwargs(environ),
        )
        results = {}
        try:
            for label, one_tls in (("gradio_client as it comes", False), ("one TLS context", True)):
                receive, send = spawn.Pipe(duplex=False)
                child = spawn.Process(
                    target=client_main, args=(app.local_url, photos, args.runs, one_tls, send)
                )
                child.start()
                calls = receive.recv() if receive.poll(600) else []
                child.join(30)
                results[label] = [
                    (call, next(s for s in spans if s[0] >= call[0])) for call in calls
                ]
        finally:
            app.close()
            handlers.Handlers.api_inspect = real
        assert gr  # (imported before the app, as app.py does)

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} (shared)")
    print(
        f"endpoint: {args.latency} s a photo, {args.capacity} at once; run: {args.photos} small "
        f"photos through /inspect at concurrency {args.capacity}, recheck off"
    )
    print(f"ideal: {ideal:.2f} s (photos / slots x latency); target: >= 90% of ideal")
    for label, rows in results.items():
        print(f"\n{label}:")
        print(f"   {'call s':>7} {'of ideal':>9} {'upload s':>9} {'run s':>6} {'of ideal':>9}")
        for (started, ended, images, failed), (h_start, h_end) in rows:
            call, upload, run = ended - started, h_start - started, h_end - h_start
            note = f"  ({failed} of {images} failed)" if failed or images != args.photos else ""
            print(
                f"   {call:7.2f} {ideal / call:9.0%} {upload:9.2f} {run:6.2f} {ideal / run:9.0%}"
                + note
            )
        if rows:
            median = statistics.median(r[0][1] - r[0][0] for r in rows)
            run = statistics.median(r[1][1] - r[1][0] for r in rows)
            print(f"   median: call {median:.2f} s = {ideal / median:.0%} of ideal, run "
                  f"{run:.2f} s = {ideal / run:.0%}")  # fmt: skip


if __name__ == "__main__":
    main()
