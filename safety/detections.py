"""The one data type for a finding, and the per-photo result.

A Detection's box is always in pixels of the ORIGINAL photo, upright (EXIF orientation
applied). Nothing after the parser sees model coordinates; ``safety.geometry`` is the only
place that converts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CATEGORIES = ("fire", "smoke", "person", "other")
SEVERITIES = ("minor", "moderate", "severe", "unknown")
HELMET_STATES = ("worn", "missing", "unknown")
STATUSES = {"fire": SEVERITIES, "smoke": SEVERITIES, "person": HELMET_STATES, "other": ("",)}
# What a reviewer made of a finding (safety.review). Absent from older results: unreviewed.
REVIEW_STATES = ("unreviewed", "confirmed", "rejected", "corrected", "added")

Box = tuple[float, float, float, float]
# A corrective action's state: open until someone closes it.
ACTION_STATES = ("open", "closed")


@dataclass(frozen=True)
class Action:
    """What must be done about a finding, by whom and by when (a rules file's default, then
    what the reviewer made of it). ``due``: an ISO date (YYYY-MM-DD) or ""."""

    text: str
    owner: str = ""
    due: str = ""
    status: str = "open"

    def __post_init__(self) -> None:
        if self.status not in ACTION_STATES:
            raise ValueError(f"unknown action status {self.status!r}")

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "owner": self.owner, "due": self.due, "status": self.status}


@dataclass(frozen=True)
class Detection:
    """One thing the model found.

    category: fire | smoke | person | other
    status:   severity (minor|moderate|severe|unknown) for fire and smoke,
              helmet (worn|missing|unknown) for persons, "" for other.
    label, sub_label: the model's own words, kept verbatim (untrusted text).
    box: (x1, y1, x2, y2) in original upright pixels, x1 < x2, y1 < y2.
    review: unreviewed | confirmed | rejected | corrected | added (by a reviewer).
    model_said: (category, status) as the model said it, for a corrected finding.
    review_note: the reviewer's note (untrusted text).
    clauses: references of the rules that apply (safety.rules), e.g. "29 CFR 1926.100(a)".
    action: the corrective action (owner, due date, open/closed), None when none applies.
    """

    category: str
    status: str
    label: str
    sub_label: str
    box: Box
    review: str = "unreviewed"
    model_said: tuple[str, str] | None = None
    review_note: str = ""
    # The rules' clause references for this finding, and its corrective action.
    clauses: tuple[str, ...] = ()
    action: Action | None = None
    # From the answer's token log-probabilities where the endpoint returns them (vLLM):
    # the lowest probability among the tokens of its label and status. Uncalibrated.
    confidence: float | None = None
    # Within a permitted activity the site context names (the model said so): it stays a
    # finding and counts, marked so a reviewer can confirm or reject it.
    permitted: bool = False

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if self.status not in STATUSES[self.category]:
            raise ValueError(f"status {self.status!r} does not fit category {self.category!r}")
        x1, y1, x2, y2 = self.box
        if not (x1 < x2 and y1 < y2):
            raise ValueError(f"degenerate box {self.box!r}")
        if self.review not in REVIEW_STATES:
            raise ValueError(f"unknown review {self.review!r}")

    @property
    def stands(self) -> bool:
        """Counts in verdicts and totals: everything but what a reviewer rejected."""
        return self.review != "rejected"

    @property
    def severity(self) -> str | None:
        return self.status if self.category in ("fire", "smoke") else None

    @property
    def helmet(self) -> str | None:
        return self.status if self.category == "person" else None

    @property
    def is_violation(self) -> bool:
        """A person seen without a hard hat."""
        return self.category == "person" and self.status == "missing"

    def rounded_box(self) -> list[int]:
        return [int(round(v)) for v in self.box]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "category": self.category,
            "severity": self.severity,
            "helmet": self.helmet,
            "label": self.label,
            "sub_label": self.sub_label,
            "box": self.rounded_box(),
            "review": self.review,
        }
        if self.model_said is not None:
            category, status = self.model_said
            out["model_said"] = {
                "category": category,
                "helmet": status if category == "person" else None,
                "severity": status if category in ("fire", "smoke") else None,
            }
        if self.review_note:
            out["review_note"] = self.review_note
        if self.clauses:
            out["clauses"] = list(self.clauses)
        if self.action is not None:
            out["action"] = self.action.to_dict()
        if self.permitted:
            out["permitted"] = True
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 3)  # uncalibrated (token probability)
        return out


@dataclass
class ImageResult:
    """Everything known about one photo after inspection.

    ``error`` is set when the photo failed; ``detections`` is then empty and must not be read
    as "nothing found". ``notes`` are honest remarks about what was repaired or dropped
    (truncated answer, boxes clamped, points ignored...).
    """

    source: str
    index: int = 0  # position in the batch (results stream out in the order they finish)
    width: int = 0
    height: int = 0
    detections: list[Detection] = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None
    notes: list[str] = field(default_factory=list)
    raw_text: str | None = None
    finish_reason: str | None = None
    usage: dict[str, int] | None = None
    latency_s: float | None = None
    model: str | None = None
    # Who answered when it was not a live model ("dataset labels", "hand-drawn"); None: live.
    provenance: str | None = None
    convention: str | None = None
    frame: tuple[int, int] | None = None
    upload_bytes: int | None = None  # size of the JPEG frame sent to the model
    sha256: str | None = None
    file_bytes: int | None = None
    # Compressed previews for the UI and the report; never the full-resolution original.
    marked_jpeg: bytes | None = field(default=None, repr=False)
    preview_jpeg: bytes | None = field(default=None, repr=False)
    # The unmarked photo at display size: a review redraws the marks on it (annotate.redraw).
    photo_jpeg: bytes | None = field(default=None, repr=False)
    timings: dict[str, float] = field(default_factory=dict)
    # safety.quality.Quality.to_dict() of the photo, measured before the model was asked.
    quality: dict[str, Any] | None = None
    # Extra requests about parts of the photo (detail tiles, re-check crops), each with its
    # region, frame, answer text, usage and error (safety.passes.detail.Pass.record).
    passes: list[dict[str, Any]] = field(default_factory=list)
    # The endpoint that answered (scheme://host:port) when a run has several (safety.backends.pool);
    # None, and absent from the JSON, with one.
    endpoint: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def low_quality(self) -> bool:
        """Too dark, overexposed, blurred or too small: "nothing found" proves little."""
        return bool(self.quality and self.quality.get("issues"))

    @property
    def standing(self) -> list[Detection]:
        """The findings that count: all but those a reviewer rejected."""
        return [d for d in self.detections if d.stands]

    def count(self, category: str, status: str | None = None) -> int:
        """Standing findings of a category (and status)."""
        return sum(
            1
            for d in self.standing
            if d.category == category and (status is None or d.status == status)
        )

    def to_dict(self) -> dict[str, Any]:
        out = {
            "source": self.source,
            "index": self.index,  # position in the run's input (a results JSONL is unordered)
            "width": self.width,
            "height": self.height,
            # "number": the finding's number on the marked photo, in the table, CSV and PDF.
            "detections": [
                {"number": n, **d.to_dict()} for n, d in enumerate(self.detections, start=1)
            ],
            "error": self.error,
            "error_kind": self.error_kind,
            "notes": list(self.notes),
            "model": self.model,
            "reference_labels": self.provenance,
            "convention": self.convention,
            "frame": list(self.frame) if self.frame else None,
            "upload_bytes": self.upload_bytes,
            "finish_reason": self.finish_reason,
            "usage": self.usage,
            "latency_s": None if self.latency_s is None else round(self.latency_s, 3),
            "sha256": self.sha256,
            "file_bytes": self.file_bytes,
            "raw_text": self.raw_text,
            "quality": self.quality,
            "passes": list(self.passes),
        }
        if self.endpoint is not None:
            out["endpoint"] = self.endpoint
        return out
