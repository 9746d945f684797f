"""A running simulator: life cycle, request log, processing slots, faults and answers."""

from __future__ import annotations

import threading
import time
from typing import Any

from PIL import Image

from .answers import (
    CHARS_PER_TOKEN,
    LEDGER_RECHECK_MARKER,
    NO_IMAGE,
    PROBE_PHRASE,
    compose_answer,
    estimate_tokens,
    ledger_recheck_answer,
    token_logprobs,
)
from .handler import _HTTPServer
from .model import Fault, RequestRecord, SimulatedModel
from .protocol import _Answer, _decode_data_url, _read_messages, _vllm_error
from .vision import (
    PERCEPTION_MIN_SHARE,
    find_objects,
    perceive,
    perceives_size,
    server_frame,
)


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
        record.logprobs = payload.get("logprobs")
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
                record.image_url = image_urls[0]
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

            doubts: list[bool] = []
            if fault is not None and fault.content is not None:
                content, finish = fault.content, fault.finish_reason
                completion_tokens = estimate_tokens(content)
            else:
                content, finish, completion_tokens, doubts = self._look(frame, prompt, max_tokens)
                if fault is not None and fault.finish_reason != "stop":
                    finish = fault.finish_reason
            latency = model.base_latency + model.latency_per_token * visual_tokens
            self._sleep(max(0.0, latency - (time.monotonic() - started)))
            answer = _Answer(name, content, finish, prompt_tokens, completion_tokens)
            if payload.get("logprobs") is True:
                answer.logprobs = token_logprobs(content, doubts)
            return answer

    def _look(
        self, frame: Image.Image | None, prompt: str, max_tokens: int | None
    ) -> tuple[str, str, int, list[bool]]:
        """The model's own answer: (content, finish_reason, completion_tokens, and for each
        object listed whether its status was guessed)."""
        model = self.model
        doubts: list[bool] = []
        if frame is None:
            content = NO_IMAGE[model.answer_language]
        else:
            if LEDGER_RECHECK_MARKER in prompt:
                content = ledger_recheck_answer(find_objects(frame), frame.size, prompt)
                return content, "stop", estimate_tokens(content), doubts
            probe = PROBE_PHRASE in prompt.lower()
            if probe or not perceives_size(model):
                seen = find_objects(frame)
            else:
                seen = perceive(find_objects(frame, PERCEPTION_MIN_SHARE), model)
            doubts = [o.doubtful for o in seen]
            content = compose_answer(
                seen,
                frame.size,
                model.convention,
                model.answer_language,
                probe=probe,
            )
        tokens = estimate_tokens(content)
        if max_tokens is not None and len(content) > CHARS_PER_TOKEN * max_tokens:
            # A real model stops mid-answer at max_tokens: often inside the JSON.
            return content[: CHARS_PER_TOKEN * max_tokens], "length", max_tokens, doubts
        return content, "stop", tokens, doubts


class _Slot:
    """Context manager holding one of the server's processing slots."""

    def __init__(self, server: SimulatorServer):
        self.server = server

    def __enter__(self) -> None:
        self.server._enter_slot()

    def __exit__(self, *exc_info: object) -> None:
        self.server._leave_slot()


def serve(
    model: SimulatedModel, host: str = "127.0.0.1", port: int = 0, log_requests: bool = False
) -> SimulatorServer:
    """Start a simulator in a daemon thread and return it (use it as a context manager)."""
    return SimulatorServer(model, host, port, log_requests).start()
