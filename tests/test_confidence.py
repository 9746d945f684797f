"""Confidence from token log-probabilities (safety.reading.confidences), and the simulator's
perception that degrades with size: what the benchmark of the detail settings stands on."""

from __future__ import annotations

import json
import math

from safety.commands.cli import main
from safety.parsing import parse_answer
from safety.reading import confidences
from tests import scenes
from tests.simulator import SimulatedModel
from tests.simulator.answers import token_logprobs
from tests.simulator.vision import KINDS, SeenObject, perceive

ANSWER = (
    '```json\n[\n\t{"bbox_2d": [1, 2, 30, 40], "label": "人员", "sub_label": "不确定"},\n'
    '\t{"bbox_2d": [5, 6, 70, 80], "label": "人员", "sub_label": "佩戴安全帽"}\n]\n```'
)


def test_each_finding_gets_the_lowest_probability_of_its_words():
    tokens = token_logprobs(ANSWER, [True, False])
    got = confidences(ANSWER, parse_answer(ANSWER).objects, tokens)
    assert math.isclose(got[0], math.exp(-0.7)) and math.isclose(got[1], math.exp(-0.01))


def test_no_number_is_invented():
    objects = parse_answer(ANSWER).objects
    assert confidences(ANSWER, objects, None) == [None, None]  # the endpoint gave none
    # Tokens that do not spell the answer (another answer's, or a repaired one): none.
    assert confidences(ANSWER, objects, (("[", -0.1),)) == [None, None]


def _seen(height, kind="green"):
    kind = next(k for k in KINDS if k.name == kind)
    return SeenObject(kind, (10, 10, 30, 10 + height))


def test_the_simulated_perception_degrades_with_size_and_is_off_by_default():
    objects = [_seen(8), _seen(30), _seen(200)]
    assert perceive(objects, SimulatedModel()) == objects  # default: unchanged
    model = SimulatedModel(miss_below_px=12, status_below_px=60, status_wrong_rate=0.0)
    seen = perceive(objects, model)
    assert [o.box[3] - o.box[1] for o in seen] == [30, 200]  # the 8 px one is missed
    assert [o.kind.status for o in seen] == ["unknown", "worn"]
    wrong = perceive(objects, SimulatedModel(status_below_px=60, status_wrong_rate=1.0))
    assert [o.kind.status for o in wrong] == ["missing", "missing", "worn"]
    assert [o.doubtful for o in wrong] == [True, True, False]


def test_vllm_logprobs_reach_the_findings_through_the_real_client(tmp_path, simulator):
    """A small worker: the simulated model guesses the hard hat and says it is unsure."""
    server = simulator(convention="absolute", grid=28, status_below_px=100)
    w, h = 4000, 3000
    objects = [("person", (500, 500, 620, 740)), ("person-missing", (2000, 600, 2400, 1600))]
    path = tmp_path / "p.jpg"
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, objects)))
    out = tmp_path / "out.json"
    argv = ["inspect", str(path), "--base-url", server.base_url, "--model", server.model.models[0]]
    assert main([*argv, "--json", str(out), "--quiet", "--recheck", "off"]) == 0
    found = json.loads(out.read_text(encoding="utf-8"))["images"][0]["detections"]
    small = min(found, key=lambda d: d["box"][3] - d["box"][1])
    large = max(found, key=lambda d: d["box"][3] - d["box"][1])
    assert small["helmet"] == "unknown" and small["confidence"] < 0.6
    assert large["helmet"] == "missing" and large["confidence"] > 0.9


def test_confidence_and_passes_are_read_back():
    from safety.detections import Detection, ImageResult
    from safety.results_io import read_results, to_json

    result = ImageResult("p.jpg", width=100, height=100)
    result.detections = [Detection("person", "worn", "人员", "x", (1, 1, 50, 90), confidence=0.42)]
    result.passes = [{"kind": "recheck", "first": "unknown", "second": "worn"}]
    (again,) = read_results(json.loads(to_json([result]))).images
    assert again.detections[0].confidence == 0.42 and again.passes == result.passes
