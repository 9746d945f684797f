"""A Qwen model behind an OpenAI-compatible chat completions API (vLLM, DashScope).

This is the live implementation of the ``safety.backends.model.Model`` seam. The request and the
reading of a completion are module functions, shared with the Batch API (``safety.batch_api``):

    request_parts(settings, question) -> (params, extra)   the one way a request is made
    request_body(settings, question) -> dict               the same, as one JSON body
    read_completion(completion, host) -> Answer            the one way a completion is read
    server_message(body, fallback, *keys) -> str           a server's error, short, scrubbed

The openai SDK does the HTTP, the retries (429, 408, 409, 5xx, connection errors, timeouts,
honouring Retry-After) and the timeouts; we give it an explicit timeout and retry count, and
turn its exceptions into EndpointError messages that say what to do. Server messages are
shortened and scrubbed of the key before they are shown anywhere.
"""

from __future__ import annotations

import base64
import time

import httpx
import openai

from ..config import Settings
from ..errors import EndpointError
from ..i18n import Phrase
from ..scrub import scrub
from .endpoint_kind import EndpointKind, endpoint_kind
from .model import Answer, Question


def jpeg_data_url(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def kind_of(settings: Settings, provider: str | None = None) -> EndpointKind:
    """The kind of endpoint the settings (and a batch's provider, if named) point at."""
    return endpoint_kind(settings.preset, settings.base_url, provider)


def request_parts(
    settings: Settings, question: Question, kind: EndpointKind | None = None
) -> tuple[dict, dict]:
    """One chat request: (the OpenAI API's parameters, the provider's own extra ones).

    The one place a request is made: the live client sends the extras as the SDK's
    ``extra_body``; a Batch API line (``request_body``) carries both in one body. ``kind``:
    the endpoint's kind when the caller knows better than the settings (a batch provider).
    """
    s = settings
    params: dict = {
        "model": s.model,
        "messages": [
            {"role": "system", "content": s.system_prompt},
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": jpeg_data_url(question.jpeg)}},
                    {"type": "text", "text": question.prompt},
                ],
            },
        ],
        "max_tokens": question.max_tokens or s.max_tokens,
        "temperature": s.temperature,
    }
    dashscope = (kind or kind_of(s)) is EndpointKind.DASHSCOPE
    # Token log-probabilities where the server gives them (vLLM); DashScope's vision models
    # are not known to, so they are not asked.
    if not dashscope:
        params["logprobs"] = True
    extra: dict = {}
    if dashscope and s.detail == "high":
        # Without it DashScope shrinks every image to its default budget (about 1280 visual
        # tokens), and absolute boxes would come back in a frame we never sent.
        extra["vl_high_resolution_images"] = True
    return params, extra


def request_body(settings: Settings, question: Question, kind: EndpointKind | None = None) -> dict:
    """The JSON body of one chat request, as a Batch API line carries it: the provider's
    extras at the top level, where the SDK's ``extra_body`` puts them."""
    params, extra = request_parts(settings, question, kind)
    return {**params, **extra}


def malformed(host: str) -> Phrase:
    return Phrase("endpoint.malformed", host=host)


def read_completion(completion, host: str, latency: float = 0.0) -> Answer:
    """A chat completion (the SDK's object, live or built from a Batch API line) -> Answer;
    EndpointError when it holds no answer text."""
    # A non-JSON body comes back as a plain str; JSON that is no completion has no choices.
    choices = None if isinstance(completion, str) else getattr(completion, "choices", None)
    if not choices or not isinstance(choices, list):
        raise EndpointError(malformed(host))
    choice = choices[0]
    message = getattr(choice, "message", None)
    text = getattr(message, "content", None)
    if not isinstance(text, str):
        raise EndpointError(Phrase("endpoint.no-text", host=host))
    usage = None
    u = getattr(completion, "usage", None)
    if u is not None:
        usage = {
            "prompt_tokens": int(getattr(u, "prompt_tokens", 0) or 0),
            "completion_tokens": int(getattr(u, "completion_tokens", 0) or 0),
            "total_tokens": int(getattr(u, "total_tokens", 0) or 0),
        }
    return Answer(
        text=text,
        finish_reason=getattr(choice, "finish_reason", None),
        usage=usage,
        latency_s=latency,
        model=getattr(completion, "model", None),
        token_logprobs=_token_logprobs(choice),
    )


def server_message(body, fallback: str = "", *keys: str | None) -> str:
    """A server's own message from its JSON error body, short and scrubbed of ``keys`` (it
    may echo part of one); ``fallback`` when the body says nothing."""
    message = None
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict):
            message = err.get("message") or err.get("code")
        elif isinstance(err, str):
            message = err
        code = body.get("code") if isinstance(body.get("code"), str) else None
        if code and message and code not in str(message):
            message = f"{code}: {message}"
    if not message:
        message = fallback
    message = " ".join(str(message).split())
    if len(message) > 240:
        message = message[:237] + "..."
    return scrub(message, *keys)


class OpenAICompatibleModel:
    """Sends one photo and one prompt; returns the raw answer text with usage and latency.

    ``http_client``: for a base URL typed into the public page, a client pinned to the
    address that was checked (``safety.net.endpoint_http_client``).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
    ):
        self.settings = settings
        self.name = settings.model
        self._client = openai.OpenAI(
            http_client=http_client,
            base_url=settings.base_url,
            api_key=settings.api_key,
            timeout=openai.Timeout(settings.timeout, connect=min(10.0, settings.timeout)),
            max_retries=settings.max_retries if max_retries is None else max_retries,
        )

    def close(self) -> None:
        self._client.close()

    def ask(self, question: Question) -> Answer:
        params, extra = request_parts(self.settings, question)
        started = time.perf_counter()
        try:
            completion = self._client.chat.completions.create(**params, extra_body=extra or None)
        except openai.APIError as exc:
            raise self._explain(exc) from None
        except ValueError:
            # A 200 whose body claims to be JSON but is not: the SDK raises JSONDecodeError.
            raise EndpointError(malformed(self.settings.host)) from None
        latency = time.perf_counter() - started
        return self._read(completion, latency)

    def list_models(self) -> list[str]:
        """Model ids the endpoint serves (for "Test connection")."""
        try:
            return [m.id for m in self._client.models.list()]
        except openai.APIError as exc:
            raise self._explain(exc) from None

    # -- helpers -------------------------------------------------------------------------

    def _read(self, completion, latency: float) -> Answer:
        return read_completion(completion, self.settings.host, latency)

    def _server_says(self, exc: openai.APIError) -> str:
        """The server's own message, short and scrubbed (it may echo part of a key)."""
        fallback = getattr(exc, "message", "") or ""
        return server_message(getattr(exc, "body", None), fallback, self.settings.api_key)

    def _explain(self, exc: openai.APIError) -> EndpointError:
        host, model = self.settings.host, repr(self.settings.model)
        retries = self.settings.max_retries
        says = self._server_says(exc)
        if isinstance(exc, openai.APITimeoutError):
            return EndpointError(
                Phrase(
                    "endpoint.timeout", host=host, timeout=self.settings.timeout, retries=retries
                ),  # fmt: skip
                retryable=True,
            )
        if isinstance(exc, openai.APIConnectionError):
            return EndpointError(Phrase("endpoint.connect", host=host), retryable=True)
        status = getattr(exc, "status_code", None)
        low = says.lower()
        if isinstance(exc, openai.AuthenticationError):
            return EndpointError(Phrase("endpoint.key", host=host), status=status)
        if isinstance(exc, openai.PermissionDeniedError):
            reason = says or Phrase("endpoint.no-reason")
            return EndpointError(
                Phrase("endpoint.denied", host=host, says=reason, model=model), status=status
            )
        if isinstance(exc, openai.NotFoundError):
            return EndpointError(Phrase("endpoint.no-model", host=host, model=model), status=status)
        if isinstance(exc, openai.RateLimitError):
            return EndpointError(
                Phrase("endpoint.rate-limited", host=host, retries=retries),
                status=status,
                retryable=True,
            )
        if isinstance(exc, openai.BadRequestError):
            if "datainspection" in low or "inappropriate" in low or "moderation" in low:
                return EndpointError(Phrase("endpoint.moderation", host=host), status=status)
            if any(
                w in low
                for w in (
                    "too long",
                    "max_model_len",
                    "maximum context",
                    "maximum model length",
                    "longer than the maximum",
                    "too large",
                    "exceeds",
                    "image size",
                )
            ):
                return EndpointError(
                    Phrase("endpoint.too-large", host=host, says=says), status=status
                )
            return EndpointError(Phrase("endpoint.rejected", host=host, says=says), status=status)
        if isinstance(exc, openai.APIStatusError) and status and status >= 500:
            details = says or Phrase("endpoint.no-details")
            return EndpointError(
                Phrase(
                    "endpoint.server-error", host=host, status=status, retries=retries, says=details
                ),  # fmt: skip
                status=status,
                retryable=True,
            )
        if isinstance(exc, openai.APIStatusError):
            return EndpointError(
                Phrase("endpoint.status", host=host, status=status, says=says), status=status
            )
        return EndpointError(Phrase("endpoint.unreadable", host=host, kind=type(exc).__name__))


def _token_logprobs(choice) -> tuple[tuple[str, float], ...] | None:
    """(token, logprob) pairs of a choice, or None when the server sent none (or junk)."""
    content = getattr(getattr(choice, "logprobs", None), "content", None)
    if not isinstance(content, list) or not content:
        return None
    pairs = []
    for item in content:
        token, logprob = getattr(item, "token", None), getattr(item, "logprob", None)
        if not isinstance(token, str) or not isinstance(logprob, (int, float)):
            return None
        pairs.append((token, float(logprob)))
    return tuple(pairs)
