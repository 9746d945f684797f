"""The example photos answered at start-up (demo mode): a run of examples takes copies of
those results, named and numbered as the run names them, equal to what the pipeline gives;
anything else (another photo, a site profile, another blur, a live endpoint) is worked out
as usual."""

from __future__ import annotations

import shutil
import time

import pytest

from safety.backends.demo import load_references
from safety.config import load_config
from safety.web.examples import ExampleCache
from safety.web.form import RunForm
from safety.web.job import start_run
from safety.web.visitors import ClientLimits, Visitor
from tests import scenes

pytestmark = pytest.mark.slow

VISITOR = Visitor("127.0.0.1", "s", trusted=True)


@pytest.fixture(scope="module")
def cache():
    c = ExampleCache(load_config({}))
    c.start()
    assert c.ready.wait(240)
    return c


def _lookup(cache, form, config=None):
    config = config or load_config({})
    with start_run(config, ClientLimits(100, 5), form, VISITOR) as run:
        found = cache.lookup(run)
        fresh = None if found is None else list(run.results())  # served from the cache
    return found, fresh


def test_every_example_is_answered_ahead_in_each_language(cache):
    refs = load_references()
    assert {lang for _, lang in cache.results} == {"en", "zh"}
    assert len(cache.results) == 2 * len(refs)


def test_a_run_of_examples_takes_the_cached_results(cache, tmp_path):
    refs = load_references()
    crowd = next(r for r in refs if "hardhats_doha" in r.file)
    copy = tmp_path / "uploaded.jpg"  # Gradio hands the page a copy under its own name
    shutil.copy(crowd.path, copy)
    found, served = _lookup(cache, RunForm(files=[str(refs[1].path), str(copy)], lang="zh"))
    assert found is not None and [r.index for r in found] == [0, 1]
    assert found[1].source == "uploaded.jpg" and found[1].marked_jpeg
    assert [r.source for r in served] == [r.source for r in found]
    # The same as the pipeline gives without the cache, in the run's language.
    with start_run(load_config({}), ClientLimits(100, 5), RunForm(files=[str(copy)], lang="zh"),
                   VISITOR) as run:  # fmt: skip
        worked = list(run.results())[0]
    assert [(d.category, d.status, d.box) for d in worked.detections] == [
        (d.category, d.status, d.box) for d in found[1].detections
    ]
    assert worked.notes == found[1].notes
    # Copies: a change to one never reaches the cache.
    found[1].detections.clear()
    again, _ = _lookup(cache, RunForm(files=[str(copy)], lang="zh"))
    assert again[0].detections


def test_anything_else_is_worked_out(cache, tmp_path):
    refs = load_references()
    other = tmp_path / "site.jpg"
    other.write_bytes(scenes.jpeg_bytes(scenes.scene(640, 480, scenes.layout(640, 480, 0))))
    assert _lookup(cache, RunForm(files=[str(refs[0].path), str(other)]))[0] is None
    blurred = RunForm(files=[str(refs[0].path)], blur_faces=True)
    assert _lookup(cache, blurred)[0] is None
    profiled = RunForm(files=[str(refs[0].path)], site_name="North yard", site_context="a yard")
    assert _lookup(cache, profiled)[0] is None


def test_a_live_endpoint_asks_nothing_ahead(simulator):
    server = simulator(convention="absolute")
    live = ExampleCache(load_config({"QWEN_VL_BASE_URL": server.base_url, "QWEN_VL_MODEL": "m"}))
    live.start()
    assert live.ready.is_set() and not live.results
    time.sleep(0.5)  # a thread started by mistake would have asked by now
    assert server.requests == []
