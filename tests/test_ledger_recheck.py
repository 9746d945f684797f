"""The after-photo re-check against the simulated endpoint (real openai client, real HTTP):
the focused question's frame and prompt, its answer read, and what happens when the
endpoint fails or there is no stored before photo."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from safety.config import load_settings
from safety.detections import Detection, ImageResult
from safety.ledger.recheck import PANEL, question_frame, recheck, verdict_of
from tests import scenes
from tests.simulator import Fault

MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
FIRE_BOX = (100, 100, 300, 260)


def jpeg(*objects) -> bytes:
    return scenes.jpeg_bytes(scenes.scene(900, 600, list(objects)))


def settings_for(server):
    return load_settings({}, base_url=server.base_url, model=MODEL, coords="absolute")


def recorded(ledger, with_photo=True) -> int:
    r = ImageResult(
        "before.jpg",
        width=900,
        height=600,
        sha256="c" * 64,
        detections=[Detection("fire", "severe", "fire", "severe", FIRE_BOX)],
    )
    r.photo_jpeg = jpeg(("fire", FIRE_BOX)) if with_photo else None
    return ledger.record_run([r], "Yard", "w", photo_for=lambda r: r.photo_jpeg).finding_ids[0]


@pytest.mark.parametrize(
    "text, verdict",
    [
        ('```json\n{"hazard": "gone", "reason": "no flames"}\n```', "gone"),  # as asked
        ("{'hazard': 'PRESENT', 'reason': 'x'}", "present"),  # single quotes, capitals
        ("隐患仍然存在，火焰可见。", "present"),  # a free answer in Chinese
        ("I cannot tell from this photo.", "unclear"),
        ("The weather is nice.", None),  # nothing to read: no verdict invented
    ],
)
def test_verdict_of(text, verdict):
    assert verdict_of(text)[0] == verdict


def test_the_frame_has_two_panels_the_before_crop_on_the_left(ledger):
    f = ledger.find(recorded(ledger))
    frame, two = question_frame(f, ledger.photo(f.photo_sha), jpeg())
    image = Image.open(io.BytesIO(frame)).convert("RGB")
    assert two and image.size == (2 * PANEL, PANEL)
    red = lambda p: p[0] > 170 and p[1] < 80 and p[2] < 80  # noqa: E731
    assert red(image.getpixel((PANEL // 2, PANEL // 2)))  # the fire, centred on the left
    assert not any(red(image.getpixel((x, PANEL // 2))) for x in range(PANEL + 5, 2 * PANEL, 7))


def test_recheck_asks_and_keeps_the_evidence(ledger, simulator):
    server = simulator(convention="absolute")
    fid = recorded(ledger)
    gone = recheck(
        ledger, fid, jpeg(("person-missing", (600, 200, 680, 420))), settings_for(server)
    )
    assert gone.verdict == "gone" and gone.error is None
    assert [(n.category, n.severity) for n in gone.new] == [("person", "missing")]
    asked = [r for r in server.requests if r.prompt and "present|gone|unclear" in r.prompt]
    assert len(asked) == 1 and asked[0].frame_size == (2 * PANEL, PANEL)
    assert "Category: fire. Status: severe." in asked[0].prompt
    kept = ledger.get(fid).evidence
    assert [(e.kind, e.verdict) for e in kept] == [("recheck", "gone")] and kept[0].photo_sha
    assert ledger.find(fid).status == "open"  # a person decides, not the model


def test_without_a_before_photo_the_after_photo_is_asked_about_alone(ledger, simulator):
    server = simulator(convention="absolute")
    fid = recorded(ledger, with_photo=False)
    still = recheck(ledger, fid, jpeg(("fire", (120, 90, 280, 250))), settings_for(server))
    assert still.verdict == "present" and still.new == []  # the same fire, not a new one
    asked = [r for r in server.requests if r.prompt and "present|gone|unclear" in r.prompt]
    assert "top left" in asked[0].prompt and "RIGHT panel" not in asked[0].prompt


def test_a_failing_endpoint_keeps_the_photo_and_says_so(ledger, simulator):
    server = simulator(convention="absolute", faults=[Fault(status=500)] * 20)
    fid = recorded(ledger)
    failed = recheck(ledger, fid, jpeg(), settings_for(server).with_(max_retries=0))
    assert failed.verdict is None and failed.error
    assert "try again later" in failed.lines("en")[0] and "稍后重试" in failed.lines("zh")[0]
    assert [e.kind for e in ledger.get(fid).evidence] == ["recheck"]  # the photo is kept


def test_pictures_follow_the_exif_orientation(ledger):
    """A phone photo stored sideways with an orientation tag: the box is in upright pixels,
    and the crop shows what the box holds."""
    from safety.ledger.pictures import crop_box

    upright = scenes.scene(900, 600, [("fire", FIRE_BOX)])
    r = ImageResult(
        "phone.jpg",
        width=900,
        height=600,
        sha256="d" * 64,
        detections=[Detection("fire", "severe", "fire", "", FIRE_BOX)],
    )
    r.photo_jpeg = scenes.jpeg_bytes(upright, orientation=6)
    f = ledger.find(ledger.record_run([r], "Yard", "w").finding_ids[0])
    part = crop_box(f, ledger.photo(f.photo_sha), draw=False)
    centre = part.getpixel((part.width // 2, part.height // 2))
    assert centre[0] > 170 and centre[1] < 80 and centre[2] < 80
