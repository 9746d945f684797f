"""The simulator's settings (SimulatedModel), scripted faults and its request log records."""

from __future__ import annotations

from dataclasses import dataclass, field

from safety.geometry import SERVER_MAX_PIXELS, SERVER_MIN_PIXELS

CONVENTIONS = ("absolute", "relative-1000", "qwen2-tags", "qwen-vl-tags")
LANGUAGES = ("zh", "en")


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
    """How the simulated server and model behave (see the package docstring)."""

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
    # Perception that degrades with size, in pixels of the frame the server looked at (0:
    # off, the default). An object shorter than miss_below_px is not seen at all; a person
    # shorter than status_below_px gets a hard-hat status that is wrong (worn <-> missing)
    # with probability status_wrong_rate and "unknown" otherwise. Draws are seeded by the
    # object's place, so a run is repeatable.
    miss_below_px: int = 0
    status_below_px: int = 0
    status_wrong_rate: float = 0.0

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
    image_url: str | None = None  # the image's data: URL exactly as received
    logprobs: object = None  # the request's "logprobs" field, as sent (None: absent)
