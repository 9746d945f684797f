"""Batch throughput against a simulated GPU server, beside the original script's way.

    python benchmarks/throughput.py [--quick]

The simulated server (python -m tests.simulator, in its own process) takes
  base + per_token * visual_tokens  seconds per request and serves `capacity` at once,
like a vLLM server at its batch limit. Three parts:
  1. the target: a server taking 1 s per photo and serving 8 at once; we must reach
     >= 90% of its ideal throughput (8 photos/s) at concurrency 8;
  2. throughput against concurrency when latency grows with the visual tokens received,
     beside a baseline that does what the original script did (the whole photo as it is,
     one request at a time, drawn at full size);
  3. memory: peak resident memory for batches of 16, 64 and 256 photos (must stay flat).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import PeakMemory, SimulatorProcess, machine, write_photos
from PIL import Image

from safety import geometry
from safety.annotate import draw_detections
from safety.backends.client import OpenAICompatibleModel
from safety.backends.model import Question
from safety.config import load_settings
from safety.detections import Detection
from safety.inspection import Inspector
from safety.labels import classify
from safety.limits import DEFAULT_MAX_PIXELS
from safety.parsing import parse_answer

MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"


def settings_for(base_url: str, concurrency: int):
    return load_settings(
        {}, base_url=base_url, model=MODEL, coords="absolute", concurrency=concurrency, timeout=120
    )


def run_ours(
    base_url: str, photos: list[Path], concurrency: int, finish_times: list[float] | None = None
) -> tuple[float, int]:
    """Photos per second over the whole batch (first read to last result)."""
    inspector = Inspector(settings_for(base_url, concurrency), keep_images=True)
    started = time.perf_counter()
    done = failed = 0
    for r in inspector.inspect_many(photos, concurrency=concurrency):
        done += 1
        failed += not r.ok
        r.marked_jpeg = r.preview_jpeg = None  # as the command line does without a report
        if finish_times is not None:
            finish_times.append(time.perf_counter() - started)
    elapsed = time.perf_counter() - started
    inspector.close()
    return done / elapsed, failed


def run_baseline(base_url: str, photos: list[Path]) -> float:
    """The original script: the file as it is (base64), one request at a time, boxes drawn on
    the full-size photo."""
    client = OpenAICompatibleModel(settings_for(base_url, 1))
    started = time.perf_counter()
    for path in photos:
        data = path.read_bytes()
        answer = client.ask(Question(data, "请找出火灾、烟雾和人员，以 JSON 输出。"))
        image = Image.open(path).convert("RGB")
        w, h = image.size
        frame_h, frame_w = geometry.smart_resize(h, w, 28)  # what the server did
        frame = geometry.Frame(w, h, frame_w, frame_h)
        dets = []
        for obj in parse_answer(answer.text).objects:
            box = geometry.to_original(obj.coords, geometry.ABSOLUTE, frame).box
            if box:
                dets.append(
                    Detection(*classify(obj.label, obj.sub_label), obj.label, obj.sub_label, box)
                )
        draw_detections(image, dets).save(Path(tempfile.gettempdir()) / "baseline.jpg")
    client.close()
    return len(photos) / (time.perf_counter() - started)


def our_request_latency(base: float, per_token: float) -> float:
    fw, fh = geometry.choose_frame(4000, 3000, 28, DEFAULT_MAX_PIXELS)
    return base + per_token * (fw * fh // (28 * 28))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer photos, no baseline")
    args = ap.parse_args()
    work = Path(tempfile.gettempdir()) / "safety-bench-photos"
    print(f"machine: {machine()}")
    print("photos: 12-megapixel JPEGs (4000x3000), read from disk as the batch goes\n")

    # 1. The target.
    ideal = 8 / 1.0
    print("1. server: 1 s per photo, 8 at once (ideal 8.00 photos/s), concurrency 8")
    with SimulatorProcess("--latency", "1.0", "--capacity", "8") as sim:
        for n in (32,) if args.quick else (32, 64, 128):
            finish: list[float] = []
            rate, failed = run_ours(sim.base_url, write_photos(work, n), 8, finish)
            # Steady state: results after the first wave, per second (no ramp-up, no drain).
            steady = (len(finish) - 8) / (finish[-1] - finish[7]) if n > 16 else rate
            print(
                f"   {n:>3} photos: {rate:.2f} photos/s = {rate / ideal:.0%} of ideal over the "
                f"whole batch; steady state {steady:.2f}/s = {steady / ideal:.0%}"
                + (f"; {failed} failed" if failed else "")
            )
    print("   target: >= 90% of ideal\n")

    # 2. Throughput against concurrency, latency growing with visual tokens.
    base, per_token = 0.25, 0.0006
    per_photo = our_request_latency(base, per_token)
    print(
        f"2. server: {base} s + {per_token * 1000:.1f} ms per visual token, 8 at once "
        f"(our 1148x868 frame: {per_photo:.2f} s per photo)"
    )
    print(f"   {'concurrency':>11} {'photos/s':>9} {'ideal':>7} {'of ideal':>9}")
    with SimulatorProcess(
        "--latency", str(base), "--latency-per-token", str(per_token), "--capacity", "8"
    ) as sim:
        for c in (1, 4, 8) if args.quick else (1, 2, 4, 8, 16):
            photos = write_photos(work, max(8, 3 * c))
            rate, failed = run_ours(sim.base_url, photos, c)
            ideal_c = min(c, 8) / per_photo
            print(
                f"   {c:>11} {rate:9.2f} {ideal_c:7.2f} {rate / ideal_c:9.0%}"
                + (f"  ({failed} failed)" if failed else "")
            )
        if not args.quick:
            rate = run_baseline(sim.base_url, write_photos(work, 3))
            tokens = 4004 * 2996 // 784
            print(
                f"   {'baseline':>11} {rate:9.2f}   (original script: full photo, "
                f"{tokens:,} visual tokens, one at a time)"
            )
    print()

    # 3. Memory stays flat as the batch grows.
    with SimulatorProcess("--latency", "0.3", "--capacity", "8") as sim:
        run_ours(sim.base_url, write_photos(work, 8), 8)  # warm-up: pools, fonts, allocator
        for n in (16, 64) if args.quick else (16, 64, 256):
            photos = write_photos(work, n)
            with PeakMemory() as mem:
                run_ours(sim.base_url, photos, 8)
            print(
                f"3. batch of {n:>3} photos, concurrency 8: peak RSS {mem.peak_mb:.0f} MB "
                f"(+{mem.growth_mb:.0f} MB during the run)"
            )


if __name__ == "__main__":
    main()
