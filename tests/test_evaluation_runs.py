"""A whole evaluation with a model that finds, drops, invents, flips and misjudges in a known
way: exact figures; re-scoring with another --iou or --map from the cache (no model call);
a second run that asks nothing; an interrupted run that picks up where it stopped."""

from __future__ import annotations

import pytest

from safety.config import load_settings
from safety.errors import EndpointError
from safety.evaluation.cache import AnswerCache
from safety.evaluation.classmap import ClassMap, parse_map
from safety.evaluation.datasets import load
from safety.evaluation.runner import RunSpec, parse_compare, run
from safety.evaluation.scored import score_run
from safety.evaluation.truth import EvalError
from tests.evaluation_sets import by_hash, photo, scripted_model, write_yolo

CLASSES = ["fire", "smoke", "hat", "bare", "vest"]
MAP = ["hat=head:worn", "bare=head:missing"]
W, H = 640, 480

# Eight photos; what is labelled, and what the "model" will say about each.
LABELS = {
    "p1.jpg": [("fire", (40, 40, 200, 200)), ("smoke", (300, 40, 600, 200))],
    "p2.jpg": [("fire", (100, 100, 300, 300))],
    "p3.jpg": [],
    "p4.jpg": [("smoke", (50, 50, 350, 250))],
    "p5.jpg": [("fire", (200, 150, 400, 350)), ("vest", (0, 0, 50, 50))],
    "p6.jpg": [
        ("hat", (100, 60, 140, 100)),
        ("bare", (300, 60, 340, 100)),
        ("bare", (500, 60, 540, 100)),
    ],
    "p7.jpg": [],
    "p8.jpg": [("fire", (10, 10, 100, 100))],
}
SAID = {
    "p1.jpg": [("fire", (44, 36, 204, 196)), ("smoke", (300, 45, 600, 205))],  # both found
    "p2.jpg": [],  # the fire dropped
    "p3.jpg": [("fire", (10, 10, 90, 90))],  # a fire invented on an empty photo
    "p4.jpg": [("fire", (50, 50, 350, 250))],  # smoke called fire
    "p5.jpg": [("fire", (200, 150, 400, 350)), ("fire", (205, 155, 400, 345))],  # a duplicate
    "p6.jpg": [
        ("worn", (80, 55, 160, 400)),  # the hat-wearer, right
        ("worn", (280, 55, 360, 400)),  # a bare head called worn
        ("missing", (560, 300, 630, 470)),  # a person invented; the third head missed
    ],
    "p7.jpg": [],  # empty, answered empty
    "p8.jpg": "Sorry, I cannot help with that.",  # an answer that cannot be read
}


@pytest.fixture
def data(tmp_path):
    photos = [photo(name, W, H, [], LABELS[name]) for name in LABELS]
    root = write_yolo(tmp_path / "set", photos, CLASSES)
    answers, sizes = by_hash(photos, SAID.__getitem__)
    return root, photos, answers, sizes


def _spec(**changes):
    settings = load_settings({}, base_url="http://127.0.0.1:9/v1", coords="absolute")
    return RunSpec("fake", settings.with_(**changes))


def _evaluate(root, model, cache_dir, *, iou=0.5, mapping=MAP, fresh=False, on_result=None):
    dataset = load(root)
    cmap = ClassMap(dataset, parse_map(mapping))
    spec = _spec()
    outcome = run(spec, dataset.photos, cache=AnswerCache(cache_dir, spec.settings), model=model,
                  fresh=fresh, on_result=on_result)  # fmt: skip
    return score_run(outcome, dataset.photos, cmap, iou), dataset, cmap, outcome


def test_exact_figures_for_a_model_that_errs_in_known_ways(data, tmp_path):
    root, _photos, answers, sizes = data
    model = scripted_model(answers, sizes)
    scored, *_ = _evaluate(root, model, tmp_path / "cache")
    f = scored.figures
    assert len(model.questions) == 8
    assert (f["images"], f["failed"], f["scored_images"], f["unreadable"]) == (8, 1, 7, 1)
    counts = {c: (v["tp"], v["fp"], v["fn"]) for c, v in f["classes"].items()}
    assert counts == {"fire": (2, 3, 1), "smoke": (1, 0, 1), "person": (2, 1, 1)}
    assert f["classes"]["fire"]["precision"] == 0.4 and f["classes"]["fire"]["recall"] == 0.6667
    assert f["classes"]["fire"]["f1"] == round(2 * 2 / (2 * 2 + 3 + 1), 4)
    assert f["helmet"]["scored"] == 2 and f["helmet"]["correct"] == 1
    assert f["helmet"]["confusion"]["missing"] == {"worn": 1, "missing": 0, "unknown": 0}
    assert f["helmet"]["missed"] == {"worn": 0, "missing": 1}
    assert f["confusion"]["smoke"] == {"fire": 1, "smoke": 1, "person": 0, "other": 0, "missed": 0}
    assert f["confusion"]["fire"]["missed"] == 1
    assert f["confusion"]["none"]["fire"] == 2 and f["confusion"]["none"]["person"] == 1
    p = f["photos"]
    assert (p["scored"], p["correct"], p["with_hazard"], p["without_hazard"]) == (7, 5, 5, 2)
    assert (p["false_alarms"], p["missed"], p["false_alarm_rate"]) == (1, 1, 0.5)
    assert f["failures"][0]["source"].endswith("p8.jpg")
    assert f["usage"]["asked"] == 8 and f["usage"]["prompt_tokens"] == 7000
    per = {row["source"].rsplit("/", 1)[-1]: row for row in f["per_image"]}
    assert (per["p6.jpg"]["tp"], per["p6.jpg"]["fn"], per["p6.jpg"]["wrong_status"]) == (2, 1, 1)


def test_rescoring_with_another_iou_or_map_asks_nothing(data, tmp_path):
    root, _photos, answers, sizes = data
    _evaluate(root, scripted_model(answers, sizes), tmp_path / "cache")
    again = scripted_model(answers, sizes)
    strict, *_ = _evaluate(root, again, tmp_path / "cache", iou=0.9)
    # p1's fire answer has IoU ~0.91 with its label, its smoke ~0.94; p5's duplicate 0.93.
    assert strict.figures["classes"]["fire"]["tp"] == 2
    stricter, *_ = _evaluate(root, again, tmp_path / "cache", iou=0.95)
    assert stricter.figures["classes"]["fire"]["tp"] == 1  # only p5's exact answer left
    assert stricter.figures["classes"]["smoke"]["tp"] == 0
    no_heads, _dataset, cmap, _ = _evaluate(root, again, tmp_path / "cache", mapping=["hat=ignore"])
    assert "person" in no_heads.figures["classes"]
    assert no_heads.figures["classes"]["person"]["labelled"] is False
    assert no_heads.figures["classes"]["person"]["answers"] == 3
    assert dict(cmap.unmapped) == {"bare": 2, "vest": 1}
    assert again.questions == []  # every answer came from the cache


def test_a_second_run_asks_nothing_and_fresh_asks_again(data, tmp_path):
    root, _photos, answers, sizes = data
    _evaluate(root, scripted_model(answers, sizes), tmp_path / "cache")
    second = scripted_model(answers, sizes)
    scored, *_ = _evaluate(root, second, tmp_path / "cache")
    assert len(second.questions) == 0
    assert scored.figures["usage"] == scored.figures["usage"] | {"asked": 0, "from_cache": 8}
    assert scored.figures["classes"]["fire"]["tp"] == 2  # the same figures from the cache
    fresh = scripted_model(answers, sizes)
    _evaluate(root, fresh, tmp_path / "cache", fresh=True)
    assert len(fresh.questions) == 8


def test_the_cache_is_per_endpoint_model_prompt_and_frame_size(tmp_path):
    base = _spec().settings
    folders = {
        AnswerCache(tmp_path, s).folder
        for s in (
            base,
            base.with_(model="other"),
            base.with_(prompt="Find only fire."),
            base.with_(max_pixels=401408),
            base.with_(base_url="http://127.0.0.2:9/v1"),
        )
    }
    assert len(folders) == 5
    assert AnswerCache(tmp_path, base.with_(api_key="sk-secret-1")).folder in folders


def test_an_interrupted_run_picks_up_where_it_stopped(data, tmp_path):
    root, _photos, answers, sizes = data
    seen = []

    def stop_after_three(i, result, from_cache):
        seen.append(i)
        if len(seen) == 3:
            raise KeyboardInterrupt

    first = scripted_model(answers, sizes)
    with pytest.raises(KeyboardInterrupt):
        _evaluate(root, first, tmp_path / "cache", on_result=stop_after_three)
    resumed = scripted_model(answers, sizes)
    scored, *_ = _evaluate(root, resumed, tmp_path / "cache")
    assert len(resumed.questions) == 8 - 3
    assert scored.figures["usage"]["from_cache"] == 3
    assert scored.figures["classes"]["fire"]["tp"] == 2


def test_endpoint_failures_are_not_remembered_and_are_asked_again(data, tmp_path):
    root, photos, answers, sizes = data
    flaky = dict(answers)
    down = next(iter(flaky))
    flaky[down] = EndpointError("The endpoint timed out.", retryable=True)
    first, *_ = _evaluate(root, scripted_model(flaky, sizes), tmp_path / "cache")
    assert first.figures["failed"] == 2  # the timeout and the unreadable answer
    second = scripted_model(answers, sizes)
    scored, *_ = _evaluate(root, second, tmp_path / "cache")
    assert [q.photo_sha256 for q in second.questions] == [down]  # not the unreadable one
    assert scored.figures["failed"] == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("small:max_pixels=401408", ("small", {"max_pixels": 401408})),
        ("q3:model=Qwen/Qwen3-VL-8B-Instruct,coords=relative-1000",
         ("q3", {"model": "Qwen/Qwen3-VL-8B-Instruct", "coords": "relative-1000"})),
        ("ds:preset=dashscope,model=qwen-vl-max",
         ("ds", {"preset": "dashscope", "model": "qwen-vl-max", "api_key": None,
                 "base_url": None})),
        ("v:base-url=http://gpu:8000/v1",
         ("v", {"base_url": "http://gpu:8000/v1", "api_key": None})),
    ],
)  # fmt: skip
def test_compare_specs(text, expected):
    assert parse_compare(text) == expected


@pytest.mark.parametrize(
    "text, key",
    [
        ("nameonly", "eval.error.compare-form"),
        ("a:", "eval.error.compare-form"),
        ("a:api_key=sk-1", "eval.error.compare-key"),
        ("a:max_pixels=lots", "eval.error.compare-number"),
        ("a:model", "eval.error.compare-key"),
    ],
)
def test_bad_compare_specs_are_clear_errors(text, key):
    with pytest.raises(EvalError) as err:
        parse_compare(text)
    assert err.value.key == key


def test_the_key_is_never_written_to_the_cache(data, tmp_path):
    root, photos, answers, sizes = data
    secret = "sk-evaluation-SECRET-12345678"
    echo = {sha: f"Your key is {secret}." for sha in answers}  # a model that echoes the key
    dataset = load(root)
    spec = RunSpec("fake", _spec().settings.with_(api_key=secret))
    cache = AnswerCache(tmp_path / "cache", spec.settings)
    outcome = run(spec, dataset.photos, cache=cache, model=scripted_model(echo, sizes))
    assert all(r.error_kind == "model output" for r in outcome.results)
    written = list((tmp_path / "cache").rglob("*"))
    assert any(p.name == "run.json" for p in written) and len(written) > 8
    for path in written:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert secret not in text and secret[-8:] not in text


def test_a_confidence_threshold_leaves_out_only_answers_below_it():
    from safety.detections import Detection, ImageResult
    from safety.evaluation.scored import above

    box = (10, 10, 50, 50)
    result = ImageResult("p.jpg", width=100, height=100, detections=[
        Detection("fire", "severe", "fire", "", box, confidence=0.3),
        Detection("smoke", "minor", "smoke", "", box, confidence=0.9),
        Detection("person", "worn", "person", "", box),  # no confidence: never invented
    ])  # fmt: skip
    kept = above(result, 0.5).detections
    assert [d.category for d in kept] == ["smoke", "person"]
    assert above(result, None) is result and len(result.detections) == 3


@pytest.mark.slow
def test_a_confidence_threshold_outside_0_to_1_is_one_clear_line(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "safety", "evaluate", str(tmp_path), "--json", "m.json",
         "--min-confidence", "7", "--base-url", "http://127.0.0.1:9/v1"],
        capture_output=True, text=True, env={**__import__("os").environ, "SAFETY_LANG": "en"},
    )  # fmt: skip
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .endswith("--min-confidence 7.0 is not valid: use a number from 0 to 1.")
    )
