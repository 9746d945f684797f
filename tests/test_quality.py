"""The photo-quality check (safety.quality) and what it does to the verdict: a dark,
burnt-out, blurred or tiny photo is still inspected, but "no hazard found" is never said
plainly of it."""

from __future__ import annotations

import json

import pytest
from PIL import Image, ImageEnhance, ImageFilter

from safety.config import load_settings
from safety.detections import Detection, ImageResult
from safety.inspection import Inspector
from safety.quality import measure
from safety.results_io import read_results, to_json
from safety.summary import summarize, verdict_text
from tests import scenes
from tests.fakes import FakeModel


def _scene(w=1200, h=900, seed=1) -> Image.Image:
    return scenes.scene(w, h, scenes.layout(w, h, seed))


def _blurred(img: Image.Image) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(3 * max(img.size) / 512))


CASES = [
    # A plain, sharp, well-lit site scene: nothing to say.
    pytest.param(_scene(), (), id="good"),
    # Nearly black: a night shot without lights, or a lens cap.
    pytest.param(ImageEnhance.Brightness(_scene()).enhance(0.12), ("dark",), id="dark"),
    # Burnt out to white: pointed at the sun, or a flash in a mirror.
    pytest.param(ImageEnhance.Brightness(_scene()).enhance(3.0), ("overexposed",), id="burnt"),
    # Out of focus or shaken: the detail a hard hat needs is gone.
    pytest.param(_blurred(_scene()), ("blurred",), id="blurred"),
    # A thumbnail: too few pixels to judge anything.
    pytest.param(_scene(300, 200), ("small",), id="small"),
    # A dark photo is not also called blurred: its lack of detail has one cause to name.
    pytest.param(
        _blurred(ImageEnhance.Brightness(_scene()).enhance(0.12)), ("dark",), id="dark-not-blur"
    ),
]


@pytest.mark.parametrize(("image", "issues"), CASES)
def test_measure_names_the_problems(image: Image.Image, issues: tuple[str, ...]) -> None:
    quality = measure(image)
    assert quality.issues == issues
    assert quality.low is bool(issues)
    record = quality.to_dict()
    assert record["issues"] == list(issues) and json.dumps(record)


def test_small_is_judged_on_the_original_not_a_reduced_copy() -> None:
    copy = _scene(300, 225)
    assert "small" not in measure(copy, 4000, 3000).issues
    assert "small" in measure(copy).issues


def _inspect(image: Image.Image, answer: str = "```json\n[]\n```") -> ImageResult:
    settings = load_settings({}, base_url="http://fake.invalid/v1", model="m", coords="absolute")
    data = scenes.jpeg_bytes(image)
    return Inspector(settings, model=FakeModel(answer)).inspect_one(("p.jpg", data))


def test_a_dark_photo_is_inspected_but_nothing_found_is_not_confirmed() -> None:
    result = _inspect(ImageEnhance.Brightness(_scene()).enhance(0.12))
    assert result.ok and result.detections == [] and result.low_quality
    assert any("quality is low" in note and "too dark" in note for note in result.notes)
    summary = summarize([result])
    assert summary.level == "review" and summary.low_quality == 1
    line = verdict_text(summary, "en")
    assert "No hazard found" not in line
    assert line.startswith("Nothing found, NOT CONFIRMED: the photo's quality is low")
    assert verdict_text(summary, "zh").startswith("未发现隐患，但无法确认")


def test_a_good_photo_still_says_no_hazard_found() -> None:
    result = _inspect(_scene())
    assert result.ok and not result.low_quality and result.quality["issues"] == []
    assert verdict_text(summarize([result]), "en").startswith("No hazard found")


def test_findings_on_a_poor_photo_keep_their_level_and_the_body_names_the_quality() -> None:
    answer = '[{"bbox_2d": [100, 100, 300, 500], "label": "人员", "sub_label": "未佩戴安全帽"}]'
    result = _inspect(ImageEnhance.Brightness(_scene()).enhance(0.12), answer)
    summary = summarize([result])
    assert summary.levels == ["violation"]
    assert "1 photo of LOW QUALITY" in verdict_text(summary, "en")


def test_one_poor_photo_among_good_ones_keeps_the_batch_unconfirmed() -> None:
    good = ImageResult("a.jpg", width=10, height=10, quality={"low": False, "issues": []})
    poor = ImageResult("b.jpg", width=10, height=10, quality={"low": True, "issues": ["dark"]})
    summary = summarize([good, poor])
    assert summary.levels == ["review"]
    assert verdict_text(summary, "en").startswith("Nothing found, NOT CONFIRMED")
    # A person whose hard hat is unclear is a review of its own: the head says REVIEW.
    unclear = Detection("person", "unknown", "人员", "不确定", (1, 1, 5, 5))
    good.detections.append(unclear)
    assert verdict_text(summarize([good, poor]), "en").startswith("REVIEW")


def test_quality_is_written_and_read_back() -> None:
    result = _inspect(_scene(300, 200))
    doc = json.loads(to_json([result]))
    assert doc["images"][0]["quality"]["issues"] == ["small"]
    (again,) = read_results(doc).images
    assert again.low_quality and again.quality["issues"] == ["small"]
