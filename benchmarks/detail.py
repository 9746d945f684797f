"""Small workers on large photos: the detail and re-check settings compared. A SIMULATION.

    python benchmarks/detail.py [--photos N] [--seed S]

The stand-in Qwen server (tests/simulator) is given a perception that degrades with size,
in pixels of the frame it is sent: an object under MISS_PX tall is missed (and, as always in
the simulator, a region under 0.1% of the frame is taken for noise); a person under
STATUS_PX tall gets a hard-hat status that is wrong with probability WRONG_RATE and
"unknown" otherwise. No real model was asked: the figures show what each setting buys
against THAT perception, not how Qwen performs.

The photos: 4000 x 3000 site scenes with WORKERS workers 30-150 px tall (half with hard
hats, half without), one fire and one smoke. Matching: safety.evaluation.matching (IoU 0.5,
one to one, per category). Recall: truth objects found. Hard-hat accuracy: truth workers
found AND given the right status (worn / missing), over all truth workers. Duplicates:
answers left over after matching. Requests and tokens as the server counted them.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safety.config import load_settings  # noqa: E402
from safety.evaluation.matching import match  # noqa: E402
from safety.inspection import Inspector  # noqa: E402
from tests import scenes  # noqa: E402
from tests.simulator import SimulatedModel, SimulatorServer  # noqa: E402

MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
W, H = 4000, 3000
WORKERS = 8
MISS_PX, STATUS_PX, WRONG_RATE = 12, 40, 0.3
SETTINGS = [
    ("standard", "off"),
    ("standard", "auto"),
    ("standard", "all"),
    ("high", "off"),
    ("high", "auto"),
    ("tiles", "off"),
    ("tiles", "auto"),
    ("tiles", "all"),
]


def photo(rng: random.Random):
    """A large scene: small workers scattered on a grid of cells, a fire and a smoke."""
    objects = [("fire", (200, 200, 700, 600)), ("smoke", (3200, 200, 3800, 700))]
    cells = [(c, r) for c in range(8) for r in range(1, 6)]
    rng.shuffle(cells)
    for n, (c, r) in enumerate(cells[:WORKERS]):
        h = rng.randint(30, 150)
        w = max(16, int(h * 0.45))
        x = c * 500 + rng.randint(20, 480 - w)
        y = r * 500 + rng.randint(0, 480 - h)
        kind = "person" if n % 2 == 0 else "person-missing"
        objects.append((kind, (x, y, x + w, y + h)))
    return objects


def score(results, truths):
    found = total = persons = right = extra = 0
    for result, truth in zip(results, truths):
        assert result.ok, result.error
        for category in ("fire", "smoke", "person"):
            mine = [(k, b) for k, b in truth if scenes.CATEGORY[k] == category]
            theirs = [d for d in result.detections if d.category == category]
            m = match([b for _, b in mine], [d.box for d in theirs], 0.5)
            total += len(mine)
            found += len(m.pairs)
            extra += len(m.extra)
            if category == "person":
                persons += len(mine)
                for ti, ai in m.pairs:
                    want = "worn" if mine[ti][0] == "person" else "missing"
                    right += theirs[ai].status == want
    return found / total, right / persons, extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    truths = [photo(rng) for _ in range(args.photos)]
    photos = [
        (f"site{n}.jpg", scenes.jpeg_bytes(scenes.scene(W, H, t))) for n, t in enumerate(truths)
    ]
    model = SimulatedModel(
        convention="absolute",
        grid=28,
        models=(MODEL,),
        miss_below_px=MISS_PX,
        status_below_px=STATUS_PX,
        status_wrong_rate=WRONG_RATE,
    )
    print(f"{args.photos} photos of {W}x{H}, {WORKERS} workers 30-150 px tall each;")
    print(
        f"simulated perception: missed under {MISS_PX} px, hard hat unknown or wrong "
        f"({WRONG_RATE:.0%}) under {STATUS_PX} px, in the frame sent\n"
    )
    print("| detail | recheck | recall | hard-hat accuracy | duplicates | requests/photo "
          "| tokens/photo |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for detail, recheck in SETTINGS:
        with SimulatorServer(model).start() as server:
            settings = load_settings(
                {},
                base_url=server.base_url,
                model=MODEL,
                coords="absolute",
                detail=detail,
                recheck=recheck,
                concurrency=4,
            )
            inspector = Inspector(settings, keep_images=False)
            try:
                results = sorted(inspector.inspect_many(photos), key=lambda r: r.index)
            finally:
                inspector.close()
            requests = server.requests
        recall, accuracy, extra = score(results, truths)
        # Every request of the photo, extra passes included (safety.passes.detail.add_usage).
        tokens = sum((r.usage or {}).get("total_tokens", 0) for r in results)
        n = len(results)
        print(
            f"| {detail} | {recheck} | {recall:.0%} | {accuracy:.0%} | {extra} "
            f"| {len(requests) / n:.1f} | {tokens / n:,.0f} |"
        )


if __name__ == "__main__":
    main()
