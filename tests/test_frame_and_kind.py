"""One frame path and one endpoint kind, as a user meets them.

The JPEG ``batch prepare`` writes into a request file is byte for byte the frame a live
``inspect`` sends (what the simulator received), for each detail a batch allows, for a
photo with an EXIF orientation, with faces blurred before sending. And the endpoint kind
(vLLM / OpenAI-compatible or DashScope) decides the request the same way live and in a
batch: DashScope is never asked for log-probabilities, however it was named.
"""

from __future__ import annotations

import base64
import json
import os

import pytest

from safety.backends.client import request_parts
from safety.backends.endpoint_kind import EndpointKind, endpoint_kind
from safety.backends.model import Question
from safety.backends.presets import DASHSCOPE_INTL
from safety.commands.cli import main
from safety.config import Settings
from tests import scenes

QWEN25 = "Qwen/Qwen2.5-VL-7B-Instruct"


def run(capsys, *argv, env=None):
    code = main([str(a) for a in argv], environ={**os.environ, **(env or {})})
    out, err = capsys.readouterr()
    return code, out, err


def jpeg_of(data_url: str) -> bytes:
    assert data_url.startswith("data:image/jpeg;base64,")
    return base64.b64decode(data_url.split(",", 1)[1])


def batch_bodies(folder) -> list[dict]:
    raw = (folder / "requests.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["body"] for line in raw if line]


def image_url(body: dict) -> str:
    parts = [p for m in body["messages"] if isinstance(m["content"], list) for p in m["content"]]
    return next(p["image_url"]["url"] for p in parts if p["type"] == "image_url")


@pytest.mark.parametrize("blur", [False, True], ids=["as-is", "blur-before-send"])
@pytest.mark.parametrize("detail", ["standard", "high"])
def test_the_batch_frame_is_the_live_frame_byte_for_byte(tmp_path, simulator, capsys, detail, blur):
    server = simulator(convention="absolute", grid=28)
    w, h = 1200, 1600  # upright; stored on its side with EXIF orientation 6
    photo = tmp_path / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, scenes.layout(w, h, seed=3)), 6))
    flags = ["--model", QWEN25, "--coords", "absolute", "--detail", detail]
    flags += ["--blur-before-send"] if blur else []

    code, _, err = run(capsys, "inspect", photo, "--base-url", server.base_url,
                       "--json", tmp_path / "live.json", *flags)  # fmt: skip
    assert code == 0, err
    live = [r for r in server.requests if r.image_url]
    assert len(live) == 1
    live_jpeg = jpeg_of(live[0].image_url)

    out = tmp_path / "batch"
    code, _, err = run(capsys, "batch", "prepare", photo, "--out", out, *flags)
    assert code == 0, err
    (body,) = batch_bodies(out)
    assert jpeg_of(image_url(body)) == live_jpeg
    # The same frame in the JSON of both: the upright photo, sized by the same plan.
    result = json.loads((tmp_path / "live.json").read_text(encoding="utf-8"))["images"][0]
    entry = json.loads((out / "photos.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert result["frame"] == entry["frame"] and entry["frame"][1] > entry["frame"][0]
    assert result["upload_bytes"] == entry["upload_bytes"] == len(live_jpeg)


def test_the_frame_changes_with_the_detail_so_the_check_above_can_fail(tmp_path, capsys):
    photo = tmp_path / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(3000, 2000, scenes.layout(3000, 2000)), 1))
    frames = []
    for detail in ("standard", "high"):
        out = tmp_path / detail
        code, _, _ = run(capsys, "batch", "prepare", photo, "--out", out, "--model", QWEN25,
                         "--coords", "absolute", "--detail", detail)  # fmt: skip
        assert code == 0
        frames.append(jpeg_of(image_url(batch_bodies(out)[0])))
    assert frames[0] != frames[1]


@pytest.mark.parametrize(
    ("preset", "url", "provider", "kind"),
    [
        ("vllm", "http://gpu:8000/v1", None, EndpointKind.OPENAI_COMPATIBLE),
        ("dashscope", "http://gpu:8000/v1", None, EndpointKind.DASHSCOPE),
        ("vllm", DASHSCOPE_INTL, None, EndpointKind.DASHSCOPE),
        ("vllm", "http://gpu:8000/v1", "dashscope", EndpointKind.DASHSCOPE),
        ("vllm", "http://gpu:8000/v1", "openai", EndpointKind.OPENAI_COMPATIBLE),
        ("dashscope", DASHSCOPE_INTL, "vllm", EndpointKind.OPENAI_COMPATIBLE),
    ],
)
def test_one_answer_to_which_provider(preset, url, provider, kind):
    assert endpoint_kind(preset, url, provider) is kind
    settings = Settings(base_url=url, model="qwen-vl-max", api_key="k", preset=preset)
    if provider is None:  # what a live request asks, by preset or by URL
        params, _ = request_parts(settings, Question(b"\xff\xd8", "p"))
        assert ("logprobs" in params) is (kind is EndpointKind.OPENAI_COMPATIBLE)


def test_batch_provider_dashscope_asks_no_logprobs_and_vllm_does(tmp_path, capsys):
    photo = tmp_path / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(640, 480, scenes.layout(640, 480)), 1))
    for provider, detail, asked in (("dashscope", "high", False), ("vllm", "high", True),
                                    ("openai", "standard", True)):  # fmt: skip
        out = tmp_path / provider
        code, _, err = run(capsys, "batch", "prepare", photo, "--out", out, "--provider",
                           provider, "--model", "qwen-vl-max", "--detail", detail)  # fmt: skip
        assert code == 0, err
        for body in batch_bodies(out):
            assert (body.get("logprobs") is True) is asked
            assert ("vl_high_resolution_images" in body) is (provider == "dashscope")


def test_live_dashscope_by_preset_sends_no_logprobs_and_vllm_does(tmp_path, simulator, capsys):
    server = simulator(convention="absolute", grid=28, models=("qwen-vl-max", QWEN25))
    photo = tmp_path / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(640, 480, scenes.layout(640, 480)), 1))
    key = {"DASHSCOPE_API_KEY": "sk-test-kind"}
    code, _, err = run(capsys, "inspect", photo, "--preset", "dashscope", "--base-url",
                       server.base_url, "--coords", "absolute", env=key)  # fmt: skip
    assert code == 0, err
    dashscope = [r.logprobs for r in server.requests if r.image_url]
    code, _, err = run(capsys, "inspect", photo, "--base-url", server.base_url, "--model",
                       QWEN25, "--coords", "absolute")  # fmt: skip
    assert code == 0, err
    vllm = [r.logprobs for r in server.requests if r.image_url][len(dashscope) :]
    # Every request of a run (a second look at people included) asks the same.
    assert dashscope and set(dashscope) == {None}
    assert vllm and set(vllm) == {True}
