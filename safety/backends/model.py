"""The seam between the pipeline and whatever answers: one small protocol.

    Model.ask(Question) -> Answer      one photo frame and one prompt in, raw text out
    Model.close()                      cut requests in flight, free connections

Implementations:
* ``safety.backends.client.OpenAICompatibleModel``: a Qwen model behind vLLM or DashScope;
* ``safety.backends.demo.ReferenceModel``: the example photos' stored reference labels (demo mode);
* tests use small in-process fakes, so most pipeline tests need no socket.

``safety.backends.pool.EndpointPool`` is a Model too: several endpoints serving one run.

``Answer.provenance`` says who answered when it was not a live model (``"dataset labels"``,
``"hand-drawn"``); the pipeline copies it onto the result, and every view reads it from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Question:
    """One request: the frame to look at and what to ask about it."""

    jpeg: bytes  # the frame, already resized to what the server keeps
    prompt: str
    max_tokens: int | None = None  # None: the model's own setting
    photo_sha256: str | None = None  # of the original file; lets stored answers find theirs


@dataclass(frozen=True)
class Answer:
    text: str
    finish_reason: str | None
    usage: dict[str, int] | None
    latency_s: float
    model: str | None  # the model name the server reports
    provenance: str | None = None  # None: a live model answered
    notes: tuple[
        str, ...
    ] = ()  # remarks for the result's notes (e.g. where stored labels came from)
    # (token, log-probability) of the answer, where the endpoint returns them (vLLM does);
    # None where it does not: no confidence is then invented.
    token_logprobs: tuple[tuple[str, float], ...] | None = None
    # Set by safety.backends.pool, where several endpoints answer one run: the coordinate convention
    # of the endpoint that answered (the Inspector reads the boxes with it), and that
    # endpoint as scheme://host:port. None: the run's plan and endpoint.
    convention: str | None = None
    endpoint: str | None = None


@runtime_checkable
class Model(Protocol):
    name: str  # the model's name as configured

    def ask(self, question: Question) -> Answer: ...

    def close(self) -> None: ...
