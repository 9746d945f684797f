"""A public Space cannot be turned against its owner: each attack, tried and refused.

The app runs in this process in public mode (SAFETY_PUBLIC=1, as on a Space), on an owner's
endpoint (a simulator on 127.0.0.1) with the owner's key. The attacker is an anonymous
visitor through gradio_client, the way anyone can reach a Space's API.
"""

from __future__ import annotations

import http.server
import io
import json
import socket
import threading
import urllib.request

import gradio as gr
import pytest
from gradio_client import Client, handle_file
from PIL import Image

from safety.config import load_config
from safety.errors import InputError
from safety.images import DecodeBudget, decode_cost
from safety.web import launch_kwargs
from safety.web.handlers import user_errors
from safety.web.visitors import ClientLimits, Visitor
from tests.simulator import Fault
from tests.test_app_api import QWEN25, SECRET, live_env, running_app, two_photos

OWNER_PROMPT = "Owner's prompt: find fire, smoke and persons. Answer in JSON."


def public_env(server, tmp_path, **extra):
    prompt_file = tmp_path / "owner-prompt.txt"
    prompt_file.write_text(OWNER_PROMPT, encoding="utf-8")
    return live_env(
        server,
        SAFETY_PUBLIC="1",
        SAFETY_PROMPT_FILE=str(prompt_file),
        QWEN_VL_CONCURRENCY="2",
        **extra,
    )


@pytest.fixture
def owner(simulator):
    return simulator(convention="absolute", grid=28, api_key=SECRET)


def _photos(tmp_path, n=1):
    return [handle_file(str(p)) for p, _ in two_photos(tmp_path)][:n]


# -- the owner's key is spent only on the owner's terms ----------------------------------------


@pytest.mark.slow
def test_visitor_cannot_change_prompt_model_size_or_concurrency_on_the_owners_key(owner, tmp_path):
    with running_app(public_env(owner, tmp_path)) as url:
        doc = Client(url, verbose=False).predict(
            files=_photos(tmp_path, 2),
            prompt="x" * 1_000_000,  # a 1 MB prompt to forward on the owner's key
            model="some-expensive-model",
            max_pixels=10**10,  # a CPU bomb in choose_frame
            concurrency=1000,
            coords="relative-1000",
            api_name="/inspect",
        )
    assert [img["error"] for img in doc["images"]] == [None, None]
    assert {r.prompt.split("\n")[-1] for r in owner.requests} == {OWNER_PROMPT}
    assert {r.model for r in owner.requests} == {QWEN25}
    assert owner.in_flight_peak <= 2
    assert all(r.visual_tokens <= 1300 for r in owner.requests)  # the owner's frame size
    # The visitor is told what was not used.
    (note,) = doc["notes"]
    assert "owner" in note and "Prompt" in note and "Model" in note


@pytest.mark.slow
def test_raw_answers_endpoint_and_model_are_withheld_from_anonymous_visitors(owner, tmp_path):
    owner.model.faults.append(Fault(content="```json\n[]\n``` echo " + SECRET))
    with running_app(public_env(owner, tmp_path)) as url:
        doc = Client(url, verbose=False).predict(files=_photos(tmp_path), api_name="/inspect")
        config = urllib.request.urlopen(url + "/config").read().decode()
    assert doc["endpoint"] is None and doc["model"] is None
    assert all(img["raw_text"] is None and img["model"] is None for img in doc["images"])
    text = json.dumps(doc)
    assert SECRET not in text and owner.base_url not in text and QWEN25 not in text
    # Nor does the page show the owner's endpoint or model.
    assert owner.base_url not in config and QWEN25 not in config


@pytest.mark.slow
def test_a_logged_in_operator_keeps_every_setting(owner, tmp_path):
    env = public_env(owner, tmp_path, SAFETY_AUTH="officer:pa55word")
    with running_app(env) as url:
        client = Client(url, auth=("officer", "pa55word"), verbose=False)
        doc = client.predict(files=_photos(tmp_path), prompt="Operator's own prompt, JSON.",
                             api_name="/inspect")  # fmt: skip
    assert "notes" not in doc and doc["images"][0]["raw_text"] is not None
    assert owner.requests[-1].prompt.endswith("Operator's own prompt, JSON.")


# -- per-client limits ------------------------------------------------------------------------


@pytest.mark.slow
def test_photos_per_hour_are_limited_with_a_time_to_come_back(owner, tmp_path):
    with running_app(public_env(owner, tmp_path, SAFETY_PHOTOS_PER_HOUR="3")) as url:
        client = Client(url, verbose=False)
        client.predict(files=_photos(tmp_path, 2), api_name="/inspect")
        with pytest.raises(Exception, match=r"at most 3 photos per hour.*Come back in \d+ min"):
            client.predict(files=_photos(tmp_path, 2), api_name="/inspect")
        # Another session from the same address shares the address's allowance.
        with pytest.raises(Exception, match="at most 3 photos per hour"):
            Client(url, verbose=False).predict(files=_photos(tmp_path, 2), api_name="/inspect")
    assert len(owner.requests) == 2


@pytest.mark.slow
def test_a_client_runs_one_run_at_a_time(simulator, tmp_path):
    slow = simulator(convention="absolute", api_key=SECRET, base_latency=3.0)
    with running_app(public_env(slow, tmp_path)) as url:
        first = Client(url, verbose=False).submit(files=_photos(tmp_path), api_name="/inspect")
        for _ in range(100):  # until the first run is at the server
            if slow.requests:
                break
            threading.Event().wait(0.05)
        with pytest.raises(Exception, match="already have 1 run"):
            Client(url, verbose=False).predict(files=_photos(tmp_path), api_name="/inspect")
        assert first.result()["images"][0]["error"] is None


def test_limits_count_addresses_and_sessions_and_forget_after_an_hour():
    now = [1000.0]
    limits = ClientLimits(photos_per_hour=4, runs_at_once=1, clock=lambda: now[0])
    alice, alice_tab, bob = Visitor("1.1.1.1", "a1", False), Visitor("1.1.1.1", "a2", False), \
        Visitor("2.2.2.2", "b1", False)  # fmt: skip
    with limits.run(alice, 3, "en"):
        with pytest.raises(InputError, match="1 run"):
            with limits.run(alice_tab, 1, "en"):
                pass
        with limits.run(bob, 4, "en"):
            pass
    with pytest.raises(InputError, match="Come back in 60 minute"):
        with limits.run(alice_tab, 2, "en"):
            pass
    now[0] += 3601
    with limits.run(alice_tab, 4, "en"):
        pass
    with limits.run(Visitor("1.1.1.1", "x", True), 100, "en"):  # logged in: no limit
        pass


@pytest.mark.slow
def test_a_whole_run_has_a_deadline_and_unfinished_photos_are_failures(simulator, tmp_path):
    tarpit = simulator(convention="absolute", api_key=SECRET, base_latency=60.0)
    env = public_env(tarpit, tmp_path, SAFETY_RUN_DEADLINE_S="10", QWEN_VL_TIMEOUT="120")
    with running_app(env) as url:
        doc = Client(url, verbose=False).predict(files=_photos(tmp_path, 2), api_name="/inspect")
    assert [img["error_kind"] for img in doc["images"]] == ["deadline", "deadline"]
    assert "time limit of 10 s" in doc["images"][0]["error"]
    assert doc["summary"]["failed"] == 2 and doc["summary"]["level"] == "no-result"


# -- memory -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_small_file_of_many_megapixels_is_refused_before_it_is_decoded(owner, tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("L", (8000, 7000), 255).save(path, optimize=True)  # 56 MP in a few dozen KB
    assert path.stat().st_size < 200_000
    with running_app(public_env(owner, tmp_path)) as url:
        doc = Client(url, verbose=False).predict(files=[handle_file(str(path))],
                                                 api_name="/inspect")  # fmt: skip
    assert "at most 50" in doc["images"][0]["error"] and not owner.requests


def test_decoding_never_holds_more_than_the_apps_budget():
    budget, held, peak, lock = DecodeBudget(100), [0], [0], threading.Lock()

    def photo(pixels):
        with budget.hold(pixels):
            with lock:
                held[0] += min(pixels, 100)
                peak[0] = max(peak[0], held[0])
            threading.Event().wait(0.02)
            with lock:
                held[0] -= min(pixels, 100)

    threads = [threading.Thread(target=photo, args=(p,)) for p in [60, 60, 30, 500, 10, 90]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert peak[0] <= 100 and held[0] == 0


def test_the_decode_cost_is_read_from_the_header_and_weighs_the_kind_of_file():
    png, jpeg = io.BytesIO(), io.BytesIO()
    Image.new("LA", (4000, 3000)).save(png, "PNG")
    Image.new("RGB", (4000, 3000)).save(jpeg, "JPEG")
    assert decode_cost(png.getvalue()) == 4000 * 3000 * 16  # no draft mode, 4-byte pixels
    assert decode_cost(jpeg.getvalue()) == 4000 * 3000 * 6


# -- typed endpoints: pinned, no redirects -----------------------------------------------------


class _Redirector(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_GET(self):  # noqa: N802
        self.send_response(307)
        self.send_header("Location", self.target + self.path)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_a_typed_public_endpoint_redirecting_into_a_private_network_is_not_followed(
    simulator, tmp_path
):
    private = simulator(convention="absolute")  # 127.0.0.1: not allowed
    _Redirector.target = private.base_url.removesuffix("/v1")
    redirector = http.server.ThreadingHTTPServer(("127.0.0.2", 0), _Redirector)
    threading.Thread(target=redirector.serve_forever, daemon=True).start()
    typed = f"http://127.0.0.2:{redirector.server_address[1]}/v1"
    env = public_env(private, tmp_path, SAFETY_ALLOWED_NETWORKS="127.0.0.2/32")
    try:
        with running_app(env) as url:
            doc = Client(url, verbose=False).predict(
                files=_photos(tmp_path), base_url=typed, api_key="sk-visitor-own-key",
                api_name="/inspect",
            )  # fmt: skip
    finally:
        redirector.shutdown()
    assert doc["images"][0]["error"] and not private.requests


@pytest.mark.slow
def test_a_rebinding_name_is_connected_only_at_the_address_that_was_checked(
    simulator, tmp_path, monkeypatch
):
    checked = simulator(convention="absolute")
    checked.close()  # nothing listens at the checked address any more
    private = simulator(convention="absolute")  # where a second lookup would lead
    real = socket.getaddrinfo
    answers = iter(["127.0.0.2"])  # the first lookup: an allowed address; then private ones

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example":
            address = next(answers, "127.0.0.1")
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = private.base_url.rsplit(":", 1)[1].split("/")[0]
    env = public_env(private, tmp_path, SAFETY_ALLOWED_NETWORKS="127.0.0.2/32")
    with running_app(env) as url:
        doc = Client(url, verbose=False).predict(
            files=_photos(tmp_path), base_url=f"http://rebind.example:{port}/v1",
            api_key="sk-visitor", api_name="/inspect",
        )  # fmt: skip
    assert doc["images"][0]["error"] and not private.requests


@pytest.mark.slow
def test_bounds_hold_for_a_visitors_own_endpoint_too(simulator, tmp_path):
    theirs = simulator(convention="absolute")
    env = public_env(theirs, tmp_path, SAFETY_ALLOWED_NETWORKS="127.0.0.0/8")
    with running_app(env) as url:
        client = Client(url, verbose=False)
        typed = theirs.base_url.replace("127.0.0.1", "localhost")
        for kwargs, words in [
            ({"max_pixels": 10**10}, "max_pixels"),
            ({"concurrency": 1000}, "concurrency"),
            ({"prompt": "x" * 100_000}, "prompt"),
        ]:
            with pytest.raises(Exception, match=words):
                client.predict(files=_photos(tmp_path), base_url=typed, api_key="sk-their-own",
                               api_name="/inspect", **kwargs)  # fmt: skip
    assert not theirs.requests


# -- the page ---------------------------------------------------------------------------------


def test_popup_messages_are_text_never_markup():
    with pytest.raises(gr.Error) as info:
        with user_errors("en"):
            raise InputError('Cannot find <img src=x onerror="alert(1)">.')
    assert "<img" not in info.value.message and "&lt;img" in info.value.message


def test_run_history_is_off_unless_the_operator_turns_it_on():
    assert launch_kwargs({})["run_history"] is False
    assert launch_kwargs({"SAFETY_RUN_HISTORY": "1"})["run_history"] is True


@pytest.mark.parametrize(
    "environ, public",
    [
        ({"SPACE_ID": "owner/space"}, True),
        ({"SAFETY_PUBLIC": "1"}, True),
        ({"SPACE_ID": "owner/space", "SAFETY_PUBLIC": "0"}, False),
        ({"GRADIO_SERVER_NAME": "0.0.0.0"}, False),  # never inferred from the bind address
        ({}, False),
    ],
)
def test_public_mode(environ, public):
    config = load_config(environ)
    assert config.public is public
    assert (config.photos_per_hour > 0) is public and (config.runs_per_client > 0) is public


@pytest.mark.slow
def test_the_whole_served_page_never_holds_the_owners_prompt_file_path(owner, tmp_path):
    with running_app(public_env(owner, tmp_path)) as url:
        page = urllib.request.urlopen(url + "/config").read().decode()
    assert "owner-prompt.txt" not in page


def _png_bytes(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "environ, seen",
    [
        ({"SAFETY_PUBLIC": "1"}, "127.0.0.2"),  # no proxy in front: the header is the client's
        ({"SPACE_ID": "owner/space"}, "198.51.100.7"),  # the Space's proxy appended the last
    ],
)
def test_forwarded_for_is_trusted_only_behind_the_spaces_proxy(environ, seen):
    from types import SimpleNamespace

    from safety.web.visitors import visitor_of

    request = SimpleNamespace(
        headers={"x-forwarded-for": "203.0.113.99, 198.51.100.7"},
        client=SimpleNamespace(host="127.0.0.2"),
        session_hash="s",
        username=None,
    )
    assert visitor_of(request, load_config(environ)).address == seen
