"""Demo mode: the example photos answered from stored reference labels, not a live model.

When no endpoint is configured the web app still works for a walkthrough. The example photos
in ``assets/`` have stored answers in ``assets/reference_answers.json``, written in the
model's own answer format (```json [{"bbox_2d": [...], "label": "火灾", "sub_label": "严重"}]
with relative 0..1000 coordinates), so they go through the very same parsing, coordinate
mapping, drawing, summary, export and report code as a live answer.

How a photo finds its answer. The model only ever sees a resized frame, never the file, so a
stand-in client cannot tell from ``ask(jpeg, prompt)`` which photo it is looking at. Instead:

* :class:`DemoInspector` is an :class:`~safety.inspection.Inspector`. Its "prepare" stage
  (read and decode) records the SHA-256 of the file on the result, as for any photo, and
  then looks it up among the references. A photo that is not an example (or any URL:
  nothing is downloaded in demo mode) fails there with a message saying how to configure an
  endpoint; the other photos carry on.
* Its "ask" stage tells its :class:`ReferenceClient` which reference is being asked, for the
  current thread only and for the duration of that one request (stages of different photos
  run concurrently on pool threads), then asks as usual. The client's ``ask`` returns the
  stored answer text, which the normal "finish" stage parses, maps and draws.

Every reference records its provenance: ``dataset labels`` (the boxes come from the labels
that ship with the CC BY 4.0 fire/smoke data set; that data set has no severity, so the
severity was rated by hand) or ``hand-drawn`` (boxes drawn by hand on the permissively
licensed photos). Results say so per photo, and the app and the PDF report say "reference
labels, not a live model" wherever they show them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import geometry
from .client import Answer
from .config import Settings
from .detections import ImageResult
from .errors import ConfigurationError
from .inspection import Inspector
from .prompts import DEFAULT_PROMPT

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
REFERENCE_FILE = ASSETS_DIR / "reference_answers.json"

DATASET_LABELS = "dataset labels"
HAND_DRAWN = "hand-drawn"
PROVENANCES = (DATASET_LABELS, HAND_DRAWN)

DEMO_MODEL = "reference labels (demo mode)"

CONFIGURE_MESSAGE = (
    "Demo mode: no model endpoint is configured, so only the example photos can be shown "
    "(with stored reference labels). To inspect this photo, configure an endpoint: set "
    "QWEN_VL_BASE_URL and QWEN_VL_MODEL (a self-hosted vLLM server) or DASHSCOPE_API_KEY "
    "(Alibaba DashScope) in the environment (as Space secrets on Hugging Face), or fill in "
    "the Endpoint settings panel."
)


@dataclass(frozen=True)
class Reference:
    """One example photo and its stored answer."""

    file: str
    title: str
    sha256: str
    width: int
    height: int
    provenance: str  # DATASET_LABELS | HAND_DRAWN
    provenance_note: str
    answer: str  # in the model's own answer format, relative 0..1000 coordinates
    objects: tuple[dict, ...]  # the same boxes in original pixels, as recorded
    attribution: str

    @property
    def path(self) -> Path:
        return ASSETS_DIR / self.file

    @property
    def label(self) -> str:
        """Short provenance label, e.g. "reference labels (hand-drawn), not a live model"."""
        return f"reference labels ({self.provenance}), not a live model"

    @property
    def note(self) -> str:
        return f"Reference labels ({self.provenance}), not a live model: {self.provenance_note}"


def compose_answer(objects: Sequence[Mapping], width: int, height: int) -> str:
    """The answer text a Qwen3-VL-style model would write for these boxes (0..1000)."""
    lines = []
    for obj in objects:
        x1, y1, x2, y2 = obj["box"]
        rel = [
            round(x1 / width * 1000),
            round(y1 / height * 1000),
            round(x2 / width * 1000),
            round(y2 / height * 1000),
        ]
        entry = {"bbox_2d": rel, "label": obj["label"], "sub_label": obj["sub_label"]}
        lines.append("\t" + json.dumps(entry, ensure_ascii=False))
    if not lines:
        return "```json\n[]\n```"
    return "```json\n[\n" + ",\n".join(lines) + "\n]\n```"


def _reference(entry: Mapping) -> Reference:
    provenance = entry["provenance"]
    if provenance not in PROVENANCES:
        raise ValueError(f"unknown provenance {provenance!r} for {entry.get('file')!r}")
    return Reference(
        file=entry["file"],
        title=entry["title"],
        sha256=entry["sha256"],
        width=int(entry["width"]),
        height=int(entry["height"]),
        provenance=provenance,
        provenance_note=entry["provenance_note"],
        answer=entry["answer"],
        objects=tuple(entry["objects"]),
        attribution=entry["attribution"],
    )


@lru_cache(maxsize=4)
def load_references(path: Path = REFERENCE_FILE) -> tuple[Reference, ...]:
    """The example photos with their stored answers, in the order the app shows them."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(_reference(entry) for entry in data["examples"])


def references_by_hash(refs: Sequence[Reference] | None = None) -> dict[str, Reference]:
    return {r.sha256: r for r in (load_references() if refs is None else refs)}


def demo_settings(prompt: str | None = None, *, concurrency: int = 4) -> Settings:
    """Settings for demo mode: relative 0..1000, fixed, so no calibration probe happens."""
    return Settings(
        base_url="http://reference-labels.invalid/v1",  # never contacted
        model=DEMO_MODEL,
        api_key="EMPTY",
        preset="vllm",
        coords=geometry.RELATIVE_1000,
        grid=geometry.UNIVERSAL_GRID,
        concurrency=concurrency,
        prompt=prompt or DEFAULT_PROMPT,
    )


class ReferenceClient:
    """Same interface as QwenClient; answers from the reference the inspector points it at."""

    def __init__(self) -> None:
        self._current = threading.local()

    @contextmanager
    def answering(self, reference: Reference) -> Iterator[None]:
        """Within this block, ``ask`` on this thread answers for ``reference``."""
        previous = getattr(self._current, "reference", None)
        self._current.reference = reference
        try:
            yield
        finally:
            self._current.reference = previous

    def ask(self, jpeg: bytes, prompt: str, *, max_tokens: int | None = None) -> Answer:
        reference = getattr(self._current, "reference", None)
        if reference is None:
            raise ConfigurationError(CONFIGURE_MESSAGE)
        return Answer(
            text=reference.answer,
            finish_reason="stop",
            usage=None,
            latency_s=0.0,
            model=f"reference labels ({reference.provenance})",
        )

    def list_models(self) -> list[str]:
        return [DEMO_MODEL]

    def close(self) -> None:
        pass


class DemoInspector(Inspector):
    """An Inspector that answers the example photos from their reference labels."""

    def __init__(
        self,
        *,
        lang: str = "en",
        prompt: str | None = None,
        concurrency: int = 4,
        references: Sequence[Reference] | None = None,
        keep_images: bool = True,
    ):
        self.references = references_by_hash(references)
        self.reference_client = ReferenceClient()
        super().__init__(
            demo_settings(prompt, concurrency=concurrency),
            lang=lang,
            client=self.reference_client,
            keep_images=keep_images,
        )

    # The pipeline runs each photo in stages (prepare -> ask -> finish), possibly on
    # different threads. "prepare" reads the file and records its SHA-256 on the result;
    # "ask" then runs on one thread from start to end, which is where the reference client
    # is told which photo it is answering.

    def _prepare(self, job) -> None:
        if job.src.data is None and job.src.url is not None:
            raise ConfigurationError(CONFIGURE_MESSAGE)  # nothing is downloaded in demo mode
        super()._prepare(job)
        if job.result.sha256 not in self.references:
            raise ConfigurationError(CONFIGURE_MESSAGE)

    def _ask(self, job) -> None:
        reference = self.references.get(job.result.sha256 or "")
        if reference is None:
            raise ConfigurationError(CONFIGURE_MESSAGE)
        with self.reference_client.answering(reference):
            super()._ask(job)
        job.result.notes.insert(0, reference.note)


def provenance_of(result: ImageResult) -> str | None:
    """ "dataset labels" / "hand-drawn" for a demo result, None for a live model's."""
    model = result.model or ""
    for provenance in PROVENANCES:
        if model == f"reference labels ({provenance})":
            return provenance
    return None
