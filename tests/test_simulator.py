"""The Qwen-VL simulator, driven through the real openai client over loopback HTTP.

Photos are drawn here with the simulator's colour code (see tests/simulator/), so the
expected boxes are known exactly; the expected frame comes from geometry.smart_resize.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openai
import pytest
from openai.types.chat import ChatCompletion
from PIL import Image, ImageDraw

from safety.geometry import smart_resize
from tests.simulator import (
    Fault,
    SimulatedModel,
    SimulatorServer,
    find_objects,
    serve,
)

MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
PROMPT = "找出图中所有的火灾、烟雾和人员，以 JSON 格式输出 bbox_2d、label 和 sub_label。"
RED, BLUE, GREEN = (230, 20, 20), (20, 40, 230), (20, 200, 30)
YELLOW, MAGENTA = (250, 230, 20), (220, 20, 220)

# A 1000x700 photo (not on any grid, so the server must resize it): two fires, one person
# without a hard hat. Boxes are (x1, y1, x2, y2) with exclusive right/bottom edges.
SCENE = [
    (RED, (100, 100, 300, 250)),
    (RED, (600, 400, 800, 600)),
    (YELLOW, (350, 150, 500, 500)),
]


def draw_photo(size: tuple[int, int], shapes, background=(245, 245, 240)) -> bytes:
    """A JPEG with filled rectangles; each box's right/bottom edge is exclusive."""
    image = Image.new("RGB", size, background)
    pen = ImageDraw.Draw(image)
    for colour, (x1, y1, x2, y2) in shapes:
        pen.rectangle([x1, y1, x2 - 1, y2 - 1], fill=colour)  # PIL's edges are inclusive
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def data_url(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def messages(jpeg: bytes | None, prompt: str = PROMPT) -> list[dict]:
    content: list[dict] = []
    if jpeg is not None:
        content.append({"type": "image_url", "image_url": {"url": data_url(jpeg)}})
    content.append({"type": "text", "text": prompt})
    return [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": content},
    ]


@contextmanager
def running(**settings) -> Iterator[tuple[SimulatorServer, openai.OpenAI]]:
    """A simulator with these settings and a real openai client pointed at it."""
    with serve(SimulatedModel(**settings)) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0, timeout=5)
        try:
            yield server, client
        finally:
            client.close()


def ask(client: openai.OpenAI, jpeg: bytes | None, prompt: str = PROMPT, **kwargs):
    return client.chat.completions.create(model=MODEL, messages=messages(jpeg, prompt), **kwargs)


def parse_answer(text: str) -> list[tuple[list[int], str, str | None]]:
    """(coords, label, sub_label) from any of the simulator's four answer forms."""
    fenced = re.search(r"```json\s*(.*?)```", text, re.S)
    if fenced:
        return [(e["bbox_2d"], e["label"], e.get("sub_label")) for e in json.loads(fenced[1])]
    tag = re.compile(
        r"(?:<\|object_ref_start\|>|<ref>)(.*?)(?:<\|object_ref_end\|>|</ref>)"
        r"(?:<\|box_start\|>|<box>)\((\d+),(\d+)\),\((\d+),(\d+)\)(?:<\|box_end\|>|</box>)"
        r" ?(.*)"
    )
    found = []
    for line in text.splitlines():
        m = tag.match(line)
        assert m, f"unexpected line {line!r}"
        found.append(([int(v) for v in m.groups()[1:5]], m[1], m[6] or None))
    return found


def to_frame_pixels(coords, convention: str, frame_w: int, frame_h: int) -> list[float]:
    if convention == "absolute":
        return [float(v) for v in coords]
    x1, y1, x2, y2 = coords
    return [x1 / 1000 * frame_w, y1 / 1000 * frame_h, x2 / 1000 * frame_w, y2 / 1000 * frame_h]


def expected_in_frame(box, photo_size, frame_size) -> list[float]:
    (pw, ph), (fw, fh) = photo_size, frame_size
    x1, y1, x2, y2 = box
    return [x1 * fw / pw, y1 * fh / ph, x2 * fw / pw, y2 * fh / ph]


def assert_boxes(answer: str, convention: str, photo_size, frame_size, shapes) -> list:
    """Each drawn rectangle comes back once, within 2 frame pixels (+ rounding of 0..1000)."""
    found = parse_answer(answer)
    fw, fh = frame_size
    slack = 2.0 if convention == "absolute" else 2.0 + max(fw, fh) / 2000
    got = sorted(to_frame_pixels(c, convention, fw, fh) for c, _, _ in found)
    want = sorted(expected_in_frame(box, photo_size, frame_size) for _, box in shapes)
    assert len(got) == len(want), answer
    for g, w in zip(got, want, strict=True):
        assert all(abs(a - b) <= slack for a, b in zip(g, w, strict=True)), (g, w, answer)
    return found


# ------------------------------------------------------------------- coordinates


@pytest.mark.parametrize("convention", ["absolute", "relative-1000", "qwen2-tags", "qwen-vl-tags"])
def test_boxes_land_in_the_servers_frame_in_each_convention(convention):
    photo = draw_photo((1000, 700), SCENE)
    fh, fw = smart_resize(700, 1000, 28)  # (700, 1008): the server widens the photo
    with running(convention=convention) as (server, client):
        reply = ask(client, photo)
    answer = reply.choices[0].message.content
    found = assert_boxes(answer, convention, (1000, 700), (fw, fh), SCENE)
    labels = sorted((label, sub) for _, label, sub in found)
    assert labels == [("人员", "未佩戴安全帽"), ("火灾", "严重"), ("火灾", "严重")]
    assert server.requests[0].image_size == (1000, 700)
    assert server.requests[0].frame_size == (fw, fh)
    if convention in ("absolute", "relative-1000"):
        assert answer.startswith("```json\n[\n\t{") and answer.endswith("\n]\n```")


def test_small_server_max_pixels_gives_boxes_in_the_reduced_frame():
    photo = draw_photo((1600, 1200), [(RED, (160, 120, 640, 480)), (GREEN, (900, 300, 1300, 1100))])
    limit = 512 * 28 * 28
    fh, fw = smart_resize(1200, 1600, 28, 3136, limit)
    assert fw * fh <= limit and (fw, fh) != (1600, 1200)
    with running(max_pixels=limit) as (server, client):
        reply = ask(client, photo)
    shapes = [(RED, (160, 120, 640, 480)), (GREEN, (900, 300, 1300, 1100))]
    assert_boxes(reply.choices[0].message.content, "absolute", (1600, 1200), (fw, fh), shapes)
    assert server.requests[0].frame_size == (fw, fh)
    # Usage counts the visual tokens of the reduced frame, plus some text.
    assert reply.usage.prompt_tokens > fw * fh // 28**2


def test_grid_32_rounds_the_frame_to_multiples_of_32():
    photo = draw_photo((1000, 700), SCENE)
    fh, fw = smart_resize(700, 1000, 32)
    assert (fw, fh) == (992, 704)
    with running(grid=32) as (server, client):
        reply = ask(client, photo)
    assert server.requests[0].frame_size == (992, 704)
    assert server.requests[0].visual_tokens == 992 * 704 // 32**2
    assert_boxes(reply.choices[0].message.content, "absolute", (1000, 700), (fw, fh), SCENE)


def test_a_frame_on_the_grid_is_kept_and_boxes_are_exact():
    shapes = [(BLUE, (224, 0, 448, 224)), (MAGENTA, (0, 224, 112, 448))]
    with running(answer_language="en") as (server, client):
        reply = ask(client, draw_photo((672, 448), shapes))
    found = parse_answer(reply.choices[0].message.content)
    assert server.requests[0].frame_size == (672, 448)
    assert sorted(found) == [
        ([0, 224, 112, 448], "person", "uncertain"),
        ([224, 0, 448, 224], "smoke", "moderate"),
    ]


def test_calibration_probe_answers_only_red_objects_without_sub_label():
    with running() as (_, client):
        reply = ask(client, draw_photo((1000, 700), SCENE), "Outline the red rectangle.")
    found = parse_answer(reply.choices[0].message.content)
    assert [label for _, label, _ in found] == ["red rectangle", "red rectangle"]
    assert "sub_label" not in reply.choices[0].message.content


def test_nothing_found_is_an_empty_json_list():
    with running() as (_, client):
        reply = ask(client, draw_photo((640, 480), []))
    assert reply.choices[0].message.content == "```json\n[]\n```"
    assert reply.choices[0].finish_reason == "stop"


def test_xy_cut_separates_rectangles_that_share_columns_or_rows():
    frame = Image.new("RGB", (300, 300), "white")
    pen = ImageDraw.Draw(frame)
    # Stacked in the same columns, side by side in the same rows, and one speck of noise.
    for box in ([10, 10, 59, 59], [10, 100, 59, 149], [100, 10, 149, 59]):
        pen.rectangle(box, fill=RED)
    pen.point([(200, 200), (201, 200)], fill=RED)
    boxes = [o.box for o in find_objects(frame)]
    assert boxes == [(10, 10, 60, 60), (100, 10, 150, 60), (10, 100, 60, 150)]


# ------------------------------------------------------------------- API behaviour


def test_models_list_and_completion_envelope():
    with running(models=(MODEL, "qwen-vl-max")) as (server, client):
        assert [m.id for m in client.models.list()] == [MODEL, "qwen-vl-max"]
        reply = ask(client, draw_photo((448, 448), SCENE[:1]), max_tokens=500)
    assert isinstance(reply, ChatCompletion)
    assert reply.id.startswith("chatcmpl-") and reply.model == MODEL
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
    record = server.requests[0]
    assert record.prompt.endswith(PROMPT) and record.max_tokens == 500
    assert "authorization" not in {k.lower() for k in record.headers}


def test_unknown_model_is_not_found():
    with running() as (_, client):
        with pytest.raises(openai.NotFoundError, match="does not exist"):
            client.chat.completions.create(model="qwen-nope", messages=messages(None))


def test_api_key_is_checked():
    with serve(SimulatedModel(api_key="sk-right")) as server:
        wrong = openai.OpenAI(base_url=server.base_url, api_key="sk-wrong", max_retries=0)
        with pytest.raises(openai.AuthenticationError, match="Incorrect API key"):
            ask(wrong, None)
        right = openai.OpenAI(base_url=server.base_url, api_key="sk-right", max_retries=0)
        assert ask(right, None).choices[0].message.content


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"stream": True}, "streaming is not supported"),
        ({"image_url": "https://example.com/a.jpg"}, "does not fetch URLs"),
        ({"image_url": "data:image/jpeg;base64,bm90IGFuIGltYWdl"}, "Failed to load image"),
        ({"images": 2}, "At most 1 image"),
    ],
)
def test_bad_requests_are_400(body, needle):
    msgs = messages(draw_photo((224, 224), []))
    extra = {}
    if "stream" in body:
        extra = {"extra_body": {"stream": True}}
    if "image_url" in body:
        msgs[1]["content"][0]["image_url"]["url"] = body["image_url"]
    if "images" in body:
        msgs[1]["content"].insert(0, msgs[1]["content"][0])
    with running() as (_, client):
        with pytest.raises(openai.BadRequestError, match=needle):
            client.chat.completions.create(model=MODEL, messages=msgs, **extra)


def test_image_over_the_token_budget_is_400_prompt_too_long():
    with running(max_visual_tokens=100) as (_, client):
        with pytest.raises(openai.BadRequestError, match="max_model_len"):
            ask(client, draw_photo((1000, 700), []))


def test_bad_json_body_is_400():
    with running() as (server, _):
        host, port = server.base_url.split("//")[1].split("/")[0].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request(
            "POST",
            "/v1/chat/completions",
            body=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        response = conn.getresponse()
        assert response.status == 400
        assert "not valid JSON" in json.loads(response.read())["error"]["message"]
        conn.close()


def test_max_tokens_truncates_with_finish_reason_length():
    shapes = [(RED, (x, y, x + 40, y + 40)) for x in range(20, 600, 80) for y in (20, 200)]
    with running() as (_, client):
        reply = ask(client, draw_photo((640, 480), shapes), max_tokens=40)
    choice = reply.choices[0]
    assert choice.finish_reason == "length"
    assert len(choice.message.content) <= 3 * 40 and choice.message.content.startswith("```json")
    assert reply.usage.completion_tokens == 40


# ------------------------------------------------------------------- faults


def test_scripted_faults_reach_the_client_as_openai_errors_in_order():
    faults = [
        Fault(status=429, headers={"Retry-After": "1"}),
        Fault(status=500),
        Fault(delay=1.0),
        Fault(drop=True),
        Fault(content='```json\n[{"bbox_2d": [1, 2', finish_reason="length"),
    ]
    with running(faults=faults) as (server, client):
        with pytest.raises(openai.RateLimitError) as rate_limited:
            ask(client, None)
        assert rate_limited.value.response.headers["retry-after"] == "1"
        with pytest.raises(openai.InternalServerError):
            ask(client, None)
        with pytest.raises(openai.APITimeoutError):
            ask(client, None, timeout=0.2)
        with pytest.raises(openai.APIConnectionError):
            ask(client, None)
        truncated = ask(client, None).choices[0]
        assert truncated.message.content.endswith("[1, 2")
        assert truncated.finish_reason == "length"
        # The script is used up: the server is well again.
        assert ask(client, None).choices[0].finish_reason == "stop"
        statuses = [r.status for r in server.requests]
        # The delayed request (index 2) may still be asleep on the server: not checked.
        assert statuses[:2] + statuses[3:] == [429, 500, None, 200, 200]


def test_malformed_bodies_as_the_openai_client_really_sees_them():
    faults = [
        Fault(body="<html>502 Bad Gateway</html>"),  # text/plain on a 200
        Fault(body="<html>502 Bad Gateway</html>"),
        Fault(body="{truncated", headers={"Content-Type": "application/json"}),
    ]
    with running(faults=faults) as (server, client):
        # A lenient client hands back the raw text instead of a ChatCompletion...
        assert not isinstance(ask(client, None), ChatCompletion)
        # ...a strict one raises a validation error...
        strict = openai.OpenAI(
            base_url=server.base_url, api_key="x", max_retries=0, _strict_response_validation=True
        )
        with pytest.raises(openai.APIResponseValidationError):
            ask(strict, None)
        # ...and a body labelled JSON that is not JSON escapes as a plain ValueError.
        with pytest.raises(ValueError):
            ask(client, None)


def test_retry_after_is_honoured_by_the_client_retries():
    with running(faults=[Fault(status=429, headers={"Retry-After-Ms": "50"})]) as (server, _):
        client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=1)
        assert ask(client, None).choices[0].finish_reason == "stop"
        assert [r.status for r in server.requests] == [429, 200]


def test_capacity_limits_requests_in_flight():
    with running(capacity=2, base_latency=0.3) as (server, client):
        errors: list[BaseException] = []

        def one() -> None:
            try:
                ask(client, None)
            except BaseException as exc:  # noqa: BLE001 (reported below)
                errors.append(exc)

        threads = [threading.Thread(target=one) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert server.in_flight_peak == 2


@pytest.mark.slow
def test_command_line_serves_in_the_foreground():
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.simulator", "--port", "0", "--grid", "32", "--quiet"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        base_url = re.search(r"(http://\S+/v1)", banner)[1]
        client = openai.OpenAI(base_url=base_url, api_key="x", max_retries=0, timeout=5)
        assert [m.id for m in client.models.list()] == [MODEL]
    finally:
        process.terminate()
        process.wait(timeout=5)
        process.stdout.close()
