"""Several endpoints in one run (safety.backends.pool): how much faster two are than one, and how a
fast and a slow endpoint share the photos.

    python benchmarks/endpoints.py [--photos N] [--latency S] [--capacity N]

Each simulated server (python -m tests.simulator, each in its own process) takes --latency
seconds per request and serves --capacity at once, like a vLLM server at its batch limit;
the run keeps that many requests in flight per endpoint (QWEN_VL_CONCURRENCY is per
endpoint). Three parts, each the same batch of photos:
  1. one endpoint;
  2. two endpoints of equal speed: the target is about twice the photos per second of 1;
  3. a fast and a slow endpoint (three times slower): the photos are shared by speed, not
     every other one.
The photos are small (800x600), so that the CPU work of our side and of the simulators (all
on this machine) stays under the endpoints' limit and the figures measure the endpoints, as
with GPU servers elsewhere.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import SimulatorProcess, machine, photo_jpeg

from safety.config import load_settings
from safety.inspection import Inspector

MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
SIZE = (800, 600)


def photos(count: int, unique: int = 6) -> list[Path]:
    folder = Path(tempfile.gettempdir()) / "safety-bench-endpoints"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(unique):
        path = folder / f"photo_{i}_{SIZE[0]}x{SIZE[1]}.jpg"
        if not path.exists():
            path.write_bytes(photo_jpeg(i, *SIZE))
        paths.append(path)
    return [paths[i % unique] for i in range(count)]


def run(urls: list[str], batch: list[Path], per_endpoint: int) -> tuple[float, list[int], int]:
    """(photos per second over the whole batch, answers per endpoint, failed photos)."""
    settings = load_settings(
        {}, base_url=urls, model=MODEL, coords="absolute", concurrency=per_endpoint,
        timeout=120, recheck="off",
    )  # fmt: skip
    inspector = Inspector(settings, keep_images=False)
    started = time.perf_counter()
    failed = sum(not r.ok for r in inspector.inspect_many(batch))
    elapsed = time.perf_counter() - started
    status = getattr(inspector.model, "status", None)
    shares = [m.answered for m in status()] if status else [len(batch)]
    inspector.close()
    return len(batch) / elapsed, shares, failed


def simulators(capacity: int, *latencies: float) -> list[SimulatorProcess]:
    return [SimulatorProcess("--latency", str(s), "--capacity", str(capacity)) for s in latencies]


def close(sims: list[SimulatorProcess]) -> None:
    for sim in sims:
        sim.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=int, default=40, help="photos per batch (default 40)")
    ap.add_argument("--latency", type=float, default=0.3, help="seconds per photo (0.3)")
    ap.add_argument("--capacity", type=int, default=2, help="photos at once per server (2)")
    args = ap.parse_args()
    latency, capacity, batch = args.latency, args.capacity, photos(args.photos)
    print(f"machine: {machine()}")
    print(
        f"{len(batch)} photos ({SIZE[0]}x{SIZE[1]}); each server {latency} s per photo, "
        f"{capacity} at once; {capacity} in flight per endpoint\n"
    )
    ideal = capacity / latency  # one endpoint's photos per second
    sims = simulators(capacity, latency, latency)
    try:
        urls = [s.base_url for s in sims]
        run(urls, batch[: 4 * capacity], capacity)  # warm-up: connections, pools, allocator
        one, _, failed_one = run(urls[:1], batch, capacity)
        print(f"1. one endpoint:  {one:5.2f} photos/s ({one / ideal:.0%} of its ideal)")
        two, shares, failed_two = run(urls, batch, capacity)
        print(
            f"2. two endpoints: {two:5.2f} photos/s ({two / (2 * ideal):.0%} of their ideal), "
            f"photos per endpoint {shares[0]} / {shares[1]}"
        )
        print(f"   ratio two / one: {two / one:.2f}x (target: about 2x)")
        if failed_one or failed_two:
            print(f"   failed photos: {failed_one} with one, {failed_two} with two")
    finally:
        close(sims)

    fast_s, slow_s = latency, round(3 * latency, 3)
    sims = simulators(capacity, fast_s, slow_s)
    try:
        rate, (fast_n, slow_n), failed = run([s.base_url for s in sims], batch, capacity)
        both = capacity / fast_s + capacity / slow_s
        by_speed = (1 / fast_s) / (1 / fast_s + 1 / slow_s)
        print(
            f"\n3. fast ({fast_s} s) + slow ({slow_s} s): {rate:5.2f} photos/s "
            f"({rate / both:.0%} of their ideal {both:.2f})"
        )
        print(
            f"   photos: fast {fast_n} ({fast_n / len(batch):.0%}), slow {slow_n} "
            f"({slow_n / len(batch):.0%}); by speed {by_speed:.0%} / {1 - by_speed:.0%}, "
            "every other one 50% / 50%" + (f"; {failed} failed" if failed else "")
        )
    finally:
        close(sims)


if __name__ == "__main__":
    main()
