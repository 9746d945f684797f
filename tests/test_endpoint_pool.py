"""Several endpoints in one run (safety.backends.pool): shared by speed, failures rested, each
endpoint calibrated on its own, boxes on the truth whichever endpoint answered.

The end-to-end tests start simulators and drive the real openai client over real HTTP; they
assert behaviour (who answered, how many, where the boxes landed), never wall-clock time.
The rest-and-trial rules are tested with in-process fakes and a clock the test moves.
"""

from __future__ import annotations

import json
import socket

import pytest

from safety.backends.calibration import CalibrationStore, Plan
from safety.backends.client import OpenAICompatibleModel
from safety.backends.model import Question
from safety.backends.pool import (
    MAX_REST_S,
    REST_S,
    EndpointPool,
    EndpointsDown,
    calibrate_each,
    combined,
    model_for,
)
from safety.commands.cli import main
from safety.config import load_config, load_settings
from safety.errors import ConfigurationError, EndpointError
from safety.inspection import Inspector
from safety.web import endpoint as web
from safety.web.endpoint import EndpointForm, endpoint_from_form, make_inspector
from tests import scenes
from tests.fakes import FakeModel
from tests.simulator import Fault
from tests.test_coordinates_e2e import _assert_matches

MODEL = "qwen-vl"  # a name that implies no convention: auto mode probes each endpoint
EMPTY = "```json\n[]\n```"


def _photos(tmp_path, sizes):
    """Photos of known objects on disk: [(path, objects, width, height)]."""
    out = []
    for n, (w, h) in enumerate(sizes):
        objects = scenes.layout(w, h, seed=n)
        path = tmp_path / f"p{n}_{w}x{h}.jpg"
        path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, objects)))
        out.append((path, objects, w, h))
    return out


def _run(tmp_path, urls, photos, in_flight=None, **settings):
    """Inspect the photos through a pool of ``urls`` (``in_flight``: per endpoint, for
    inspect_many); (results by index, the pool)."""
    options = dict(model=MODEL, concurrency=2, max_retries=0, timeout=20, recheck="off")
    options.update(settings)
    s = load_settings({"SAFETY_CACHE_DIR": str(tmp_path / "cache")}, base_url=urls, **options)
    inspector = Inspector(s, keep_images=False)
    try:
        results = list(inspector.inspect_many([p for p, *_ in photos], concurrency=in_flight))
    finally:
        inspector.close()
    return sorted(results, key=lambda r: r.index), inspector.model


def _assert_all_on_truth(results, photos):
    assert len(results) == len(photos)
    for result, (_, objects, w, h) in zip(results, photos):
        _assert_matches(result.to_dict(), objects, w, h)


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def _chats(server) -> int:
    return sum("red rectangle" not in (r.prompt or "") for r in server.requests)


# -- sharing the work ------------------------------------------------------------------------


@pytest.mark.slow
def test_two_equal_endpoints_share_the_photos_and_each_is_kept_full(tmp_path, simulator):
    servers = [
        simulator(convention="absolute", base_latency=0.2, capacity=2, models=(MODEL,))
        for _ in range(2)
    ]
    photos = _photos(tmp_path, [(640, 480)] * 16)
    results, pool = _run(tmp_path, [s.base_url for s in servers], photos, coords="absolute")
    _assert_all_on_truth(results, photos)
    shares = [_chats(s) / len(photos) for s in servers]
    assert sum(_chats(s) for s in servers) == len(photos)  # one request per photo
    assert all(0.35 <= share <= 0.65 for share in shares), shares
    # Two in flight at each (its concurrency), so four across both, never more at one.
    assert [s.in_flight_peak for s in servers] == [2, 2]
    hosts = {r.endpoint for r in results}
    assert hosts == {s.base_url.removesuffix("/v1") for s in servers}
    assert sum(m.answered for m in pool.status()) == len(photos)


@pytest.mark.slow
def test_the_faster_endpoint_gets_more_photos_not_every_other_one(tmp_path, simulator):
    fast = simulator(convention="absolute", base_latency=0.02, capacity=4, models=(MODEL,))
    slow = simulator(convention="absolute", base_latency=0.6, capacity=4, models=(MODEL,))
    photos = _photos(tmp_path, [(480, 360)] * 20)
    # Two in flight in all, room for four at each: where they go is the pool's choice.
    results, _ = _run(
        tmp_path, [slow.base_url, fast.base_url], photos, 1, coords="absolute", concurrency=4
    )
    _assert_all_on_truth(results, photos)
    assert _chats(slow) >= 1  # it was measured...
    assert _chats(fast) >= 0.8 * len(photos)  # ...and then the fast one was the better bet


# -- failures --------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("failure", ["server errors", "closed port"])
def test_a_failing_endpoint_rests_and_the_other_answers_every_photo(tmp_path, simulator, failure):
    good = simulator(convention="absolute", base_latency=0.05, capacity=2, models=(MODEL,))
    if failure == "server errors":
        bad = simulator(convention="absolute", models=(MODEL,))
        bad.model.faults.extend(Fault(status=500) for _ in range(50))
        bad_url = bad.base_url
    else:
        bad, bad_url = None, _closed_port_url()
    photos = _photos(tmp_path, [(640, 480)] * 12)
    results, pool = _run(tmp_path, [bad_url, good.base_url], photos, coords="absolute")
    _assert_all_on_truth(results, photos)  # no photo failed
    good_host = good.base_url.removesuffix("/v1")
    assert {r.endpoint for r in results} == {good_host}
    bad_status, good_status = pool.status()
    assert bad_status.resting and 3 <= bad_status.failed <= 4  # 3 strikes (+1 already sent)
    assert good_status.answered == len(photos)
    if bad is not None:
        assert 3 <= len(bad.requests) <= 4


@pytest.mark.parametrize("coords", ["absolute", "auto"])
def test_all_endpoints_down_fails_every_photo_with_the_fix(tmp_path, coords):
    urls = [_closed_port_url(), _closed_port_url()]
    photos = _photos(tmp_path, [(640, 480)] * 5)
    results, _ = _run(tmp_path, urls, photos, coords=coords)
    assert len(results) == len(photos)
    for r in results:
        assert not r.ok and r.detections == [] and r.error_kind == "endpoints down"
        assert r.error.startswith("All 2 endpoints failed.")
        assert all(url.removesuffix("/v1") in r.error for url in urls)
        assert "Cannot connect" in r.error and "--resume" in r.error
        assert "running and reachable" in r.error


# -- calibration, one endpoint at a time --------------------------------------------------------

LARGE = [(4000, 3000), (1080, 1920), (1920, 1080), (640, 480)] * 2


def test_each_endpoint_is_calibrated_on_its_own(tmp_path, simulator):
    full = simulator(convention="absolute", grid=28, models=(MODEL,), base_latency=0.05)
    reduced = simulator(
        convention="absolute", grid=28, max_pixels=256 * 28 * 28, models=(MODEL,),
        base_latency=0.05,
    )  # fmt: skip
    photos = _photos(tmp_path, LARGE)
    results, pool = _run(tmp_path, [full.base_url, reduced.base_url], photos, coords="auto")
    _assert_all_on_truth(results, photos)
    for server in (full, reduced):
        assert any("red rectangle" in r.prompt for r in server.requests)  # each was probed
        assert _chats(server) >= 1  # and each served
        # Every frame inside the smaller server's limit: it kept what it was sent.
        sent = [r for r in server.requests if "red rectangle" not in r.prompt]
        assert all(r.image_size == r.frame_size for r in sent)
    stored = json.loads((tmp_path / "cache" / "calibration.json").read_text())
    assert sorted(key.split("|")[0] for key in stored) == sorted([full.base_url, reduced.base_url])
    assert any("server shrinks frames" in note for note in results[0].notes)


@pytest.mark.slow
def test_endpoints_that_write_coordinates_differently_all_land_on_the_truth(tmp_path, simulator):
    """One replica Qwen2.5-VL (absolute pixels, grid 28), one Qwen3-VL (0..1000, grid 32),
    under one model name: each answer is read as its endpoint writes, tiles included."""
    servers = [
        simulator(convention="absolute", grid=28, models=(MODEL,), base_latency=0.05),
        simulator(convention="relative-1000", grid=32, models=(MODEL,), base_latency=0.05),
    ]
    photos = _photos(tmp_path, LARGE)
    urls = [s.base_url for s in servers]
    for detail in ("standard", "tiles"):
        results, pool = _run(tmp_path, urls, photos, coords="auto", detail=detail)
        _assert_all_on_truth(results, photos)
        assert {m.convention for m in pool.status()} == {"absolute", "relative-1000"}
        assert {r.convention for r in results} == {"absolute", "relative-1000"}
    assert pool.status()[0].answered and pool.status()[1].answered


def test_the_command_line_takes_a_list_from_the_environment(tmp_path, simulator):
    servers = [
        simulator(convention="absolute", grid=28, models=(MODEL,), base_latency=0.05),
        simulator(convention="relative-1000", grid=32, models=(MODEL,), base_latency=0.05),
    ]
    photos = _photos(tmp_path, [(1600, 1200)] * 6)
    out = tmp_path / "out.json"
    env = {
        "QWEN_VL_BASE_URL": f"{servers[0].base_url}, {servers[1].base_url}",
        "SAFETY_CACHE_DIR": str(tmp_path / "cache"),
    }
    argv = ["inspect", *(str(p) for p, *_ in photos), "--model", MODEL, "--json", str(out)]
    assert main([*argv, "--quiet", "--recheck", "off"], environ=env) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["endpoint"] == ", ".join(s.base_url.removesuffix("/v1") for s in servers)
    for image, (_, objects, w, h) in zip(doc["images"], photos):
        _assert_matches(image, objects, w, h)
    assert all(_chats(s) for s in servers)


def test_calibrate_each_probes_and_remembers_every_endpoint(tmp_path, simulator):
    a = simulator(convention="absolute", grid=28, models=(MODEL,))
    b = simulator(convention="relative-1000", grid=32, models=(MODEL,))
    s = load_settings({}, base_url=[a.base_url, b.base_url], model=MODEL, max_retries=0)
    store = CalibrationStore(tmp_path / "c")
    found = list(calibrate_each(s, store))
    assert [(host, plan.convention) for host, plan in found] == [
        (a.base_url.removesuffix("/v1"), "absolute"),
        (b.base_url.removesuffix("/v1"), "relative-1000"),
    ]
    assert store.get(s.for_endpoint(a.base_url)) and store.get(s.for_endpoint(b.base_url))
    # A failure comes after the others' plans, as it is (it names its endpoint).
    dead = _closed_port_url()
    down = load_settings({}, base_url=[dead, a.base_url], model=MODEL, max_retries=0)
    found = []
    with pytest.raises(EndpointError, match=f"Cannot connect to {dead.removesuffix('/v1')}"):
        for host, _plan in calibrate_each(down, store):
            found.append(host)
    assert found == [a.base_url.removesuffix("/v1")]


def test_one_endpoint_down_at_calibration_is_left_out_with_a_note(tmp_path, simulator):
    good = simulator(convention="absolute", grid=28, models=(MODEL,))
    dead = _closed_port_url()
    photos = _photos(tmp_path, [(640, 480)] * 3)
    results, pool = _run(tmp_path, [dead, good.base_url], photos, coords="auto")
    _assert_all_on_truth(results, photos)
    note = f"{dead.removesuffix('/v1')} is left out of this run for now: Cannot connect"
    assert all(any(n.startswith(note) for n in r.notes) for r in results)
    assert pool.status()[0].resting


def test_a_member_left_out_at_calibration_joins_after_its_rest_if_it_fits(tmp_path, simulator):
    """Down at the start, back later: probed when its rest ends, then it serves; a server
    whose frames would be smaller than those being sent stays out."""
    late = simulator(convention="absolute", grid=28, models=(MODEL,))
    late.model.faults.append(Fault(status=503))  # its first probe fails
    small = simulator(convention="absolute", grid=28, models=(MODEL,), max_pixels=256 * 28 * 28)
    small.model.faults.append(Fault(status=503))
    steady = simulator(convention="absolute", grid=28, models=(MODEL,))
    urls = [late.base_url, small.base_url, steady.base_url]
    s = load_settings({}, base_url=urls, model=MODEL, max_retries=0, concurrency=1)
    clock = Clock()
    pool = EndpointPool(s, clock=clock)
    try:
        plan = pool.plan_for(s, CalibrationStore(tmp_path / "c"))
        assert sum("is left out of this run for now" in note for note in plan.notes) == 2
        assert [m.resting for m in pool.status()] == [True, True, False]
        photo, *_ = _photos(tmp_path, [(640, 480)])
        question = Question(photo[0].read_bytes(), s.prompt)
        assert pool.ask(question).endpoint == steady.base_url.removesuffix("/v1")
        clock.now += REST_S  # both rests end: each gets its trial, a probe first
        answers = [pool.ask(question).endpoint for _ in range(3)]
        assert late.base_url.removesuffix("/v1") in answers
        assert small.base_url.removesuffix("/v1") not in answers
        assert [m.out for m in pool.status()] == [False, True, False]
        assert any("red rectangle" in r.prompt for r in small.requests)
    finally:
        pool.close()


def test_a_member_whose_probe_answer_fits_nothing_is_left_out(tmp_path, simulator):
    vague = simulator(convention="absolute", models=(MODEL,))
    vague.model.faults.append(Fault(content="I see a red shape somewhere."))
    clear = simulator(convention="absolute", models=(MODEL,))
    photos = _photos(tmp_path, [(640, 480)] * 3)
    results, pool = _run(tmp_path, [vague.base_url, clear.base_url], photos, coords="auto")
    _assert_all_on_truth(results, photos)
    assert all(
        any("left out" in n and "could not tell which coordinates" in n for n in r.notes)
        for r in results
    )
    assert pool.status()[0].answered == 0


def test_when_no_endpoint_can_tell_the_run_falls_back_as_with_one(tmp_path, simulator):
    servers = [simulator(convention="absolute", models=(MODEL,)) for _ in range(2)]
    for server in servers:
        server.model.faults.append(Fault(content="I see a red shape somewhere."))
    photos = _photos(tmp_path, [(640, 480)] * 4)
    results, pool = _run(tmp_path, [s.base_url for s in servers], photos, coords="auto")
    _assert_all_on_truth(results, photos)  # the fallback, absolute, is right here
    for r in results:
        assert sum("Meanwhile using absolute coordinates" in n for n in r.notes) == 2
    assert all(m.answered for m in pool.status())


# -- the rules, with fakes and a clock the test moves --------------------------------------------


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _pool(*models, concurrency=1):
    urls = [f"http://e{i}:8000/v1" for i in range(len(models))]
    s = load_settings({}, base_url=urls, model="m", coords="absolute", concurrency=concurrency)
    clock = Clock()
    return EndpointPool(s, models=models, clock=clock), clock


def _failing(status=503, retryable=True):
    return FakeModel(lambda _q: EndpointError("down", status=status, retryable=retryable))


Q = Question(b"jpeg", "prompt")


def test_three_failures_rest_a_member_then_one_trial_decides():
    flaky, steady = _failing(), FakeModel(EMPTY)
    pool, clock = _pool(flaky, steady)
    for _ in range(3):  # each question fails on e0 and goes to e1
        assert pool.ask(Q).endpoint == "http://e1:8000"
    assert len(flaky.questions) == 3 and pool.status()[0].resting
    for _ in range(5):
        pool.ask(Q)
    assert len(flaky.questions) == 3  # resting: asked nothing
    clock.now += REST_S
    pool.ask(Q)  # the trial fails: a rest twice as long, at once
    assert len(flaky.questions) == 4
    clock.now += REST_S
    pool.ask(Q)
    assert len(flaky.questions) == 4 and pool.status()[0].resting
    clock.now += REST_S
    flaky._answer = lambda _q: EMPTY  # the server is back
    assert pool.ask(Q).endpoint == "http://e0:8000"
    assert not pool.status()[0].resting and pool.status()[0].answered == 1


def test_rests_double_up_to_the_cap():
    flaky, steady = _failing(), FakeModel(EMPTY)
    pool, clock = _pool(flaky, steady)
    for _ in range(3):
        pool.ask(Q)
    rests = []
    for _ in range(6):
        before = len(flaky.questions)
        step = 0.0
        while len(flaky.questions) == before:
            clock.now += 1.0
            step += 1.0
            pool.ask(Q)
        rests.append(step)
    assert rests == [REST_S, 2 * REST_S, 4 * REST_S, 8 * REST_S, MAX_REST_S, MAX_REST_S]


def test_a_member_with_a_wrong_key_or_model_rests_at_once():
    wrong, right = _failing(status=404, retryable=False), FakeModel(EMPTY)
    pool, _ = _pool(wrong, right)
    assert pool.ask(Q).endpoint == "http://e1:8000"
    assert pool.status()[0].resting and len(wrong.questions) == 1


def test_an_error_of_the_photo_is_raised_as_it_is_and_rests_nobody():
    refusing, other = _failing(status=400, retryable=False), FakeModel(EMPTY)
    pool, _ = _pool(refusing, other)
    with pytest.raises(EndpointError, match="down") as info:
        pool.ask(Q)
    assert not isinstance(info.value, EndpointsDown)
    assert other.questions == [] and not any(m.resting for m in pool.status())


def test_every_member_resting_raises_endpoints_down_naming_each():
    pool, _ = _pool(_failing(), _failing())
    with pytest.raises(EndpointsDown) as info:
        pool.ask(Q)
    text = str(info.value)
    assert "http://e0:8000 (failed this photo): down" in text
    assert "http://e1:8000 (failed this photo): down" in text
    for _ in range(2):
        with pytest.raises(EndpointsDown):
            pool.ask(Q)
    with pytest.raises(EndpointsDown, match=r"resting for 30 s"):
        pool.ask(Q)


def test_a_closed_pool_stops_at_once_and_closes_every_member():
    a, b = FakeModel(EMPTY), FakeModel(EMPTY)
    pool, _ = _pool(a, b)
    pool.close()
    assert a.closed and b.closed
    with pytest.raises(EndpointError, match="stopped"):
        pool.ask(Q)


def test_the_frames_fit_every_member():
    plans = [
        Plan("absolute", 28, 800_000, "calibrated", ("shrinks",)),
        Plan("relative-1000", 32, 1_000_000, "calibrated"),
    ]
    plan = combined(plans, ["http://a", "http://b"])
    assert (plan.grid, plan.max_pixels, plan.notes) == (224, 800_000, ("http://a: shrinks",))
    same = combined([plans[0], plans[0]], ["http://a", "http://c"])
    assert same.grid == 28 and same.convention == "absolute"


# -- settings ----------------------------------------------------------------------------------


def test_a_list_of_base_urls_from_the_environment():
    env = {"QWEN_VL_BASE_URL": " http://a:8000/v1/,http://b:8000/v1\n http://a:8000/v1  c://"}
    with pytest.raises(ConfigurationError, match=r"The base URL 'c:' must look like"):
        load_settings(env)
    env["QWEN_VL_BASE_URL"] = "http://a:8000/v1/, http://b:8000/v1\n\thttp://a:8000/v1 ,"
    s = load_settings(env)
    assert s.base_urls == ("http://a:8000/v1", "http://b:8000/v1")  # duplicates gone
    assert s.base_url == "http://a:8000/v1"
    assert s.host == "http://a:8000, http://b:8000"
    assert s.for_endpoint("http://b:8000/v1").base_urls == ("http://b:8000/v1",)
    assert s.for_endpoint("http://b:8000/v1").host == "http://b:8000"
    # Changing base_url alone gives that one endpoint, as it always did.
    assert s.with_(base_url="http://c/v1").base_urls == ("http://c/v1",)


def test_explicit_base_urls_win_and_may_be_a_list_or_repeated_flags():
    env = {"QWEN_VL_BASE_URL": "http://env:1/v1"}
    assert load_settings(env).base_urls == ("http://env:1/v1",)
    assert load_settings(env, base_url=None).base_urls == ("http://env:1/v1",)
    assert load_settings(env, base_url=[]).base_urls == ("http://env:1/v1",)
    flags = ["http://a/v1", "http://b/v1,http://c/v1"]  # --base-url given twice
    assert load_settings(env, base_url=flags).base_urls == (
        "http://a/v1",
        "http://b/v1",
        "http://c/v1",
    )
    assert load_settings(env, base_url="http://a/v1").base_urls == ("http://a/v1",)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://m/v1", "The base URL 'ftp://m/v1' must look like http://host:8000/v1"),
        ("http://m:99999/v1", "The base URL 'http://m:99999/v1' is not a valid URL"),
        ("http://u:secret@m/v1?key=k", "not in the base URL (http://m/v1)"),
    ],
)
def test_each_bad_url_is_named_without_its_secrets(url, words):
    with pytest.raises(ConfigurationError) as info:
        load_settings({}, base_url=["http://fine/v1", url])
    assert words in str(info.value)
    assert "secret" not in str(info.value) and "key=k" not in str(info.value)


def test_one_url_makes_one_client_and_several_a_pool():
    one = load_settings({}, base_url="http://a/v1")
    two = load_settings({}, base_url="http://a/v1 http://b/v1")
    single, pool = model_for(one), model_for(two)
    try:
        assert isinstance(single, OpenAICompatibleModel) and isinstance(pool, EndpointPool)
        assert pool.endpoints == 2 and pool.name == two.model
    finally:
        single.close()
        pool.close()


# -- the web page ------------------------------------------------------------------------------


def test_the_page_uses_the_owners_list_and_refuses_a_typed_one_when_public():
    urls = "http://10.0.0.5:8000/v1, http://10.0.0.6:8000/v1"
    private = load_config({"QWEN_VL_BASE_URL": urls, "SAFETY_PUBLIC": "0"})
    for typed in ("", "http://10.0.0.5:8000/v1", urls):  # empty, as shown, or the whole list
        endpoint = endpoint_from_form(private, EndpointForm(base_url=typed))
        assert endpoint.settings.base_urls == private.endpoint.base_urls
    own_list = endpoint_from_form(private, EndpointForm(base_url="http://x/v1 http://y/v1"))
    assert own_list.settings.base_urls == ("http://x/v1", "http://y/v1")  # a trusted machine

    public = load_config({"QWEN_VL_BASE_URL": urls, "SAFETY_PUBLIC": "1"})
    owners = endpoint_from_form(public, EndpointForm(), trusted=False)
    assert owners.settings is public.endpoint and len(owners.settings.base_urls) == 2
    # A list would let the second address go unchecked: refused before any connection.
    for typed in ("http://93.184.216.34/v1, http://127.0.0.1:8000/v1", "http://a/v1 http://b/v1"):
        for trusted in (False, True):
            with pytest.raises(ConfigurationError, match="Enter one base URL"):
                endpoint_from_form(public, EndpointForm(base_url=typed), trusted=trusted)


def test_the_page_tests_and_runs_on_every_endpoint(tmp_path, simulator):
    a = simulator(convention="absolute", models=(MODEL,))
    b = simulator(convention="relative-1000", grid=32, models=(MODEL,))
    env = {
        "QWEN_VL_BASE_URL": f"{a.base_url} {b.base_url}",
        "QWEN_VL_MODEL": MODEL,
        "SAFETY_PUBLIC": "0",
        "SAFETY_CACHE_DIR": str(tmp_path / "cache"),
    }
    config = load_config(env)
    endpoint = endpoint_from_form(config, EndpointForm())
    shown = web.test_endpoint(config, endpoint, "en")
    assert 'class="conn ok"' in shown
    for server, convention in ((a, "absolute"), (b, "relative-1000")):
        assert f"{server.base_url.removesuffix('/v1')} answers" in shown
        assert f"Coordinates: {convention}" in shown
    inspector = make_inspector(config, endpoint, "en", "", None)
    try:
        assert isinstance(inspector.model, EndpointPool) and inspector.model.endpoints == 2
    finally:
        inspector.close()
