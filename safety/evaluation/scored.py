"""One run, scored: the figures the command prints and writes, and the PDF draws.

    Scored                       a run's outcome, its per-photo scores and its figures
    score_run(outcome, ...)      score every photo of a run (at a confidence threshold)
    above(result, threshold)     the result as scored at that threshold
    pct(value), num(value)       a figure as text, a dash when there is none

They live here, beside the metrics, so that the command and the report both take them from
the evaluation package and neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .classmap import ClassMap
from .metrics import PhotoScore, figures, score_photo
from .runner import RunOutcome, RunSpec


@dataclass
class Scored:
    """One run, scored."""

    outcome: RunOutcome
    scores: list[PhotoScore]
    figures: dict

    @property
    def spec(self) -> RunSpec:
        return self.outcome.spec


def pct(value: float | None) -> str:
    return "\u2013" if value is None else f"{value * 100:.1f}%"


def num(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.3f}"


def above(result, min_confidence: float | None):
    """The result as scored at a confidence threshold: answers the endpoint gave a confidence
    below it are left out; answers without one (no log-probabilities) always count."""
    if min_confidence is None:
        return result
    kept = [d for d in result.detections if d.confidence is None or d.confidence >= min_confidence]
    return replace(result, detections=kept)


def score_run(
    outcome: RunOutcome, dataset_photos, cmap: ClassMap, iou: float, min_confidence=None
) -> Scored:
    scores = [
        score_photo(truth, above(result, min_confidence), cmap, iou, cached=cached)
        for truth, result, cached in zip(dataset_photos, outcome.results, outcome.cached)
    ]
    found = figures(scores, cmap, iou)
    if min_confidence is not None:
        found["min_confidence"] = min_confidence  # uncalibrated token probabilities
    return Scored(outcome, scores, found)
