"""Many concurrent sessions through the web app's API against a local simulated endpoint.

    python benchmarks/load.py [--sessions 16] [--runs 3] [--photos 2] [--latency 1.0]

Starts the real app (safety.web.build_app, queued as app.py does) in this process and the
simulated endpoint in its own; each session is a gradio_client Client calling the "inspect"
API with its photos, one run after another. Prints errors (by kind), run latency
percentiles (queue wait included), throughput and the app's peak resident memory.
Every loop is bounded; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import PeakMemory, SimulatorProcess, machine

from tests import scenes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=16)
    ap.add_argument("--runs", type=int, default=3, help="runs per session")
    ap.add_argument("--photos", type=int, default=2, help="photos per run")
    ap.add_argument("--latency", type=float, default=1.0, help="simulated model seconds")
    ap.add_argument("--capacity", type=int, default=8, help="simulated server slots")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="safety-load-"))
    photos = []
    for i in range(args.photos):
        p = work / f"site{i}.jpg"
        p.write_bytes(scenes.jpeg_bytes(scenes.scene(1600, 1200, scenes.layout(1600, 1200, i))))
        photos.append(str(p))

    with SimulatorProcess("--latency", str(args.latency), "--capacity", str(args.capacity)) as sim:
        os.environ.update(
            {
                "QWEN_VL_BASE_URL": sim.base_url,
                "QWEN_VL_MODEL": "Qwen/Qwen2.5-VL-7B-Instruct",
                "QWEN_VL_COORDS": "absolute",
            }
        )
        from gradio_client import Client, handle_file

        from safety.web import build_app

        runs_at_once = int(os.environ.get("SAFETY_RUNS_AT_ONCE", "2"))
        queue_size = int(os.environ.get("SAFETY_QUEUE_SIZE", "32"))
        app = build_app().queue(default_concurrency_limit=runs_at_once, max_size=queue_size)
        port = free_port()
        app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
        url = f"http://127.0.0.1:{port}/"
        latencies: list[float] = []
        errors: Counter = Counter()
        lock = threading.Lock()

        def session(n: int) -> None:
            client = Client(url, verbose=False)
            for _ in range(args.runs):
                started = time.perf_counter()
                try:
                    doc = client.predict(
                        files=[handle_file(p) for p in photos], api_name="/inspect"
                    )
                    failed = [img for img in doc["images"] if img["error"]]
                    with lock:
                        latencies.append(time.perf_counter() - started)
                        if failed:
                            errors["photo errors"] += len(failed)
                except Exception as exc:  # counted, not raised: this is a load test
                    with lock:
                        errors[type(exc).__name__ + ": " + str(exc)[:60]] += 1

        with PeakMemory() as mem:
            started = time.perf_counter()
            with ThreadPoolExecutor(args.sessions) as pool:
                list(pool.map(session, range(args.sessions)))
            elapsed = time.perf_counter() - started
        app.close()

    total = args.sessions * args.runs
    print(f"machine: {machine()}")
    print(
        f"app: queue {runs_at_once} runs at once, queue size {queue_size}; endpoint: "
        f"{args.latency} s per photo, {args.capacity} at once"
    )
    print(
        f"load: {args.sessions} concurrent sessions x {args.runs} runs x {args.photos} photos "
        f"= {total} runs in {elapsed:.1f} s ({total * args.photos / elapsed:.2f} photos/s)"
    )
    if latencies:
        q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
        print(
            f"run latency: p50 {q[49]:.2f} s, p90 {q[89]:.2f} s, p99 {q[98]:.2f} s, "
            f"max {max(latencies):.2f} s ({len(latencies)} ok)"
        )
    print(
        f"errors: {sum(errors.values())}"
        + "".join(f"\n  {n} x {k}" for k, n in errors.most_common())
    )
    print(f"app process peak RSS: {mem.peak_mb:.0f} MB (+{mem.growth_mb:.0f} MB during the load)")


if __name__ == "__main__":
    main()
