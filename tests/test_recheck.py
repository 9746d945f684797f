"""The second look at people (safety.passes.recheck): who is looked at again, how the answer is
read (in every shape a Qwen model writes it), the stated rule that combines the two answers,
and both answers kept in the JSON."""

from __future__ import annotations

import json

import pytest

from safety.config import load_settings
from safety.detections import Detection, ImageResult
from safety.inspection import Inspector
from safety.passes import recheck
from tests import scenes
from tests.fakes import FakeModel

READ = [
    # The answer our question asks for.
    ('{"helmet": "held"}', "held"),
    ('```json\n{"helmet": "worn"}\n```', "worn"),
    ("{'hard_hat': 'nearby'}", "nearby"),
    ('{"安全帽": "none"}', "none"),
    ('{"helmet": "unclear"}', "unclear"),
    # The usual answer form instead, as Qwen2.5-VL writes it (tests/data/qwen_outputs shapes):
    # a fenced list of bbox_2d objects whose label says it.
    ('```json\n[\n\t{"bbox_2d": [43, 20, 209, 400], "label": "person holding a hard hat"}\n]\n```',
     "held"),
    ('```json\n[{"bbox_2d": [10, 10, 200, 400], "label": "人员", "sub_label": "佩戴安全帽"}]\n```',
     "worn"),
    ('[{"bbox_2d": [10, 10, 200, 400], "label": "人员", "sub_label": "未佩戴安全帽"}]', "none"),
    ('[{"bbox_2d": [10, 10, 200, 400], "label": "person", "sub_label": "不确定"}]', "unclear"),
    # Qwen3-VL's 0..1000 boxes, two people: the one at the crop's centre is the one asked about.
    ('[{"bbox_2d": [0, 0, 150, 500], "label": "worker wearing a helmet"}, '
     '{"bbox_2d": [300, 100, 700, 900], "label": "worker without a hard hat"}, '
     '{"bbox_2d": [850, 0, 1000, 500], "label": "worker wearing a helmet"}]', "none"),
    # Free text.
    ("The worker is holding the hard hat in his hand.", "held"),
    ("他没有戴安全帽。", "none"),
    ("I cannot tell from this image.", "unclear"),
    ("安全帽戴在头上。", "worn"),
    # Nothing to go on: unreadable, and the first answer will stand.
    ("", None),
    ("The image shows a construction site.", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "verdict"), READ)
def test_the_second_answer_is_read_in_every_shape(text, verdict):
    assert recheck.verdict_of(text) == verdict


@pytest.mark.parametrize(
    ("first", "verdict", "combined"),
    [
        ("unknown", "worn", "worn"),  # the doubt is resolved
        ("unknown", "held", "missing"),  # a hard hat in the hand is not on the head
        ("unknown", "nearby", "missing"),
        ("worn", "none", "missing"),  # the closer look wins
        ("missing", "worn", "worn"),
        ("missing", "unclear", "missing"),  # it cannot tell: the first answer stands
        ("worn", None, "worn"),  # unreadable or failed: the first answer stands
    ],
)
def test_the_stated_rule_combines_the_answers(first, verdict, combined):
    assert recheck.combine(first, verdict) == combined


def _result(*people):
    r = ImageResult("p.jpg", width=4000, height=3000, frame=(1148, 868))
    r.detections = [Detection("person", s, "人员", s, box) for s, box in people]
    r.detections.append(Detection("fire", "severe", "火灾", "严重", (0, 0, 100, 100)))
    return r


def test_who_is_looked_at_again():
    big, small = (100, 100, 400, 1000), (1000, 1000, 1040, 1100)  # 100 px tall: ~29 in frame
    r = _result(("worn", big), ("unknown", big), ("missing", small))
    assert recheck.wanted(r, "off") == []
    assert recheck.wanted(r, "auto") == [1, 2]  # the unknown one and the small one
    assert recheck.wanted(r, "all") == [0, 1, 2]  # every person, never the fire


def test_the_crop_has_a_margin_stays_inside_and_is_enlarged():
    region = recheck.crop_region((3950, 10, 3990, 110), 4000, 3000, 28)
    assert region.left < 3950 and region.top == 0
    assert region.left + region.width <= 4000 and region.top + region.height <= 3000
    assert region.frame_w * region.frame_h > 20 * region.width * region.height
    assert region.frame_w * region.frame_h <= recheck.RECHECK_PIXELS


def _inspect(second: str, recheck_mode="auto"):
    first = '[{"bbox_2d": [200, 100, 400, 600], "label": "人员", "sub_label": "不确定"}]'

    def answer(question):
        return second if question.prompt == recheck.PROMPT else first

    settings = load_settings(
        {}, base_url="http://fake.invalid/v1", model="m", coords="absolute", recheck=recheck_mode
    )
    model = FakeModel(answer)
    data = scenes.jpeg_bytes(scenes.scene(1600, 1200, scenes.layout(1600, 1200, 2)))
    return Inspector(settings, model=model).inspect_one(("p.jpg", data)), model


def test_an_unknown_hard_hat_gets_a_second_look_and_the_json_keeps_both_answers():
    result, model = _inspect('{"helmet": "held"}')
    assert result.ok, result.error
    (person,) = result.detections
    assert person.status == "missing"
    assert len(model.questions) == 2
    (kept,) = result.passes
    assert kept["kind"] == "recheck" and kept["raw_text"] == '{"helmet": "held"}'
    assert (kept["first"], kept["second"], kept["combined"]) == ("unknown", "held", "missing")
    assert json.loads(json.dumps(result.to_dict()))["passes"][0]["second"] == "held"
    assert any("Second look at 1 person(s): 1" in n for n in result.notes)


def test_a_failed_second_look_leaves_the_first_answer():
    result, _ = _inspect("The image shows a construction site.")
    assert result.ok and result.detections[0].status == "unknown"
    assert result.passes[0]["second"] is None


def test_off_sends_one_request():
    result, model = _inspect('{"helmet": "held"}', "off")
    assert result.detections[0].status == "unknown" and len(model.questions) == 1


def test_the_crop_sent_shows_the_person_enlarged():
    result, model = _inspect('{"helmet": "worn"}')
    crop = model.questions[1]
    from tests.fakes import frame_size

    w, h = frame_size(crop)
    assert w * h > 100_000  # a 200 x 500 px box (in frame pixels) sent at ~448 x 448
