"""How long a 50-photo PDF report takes to build, and how large it is.

Inputs are made the way the pipeline makes them: 50 varied photographic-looking 12-megapixel
scenes (4000x3000, or 3000x4000 for some portrait shots; smooth light, hard edges, texture at
several scales and sensor grain) saved as JPEG 92, then decoded and reduced as
safety.inspection does to the marked photo (<= images.DISPLAY_MAX_SIDE, detections drawn,
JPEG 85) and the preview (<= 800 px, JPEG 80) that an ImageResult carries. Two of the
50 failed (no images), a few have many persons, one has a long raw answer.

    python benchmarks/report_bench.py [--photos 50] [--out /tmp/report_bench.pdf]

Prints the build time (s) and the PDF size (MB). No assertions.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safety import images  # noqa: E402
from safety.annotate import draw_detections  # noqa: E402
from safety.detections import Detection, ImageResult  # noqa: E402
from safety.images import DISPLAY_MAX_SIDE, encode_jpeg, fit_within, load_image  # noqa: E402
from safety.inspection import PREVIEW_MAX_SIDE  # noqa: E402
from safety.prompts import DEFAULT_PROMPT  # noqa: E402
from safety.report import ReportInfo, build_report  # noqa: E402


def scene(seed: int, width: int, height: int) -> Image.Image:
    """A photographic-looking 12 MP scene: sky and ground, structures, texture, grain."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    # Lay out the scene at 1/4 scale, then enlarge: light and shapes are smooth in a photo.
    w, h = width // 4, height // 4
    yy = np.linspace(0, 1, h)[:, None, None]
    horizon = prng.uniform(0.3, 0.6)
    sky = np.array([110, 150, 200]) + 60 * yy
    ground = np.array([140, 120, 95]) - 60 * (yy - horizon)
    base = np.where(yy < horizon, sky, ground) * np.ones((1, w, 1))
    img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    top = int(h * horizon)
    for _ in range(prng.randint(6, 18)):  # buildings, scaffolds, containers
        x = prng.randrange(0, w - 20)
        bw, bh = prng.randrange(15, w // 3), prng.randrange(15, h // 2)
        g = prng.randrange(60, 220)
        tint = (g, g + prng.randrange(-25, 25), g + prng.randrange(-40, 10))
        draw.rectangle((x, top - bh, x + bw, top + prng.randrange(0, 30)), fill=tint)
        for wy in range(top - bh + 5, top, 9):  # windows / scaffold rungs: hard edges
            draw.line((x + 2, wy, x + bw - 2, wy), fill=(g // 2, g // 2, g // 2), width=1)
    for _ in range(prng.randint(3, 10)):  # machines, piles, people-sized blobs
        x, y = prng.randrange(0, w - 10), prng.randrange(top, h - 10)
        r = prng.randrange(5, 40)
        c = tuple(prng.randrange(40, 250) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r // 2), fill=c)
    img = img.filter(ImageFilter.GaussianBlur(0.8)).resize((width, height), Image.BICUBIC)
    arr = np.asarray(img, dtype=np.float32)
    # Texture at three scales (gravel, concrete, foliage) and fine sensor grain.
    for scale, amp in ((32, 14.0), (6, 9.0), (2, 6.0)):
        small = rng.normal(0, amp, (height // scale + 1, width // scale + 1, 1)).astype(np.float32)
        layer = Image.fromarray(small[:, :, 0]).resize((width, height), Image.BILINEAR)
        arr += np.asarray(layer, dtype=np.float32)[:, :, None][:height, :width]
    arr += rng.normal(0, 3.0, (height, width, 1)).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def detections_for(seed: int, width: int, height: int) -> list[Detection]:
    rng = random.Random(seed)
    kinds = [
        ("person", "worn", "人员", "佩戴安全帽"),
        ("person", "missing", "人员", "未佩戴安全帽"),
        ("person", "unknown", "人员", "不确定"),
        ("fire", "severe", "火灾", "严重"),
        ("fire", "minor", "火灾", "轻微"),
        ("smoke", "moderate", "烟雾", "中等"),
    ]
    n = rng.choice([0, 1, 2, 3, 5, 8]) if seed % 10 else 25  # a few crowded sites
    out = []
    for _ in range(n):
        category, status, label, sub = rng.choice(kinds)
        bw, bh = rng.uniform(0.04, 0.25) * width, rng.uniform(0.08, 0.4) * height
        x1, y1 = rng.uniform(0, width - bw), rng.uniform(0, height - bh)
        out.append(Detection(category, status, label, sub, (x1, y1, x1 + bw, y1 + bh)))
    return out


def make_result(i: int) -> ImageResult:
    if i in (17, 41):
        return ImageResult(
            source=f"IMG_{4000 + i}.JPG",
            index=i,
            error="The endpoint did not answer within 60 s (timeout).",
            error_kind="timeout",
        )
    width, height = (3000, 4000) if i % 7 == 3 else (4000, 3000)
    original = encode_jpeg(scene(i, width, height), quality=92)  # the camera's file
    dets = detections_for(i, width, height)
    # As safety.inspection does: draft-decode the JPEG, keep <= DISPLAY_MAX_SIDE, draw.
    need = getattr(images, "DISPLAY_MIN_SIDE", DISPLAY_MAX_SIDE)
    display = fit_within(load_image(original, need_long_side=need).image, DISPLAY_MAX_SIDE)
    marked = draw_detections(display, dets, scale=display.width / width, lang="zh")
    answer = [
        {"bbox_2d": [round(v) for v in d.box], "label": d.label, "sub_label": d.sub_label}
        for d in dets
    ]
    raw = "```json\n" + json.dumps(answer, ensure_ascii=False, indent=2) + "\n```"
    if i == 5:
        raw = raw + "\n" + "思考过程：" * 3000  # a rambling answer, cut in the appendix
    return ImageResult(
        source=f"IMG_{4000 + i}.JPG",
        index=i,
        width=width,
        height=height,
        detections=dets,
        raw_text=raw,
        finish_reason="stop",
        usage={
            "prompt_tokens": 1290,
            "completion_tokens": 40 + 30 * len(dets),
            "total_tokens": 1330 + 30 * len(dets),
        },
        latency_s=1.5 + (i % 5) * 0.7,
        model="qwen2.5-vl-72b-instruct",
        convention="absolute",
        frame=(1288, 966) if width > height else (966, 1288),
        sha256=f"{i:064x}",
        file_bytes=len(original),
        marked_jpeg=encode_jpeg(marked, quality=85),
        preview_jpeg=encode_jpeg(fit_within(display, PREVIEW_MAX_SIDE), quality=80),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=int, default=50)
    ap.add_argument("--lang", default="zh", choices=("en", "zh"))
    ap.add_argument("--out", default="", help="also write the PDF here")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    results = [make_result(i) for i in range(args.photos)]
    made = time.perf_counter() - t0
    marked = [len(r.marked_jpeg) for r in results if r.marked_jpeg]
    previews = [len(r.preview_jpeg) for r in results if r.preview_jpeg]
    print(
        f"inputs: {len(results)} photos made in {made:.1f} s; "
        f"marked photos (<= {DISPLAY_MAX_SIDE} px, q85) {sum(marked) / 1e6:.1f} MB "
        f"(avg {sum(marked) / max(1, len(marked)) / 1e3:.0f} kB), "
        f"previews (<= {PREVIEW_MAX_SIDE} px) {sum(previews) / 1e6:.1f} MB"
    )

    info = ReportInfo(
        site="Benchmark site, block 7",
        inspector="Bench",
        lang=args.lang,
        endpoint="https://dashscope.aliyuncs.com",
        model="qwen2.5-vl-72b-instruct",
        prompt=DEFAULT_PROMPT,
    )
    random.Random(0).shuffle(results)  # results stream in any order
    build_report(results[:1], info)  # font registration, once per process
    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        pdf = build_report(results, info)
        times.append(time.perf_counter() - t0)
    if args.out:
        Path(args.out).write_bytes(pdf)
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"build time: {min(times):.2f} s (best of {len(times)}; "
        f"{', '.join(f'{t:.2f}' for t in times)})"
    )
    print(
        f"PDF size: {len(pdf) / 1e6:.2f} MB ({len(pdf):,} bytes, {pages} pages, "
        f"{len(pdf) / len(results) / 1e3:.0f} kB per photo)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
