"""The OpenAI-compatible wire format: reading requests, error bodies, completion envelopes."""

from __future__ import annotations

import base64
import binascii
import http
import io
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from PIL import Image


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
    # [(token, logprob)] when the request asked for logprobs (vLLM's "logprobs": true)
    logprobs: list[tuple[str, float]] | None = None

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
                    "logprobs": None
                    if self.logprobs is None
                    else {
                        "content": [
                            {"token": tok, "logprob": lp, "bytes": None, "top_logprobs": []}
                            for tok, lp in self.logprobs
                        ]
                    },
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


def _guess_content_type(body: bytes) -> str:
    """application/json when a scripted body parses as JSON, else text/plain (an HTML
    error page or garbage from a proxy is not labelled JSON either)."""
    try:
        json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "text/plain; charset=utf-8"
    return "application/json"
