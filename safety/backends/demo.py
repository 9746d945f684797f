"""Demo mode: the example photos answered from stored reference labels, not a live model.

When no endpoint is configured the web app still works for a walkthrough. The example photos
in ``assets/`` have stored answers in ``assets/reference_answers.json``, written in the
model's own answer format (```json [{"bbox_2d": [...], "label": "火灾", "sub_label": "严重"}]
with relative 0..1000 coordinates), so they go through the very same parsing, coordinate
mapping, drawing, summary, export and report code as a live answer.

How a photo finds its answer. The model only ever sees a resized frame, never the file, so
the pipeline passes the SHA-256 of the original file with every question
(``safety.backends.model.Question.photo_sha256``). :class:`ReferenceModel` answers with the stored
text of the reference of that hash. Before that, the demo's reader refuses what cannot be an
example without decoding it: a URL (nothing is downloaded in demo mode) or a file whose hash
is no reference's. Those photos fail with a message that says how to configure an endpoint;
the other photos carry on.

Every reference records its provenance: ``dataset labels`` (the boxes come from the labels
that ship with the CC BY 4.0 fire/smoke data set; that data set has no severity, so the
severity was rated by hand) or ``hand-drawn`` (boxes drawn by hand on the permissively
licensed photos). Results say so per photo, and the app and the PDF report say "reference
labels, not a live model" wherever they show them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import geometry
from ..config import Settings
from ..errors import ConfigurationError
from ..i18n import t
from ..inspection import Inspector
from ..limits import DEFAULT_CONCURRENCY
from ..net import FetchPolicy
from ..prompts import DEFAULT_PROMPT
from ..source import Source, read_bytes
from .model import Answer, Question

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
REFERENCE_FILE = ASSETS_DIR / "reference_answers.json"

DATASET_LABELS = "dataset labels"
HAND_DRAWN = "hand-drawn"
PROVENANCES = (DATASET_LABELS, HAND_DRAWN)

DEMO_MODEL = "reference labels (demo mode)"

CONFIGURE_MESSAGE = t("demo.configure", "en")


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


def demo_settings(prompt: str | None = None, *, concurrency: int = DEFAULT_CONCURRENCY) -> Settings:
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


class ReferenceModel:
    """The ``safety.backends.model.Model`` of demo mode: each example photo's stored answer."""

    name = DEMO_MODEL

    def __init__(self, references: Sequence[Reference] | None = None, lang: str = "en") -> None:
        self.references = references_by_hash(references)
        self.refusal = t("demo.configure", lang)  # for any photo that is not an example

    def ask(self, question: Question) -> Answer:
        reference = self.references.get(question.photo_sha256 or "")
        if reference is None:
            raise ConfigurationError(self.refusal)
        return Answer(
            text=reference.answer,
            finish_reason="stop",
            usage=None,
            latency_s=0.0,
            model=DEMO_MODEL,
            provenance=reference.provenance,
            notes=(reference.note,),
        )

    def read(self, src: Source) -> bytes:
        """The file of an example photo; anything else is refused before it is decoded."""
        if src.data is None and src.path is None:
            raise ConfigurationError(self.refusal)  # a URL: nothing is downloaded
        data = read_bytes(src, FetchPolicy())
        if hashlib.sha256(data).hexdigest() not in self.references:
            raise ConfigurationError(self.refusal)
        return data

    def close(self) -> None:
        pass


def demo_inspector(
    *,
    lang: str = "en",
    prompt: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    references: Sequence[Reference] | None = None,
    keep_images: bool = True,
) -> Inspector:
    """An Inspector that answers the example photos from their reference labels."""
    model = ReferenceModel(references, lang)
    return Inspector(
        demo_settings(prompt, concurrency=concurrency),
        lang=lang,
        model=model,
        reader=model.read,
        store=None,
        keep_images=keep_images,
    )
