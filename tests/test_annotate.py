"""Drawing: a golden image, plus the rules a person relies on (colours, labels in view)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from safety.annotate import COLOURS, draw_detections
from safety.detections import Detection

GOLDEN = Path(__file__).parent / "data" / "golden"

DETECTIONS = [
    Detection("fire", "severe", "火灾", "严重", (40, 30, 330, 230)),
    Detection("smoke", "moderate", "smoke", "moderate", (420, 10, 790, 140)),
    Detection("person", "worn", "人员", "佩戴安全帽", (60, 300, 200, 590)),
    Detection("person", "missing", "person", "no helmet", (400, 320, 560, 595)),
    Detection("person", "unknown", "worker", "", (600, 330, 700, 560)),
    Detection("other", "", "ladder", "", (720, 200, 795, 420)),
]


def _background() -> Image.Image:
    """Half dark, half light, so labels must read on both."""
    img = Image.new("RGB", (800, 600), (235, 235, 228))
    img.paste((25, 25, 30), (0, 0, 400, 600))
    return img


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_drawing_matches_golden(lang):
    out = draw_detections(_background(), DETECTIONS, lang=lang)
    path = GOLDEN / f"annotate_{lang}.png"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        out.save(path)
        if not os.environ.get("UPDATE_GOLDEN"):
            pytest.fail(f"golden image {path.name} was missing and has been written; re-run")
    golden = np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)
    got = np.asarray(out, dtype=np.int16)
    assert golden.shape == got.shape
    # Font rasterisers differ by a few pixels' anti-aliasing between FreeType builds.
    differing = (np.abs(golden - got).max(axis=2) > 48).mean()
    assert differing < 0.003, f"{differing:.2%} of pixels differ from {path.name}"


def test_person_without_hard_hat_has_its_own_colour_and_thicker_box():
    out = draw_detections(_background(), DETECTIONS[3:4])
    px = np.asarray(out)
    # The line lies just outside the box's left edge (x = 400), so the inside, where the
    # person's own head is, stays as photographed.
    assert any(tuple(p) == COLOURS["violation"] for p in px[450, 390:400])
    assert not any(tuple(p) == COLOURS["violation"] for p in px[450, 400:412])
    thickness = sum(tuple(p) == COLOURS["violation"] for p in px[450, 385:420])
    normal = draw_detections(_background(), DETECTIONS[2:3])
    normal_thickness = sum(tuple(p) == COLOURS["person"] for p in np.asarray(normal)[450, 45:80])
    assert thickness > normal_thickness > 0


def test_labels_stay_inside_the_photo():
    # Boxes touching every edge: labels must be moved inside, not cut off.
    edge = [
        Detection("fire", "minor", "fire", "", (0, 0, 100, 80)),
        Detection("person", "missing", "p", "", (700, 520, 800, 600)),
    ]
    img = Image.new("RGB", (800, 600), (255, 255, 255))
    out = np.asarray(draw_detections(img, edge))
    # The label tab for the bottom-right person is drawn fully inside: its colour appears
    # in the last 10 columns near the box top.
    assert (out[:, -10:] == COLOURS["violation"]).all(axis=2).any()
    assert (out[:10, :] == COLOURS["fire"]).all(axis=2).any()


@pytest.mark.slow
def test_sizes_follow_the_photo():
    small = draw_detections(Image.new("RGB", (400, 300), "white"), DETECTIONS[:1], scale=0.5)
    big = draw_detections(Image.new("RGB", (3200, 2400), "white"), DETECTIONS[:1], scale=4)
    red_small = (np.asarray(small) == COLOURS["fire"]).all(axis=2).sum()
    red_big = (np.asarray(big) == COLOURS["fire"]).all(axis=2).sum()
    assert red_big > red_small * 20  # lines and text grow with the photo
