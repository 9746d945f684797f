"""The detail setting (passes.detail, passes.tiles): tiles laid out over large photos only,
boxes of all passes merged into one finding per object, a failed tile costing only itself,
and every setting still landing on the truth through the real CLI, client and HTTP."""

from __future__ import annotations

import json

import pytest

from safety.commands.cli import main
from safety.detections import Detection, ImageResult
from safety.passes import tiles
from tests import scenes
from tests.simulator import Fault

QWEN25 = "Qwen/Qwen2.5-VL-7B-Instruct"


def person(box, status="worn"):
    return Detection("person", status, "人员", status, box)


# -- layout ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("w", "h", "count"),
    [
        (1600, 1200, 0),  # shrunk under 1.5x by the standard frame: tiles gain nothing
        (2309, 1732, 4),  # ~4 MP: 2 x 2
        (4000, 3000, 9),  # 12 MP: 3 x 3
        (3000, 4000, 9),  # portrait too
    ],
)
def test_tiles_only_where_they_gain(w, h, count):
    laid = tiles.layout(w, h, 28, 1280 * 28 * 28)
    assert len(laid) == count
    if laid:
        # The tiles cover the photo, overlap, stay inside it and are sent at standard size.
        assert min(t.left for t in laid) == 0 and min(t.top for t in laid) == 0
        assert max(t.left + t.width for t in laid) == w
        assert max(t.top + t.height for t in laid) == h
        assert all(t.frame_w * t.frame_h <= 1280 * 28 * 28 for t in laid)
        assert all(t.shrink <= tiles.TARGET_SHRINK + 0.05 for t in laid)


# -- merge ----------------------------------------------------------------------------------

TILE_A = tiles.Tile(0, 0, 1200, 1000, 1148, 868)
TILE_B = tiles.Tile(1000, 0, 1200, 1000, 1148, 868)
W, H = 2200, 1000


def seen(box, pass_id, status="worn", tile=None, shrink=None):
    tile = tile or {1: TILE_A, 2: TILE_B}.get(pass_id)
    cut = tiles.cut_sides(box, tile, W, H) if tile else (False,) * 4
    return tiles.Seen(person(box, status), pass_id, shrink or (1.0 if tile else 2.0), cut)


def test_a_person_cut_by_a_tile_edge_is_joined_not_counted_twice():
    # The person spans x 1100..1400: tile A (to 1200) sees 1100..1200, tile B all of it.
    # And a wide one, 900..1500, cut by both tiles: A sees 900..1200, B 1000..1500.
    merged = tiles.merge(
        [
            seen((1100, 100, 1200, 400), 1),
            seen((1100, 102, 1400, 400), 2),
            seen((900, 500, 1200, 900), 1),
            seen((1000, 500, 1500, 898), 2),
        ]
    )
    boxes = sorted(d.box for d in merged)
    assert boxes == [(900, 500, 1500, 900), (1100, 102, 1400, 400)]


def test_the_same_object_in_the_whole_frame_and_a_tile_is_one_finding_with_the_tile_box():
    whole = seen((505, 200, 610, 500), 0, status="unknown")
    fine = seen((500, 204, 604, 498), 1, status="missing")
    (merged,) = tiles.merge([whole, fine])
    assert merged.box == (500, 204, 604, 498)  # the finest complete view, not moved
    assert merged.status == "missing"  # the finest definite status


def test_boxes_of_one_pass_are_never_merged():
    # Two workers side by side, overlapping: the model told them apart; so do we.
    a, b = seen((100, 100, 300, 500), 1), seen((150, 100, 350, 500), 1)
    assert len(tiles.merge([a, b])) == 2


def test_whole_frame_status_fills_in_only_an_unknown():
    whole = seen((505, 200, 610, 500), 0, status="missing")
    fine = seen((500, 204, 604, 498), 1, status="unknown")
    (merged,) = tiles.merge([whole, fine])
    assert merged.status == "missing" and merged.box == fine.detection.box


def test_categories_are_merged_separately():
    fire = tiles.Seen(Detection("fire", "severe", "火灾", "严重", (10, 10, 90, 90)), 1, 1.0)
    smoke = tiles.Seen(Detection("smoke", "minor", "烟雾", "轻微", (12, 10, 90, 90)), 0, 2.0)
    assert len(tiles.merge([fire, smoke])) == 2


# -- end to end: every setting on the truth --------------------------------------------------


def _run(tmp_path, server, flags, photos, name="out.json"):
    out = tmp_path / name
    argv = ["inspect", *map(str, photos), "--base-url", server.base_url, "--model", QWEN25]
    code = main([*argv, "--json", str(out), "--quiet", *flags])
    return code, json.loads(out.read_text(encoding="utf-8"))


def _assert_on_truth(doc, objects, w, h):
    assert doc["error"] is None, doc["error"]
    found = doc["detections"]
    assert len(found) == len(objects), found  # no duplicates from the merge
    for kind, box in objects:
        category = scenes.CATEGORY[kind]
        best = min(
            (d for d in found if d["category"] == category),
            key=lambda d: sum(abs(a - b) for a, b in zip(d["box"], box)),
        )
        assert max(abs(best["box"][i] - box[i]) for i in (0, 2)) <= 0.01 * w, (kind, best, box)
        assert max(abs(best["box"][i] - box[i]) for i in (1, 3)) <= 0.01 * h, (kind, best, box)
        if kind == "person-missing":
            assert best["helmet"] == "missing"


@pytest.mark.slow
@pytest.mark.parametrize("detail", ["standard", "high", "tiles"])
@pytest.mark.parametrize(("w", "h", "orientation"), [(4000, 3000, 1), (1080, 1920, 8)])
def test_every_detail_lands_on_the_truth(tmp_path, simulator, detail, w, h, orientation):
    server = simulator(convention="absolute", grid=28)
    objects = scenes.layout(w, h, seed=5)
    path = tmp_path / "p.jpg"
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, objects), orientation))
    code, doc = _run(tmp_path, server, ["--detail", detail, "--recheck", "off"], [path])
    assert code == 0
    _assert_on_truth(doc["images"][0], objects, w, h)
    sent = [r for r in server.requests if "red rectangle" not in r.prompt]
    extra = len(tiles.layout(w, h, 224, 1280 * 28 * 28)) if detail == "tiles" else 0
    assert extra == (9 if w * h > 4e6 and detail == "tiles" else extra)
    assert len(sent) == 1 + extra and len(doc["images"][0]["passes"]) == extra
    if detail == "high":
        assert sent[0].frame_size[0] * sent[0].frame_size[1] > 2 * 1280 * 28 * 28


def test_high_detail_stays_inside_a_reduced_server(tmp_path, simulator):
    """vLLM started with a lower max_pixels: calibration finds it, high detail obeys it."""
    server = simulator(convention="absolute", grid=28, max_pixels=1280 * 28 * 28)
    w, h = 4000, 3000
    objects = scenes.layout(w, h, seed=6)
    path = tmp_path / "p.jpg"
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, objects)))
    code, doc = _run(tmp_path, server, ["--detail", "high", "--recheck", "off"], [path])
    assert code == 0
    _assert_on_truth(doc["images"][0], objects, w, h)


def test_a_failed_tile_does_not_sink_the_photo(tmp_path, simulator):
    server = simulator(convention="absolute", grid=28)
    w, h = 4000, 3000
    objects = scenes.layout(w, h, seed=7)
    path = tmp_path / "p.jpg"
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, objects)))
    # The calibration probe and the whole frame answer; the first tile gets nonsense.
    server.model.faults.extend([Fault(), Fault(), Fault(content="I cannot see anything.")])
    flags = ["--detail", "tiles", "--recheck", "off", "--retries", "0"]
    code, doc = _run(tmp_path, server, flags, [path])
    assert code == 0
    image = doc["images"][0]
    assert image["error"] is None and len(image["detections"]) == len(objects)
    assert any("1 of 9 tiles could not be read" in note for note in image["notes"])
    assert sum(p["error"] is not None for p in image["passes"]) == 1


# -- the API and a public page -----------------------------------------------------------------


def _large_photo(tmp_path):
    w, h = 4000, 3000
    path = tmp_path / "large.jpg"
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, scenes.layout(w, h, seed=8))))
    return path


@pytest.mark.slow
def test_the_api_takes_the_detail_setting(simulator, tmp_path):
    from gradio_client import Client, handle_file

    from tests.test_app_api import SECRET, live_env, running_app

    server = simulator(convention="absolute", grid=28, api_key=SECRET)
    path = _large_photo(tmp_path)
    with running_app(live_env(server)) as url:
        doc = Client(url, verbose=False).predict(
            files=[handle_file(str(path))], detail="tiles", recheck="off", api_name="/inspect"
        )
    (image,) = doc["images"]
    assert image["error"] is None and len(image["passes"]) == 9
    assert len(image["detections"]) == 4 and len(server.requests) == 10


@pytest.mark.slow
def test_a_visitor_cannot_spend_more_requests_on_the_owners_key(simulator, tmp_path):
    from gradio_client import Client, handle_file

    from tests.test_app_api import SECRET, running_app
    from tests.test_public_space import public_env

    server = simulator(convention="absolute", grid=28, api_key=SECRET)
    path = _large_photo(tmp_path)
    with running_app(public_env(server, tmp_path)) as url:
        doc = Client(url, verbose=False).predict(
            files=[handle_file(str(path))], detail="tiles", recheck="all", api_name="/inspect"
        )
    (image,) = doc["images"]
    assert image["error"] is None and image["passes"] == []
    assert len(server.requests) == 1  # the owner's standard detail; no re-checks (all worn)
    (note,) = doc["notes"]
    assert "Detail" in note and "Second look" in note


def test_evaluate_compares_detail_settings_and_keeps_their_answers_apart():
    from safety.config import load_settings
    from safety.evaluation.cache import identity
    from safety.evaluation.runner import parse_compare

    assert parse_compare("tiles:detail=tiles,recheck=all")[1] == {
        "detail": "tiles",
        "recheck": "all",
    }
    one = load_settings({}, base_url="http://h/v1", model="m", recheck="off")
    assert "detail" not in identity(one) and "recheck" not in identity(one)  # older caches
    assert identity(one.with_(detail="tiles")) != identity(one)
    assert identity(one.with_(recheck="auto")) != identity(one)


def test_the_run_summary_shows_what_was_spent():
    from safety.cost import run_cost

    result = ImageResult("p.jpg", width=10, height=10, model="qwen-vl-max")
    result.usage = {"prompt_tokens": 10_000, "completion_tokens": 1_000, "total_tokens": 11_000}
    result.passes = [{"raw_text": "[]"}, {"raw_text": None, "error": "failed"}]
    line = run_cost([result], "qwen-vl-max", "en")
    assert line.startswith("Cost: 2 request(s), 10,000 input and 1,000 output tokens")
    assert "0.0390 CNY" in line  # 10 x 0.003 + 1 x 0.009
    assert "CNY" not in run_cost([result], "Qwen/Qwen2.5-VL-7B-Instruct", "en")  # no price


@pytest.mark.parametrize(
    ("preset", "detail", "high_res", "logprobs"),
    [
        ("dashscope", "high", True, False),  # DashScope keeps a large frame only when asked
        ("dashscope", "standard", False, False),
        ("vllm", "high", False, True),  # vLLM: no such parameter; log-probabilities asked
    ],
)
def test_requests_carry_the_providers_own_parameters(preset, detail, high_res, logprobs):
    import httpx

    from safety.backends.client import OpenAICompatibleModel
    from safety.backends.model import Question
    from safety.config import load_settings

    sent = {}

    def handler(request: httpx.Request) -> httpx.Response:
        sent.update(json.loads(request.content))
        body = {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "[]"},
                    "finish_reason": "stop",
                    "logprobs": {"content": [{"token": "[]", "logprob": -0.1, "top_logprobs": []}]},
                }
            ],
        }
        return httpx.Response(200, json=body)

    base = "https://dashscope.aliyuncs.com/compatible-mode/v1" if preset == "dashscope" else None
    settings = load_settings(
        {"DASHSCOPE_API_KEY": "sk-x"}, preset=preset, base_url=base or "http://h/v1", detail=detail
    )
    client = httpx.Client(transport=httpx.MockTransport(handler))
    answer = OpenAICompatibleModel(settings, http_client=client).ask(Question(b"\xff", "p"))
    assert sent.get("vl_high_resolution_images", False) is high_res
    assert sent.get("logprobs", False) is logprobs
    assert answer.token_logprobs == (("[]", -0.1),)


def test_demo_labels_are_never_read_as_a_tiles_answer():
    from safety.backends.model import Answer
    from safety.config import load_settings
    from safety.inspection import Inspector
    from tests.fakes import FakeModel

    stored = '[{"bbox_2d": [100, 100, 300, 600], "label": "人员", "sub_label": "佩戴安全帽"}]'
    model = FakeModel(lambda q: Answer(stored, "stop", None, 0.0, "m", provenance="hand-drawn"))
    settings = load_settings({}, base_url="http://x/v1", model="m", coords="absolute")
    data = scenes.jpeg_bytes(scenes.scene(4000, 3000, scenes.layout(4000, 3000, 1)))
    result = Inspector(settings.with_(detail="tiles"), model=model).inspect_one(("p", data))
    assert result.ok and len(result.detections) == 1 and result.passes == []
