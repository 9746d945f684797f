"""An archive of 10,000 photos through the command line: memory and time per photo.

    python benchmarks/archive.py [--photos 10000] [--concurrency 8]

Writes N distinct 640 x 480 site photos (colour-coded scenes, tests/scenes.py) into a
folder, starts the simulator in its own process (no latency: the figure is our own cost
per photo plus the simulator's decoding and "vision" on the same machine), and runs

    python -m safety inspect DIR --results R.jsonl --json R.json --csv R.csv -q ...

in a child process, sampling its resident memory (RSS) every 0.1 s against the lines
written so far. Then it kills a second run half way (SIGKILL) and resumes it, to show what
skipping finished photos costs. Prints:
  * RSS after every tenth of the archive, its peak and its growth from the first tenth to
    the end (memory must stay flat with the size of the archive);
  * wall time per photo, and the time the JSON and CSV took at the end;
  * the resume: photos skipped and what skipping costs per photo (tests/test_archive.py
    checks that no finished photo is sent again).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from common import ROOT, SimulatorProcess, machine

sys.path.insert(0, str(ROOT))
from tests import scenes  # noqa: E402

MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"


def write_archive(folder: Path, n: int) -> None:
    for i in range(n):
        sub = folder / f"site-{i % 20:02d}" / f"day-{i // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        objects = scenes.layout(640, 480, seed=i)
        (sub / f"p{i:05d}.jpg").write_bytes(scenes.jpeg_bytes(scenes.scene(640, 480, objects)))


def lines_in(path: Path) -> int:
    try:
        with open(path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except FileNotFoundError:
        return 0


def command(folder: Path, base_url: str, results: Path, concurrency: int, *extra) -> list[str]:
    return [
        sys.executable, "-m", "safety", "inspect", str(folder), "--base-url", base_url,
        "--model", MODEL, "--coords", "absolute", "--recheck", "off", "--results",
        str(results), "--concurrency", str(concurrency), "-q", *extra,
    ]  # fmt: skip


def watch(cmd: list[str], results: Path, n: int, env: dict, stop_at: int | None = None):
    """Run ``cmd``; [(lines, rss MB, seconds)] sampled every 0.1 s; the end time; the
    exit status (None when killed at ``stop_at`` lines)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    ps = psutil.Process(proc.pid)
    samples = []
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss / 2**20
        except psutil.NoSuchProcess:
            break
        done = lines_in(results)
        samples.append((done, rss, time.perf_counter() - started))
        if stop_at is not None and done >= stop_at:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return samples, time.perf_counter() - started, None
        time.sleep(0.1)
    return samples, time.perf_counter() - started, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    n = args.photos
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        write_archive(tmp / "archive", n)
        print(f"{n:,} photos of 640 x 480 written in {time.perf_counter() - t0:.0f} s")
        env = {k: v for k, v in os.environ.items() if not k.startswith("QWEN_VL_")}
        env["SAFETY_CACHE_DIR"] = str(tmp / "cache")
        env["SAFETY_DATA_DIR"] = str(tmp / "ledger")  # each run is recorded: not in ./data
        with SimulatorProcess() as sim:
            results = tmp / "r.jsonl"
            extra = ("--json", str(tmp / "r.json"), "--csv", str(tmp / "r.csv"))
            cmd = command(tmp / "archive", sim.base_url, results, args.concurrency, *extra)
            samples, wall, code = watch(cmd, results, n, env)
            assert code == 0, f"the run failed ({code})"
            last_line = max(s for _lines, _rss, s in samples if _lines < n)
            inspect_s = next(s for lines, _rss, s in samples if lines >= n)
            print(f"\nrun of {n:,} photos, concurrency {args.concurrency}: {wall:.0f} s")
            print(f"  time per photo {1000 * inspect_s / n:.1f} ms ({n / inspect_s:.0f} photos/s)")
            print(f"  JSON + CSV of {n:,} photos written at the end in {wall - last_line:.1f} s")
            print("  photos done   RSS (MB)")
            for tenth in range(1, 11):
                mark = n * tenth // 10
                rss = max((r for lines, r, _s in samples if lines <= mark), default=0)
                print(f"  {mark:>11,}   {rss:8.0f}")
            first = max(r for lines, r, _s in samples if lines <= n // 10)
            during = max(r for lines, r, _s in samples if lines < n)
            peak = max(r for _lines, r, _s in samples)
            print(
                f"  peak while inspecting {during:.0f} MB; growth from the first tenth to the "
                f"end {during - first:+.0f} MB; peak incl. writing JSON/CSV {peak:.0f} MB"
            )

            # Kill half way, resume: what finished is skipped, not sent again.
            resumed = tmp / "resumed.jsonl"
            cmd = command(tmp / "archive", sim.base_url, resumed, args.concurrency)
            watch(cmd, resumed, n, env, stop_at=n // 2)
            kept = lines_in(resumed)
            samples, wall, code = watch(cmd + ["--resume"], resumed, n, env)
            assert code == 0 and lines_in(resumed) == n, "the resumed run did not finish"
            first_new = next((s for lines, _r, s in samples if lines > kept), wall)
            print(f"\nkilled at {kept:,} of {n:,} photos (SIGKILL), resumed: {wall:.0f} s")
            print(
                f"  {kept:,} finished photos skipped before the first new result in "
                f"{first_new:.1f} s ({1000 * first_new / max(kept, 1):.2f} ms per photo: "
                "each file read once more to check its SHA-256)"
            )


if __name__ == "__main__":
    main()
