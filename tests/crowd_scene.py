"""A crowded site photo made in the tests: rows of workers, the far rows small and high, the
near rows large and low, neighbours overlapping as they do at a morning briefing.

Each worker is a body (hi-vis vest, trousers) with a round head, most wearing a hard hat;
the answer lists every worker as a person box from hard-hat top to feet, with the hard-hat
status, plus a small fire and its smoke at one side. The head boxes are returned too: they
are the truth for "is this head covered by the drawing?".
"""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from safety.detections import Detection

# Workers per row, far to near, and each row's person height and feet line as shares of the
# photo's height. 12 + 11 + 9 + 6 = 38 workers.
ROWS = ((12, 0.20, 0.50), (11, 0.27, 0.64), (9, 0.36, 0.81), (6, 0.50, 1.02))
HATS = ((250, 200, 20), (245, 245, 240), (240, 120, 20), (30, 90, 200))
VESTS = ((255, 140, 0), (200, 235, 30), (250, 90, 20))


def crowd(width: int = 1280, height: int = 960, seed: int = 0):
    """(photo, detections, heads): heads[i] is the head box of detections[i] for each person
    (None for the fire and smoke), all in pixels of the photo."""
    rng = random.Random(seed)
    img = Image.new("RGB", (width, height), (200, 210, 220))
    draw = ImageDraw.Draw(img)
    horizon = int(height * 0.38)
    for y in range(height):  # sky fading to a concrete yard
        if y < horizon:
            c = (150 + y * 60 // horizon, 185 + y * 30 // horizon, 225)
        else:
            c = (150 - (y - horizon) * 40 // height,) * 3
        draw.line((0, y, width, y), fill=c)
    for k in range(6):  # scaffolding behind the crowd
        x = int(width * (0.08 + 0.17 * k))
        draw.rectangle(
            (x, int(height * 0.08), x + max(2, width // 300), horizon), fill=(90, 90, 95)
        )
    draw.rectangle((0, int(height * 0.12), width, int(height * 0.12) + 3), fill=(90, 90, 95))

    detections: list[Detection] = []
    heads: list[tuple[float, float, float, float] | None] = []
    # A small fire on the right with smoke above it, behind the crowd.
    fx, fy = width * 0.86, height * 0.30
    fire = (fx - width * 0.05, fy - height * 0.06, fx + width * 0.05, fy + height * 0.04)
    smoke = (fx - width * 0.12, height * 0.02, fx + width * 0.10, fy - height * 0.04)
    draw.ellipse(smoke, fill=(110, 110, 115))
    draw.polygon([(fire[0], fire[3]), ((fire[0] + fire[2]) / 2, fire[1]), (fire[2], fire[3])],
                 fill=(250, 110, 20))  # fmt: skip
    detections += [
        Detection("smoke", "moderate", "烟雾", "中等", smoke),
        Detection("fire", "minor", "火灾", "轻微", fire),
    ]
    heads += [None, None]

    for count, tall_share, feet_share in ROWS:
        tall = height * tall_share
        feet = height * feet_share
        step = width / count
        for k in range(count):
            t = tall * rng.uniform(0.92, 1.08)
            cx = step * (k + 0.5) + rng.uniform(-0.2, 0.2) * step
            bottom = feet + rng.uniform(-0.03, 0.03) * tall
            box, head, status = _worker(draw, rng, cx, bottom, t)
            clipped = (max(0.0, box[0]), max(0.0, box[1]), min(width, box[2]), min(height, box[3]))
            label = {"worn": "佩戴安全帽", "missing": "未佩戴安全帽", "unknown": "不确定"}[status]
            detections.append(Detection("person", status, "人员", label, clipped))
            heads.append(head)
    return img, detections, heads


def _worker(draw, rng, cx: float, bottom: float, tall: float):
    """Paint one worker standing at (cx, bottom); return its box, head box and status."""
    head_d = tall / 7.2
    top = bottom - tall
    half = tall * 0.17  # shoulders (arms at the sides)
    hat = rng.random() > 0.16
    status = "worn" if hat else "missing"
    if hat and rng.random() < 0.08:
        status = "unknown"  # a hat held low, a cap: the model cannot tell
    # Legs, body, arms.
    trousers = (50, 55, 70)
    draw.rectangle((cx - half * 0.7, bottom - tall * 0.47, cx + half * 0.7, bottom), fill=trousers)
    vest = rng.choice(VESTS)
    draw.rectangle((cx - half, top + head_d * 1.15, cx + half, bottom - tall * 0.45), fill=vest)
    draw.rectangle((cx - half * 0.25, top + head_d * 1.15, cx + half * 0.25, bottom - tall * 0.45),
                   fill=(235, 235, 235))  # fmt: skip
    # The head: face, and a hard hat (a dome with a brim) or hair.
    hx1, hy1 = cx - head_d / 2, top + head_d * 0.12
    face = (225, 180, 145) if rng.random() < 0.6 else (175, 125, 90)
    draw.ellipse((hx1, hy1, hx1 + head_d, hy1 + head_d * 1.1), fill=face)
    if hat:
        colour = rng.choice(HATS)
        draw.chord((hx1 - head_d * 0.08, top, hx1 + head_d * 1.08, top + head_d * 0.95),
                   180, 360, fill=colour)  # fmt: skip
        draw.rectangle((hx1 - head_d * 0.15, top + head_d * 0.42, hx1 + head_d * 1.15,
                        top + head_d * 0.52), fill=colour)  # fmt: skip
    else:
        draw.chord((hx1, hy1, hx1 + head_d, hy1 + head_d * 0.8), 180, 360, fill=(40, 30, 25))
    head = (hx1 - head_d * 0.15, top, hx1 + head_d * 1.15, hy1 + head_d * 1.1)
    box = (cx - half * 1.1, top, cx + half * 1.1, bottom)
    return box, head, status
