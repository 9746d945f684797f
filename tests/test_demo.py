"""Demo mode: the example photos are answered from stored reference labels, written in the
model's own answer format and read back through the same parsing, mapping and drawing."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from safety.backends.demo import (
    CONFIGURE_MESSAGE,
    DATASET_LABELS,
    HAND_DRAWN,
    demo_inspector,
    load_references,
)
from tests import scenes

REFS = load_references()
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "fire_smoke"


def test_every_example_has_an_attributed_reference_with_provenance():
    assets = Path(__file__).resolve().parent.parent / "assets"
    photos = sorted(p.name for p in assets.glob("*.jpg"))
    assert sorted(r.file for r in REFS) == photos
    attribution = (assets / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for ref in REFS:
        assert ref.provenance in (DATASET_LABELS, HAND_DRAWN)
        assert hashlib.sha256(ref.path.read_bytes()).hexdigest() == ref.sha256
        assert ref.file in attribution and ref.attribution
    # No photo of unclear licence may be an example: the Pexels photos state none, and the
    # hard-hat data set was crawled.
    assert not any("pexels" in r.file or r.file.startswith("gdut") for r in REFS)


@pytest.mark.parametrize("ref", REFS, ids=[r.file for r in REFS])
def test_reference_answers_go_through_the_live_path_and_land_on_their_boxes(ref):
    inspector = demo_inspector()
    result = inspector.inspect_one(str(ref.path))
    assert result.ok, result.error
    assert result.provenance == ref.provenance
    assert any("not a live model" in n for n in result.notes)
    assert len(result.detections) == len(ref.objects)
    tol = 0.01 * max(ref.width, ref.height)
    for det, obj in zip(result.detections, ref.objects):
        assert max(abs(a - b) for a, b in zip(det.box, obj["box"])) <= tol
        assert det.label == obj["label"]
    assert result.marked_jpeg  # drawn like any live result


@pytest.mark.skipif(not SHARED.exists(), reason="shared data is beside the project in CI")
def test_dataset_label_boxes_are_the_data_sets_own():
    truth = {
        Path(e["image"]).name: e
        for e in json.loads((SHARED / "annotations.json").read_text(encoding="utf-8"))
    }
    checked = 0
    for ref in REFS:
        if ref.provenance != DATASET_LABELS:
            continue
        boxes = sorted(tuple(b["bbox"]) for b in truth[ref.file]["boxes"])
        mine = sorted(tuple(o["box"]) for o in ref.objects)
        assert len(boxes) == len(mine)
        for a, b in zip(boxes, mine):
            assert max(abs(x - y) for x, y in zip(a, b)) <= 1.5
        checked += 1
    assert checked >= 2


def test_other_photos_get_the_configure_message(tmp_path):
    photo = scenes.jpeg_bytes(scenes.scene(640, 480, scenes.layout(640, 480)))
    results = list(
        demo_inspector().inspect_many([("mine.jpg", photo), "https://example.com/site.jpg"])
    )
    assert len(results) == 2
    for r in results:
        assert not r.ok and r.error == CONFIGURE_MESSAGE
        assert "QWEN_VL_BASE_URL" in r.error and "DASHSCOPE_API_KEY" in r.error


def test_a_photo_that_is_no_example_is_refused_before_it_is_decoded(monkeypatch):
    decoded = []
    monkeypatch.setattr("safety.inspection.load_image", lambda *a, **k: decoded.append(a))
    bomb = io.BytesIO()
    Image.new("L", (12000, 10000), 255).save(bomb, "PNG")  # 120 MP, a few hundred KB
    (result,) = demo_inspector().inspect_many([("bomb.png", bomb.getvalue())])
    assert result.error == CONFIGURE_MESSAGE and decoded == []
