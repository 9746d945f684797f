"""The web app through gradio_client, against a local chat-completions simulator.

The app runs in-process (launch(prevent_thread_lock=True)) on a free loopback port; the
simulator answers like Qwen2.5-VL behind vLLM (absolute pixels on a 28 grid). The API key is
a recognisable fake that must never appear in anything the app serves.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from safety.backends.demo import CONFIGURE_MESSAGE, load_references
from safety.config import load_config
from safety.limits import MAX_PHOTO_MB, MAX_VIDEO_MB, PUBLIC_MAX_VIDEO_MB
from safety.web import build_app, launch_kwargs
from safety.web.endpoint import EndpointForm, settings_from_form
from tests import scenes
from tests.simulator import Fault

SECRET = "sk-test-SECRET-1234"
QWEN25 = "Qwen/Qwen2.5-VL-7B-Instruct"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(environ: Mapping[str, str]) -> Iterator[str]:
    """Build the app with ``environ`` and serve it on loopback; yields its URL."""
    app = build_app(environ)
    app.queue(default_concurrency_limit=4, max_size=16).launch(
        prevent_thread_lock=True,
        server_name="127.0.0.1",
        server_port=free_port(),
        quiet=True,
        **launch_kwargs(environ),
    )
    try:
        yield app.local_url.rstrip("/")
    finally:
        app.close()


def live_env(server, **extra) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QWEN_VL_BASE_URL=server.base_url,
        QWEN_VL_MODEL=QWEN25,
        QWEN_VL_COORDS="absolute",
        QWEN_VL_API_KEY=SECRET,
        QWEN_VL_RETRIES="0",
    )
    env.update(extra)
    return env


def demo_env(**extra) -> dict[str, str]:
    env = dict(os.environ)  # conftest removed every endpoint variable
    env.update(extra)
    return env


def two_photos(tmp_path: Path) -> list[tuple[Path, list]]:
    photos = []
    for n, (w, h) in enumerate([(800, 600), (640, 960)]):
        truth = scenes.layout(w, h, seed=n + 1)
        path = tmp_path / f"site{n + 1}.jpg"
        path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, truth)))
        photos.append((path, truth))
    return photos


def assert_boxes(image: dict, truth, width: int, height: int) -> None:
    assert image["error"] is None, image["error"]
    assert (image["width"], image["height"]) == (width, height)
    found = image["detections"]
    assert len(found) == len(truth)
    for kind, box in truth:
        same = [d for d in found if d["category"] == scenes.CATEGORY[kind]]
        best = min(same, key=lambda d: sum(abs(a - b) for a, b in zip(d["box"], box)))
        assert max(abs(a - b) for a, b in zip(best["box"], box)) <= 0.01 * max(width, height)
        if kind == "person-missing":
            assert best["helmet"] == "missing"


@pytest.fixture
def live_app(simulator, tmp_path):
    server = simulator(convention="absolute", grid=28, api_key=SECRET)
    with running_app(live_env(server)) as url:
        yield url, server


@pytest.mark.slow
def test_inspect_two_photos(live_app, tmp_path):
    url, _server = live_app
    photos = two_photos(tmp_path)
    client = Client(url, verbose=False)
    doc = client.predict(files=[handle_file(str(p)) for p, _ in photos], api_name="/inspect")
    assert doc["mode"] == "live" and doc["reference_labels"] is False
    assert [img["source"] for img in doc["images"]] == ["site1.jpg", "site2.jpg"]
    for image, (path, truth) in zip(doc["images"], photos, strict=True):
        w, h = (800, 600) if path.name == "site1.jpg" else (640, 960)
        assert_boxes(image, truth, w, h)
    s = doc["summary"]
    assert (s["photos"], s["failed"], s["fire"], s["smoke"], s["persons"]) == (2, 0, 2, 2, 4)
    assert s["persons_without_hard_hat"] == 2
    assert doc["endpoint"].startswith("http://127.0.0.1:")
    assert "IMMEDIATE ACTION" in doc["verdict"]


def test_inspect_takes_the_site_profile_privacy_and_rules_as_the_button_does(live_app, tmp_path):
    """One run path: the API's site profile reaches the prompt the endpoint receives, and
    its jurisdiction's rules give every standing finding its clauses and action."""
    from tests.test_site import PROFILE

    url, server = live_app
    photos = [handle_file(str(p)) for p, _ in two_photos(tmp_path)]
    client = Client(url, verbose=False)

    def run(**site) -> tuple[dict, list[str]]:
        before = len(server.requests)
        doc = client.predict(files=photos, concurrency=1, api_name="/inspect", **site)
        return doc, [r.prompt for r in server.requests[before:]]

    def standing(doc: dict) -> list[dict]:
        return [d for img in doc["images"] for d in img["detections"]]

    plain, prompts = run()
    assert prompts and not any("permit HW-118" in p for p in prompts)
    assert not any("action" in d for d in standing(plain))

    profile = tmp_path / "site.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    doc, prompts = run(site_profile=handle_file(str(profile)), blur_faces=True)
    assert len(prompts) == 2 and all("permit HW-118" in p for p in prompts)
    # Fire, smoke and a missing hard hat (2 photos x 3) each get the rules' clauses and an
    # open corrective action; a person wearing a hard hat needs none.
    hazards = [d for d in standing(doc) if d.get("helmet") != "worn"]
    assert len(hazards) == 6
    assert all(d["clauses"] and d["action"]["text"] for d in hazards)
    assert all(d["action"]["status"] == "open" for d in hazards)

    # Typed in instead of a file: the same block, the named jurisdiction's rules.
    doc, prompts = run(site_name="Pier 4", jurisdiction="us", site_context="Crane lift zone C")
    assert all("Crane lift zone C" in p for p in prompts)
    assert any("CFR" in c for d in standing(doc) for c in d["clauses"])
    # A bad profile is a message that names the problem, not a failed run.
    bad = tmp_path / "bad.toml"
    bad.write_text('jurisdiction = "../etc"', encoding="utf-8")
    with pytest.raises(Exception, match="jurisdiction"):
        run(site_profile=handle_file(str(bad)))


@pytest.mark.slow
def test_endpoint_failure_is_reported_for_that_photo_only(live_app, tmp_path):
    url, server = live_app
    photos = two_photos(tmp_path)
    server.model.faults.append(
        Fault(status=400, body=json.dumps({"error": {"message": "image rejected by gateway"}}))
    )
    client = Client(url, verbose=False)
    doc = client.predict(
        files=[handle_file(str(p)) for p, _ in photos], concurrency=1, api_name="/inspect"
    )
    failed = [img for img in doc["images"] if img["error"]]
    good = [img for img in doc["images"] if not img["error"]]
    assert len(failed) == 1 and len(good) == 1
    assert "400" in failed[0]["error"] and "image rejected by gateway" in failed[0]["error"]
    assert failed[0]["detections"] == []
    assert len(good[0]["detections"]) == 4
    assert doc["summary"]["failed"] == 1
    assert "FAILED" in doc["verdict"]


@pytest.mark.slow
def test_unreadable_answer_is_an_error_not_nothing_found(live_app, tmp_path):
    url, server = live_app
    server.model.faults.append(Fault(content="I cannot help with that."))
    client = Client(url, verbose=False)
    doc = client.predict(files=[handle_file(str(two_photos(tmp_path)[0][0]))], api_name="/inspect")
    assert doc["images"][0]["error"] and doc["summary"]["level"] == "no-result"


@pytest.mark.slow
def test_demo_mode_answers_examples_from_reference_labels(tmp_path):
    ref = next(r for r in load_references() if r.provenance == "hand-drawn")
    other = tmp_path / "mine.jpg"
    other.write_bytes(scenes.jpeg_bytes(scenes.scene(320, 240, scenes.layout(320, 240))))
    with running_app(demo_env()) as url:
        client = Client(url, verbose=False)
        doc = client.predict(
            files=[handle_file(str(ref.path)), handle_file(str(other))],
            urls="https://example.com/site.jpg",
            api_name="/inspect",
        )
    assert doc["mode"] == "demo" and doc["reference_labels"] is True
    example, mine, remote = doc["images"]
    assert example["error"] is None
    assert example["reference_labels"] == "hand-drawn"
    assert len(example["detections"]) == len(ref.objects)
    assert example["notes"][0].startswith("Reference labels (hand-drawn), not a live model")
    for image in (mine, remote):
        assert image["error"] == CONFIGURE_MESSAGE
        assert "QWEN_VL_BASE_URL" in image["error"] and "DASHSCOPE_API_KEY" in image["error"]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_api_key_never_leaves_the_server(live_app, tmp_path):
    url, _server = live_app
    pages = {
        "page": _get(url + "/"),
        "config": _get(url + "/config"),
        "info": _get(url + "/gradio_api/info"),
    }
    client = Client(url, verbose=False)
    pages["view_api"] = json.dumps(client.view_api(print_info=False, return_format="dict"))
    doc = client.predict(files=[handle_file(str(two_photos(tmp_path)[0][0]))], api_name="/inspect")
    pages["output"] = json.dumps(doc)
    assert json.loads(pages["output"])["images"][0]["error"] is None  # the key was used
    for where, text in pages.items():
        assert SECRET not in text, where
        assert "SECRET-1234" not in text, where
    # The key field starts empty and says where the key comes from.
    config = json.loads(pages["config"])
    key_box = next(
        c for c in config["components"] if c.get("props", {}).get("elem_id") == "api-key"
    )
    assert key_box["props"]["value"] == ""
    # (a catalogue key, translated in the browser: "using the key from the environment")
    assert "page.api-key-env" in key_box["props"]["placeholder"]


def test_environment_key_goes_only_to_its_own_endpoint(simulator):
    server = simulator()
    env = live_env(server)
    same = settings_from_form(load_config(env), EndpointForm(base_url=server.base_url))
    assert same.api_key == SECRET
    other = settings_from_form(load_config(env), EndpointForm(base_url="http://127.0.0.1:9/v1"))
    assert other.api_key == "EMPTY"  # a typed endpoint never receives the server's key
    typed = settings_from_form(
        load_config(env), EndpointForm(base_url="http://127.0.0.1:9/v1", api_key="sk-typed-0000")
    )
    assert typed.api_key == "sk-typed-0000"
    assert settings_from_form(load_config(demo_env()), EndpointForm()) is None  # demo mode


def test_typed_private_endpoint_refused_on_a_public_server():
    env = demo_env(SAFETY_PUBLIC="1")
    from safety.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="private, local or reserved"):
        settings_from_form(load_config(env), EndpointForm(base_url="http://127.0.0.1:8000/v1"))


@pytest.mark.slow
def test_photo_limit_has_a_clear_message(tmp_path):
    photos = two_photos(tmp_path)
    with running_app(demo_env(SAFETY_MAX_PHOTOS="1")) as url:
        client = Client(url, verbose=False)
        with pytest.raises(Exception, match="at most 1 per run"):
            client.predict(files=[handle_file(str(p)) for p, _ in photos], api_name="/inspect")
        with pytest.raises(Exception, match="Add at least one photo"):
            client.predict(api_name="/inspect")


def test_launch_kwargs_leave_host_and_port_to_gradio():
    kwargs = launch_kwargs({"SAFETY_AUTH": "officer:pa55word"})
    assert "server_name" not in kwargs and "server_port" not in kwargs
    assert kwargs["auth"] == ("officer", "pa55word")
    # Uploads may be videos: the larger cap is Gradio's; a photo's own is checked at the run.
    assert kwargs["max_file_size"] == f"{MAX_VIDEO_MB}mb"
    public = launch_kwargs({"SAFETY_PUBLIC": "1"})
    assert public["max_file_size"] == f"{max(MAX_PHOTO_MB, PUBLIC_MAX_VIDEO_MB)}mb"
    assert "auth" not in launch_kwargs({})
