"""Per-photo work outside the model, stage by stage, for 12-megapixel JPEGs; and what each
request costs (visual tokens, upload size).

    python benchmarks/stages.py [--photos 20]

Targets: median time outside the model <= 150 ms per 12 MP photo; at default
settings <= ~1,300 visual tokens and <= 500 KB upload per photo.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from common import SimulatorProcess, machine, write_photos

from safety.config import load_settings
from safety.inspection import Inspector

STAGES = ("read", "decode", "frame", "parse", "draw")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=int, default=20)
    args = ap.parse_args()
    work = Path(tempfile.gettempdir()) / "safety-bench-photos"
    photos = write_photos(work, args.photos)
    with SimulatorProcess("--convention", "absolute", "--grid", "28") as sim:
        settings = load_settings(
            {},
            base_url=sim.base_url,
            model="Qwen/Qwen2.5-VL-7B-Instruct",
            coords="absolute",
            concurrency=1,
        )
        inspector = Inspector(settings, keep_images=True)
        inspector.inspect_one(photos[0])  # warm-up: font loading, connection
        results = [inspector.inspect_one(p) for p in photos]
        inspector.close()
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} photos failed: {failed[0].error}")
    print(f"machine: {machine()}")
    print(
        f"photos: {len(results)} JPEGs of {results[0].width}x{results[0].height} "
        f"({Path(photos[0]).stat().st_size / 1e6:.1f} MB each), concurrency 1"
    )
    print(f"{'stage':10} {'median ms':>10} {'p90 ms':>8}")
    totals = []
    for r in results:
        totals.append(sum(r.timings.get(s, 0.0) for s in STAGES))
    for stage in STAGES:
        values = sorted(r.timings.get(stage, 0.0) * 1000 for r in results)
        print(
            f"{stage:10} {statistics.median(values):10.1f} "
            f"{values[int(0.9 * (len(values) - 1))]:8.1f}"
        )
    totals_ms = sorted(t * 1000 for t in totals)
    print(
        f"{'TOTAL':10} {statistics.median(totals_ms):10.1f} "
        f"{totals_ms[int(0.9 * (len(totals_ms) - 1))]:8.1f}   (target: median <= 150 ms)"
    )
    tokens = [r.usage["prompt_tokens"] for r in results]
    frames = {r.frame for r in results}
    upload = [r.upload_bytes / 1000 for r in results]
    print(
        f"frame sent: {sorted(frames)}; visual tokens per photo: "
        f"{max(f[0] * f[1] // (28 * 28) for f in frames)} (prompt tokens incl. text: "
        f"{max(tokens)}); target <= ~1300"
    )
    print(
        f"upload per photo: median {statistics.median(upload):.0f} KB, max {max(upload):.0f} "
        f"KB; target <= 500 KB"
    )
    print(
        "baseline (original script, full photo): "
        f"{Path(photos[0]).stat().st_size * 4 / 3 / 1000:.0f} KB base64 upload, "
        "16,000+ visual tokens on a default vLLM server"
    )


if __name__ == "__main__":
    main()
