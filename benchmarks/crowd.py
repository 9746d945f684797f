"""How many heads the marked photo covers, before and after tags learned to avoid heads.

    python benchmarks/crowd.py [--hardhat DIR] [--save DIR]

For each set of photos, the share of persons whose head region is crossed by any drawn
pixel other than their own box outline (``safety.head_cover``), with the drawing as it was
(benchmarks/crowd_before.py) and as it is (``safety.annotate``):

- the example photos in assets/ with their reference labels (few persons: a check that
  nothing got worse where there is no crowd);
- the crowded scene made in the tests (tests/crowd_scene.py: 38 workers in four rows, a
  fire and its smoke) drawn at 640, 1280 and 2048 px (the display copy of a 4000 px photo,
  as the page, the --out files and the PDF get it) and at 4000 px;
- the hard-hat photos in ../shared/data/hardhat (when present: real crowds, licence
  unclear, read by path only), whose labelled head boxes are the truth for the heads; the
  person boxes are made from them (shoulder wide, seven heads tall, cut at the photo's edge)
  as a model would draw them.

``--save DIR`` writes each drawing as PNG for looking at.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT))
from crowd_before import draw_before, outline  # noqa: E402
from PIL import Image  # noqa: E402

from safety.annotate import draw_detections  # noqa: E402
from safety.backends.demo import load_references  # noqa: E402
from safety.detections import Detection  # noqa: E402
from safety.head_cover import covered_share  # noqa: E402
from safety.images import DISPLAY_MAX_SIDE, fit_within, load_image  # noqa: E402
from safety.labels import classify  # noqa: E402
from tests.crowd_scene import crowd  # noqa: E402

HARDHAT = ROOT.parent / "shared" / "data" / "hardhat"


def examples():
    """(name, display photo, detections, scale, heads) for each example photo."""
    for ref in load_references():
        loaded = load_image(ref.path.read_bytes())
        photo = fit_within(loaded.image, DISPLAY_MAX_SIDE)
        dets = []
        for obj in ref.objects:
            category, status = classify(obj["label"], obj.get("sub_label", ""))
            dets.append(Detection(category, status, obj["label"], obj.get("sub_label", ""),
                                  tuple(obj["box"])))  # fmt: skip
        yield ref.file, photo, dets, photo.width / loaded.orig_w, None


def crowd_scenes():
    photo, dets, heads = crowd(1280, 960)
    for width in (640, 1280, 2048, 4000):
        k = width / 1280
        scaled = photo.resize((width, round(960 * k)), Image.Resampling.BICUBIC)
        person_heads = [tuple(v * k for v in hd) for hd in heads if hd is not None]
        yield f"crowd {width} px", scaled, dets, k, person_heads


def person_from_head(head, size) -> tuple[float, float, float, float]:
    """A person box as a model draws it around a labelled head: shoulder wide, seven head
    heights tall from the top of the head, cut at the photo's edge."""
    x1, y1, x2, y2 = head
    cx, hw, hh = (x1 + x2) / 2, x2 - x1, y2 - y1
    w, h = size
    return (max(0.0, cx - 1.35 * hw), max(0.0, y1 - 0.05 * hh),
            min(w, cx + 1.35 * hw), min(h, y1 + 7 * hh))  # fmt: skip


def hardhat(folder: Path):
    for entry in json.loads((folder / "annotations.json").read_text()):
        photo = Image.open(folder / entry["image"]).convert("RGB")
        size = (entry["width"], entry["height"])
        heads = [tuple(b["bbox"]) for b in entry["boxes"]]
        dets = []
        for b in entry["boxes"]:
            status = "worn" if b["helmet"] else "missing"
            dets.append(Detection("person", status, "人员", "", person_from_head(b["bbox"], size)))
        display = fit_within(photo, DISPLAY_MAX_SIDE)
        k = display.width / photo.width
        yield Path(entry["image"]).name, display, dets, k, [tuple(v * k for v in h) for h in heads]


def measure(photos, lang: str, save: Path | None) -> tuple[list[int], list[int], float]:
    """(crossed before, crossed after, persons), summed; and the drawing time after."""
    before = after = persons = 0
    spent = 0.0
    for name, photo, dets, scale, heads in photos:
        size = photo.size
        n_before, n = covered_share(
            size,
            dets,
            heads=heads,
            draw=lambda img, d=dets, s=scale: draw_before(img, d, scale=s, lang=lang),
            outline=lambda d, size=size: outline(size, d),
        )
        t0 = time.perf_counter()
        drawn = draw_detections(photo, dets, scale=scale, lang=lang)
        spent += time.perf_counter() - t0
        n_after, _ = covered_share(size, dets, scale=scale, lang=lang, heads=heads)
        before, after, persons = before + n_before, after + n_after, persons + n
        if save:
            stem = name.replace(" ", "_").rsplit(".", 1)[0]
            drawn.save(save / f"{stem}_{lang}_after.png")
            draw_before(photo, dets, scale=scale, lang=lang).save(
                save / f"{stem}_{lang}_before.png"
            )
        print(f"  {name:<44} persons {n:>3}   covered before {n_before:>3}   after {n_after:>3}")
    return before, after, persons, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hardhat", type=Path, default=HARDHAT)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    sets = [("example photos (assets/)", examples()), ("crowded test scene", crowd_scenes())]
    if (args.hardhat / "annotations.json").exists():
        sets.append(("hard-hat photos (labelled heads)", hardhat(args.hardhat)))
    print("Share of persons whose head is crossed by the drawing (other than their own box):")
    for title, photos in sets:
        print(title)
        before, after, persons, spent = measure(photos, args.lang, args.save)
        if persons:
            print(
                f"  = before {before}/{persons} ({before / persons:.0%}), "
                f"after {after}/{persons} ({after / persons:.0%}); "
                f"drawing took {spent:.2f} s in all\n"
            )


if __name__ == "__main__":
    main()
