"""A 10-minute 1080p walkthrough: decode-and-sample against FFmpeg's own decode, then the
whole run against the simulator at 1 s a request.

    python benchmarks/video.py [--minutes 10] [--rate 30] [--concurrency 8] [--latency 1]

1. Writes a synthetic 1920 x 1080 video (H.264, low bitrate: a still textured background
   with moving colour-coded objects the simulator recognises, and a new background every
   minute, i.e. a scene cut). Kept in the temporary folder and reused by the next run.
2. The physical reference: FFmpeg decoding every frame through PyAV with no work on it
   (the same library and thread settings as ours; the wheel's FFmpeg, no other binary).
   Then ours: safety.video.sample_frames at 1 frame a second (scene checks, near-
   duplicates, the sampled frames converted at the size a standard-detail run uses), and
   the same with each sampled frame encoded as the JPEG it travels as (what the reading
   thread does during a run). Interleaved, best of --repeat each, in wall and CPU seconds.
3. The whole run: python -m safety inspect VIDEO --concurrency N against the simulator in
   its own process answering each request after --latency seconds; wall time against the
   model-bound floor (frames / N x latency), frames sent, requests, and the run's peak
   resident memory (psutil, sampled every 0.1 s) with its value at each quarter of the run.
Aim: sampling adds under 10% to the decode; the run is model-bound.
"""

from __future__ import annotations

import argparse
import fractions
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np
import psutil
from common import ROOT, SimulatorProcess, machine

sys.path.insert(0, str(ROOT))
from safety import geometry, limits  # noqa: E402
from safety.images import encode_jpeg  # noqa: E402
from safety.video import sample_frames  # noqa: E402

W, H = 1920, 1080
MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
# BT.601 (limited range) of the simulator's colours: red fire, blue smoke, yellow person.
YUV = {"fire": (81, 90, 240), "smoke": (41, 226, 113), "person": (192, 28, 142)}


def write_video(path: Path, minutes: float, rate: int) -> None:
    """Planes drawn directly (no conversion per frame), so that writing stays quick."""
    rng = np.random.default_rng(22)
    frames = int(minutes * 60 * rate)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=rate, options={"preset": "ultrafast", "crf": "30"})
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        stream.codec_context.time_base = fractions.Fraction(1, rate)
        background = None
        for i in range(frames):
            t = i / rate
            if i % (60 * rate) == 0:  # a new place every minute: a scene cut
                small = rng.integers(60, 200, (H // 40, W // 40), dtype=np.uint8)
                background = np.kron(small, np.ones((40, 40), np.uint8))
            y = background.copy()
            u = np.full((H // 2, W // 2), 128, np.uint8)
            v = u.copy()
            for n, (cy, cu, cv) in enumerate(YUV.values()):
                x0 = int((200 + n * 500 + 40 * t) % (W - 300)) // 2 * 2
                y0 = 200 + n * 250
                y[y0 : y0 + 200, x0 : x0 + 160] = cy
                u[y0 // 2 : (y0 + 200) // 2, x0 // 2 : (x0 + 160) // 2] = cu
                v[y0 // 2 : (y0 + 200) // 2, x0 // 2 : (x0 + 160) // 2] = cv
            frame = av.VideoFrame.from_ndarray(
                np.concatenate([y, u.reshape(-1, W), v.reshape(-1, W)]), format="yuv420p"
            )
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def ffmpeg_decode(path: Path) -> tuple[float, float, int]:
    """(wall s, CPU s of this process, frames) for FFmpeg decoding every frame."""
    started, cpu, n = time.perf_counter(), time.process_time(), 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _frame in container.decode(stream):
            n += 1
    return time.perf_counter() - started, time.process_time() - cpu, n


def ours(path: Path, with_jpeg: bool, max_side: int) -> tuple[float, float, int]:
    """(wall s, CPU s, frames sent) for our sampling, pictures at the run's size."""
    started, cpu, n = time.perf_counter(), time.process_time(), 0
    for _t, image in sample_frames(path, fps=1, max_side=max_side):
        if with_jpeg:
            encode_jpeg(image, quality=92)
        n += 1
    return time.perf_counter() - started, time.process_time() - cpu, n


def whole_run(path: Path, concurrency: int, latency: float, work: Path) -> dict:
    with SimulatorProcess("--latency", str(latency)) as sim:
        results = work / "run.jsonl"
        results.unlink(missing_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "safety",
            "inspect",
            str(path),
            "--base-url",
            sim.base_url,
            "--model",
            MODEL,
            "--coords",
            "absolute",
            "--recheck",
            "off",
            "--concurrency",
            str(concurrency),
            "--results",
            str(results),
            "-q",
        ]
        env = {"SAFETY_CACHE_DIR": str(work / "cache"), "PATH": "/usr/bin:/bin"}
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        watch, samples = psutil.Process(proc.pid), []
        while proc.poll() is None:
            try:
                samples.append((time.perf_counter() - started, watch.memory_info().rss))
            except psutil.NoSuchProcess:
                break
            time.sleep(0.1)
        wall = time.perf_counter() - started
        err = proc.stderr.read()
        if proc.returncode != 0:
            raise SystemExit(f"the run failed ({proc.returncode}):\n{err}")
    [line] = [json.loads(x) for x in results.read_text().splitlines()]
    quarters = []
    for q in (0.25, 0.5, 0.75, 1.0):
        upto = [rss for when, rss in samples if when <= q * wall]
        quarters.append(max(upto or [0]) / 2**20)
    return {
        "wall": wall,
        "frames": len(line["frames"]),
        "requests": line["video"]["requests"],
        "events": len(line["events"]),
        "peak": max(r for _, r in samples) / 2**20,
        "quarters": quarters,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--rate", type=int, default=30, help="frames per second of the video")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--latency", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--no-run", action="store_true", help="decode figures only")
    args = p.parse_args()
    work = Path(tempfile.gettempdir()) / "safety-video-bench"
    work.mkdir(exist_ok=True)
    path = work / f"walk-{args.minutes:g}min-{args.rate}fps-1080p.mp4"
    print(machine())
    if not path.exists():
        started = time.perf_counter()
        write_video(path.with_suffix(".part.mp4"), args.minutes, args.rate)
        path.with_suffix(".part.mp4").rename(path)
        print(f"wrote {path.name} in {time.perf_counter() - started:.0f} s")
    print(
        f"video: {args.minutes:g} min, {W}x{H}, {args.rate} fps, {path.stat().st_size / 1e6:.1f} MB"
    )

    # The size a standard-detail run decodes a frame at (safety.video.pipeline._sized).
    side = max(geometry.choose_frame(W, H, geometry.UNIVERSAL_GRID, limits.DEFAULT_MAX_PIXELS))
    runs: dict[str, list[tuple[float, float, int]]] = {"ref": [], "ours": [], "jpeg": []}
    for _ in range(args.repeat):  # interleaved, so that the machine's load hits all alike
        runs["ref"].append(ffmpeg_decode(path))
        runs["ours"].append(ours(path, False, side))
        runs["jpeg"].append(ours(path, True, side))
    best = {k: (min(r[0] for r in v), min(r[1] for r in v), v[0][2]) for k, v in runs.items()}
    ref_wall, ref_cpu, decoded = best["ref"]
    print(
        f"frames decoded at {side} px a side (a standard-detail run); best of {args.repeat}, "
        "wall and CPU seconds (CPU: this process, all threads; steadier on a shared machine)"
    )
    print(
        f"FFmpeg decode (PyAV, every frame, no work): {ref_wall:6.1f} s wall {ref_cpu:6.1f} s CPU"
        f"  ({decoded} frames)"
    )
    for key, name in (("ours", "decode + sample (ours):"), ("jpeg", "+ JPEG of each sampled:")):
        wall, cpu, n = best[key]
        print(
            f"{name:43s} {wall:6.1f} s wall {cpu:6.1f} s CPU  (+{(cpu / ref_cpu - 1) * 100:.1f}%"
            f" CPU, +{(wall / ref_wall - 1) * 100:.1f}% wall), {n} frames sampled"
        )
    if args.no_run:
        return
    run = whole_run(path, args.concurrency, args.latency, work)
    floor = run["requests"] / args.concurrency * args.latency
    print(
        f"whole run at concurrency {args.concurrency}, {args.latency:g} s a request: "
        f"{run['wall']:.1f} s for {run['frames']} frames sent, {run['requests']} requests, "
        f"{run['events']} events; model-bound floor {floor:.1f} s "
        f"({run['wall'] / floor:.2f} x the floor)"
    )
    quarters = " / ".join(f"{q:.0f}" for q in run["quarters"])
    print(f"peak resident memory of the run: {run['peak']:.0f} MB (by quarter: {quarters} MB)")


if __name__ == "__main__":
    main()
