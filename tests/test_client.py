"""The endpoint seam: real openai client, real HTTP, scripted misbehaviour -> clear errors."""

from __future__ import annotations

import socket
import time

import openai._base_client
import pytest

from safety.backends.client import OpenAICompatibleModel
from safety.backends.model import Question
from safety.config import load_settings
from safety.errors import EndpointError
from tests import scenes
from tests.simulator import Fault

JPEG = scenes.jpeg_bytes(scenes.scene(320, 240, [("fire", (10, 10, 100, 100))]))
SECRET = "sk-test-SECRET-0123456789"


def _client(server, **kw) -> OpenAICompatibleModel:
    settings = load_settings(
        {},
        base_url=server.base_url,
        model="Qwen/Qwen2.5-VL-7B-Instruct",
        api_key=kw.pop("api_key", SECRET),
        coords="absolute",
        timeout=kw.pop("timeout", 5.0),
        max_retries=kw.pop("max_retries", 2),
    )
    return OpenAICompatibleModel(settings)


def test_answer_text_usage_and_latency(simulator):
    server = simulator(convention="absolute", base_latency=0.05)
    answer = _client(server).ask(Question(JPEG, "find fire"))
    assert "bbox_2d" in answer.text
    assert answer.finish_reason == "stop"
    assert answer.usage["prompt_tokens"] > 0 and answer.usage["completion_tokens"] > 0
    assert answer.latency_s >= 0.05


@pytest.mark.parametrize(
    "fault, words",
    [
        # DashScope content moderation refuses the photo.
        (
            Fault(
                status=400,
                body='{"error": {"code": "DataInspectionFailed", "message": '
                '"Input data may contain inappropriate content."}}',
            ),
            "content moderation",
        ),
        # vLLM: the image does not fit max-model-len.
        (
            Fault(
                status=400,
                body='{"error": {"message": "The decoder prompt (length 40000) is '
                'longer than the maximum model length of 32768."}}',
            ),
            "too large",
        ),
        # Any other 400 quotes the server, shortened.
        (Fault(status=400, body='{"error": {"message": "bad temperature"}}'), "bad temperature"),
        # A 200 whose body is not JSON at all.
        (
            Fault(
                status=200, body="<html>proxy login</html>", headers={"Content-Type": "text/html"}
            ),
            "malformed",
        ),
        # A 200 that claims JSON but is broken.
        (
            Fault(status=200, body="{not json", headers={"Content-Type": "application/json"}),
            "malformed",
        ),
        # JSON that is no chat completion.
        (Fault(status=200, body='{"hello": "world"}'), "malformed"),
        # A completion whose content is null.
        (
            Fault(
                status=200,
                body='{"id": "x", "object": "chat.completion", "created": 1, '
                '"model": "m", "choices": [{"index": 0, "finish_reason": '
                '"stop", "message": {"role": "assistant", "content": null}}]}',
            ),
            "no text",
        ),
    ],
)
def test_misbehaviour_becomes_a_clear_error(simulator, fault, words):
    server = simulator(convention="absolute", faults=[fault])
    with pytest.raises(EndpointError, match=words) as info:
        _client(server, max_retries=0).ask(Question(JPEG, "p"))
    assert SECRET not in str(info.value)


def test_wrong_key_says_so_without_showing_it(simulator):
    server = simulator(convention="absolute", api_key="the-right-key")
    with pytest.raises(EndpointError, match="refused the API key") as info:
        _client(server).ask(Question(JPEG, "p"))
    assert SECRET not in str(info.value)
    assert info.value.status == 401


def test_unknown_model_says_which(simulator):
    server = simulator(convention="absolute", models=("some-other-model",))
    with pytest.raises(EndpointError, match="does not serve model"):
        _client(server).ask(Question(JPEG, "p"))


def test_rate_limit_is_retried_honouring_retry_after(simulator, monkeypatch):
    server = simulator(
        convention="absolute", faults=[Fault(status=429, headers={"Retry-After": "1"})]
    )
    waits: list[float] = []  # what the SDK decided to wait before retrying, as it slept
    real_sleep = time.sleep
    monkeypatch.setattr(
        openai._base_client.time, "sleep", lambda s: (waits.append(s), real_sleep(s))
    )
    answer = _client(server, max_retries=2).ask(Question(JPEG, "p"))
    assert "bbox_2d" in answer.text
    assert waits == [1.0]  # the server's Retry-After, not the SDK's own back-off
    assert [r.status for r in server.requests] == [429, 200]


def test_persistent_rate_limit_gives_up_with_advice(simulator):
    server = simulator(
        convention="absolute",
        faults=[Fault(status=429, headers={"Retry-After": "0"}) for _ in range(3)],
    )
    with pytest.raises(EndpointError, match="429.*concurrency"):
        _client(server, max_retries=1).ask(Question(JPEG, "p"))


def test_server_error_is_retried_then_reported(simulator):
    server = simulator(convention="absolute", faults=[Fault(status=500)] * 5)
    with pytest.raises(EndpointError, match="server error \\(500\\)"):
        _client(server, max_retries=1).ask(Question(JPEG, "p"))
    assert len(server.requests) == 2  # one try + one retry


def test_a_transient_server_error_is_absorbed_by_a_retry(simulator):
    server = simulator(convention="absolute", faults=[Fault(status=503)])
    assert "bbox_2d" in _client(server).ask(Question(JPEG, "p")).text


def test_timeout_names_the_setting(simulator):
    server = simulator(convention="absolute", faults=[Fault(delay=3.0)] * 2)
    with pytest.raises(EndpointError, match="did not answer within 1 s.*QWEN_VL_TIMEOUT"):
        _client(server, timeout=1.0, max_retries=0).ask(Question(JPEG, "p"))


def test_dropped_connection_and_refused_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = load_settings(
        {},
        base_url=f"http://127.0.0.1:{port}/v1",
        model="m",
        coords="absolute",
        max_retries=0,
        timeout=2,
    )
    with pytest.raises(EndpointError, match="Cannot connect"):
        OpenAICompatibleModel(settings).ask(Question(JPEG, "p"))


def test_list_models(simulator):
    server = simulator(convention="absolute", models=("a", "b"))
    assert _client(server).list_models() == ["a", "b"]
