"""A local stand-in for a Qwen-VL model behind vLLM or DashScope (OpenAI-compatible API).

The project's tests, benchmarks and offline demos talk to this server with the real ``openai``
client, unchanged. It answers ``GET /v1/models`` and non-streaming
``POST /v1/chat/completions`` with real ``chat.completion`` JSON, and it "sees" the photo the
way a real server would: it decodes the image, resizes it with the server's own
``smart_resize`` (its grid, min_pixels and max_pixels, not the client's) and looks for
objects in THAT frame. Absolute boxes therefore come back in the frame the server used,
which is exactly the trap described in DESIGN.md ("Coordinates: the crux"): a client that
sends a frame the server changes gets boxes in a frame it never saw.

Colour code ("vision")
======================
Test photos draw objects as rectangles of saturated colour on a light (or any) background.
Each colour is a class of object, thresholds on 8-bit RGB after the server's resize:

===========  =======================  ========  ================  ==========================
colour       rule                     category  status            label / sub_label (zh, en)
===========  =======================  ========  ================  ==========================
red          R>170, G<80, B<80        fire      severity severe   火灾/严重, fire/severe
blue         B>170, R<80, G<110       smoke     severity moderate 烟雾/中等, smoke/moderate
green        G>150, R<90, B<90        person    helmet worn       人员/佩戴安全帽,
                                                                  person/wearing helmet
yellow       R>200, G>200, B<80       person    helmet missing    人员/未佩戴安全帽,
                                                                  person/no helmet
magenta      R>170, B>170, G<80       person    helmet unknown    人员/不确定, person/uncertain
===========  =======================  ========  ================  ==========================

Each colour mask is cleaned (a 3x3 morphological opening removes JPEG specks) and cut into
objects with a recursive XY-cut: split at runs of empty columns, then of empty rows, and
again inside each part, so several non-touching rectangles of one colour are separate
objects. Regions under 0.1 % of the frame are ignored. A box is the tight bounding box in the
resized frame with exclusive right/bottom edges (last pixel + 1). Objects are listed top to
bottom, then left to right. Pixels are read as stored: no EXIF rotation is applied.

Answer formats (``SimulatedModel.convention``)
==============================================
absolute        ```json fenced list of {"bbox_2d": [x1, y1, x2, y2], "label", "sub_label"},
                integer pixels of the resized frame (Qwen2.5-VL)
relative-1000   the same list, each value round(v / side * 1000) (Qwen3-VL)
qwen2-tags      one line per object, 0..1000 values (Qwen2-VL):
                ``<|object_ref_start|>label<|object_ref_end|>``
                ``<|box_start|>(x1,y1),(x2,y2)<|box_end|> sub_label`` (no break in between)
qwen-vl-tags    one line per object: ``<ref>label</ref><box>(x1,y1),(x2,y2)</box> sub_label``,
                0..1000 values (Qwen-VL)

Nothing found: "```json\\n[]\\n```" (json forms) or a sentence saying so (tag forms).
A prompt that mentions "red rectangle" is a calibration probe: only red objects are
answered, labelled "red rectangle", without sub_label. An answer longer than about
3 * max_tokens characters is cut there with finish_reason "length", like a real model.

Errors look like the real servers': unknown model -> 404 (vLLM body), bad key -> 401
(DashScope body), bad JSON / stream / URL images / several images / undecodable image /
image over ``max_visual_tokens`` -> 400. Scripted ``Fault`` objects (FIFO, one per chat
request) inject rate limits, server errors, delays, malformed bodies and dropped connections.

Run ``python -m safety.simulator --port 8000`` for demos and benchmarks.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import http
import io
import json
import math
import re
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
from PIL import Image

from safety.geometry import SERVER_MAX_PIXELS, SERVER_MIN_PIXELS, smart_resize

CONVENTIONS = ("absolute", "relative-1000", "qwen2-tags", "qwen-vl-tags")
LANGUAGES = ("zh", "en")

# Upper bound on a request body; real gateways refuse huge uploads long before the model.
MAX_BODY_BYTES = 64 * 1024 * 1024
# Share of the frame under which a region is taken for JPEG noise, not an object.
MIN_REGION_SHARE = 0.001
# The probe phrase a client uses to calibrate which coordinate convention is in force.
PROBE_PHRASE = "red rectangle"
# Real models write roughly this many characters per token in these answers; max_tokens
# truncation cuts at this multiple.
CHARS_PER_TOKEN = 3


@dataclass
class Fault:
    """One scripted misbehaviour, consumed in order by the next chat completion requests.

    Precedence: ``drop`` closes the connection; else a non-None ``body`` is sent raw with
    ``status``; else a non-200 ``status`` (and no ``content``) sends that status with a
    standard error body; else the request is answered normally, with ``content`` (if set)
    in place of the model's answer and ``finish_reason``. ``delay`` and ``headers`` apply
    in every case.
    """

    status: int = 200
    body: str | bytes | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    content: str | None = None
    finish_reason: str = "stop"
    drop: bool = False


@dataclass
class SimulatedModel:
    """How the simulated server and model behave (see the module docstring)."""

    convention: str = "absolute"
    grid: int = 28
    min_pixels: int = SERVER_MIN_PIXELS
    max_pixels: int = SERVER_MAX_PIXELS
    models: tuple[str, ...] = ("Qwen/Qwen2.5-VL-7B-Instruct",)
    api_key: str | None = None
    base_latency: float = 0.0
    latency_per_token: float = 0.0
    capacity: int = 0
    answer_language: str = "zh"
    faults: list[Fault] = field(default_factory=list)
    # Like vLLM's max-model-len, but counted in visual tokens only: a bigger frame -> 400.
    max_visual_tokens: int | None = None

    def __post_init__(self) -> None:
        if self.convention not in CONVENTIONS:
            raise ValueError(f"convention must be one of {CONVENTIONS}, not {self.convention!r}")
        if self.answer_language not in LANGUAGES:
            raise ValueError(f"answer_language must be one of {LANGUAGES}")
        if self.grid <= 0 or self.capacity < 0:
            raise ValueError("grid must be positive and capacity not negative")
        self.models = tuple(self.models)


@dataclass
class RequestRecord:
    """What the server saw of one chat completion request (for tests and benchmarks)."""

    received_at: float
    headers: dict[str, str]  # as sent, minus Authorization
    model: str | None = None
    image_size: tuple[int, int] | None = None  # (w, h) of the image received
    frame_size: tuple[int, int] | None = None  # (w, h) after the server's smart_resize
    visual_tokens: int = 0
    prompt: str = ""  # the text parts of the messages, joined by newlines
    max_tokens: int | None = None
    status: int | None = None  # HTTP status answered (None: connection dropped)
    fault: Fault | None = None


# ----------------------------------------------------------------------------- vision


@dataclass(frozen=True)
class _Kind:
    """One colour class: what it means and how to recognise it."""

    name: str
    category: str
    status: str


KINDS = (
    _Kind("red", "fire", "severe"),
    _Kind("blue", "smoke", "moderate"),
    _Kind("green", "person", "worn"),
    _Kind("yellow", "person", "missing"),
    _Kind("magenta", "person", "unknown"),
)

LABELS = {
    "zh": {
        "fire": "火灾",
        "smoke": "烟雾",
        "person": "人员",
        "severe": "严重",
        "moderate": "中等",
        "minor": "轻微",
        "worn": "佩戴安全帽",
        "missing": "未佩戴安全帽",
        "unknown": "不确定",
    },
    "en": {
        "fire": "fire",
        "smoke": "smoke",
        "person": "person",
        "severe": "severe",
        "moderate": "moderate",
        "minor": "minor",
        "worn": "wearing helmet",
        "missing": "no helmet",
        "unknown": "uncertain",
    },
}

NOTHING_FOUND = {
    "zh": "图中未发现火灾、烟雾或人员。",
    "en": "No fire, smoke or persons are visible in the image.",
}
NO_IMAGE = {"zh": "请提供一张图片。", "en": "Please provide an image."}


@dataclass(frozen=True)
class SeenObject:
    """An object found in the resized frame; box edges x2, y2 exclusive."""

    kind: _Kind
    box: tuple[int, int, int, int]


def _colour_masks(rgb: np.ndarray) -> dict[str, np.ndarray]:
    """Boolean masks per colour name; the rules are disjoint, see the module table."""
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    return {
        "red": (r > 170) & (g < 80) & (b < 80),
        "blue": (b > 170) & (r < 80) & (g < 110),
        "green": (g > 150) & (r < 90) & (b < 90),
        "yellow": (r > 200) & (g > 200) & (b < 80),
        "magenta": (r > 170) & (b > 170) & (g < 80),
    }


def _open3(mask: np.ndarray) -> np.ndarray:
    """3x3 morphological opening: removes specks and lines under 3 px, keeps rectangles.

    Why: one stray pixel of the right colour (JPEG ringing) between two objects would fill
    the empty column run the XY-cut needs to separate them.
    """
    h, w = mask.shape
    padded = np.pad(mask, 1)
    eroded = np.ones_like(mask)
    for dy in range(3):
        for dx in range(3):
            eroded &= padded[dy : dy + h, dx : dx + w]
    padded = np.pad(eroded, 1)
    opened = np.zeros_like(mask)
    for dy in range(3):
        for dx in range(3):
            opened |= padded[dy : dy + h, dx : dx + w]
    return opened


def _runs(occupied: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in a 1-D boolean array."""
    edges = np.diff(np.concatenate(([0], occupied.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _xy_cut(mask: np.ndarray, x0: int = 0, y0: int = 0) -> list[tuple[int, int, int, int]]:
    """Recursive XY-cut of a mask into boxes (x1, y1, x2, y2), offsets x0, y0 added."""
    col_runs = _runs(mask.any(axis=0))
    if not col_runs:
        return []
    if len(col_runs) > 1:  # empty columns separate parts: cut there, look at each part
        boxes = []
        for a, b in col_runs:
            boxes += _xy_cut(mask[:, a:b], x0 + a, y0)
        return boxes
    row_runs = _runs(mask.any(axis=1))
    (xa, xb) = col_runs[0]
    if len(row_runs) > 1:
        boxes = []
        for a, b in row_runs:
            boxes += _xy_cut(mask[a:b, xa:xb], x0 + xa, y0 + a)
        return boxes
    (ya, yb) = row_runs[0]
    # Neither cut splits this part any more: it is one object, and this its tight box.
    return [(x0 + xa, y0 + ya, x0 + xb, y0 + yb)]


def find_objects(frame: Image.Image) -> list[SeenObject]:
    """Objects in an RGB frame (already resized by the server), top-left first."""
    rgb = np.asarray(frame.convert("RGB"))
    min_pixels = max(4, MIN_REGION_SHARE * rgb.shape[0] * rgb.shape[1])
    masks = _colour_masks(rgb)
    found = []
    for kind in KINDS:
        mask = _open3(masks[kind.name])
        for x1, y1, x2, y2 in _xy_cut(mask):
            if int(mask[y1:y2, x1:x2].sum()) >= min_pixels:
                found.append(SeenObject(kind, (x1, y1, x2, y2)))
    found.sort(key=lambda o: (o.box[1], o.box[0]))
    return found


def server_frame(image: Image.Image, model: SimulatedModel) -> Image.Image:
    """Resize exactly as the server's processor would (smart_resize, bicubic)."""
    h, w = smart_resize(image.height, image.width, model.grid, model.min_pixels, model.max_pixels)
    rgb = image.convert("RGB")
    if (w, h) == rgb.size:
        return rgb
    return rgb.resize((w, h), Image.Resampling.BICUBIC)


# ----------------------------------------------------------------------------- answers


def _scaled(box: tuple[int, int, int, int], size: tuple[int, int], convention: str) -> list[int]:
    """A frame box written in the convention's units (pixels or 0..1000)."""
    if convention == "absolute":
        return list(box)
    w, h = size
    x1, y1, x2, y2 = box
    return [round(x1 / w * 1000), round(y1 / h * 1000), round(x2 / w * 1000), round(y2 / h * 1000)]


def compose_answer(
    objects: list[SeenObject],
    frame_size: tuple[int, int],
    convention: str,
    language: str = "zh",
    probe: bool = False,
) -> str:
    """The text a Qwen model would write for these objects in this convention."""
    words = LABELS[language]
    items: list[tuple[list[int], str, str | None]] = []
    for obj in objects:
        if probe:
            if obj.kind.name == "red":
                items.append((_scaled(obj.box, frame_size, convention), PROBE_PHRASE, None))
            continue
        coords = _scaled(obj.box, frame_size, convention)
        items.append((coords, words[obj.kind.category], words[obj.kind.status]))

    if convention in ("absolute", "relative-1000"):
        if not items:
            return "```json\n[]\n```"
        lines = []
        for coords, label, sub_label in items:
            entry: dict[str, Any] = {"bbox_2d": coords, "label": label}
            if sub_label is not None:
                entry["sub_label"] = sub_label
            lines.append("\t" + json.dumps(entry, ensure_ascii=False))
        return "```json\n[\n" + ",\n".join(lines) + "\n]\n```"

    if not items:
        return NOTHING_FOUND[language]
    lines = []
    for (x1, y1, x2, y2), label, sub_label in items:
        point_pair = f"({x1},{y1}),({x2},{y2})"
        if convention == "qwen2-tags":
            line = (
                f"<|object_ref_start|>{label}<|object_ref_end|><|box_start|>{point_pair}<|box_end|>"
            )
        else:
            line = f"<ref>{label}</ref><box>{point_pair}</box>"
        lines.append(line + (f" {sub_label}" if sub_label else ""))
    return "\n".join(lines)


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """Rough token count: one per CJK character, one per three other characters."""
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / CHARS_PER_TOKEN)


# ----------------------------------------------------------------------------- requests


class _Reply(Exception):
    """Raised inside request handling to answer at once with an error status and body."""

    def __init__(self, status: int, body: dict[str, Any]):
        super().__init__(status)
        self.status = status
        self.body = body


def _vllm_error(status: int, message: str, kind: str = "BadRequestError") -> _Reply:
    return _Reply(
        status, {"error": {"message": message, "type": kind, "param": None, "code": status}}
    )


def _default_error_body(status: int) -> dict[str, Any]:
    """What a real gateway sends with this status when a fault gives no body."""
    if status == 429:  # DashScope throttling
        return {
            "error": {
                "message": "Requests rate limit exceeded, please try again later.",
                "type": "Throttling",
                "code": "Throttling",
            }
        }
    if status == 401:
        return _AUTH_ERROR
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return {
        "error": {
            "message": f"{phrase} (simulated fault).",
            "type": phrase.replace(" ", "") + "Error",
            "code": status,
        }
    }


_AUTH_ERROR = {
    "error": {
        "code": "invalid_api_key",
        "message": "Incorrect API key provided.",
        "type": "invalid_request_error",
    }
}


def _decode_data_url(url: str) -> Image.Image:
    """An image from a base64 data: URL; anything else is a 400 like the real servers."""
    if url.startswith(("http://", "https://")):
        raise _vllm_error(
            400, "this simulator does not fetch URLs: send the image as a base64 data: URL"
        )
    if not url.startswith("data:") or "," not in url:
        raise _vllm_error(400, "image_url must be a data: URL (data:image/jpeg;base64,...)")
    header, payload = url.split(",", 1)
    if ";base64" not in header:
        raise _vllm_error(400, "only base64 data: URLs are supported")
    try:
        raw = base64.b64decode(payload, validate=False)
        image = Image.open(io.BytesIO(raw))
        image.load()
    except (binascii.Error, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _vllm_error(400, f"Failed to load image: {exc}") from exc
    return image


def _read_messages(messages: Any) -> tuple[list[str], list[str]]:
    """(text parts, image URLs) of OpenAI-format messages; malformed input -> 400."""
    if not isinstance(messages, list) or not messages:
        raise _vllm_error(400, "'messages' must be a non-empty list")
    texts: list[str] = []
    images: list[str] = []
    for message in messages:
        if not isinstance(message, dict) or "role" not in message:
            raise _vllm_error(400, "each message must be an object with a 'role'")
        content = message.get("content")
        if content is None:
            continue
        if isinstance(content, str):
            texts.append(content)
            continue
        if not isinstance(content, list):
            raise _vllm_error(400, "message content must be a string or a list of parts")
        for part in content:
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text":
                texts.append(str(part.get("text", "")))
            elif kind == "image_url":
                ref = part.get("image_url")
                url = ref.get("url") if isinstance(ref, dict) else ref
                if not isinstance(url, str):
                    raise _vllm_error(400, "image_url part without a url")
                images.append(url)
            else:
                raise _vllm_error(400, f"unsupported content part type {kind!r}")
    return texts, images


@dataclass
class _Answer:
    """A successful chat completion, before it is written as JSON."""

    model: str
    content: str
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int

    def envelope(self) -> dict[str, Any]:
        return {
            "id": "chatcmpl-" + uuid.uuid4().hex,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.content, "tool_calls": []},
                    "logprobs": None,
                    "finish_reason": self.finish_reason,
                    "stop_reason": None,
                }
            ],
            "usage": {
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "total_tokens": self.prompt_tokens + self.completion_tokens,
            },
        }


class SimulatorServer:
    """A running simulator: ``base_url``, ``requests`` log, ``in_flight_peak``, ``close()``."""

    def __init__(
        self,
        model: SimulatedModel,
        host: str = "127.0.0.1",
        port: int = 0,
        log_requests: bool = False,
    ):
        self.model = model
        self.log_requests = log_requests
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._in_flight = 0
        self._in_flight_peak = 0
        self._closing = threading.Event()
        # A semaphore models the GPU batch limit: extra requests wait their turn.
        self._slots = threading.BoundedSemaphore(model.capacity) if model.capacity else None
        self._httpd = _HTTPServer(host, port, self)
        self._thread: threading.Thread | None = None
        bound_host, bound_port = self._httpd.server_address[:2]
        shown = "127.0.0.1" if bound_host in ("0.0.0.0", "") else bound_host
        if ":" in shown:
            shown = f"[{shown}]"
        self.port: int = bound_port
        self.base_url = f"http://{shown}:{bound_port}/v1"

    # -- life cycle

    def start(self) -> SimulatorServer:
        """Serve in a daemon thread (tests, in-process demos)."""
        # A short poll interval keeps close() quick: shutdown() waits for the next poll.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="qwen-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (the command line)."""
        try:
            self._httpd.serve_forever()
        finally:
            self._closing.set()
            self._httpd.server_close()

    def close(self) -> None:
        """Stop serving, cut open connections, wake sleeping handlers."""
        self._closing.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.close_connections()
        self._httpd.server_close()

    def __enter__(self) -> SimulatorServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- observations

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of the chat completion requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def in_flight_peak(self) -> int:
        """The most chat requests that were being processed (holding a slot) at once."""
        with self._lock:
            return self._in_flight_peak

    # -- helpers for the handler

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self.model.faults.pop(0) if self.model.faults else None

    def _sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when the server closes (tests must not hang)."""
        if seconds > 0:
            self._closing.wait(seconds)

    def _enter_slot(self) -> None:
        if self._slots is not None:
            self._slots.acquire()
        with self._lock:
            self._in_flight += 1
            self._in_flight_peak = max(self._in_flight_peak, self._in_flight)

    def _leave_slot(self) -> None:
        with self._lock:
            self._in_flight -= 1
        if self._slots is not None:
            self._slots.release()

    def authorised(self, authorization: str | None) -> bool:
        key = self.model.api_key
        return key is None or authorization == f"Bearer {key}"

    def complete(self, payload: Any, record: RequestRecord, fault: Fault | None) -> _Answer:
        """Validate a chat request and produce the model's answer (errors raise _Reply)."""
        model = self.model
        if not isinstance(payload, dict):
            raise _vllm_error(400, "the request body must be a JSON object")
        if payload.get("stream"):
            raise _vllm_error(
                400, "streaming is not supported by this simulator; send stream=false"
            )
        name = payload.get("model")
        record.model = name if isinstance(name, str) else None
        if not isinstance(name, str):
            raise _vllm_error(400, "'model' is required")
        if name not in model.models:
            raise _vllm_error(404, f"The model `{name}` does not exist.", "NotFoundError")
        max_tokens = payload.get("max_completion_tokens", payload.get("max_tokens"))
        if max_tokens is not None and (
            not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1
        ):
            raise _vllm_error(400, "max_tokens must be a positive integer")
        record.max_tokens = max_tokens
        texts, image_urls = _read_messages(payload.get("messages"))
        prompt = "\n".join(texts)
        record.prompt = prompt
        if len(image_urls) > 1:
            # vLLM started with --limit-mm-per-prompt image=1 says this.
            raise _vllm_error(
                400, f"At most 1 image(s) may be provided in one request, got {len(image_urls)}."
            )

        # The request holds one of the server's slots from here on, and the configured
        # latency is the whole time it holds it, decoding and "vision" included, as a real
        # server's latency includes its own processing.
        with _Slot(self):
            started = time.monotonic()
            frame: Image.Image | None = None
            visual_tokens = 0
            if image_urls:
                image = _decode_data_url(image_urls[0])
                record.image_size = image.size
                try:
                    frame = server_frame(image, model)
                except ValueError as exc:  # aspect ratio over 200
                    raise _vllm_error(400, f"Image cannot be processed: {exc}") from exc
                record.frame_size = frame.size
                visual_tokens = frame.width * frame.height // (model.grid**2)
                record.visual_tokens = visual_tokens
            # The chat template adds a few tokens per message around the text.
            prompt_tokens = visual_tokens + estimate_tokens(prompt) + 4 * len(payload["messages"])
            limit = model.max_visual_tokens
            if limit is not None and visual_tokens > limit:
                # vLLM's own wording, so that clients matching on it ("max_model_len")
                # work here.
                raise _vllm_error(
                    400,
                    f"The decoder prompt (length {prompt_tokens}) is longer than the maximum "
                    f"model length of {limit + prompt_tokens - visual_tokens}. Make sure that "
                    "`max_model_len` is no smaller than the number of text tokens plus "
                    f"multimodal tokens (this image alone needs {visual_tokens}). For image "
                    "inputs, the number of image tokens depends on the number of images, and "
                    "possibly their aspect ratios as well.",
                )

            if fault is not None and fault.content is not None:
                content, finish = fault.content, fault.finish_reason
                completion_tokens = estimate_tokens(content)
            else:
                content, finish, completion_tokens = self._look(frame, prompt, max_tokens)
                if fault is not None and fault.finish_reason != "stop":
                    finish = fault.finish_reason
            latency = model.base_latency + model.latency_per_token * visual_tokens
            self._sleep(max(0.0, latency - (time.monotonic() - started)))
            return _Answer(name, content, finish, prompt_tokens, completion_tokens)

    def _look(
        self, frame: Image.Image | None, prompt: str, max_tokens: int | None
    ) -> tuple[str, str, int]:
        """The model's own answer: (content, finish_reason, completion_tokens)."""
        model = self.model
        if frame is None:
            content = NO_IMAGE[model.answer_language]
        else:
            content = compose_answer(
                find_objects(frame),
                frame.size,
                model.convention,
                model.answer_language,
                probe=PROBE_PHRASE in prompt.lower(),
            )
        tokens = estimate_tokens(content)
        if max_tokens is not None and len(content) > CHARS_PER_TOKEN * max_tokens:
            # A real model stops mid-answer at max_tokens: often inside the JSON.
            return content[: CHARS_PER_TOKEN * max_tokens], "length", max_tokens
        return content, "stop", tokens


class _Slot:
    """Context manager holding one of the server's processing slots."""

    def __init__(self, server: SimulatorServer):
        self.server = server

    def __enter__(self) -> None:
        self.server._enter_slot()

    def __exit__(self, *exc_info: object) -> None:
        self.server._leave_slot()


# ----------------------------------------------------------------------------- HTTP


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its simulator and can cut its open connections."""

    daemon_threads = True
    # Keep-alive handler threads wait for the client's next request; joining them on close
    # would hang until every client disconnects, so close() cuts the sockets instead.
    block_on_close = False

    def __init__(self, host: str, port: int, simulator: SimulatorServer):
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.simulator = simulator
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out or go away mid-answer are part of what we simulate.
        if not isinstance(_current_exception(), (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _current_exception() -> BaseException | None:
    return sys.exc_info()[1]


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, like uvicorn in front of vLLM (httpx reuses connections)."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm
    # and the client's delayed ACK add ~40 ms to every keep-alive response, which would
    # make a "1 s" server look like a 1.08 s one in the benchmarks.
    disable_nagle_algorithm = True
    server_version = "qwen-vl-simulator/1.0"
    sys_version = ""
    server: _HTTPServer

    @property
    def simulator(self) -> SimulatorServer:
        return self.server.simulator

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        if self.simulator.log_requests:
            super().log_message(format, *args)

    # -- plumbing

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, headers=headers)

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            raise _Reply(411, {"error": {"message": "Content-Length required", "code": 411}})
        try:
            size = int(length)
        except ValueError:
            raise _Reply(400, {"error": {"message": "bad Content-Length", "code": 400}}) from None
        if size > MAX_BODY_BYTES:
            raise _Reply(413, {"error": {"message": "request body too large", "code": 413}})
        return self.rfile.read(size)

    def _drop(self) -> None:
        """Close the connection without a byte of answer (a crashed or restarted server)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _route(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/")

    # -- endpoints

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        path = self._route()
        if path == "/health":
            self._send(200, b"", content_type="text/plain")
        elif path == "/v1/models":
            if not self.simulator.authorised(self.headers.get("Authorization")):
                self._send_json(401, _AUTH_ERROR)
                return
            created = int(time.time())
            data = [
                {
                    "id": name,
                    "object": "model",
                    "created": created,
                    "owned_by": "vllm",
                    "root": name,
                    "parent": None,
                }
                for name in self.simulator.model.models
            ]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, {"detail": "Not Found"})

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        if self._route() != "/v1/chat/completions":
            # Drain the body so the keep-alive connection stays usable.
            try:
                self._read_body()
            except _Reply:
                self.close_connection = True
            self._send_json(404, {"detail": "Not Found"})
            return
        self._chat_completions()

    def _chat_completions(self) -> None:
        sim = self.simulator
        headers = {k: v for k, v in self.headers.items() if k.lower() != "authorization"}
        record = RequestRecord(received_at=time.time(), headers=headers)
        sim._record(record)
        try:
            raw = self._read_body()
        except _Reply as reply:
            self.close_connection = True
            record.status = reply.status
            self._send_json(reply.status, reply.body)
            return
        # The gateway checks the key before anything reaches the model (no fault consumed).
        if not sim.authorised(self.headers.get("Authorization")):
            record.status = 401
            self._send_json(401, _AUTH_ERROR)
            return

        fault = sim._next_fault()
        record.fault = fault
        extra = dict(fault.headers) if fault else {}
        if fault is not None:
            sim._sleep(fault.delay)
            if fault.drop:
                self._drop()
                return
            if fault.body is not None:
                body = fault.body.encode("utf-8") if isinstance(fault.body, str) else fault.body
                record.status = fault.status
                content_type = _guess_content_type(body)
                for name in list(extra):
                    if name.lower() == "content-type":
                        content_type = extra.pop(name)
                self._send(fault.status, body, content_type, extra)
                return
            if fault.status != 200 and fault.content is None:
                record.status = fault.status
                self._send_json(fault.status, _default_error_body(fault.status), extra)
                return

        try:
            try:
                payload = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise _vllm_error(400, f"the request body is not valid JSON: {exc}") from exc
            answer = sim.complete(payload, record, fault)
        except _Reply as reply:
            record.status = reply.status
            self._send_json(reply.status, reply.body, extra)
            return
        status = fault.status if fault is not None else 200
        record.status = status
        self._send_json(status, answer.envelope(), extra)


def _guess_content_type(body: bytes) -> str:
    """application/json when a scripted body parses as JSON, else text/plain (an HTML
    error page or garbage from a proxy is not labelled JSON either)."""
    try:
        json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "text/plain; charset=utf-8"
    return "application/json"


def serve(
    model: SimulatedModel, host: str = "127.0.0.1", port: int = 0, log_requests: bool = False
) -> SimulatorServer:
    """Start a simulator in a daemon thread and return it (use it as a context manager)."""
    return SimulatorServer(model, host, port, log_requests).start()


# ----------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> None:
    """``python -m safety.simulator``: run in the foreground for demos and benchmarks."""
    parser = argparse.ArgumentParser(
        prog="python -m safety.simulator",
        description="A local Qwen-VL stand-in speaking the OpenAI chat completions API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--convention", choices=CONVENTIONS, default="absolute")
    parser.add_argument("--grid", type=int, default=28, help="28 Qwen2.5-VL, 32 Qwen3-VL")
    parser.add_argument("--min-pixels", type=int, default=SERVER_MIN_PIXELS)
    parser.add_argument("--max-pixels", type=int, default=SERVER_MAX_PIXELS)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument(
        "--latency-per-token", type=float, default=0.0, help="extra seconds per visual token"
    )
    parser.add_argument(
        "--capacity", type=int, default=0, help="requests served at once (0 = unlimited)"
    )
    parser.add_argument("--language", choices=LANGUAGES, default="zh")
    parser.add_argument(
        "--model", action="append", dest="models", help="model name to serve (repeatable)"
    )
    parser.add_argument("--api-key", default=None, help="require this Bearer key")
    parser.add_argument("--max-visual-tokens", type=int, default=None)
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)

    model = SimulatedModel(
        convention=args.convention,
        grid=args.grid,
        min_pixels=args.min_pixels,
        max_pixels=args.max_pixels,
        models=tuple(args.models or SimulatedModel().models),
        api_key=args.api_key,
        base_latency=args.latency,
        latency_per_token=args.latency_per_token,
        capacity=args.capacity,
        answer_language=args.language,
        max_visual_tokens=args.max_visual_tokens,
    )
    server = SimulatorServer(model, args.host, args.port, log_requests=not args.quiet)
    print(
        f"Qwen-VL simulator on {server.base_url} serving {', '.join(model.models)} "
        f"(convention {model.convention}, grid {model.grid}, max_pixels {model.max_pixels}, "
        f"capacity {model.capacity or 'unlimited'}). Ctrl+C stops it.",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
