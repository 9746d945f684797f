"""A person's review of the model's findings: confirm, reject, correct, or add what it missed.

Pure functions from a finding to the reviewed finding; nothing is ever deleted. A rejected
finding keeps its box and words, so the audit trail stays whole; it just stops counting
(``Detection.stands``). A corrected one keeps what the model said beside the correction.

    decide(det, action, ...) -> Detection     action: confirm | reject | correct | unreviewed
    added(box, category, status, note)        a finding the model missed, drawn by a person
    Review(by, at)                            who reviewed, and when (ISO-8601)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone

from .detections import STATUSES, Box, Detection
from .errors import InputError
from .i18n import Phrase

ACTIONS = ("confirm", "reject", "correct", "unreviewed")
ADDED_LABEL = "added by the reviewer"
MAX_NOTE_CHARS = 500


@dataclass(frozen=True)
class Review:
    by: str
    at: str  # ISO-8601 with the time zone

    @classmethod
    def now(cls, by: str) -> Review:
        now = datetime.now(timezone.utc).astimezone()
        return cls(by.strip(), now.isoformat(timespec="seconds"))

    def to_dict(self) -> dict[str, str]:
        return {"by": self.by, "at": self.at}


def _note(note: str | None, current: str) -> str:
    if note is None:
        return current
    note = " ".join(note.split())
    if len(note) > MAX_NOTE_CHARS:
        raise InputError(Phrase("review.error.note-long", n=MAX_NOTE_CHARS))
    return note


def check_status(category: str, status: str) -> None:
    if category not in STATUSES or status not in STATUSES[category]:
        raise InputError(
            Phrase("review.error.unknown-finding", category=repr(category), status=repr(status))
        )


def decide(
    det: Detection,
    action: str,
    *,
    category: str | None = None,
    status: str | None = None,
    note: str | None = None,
) -> Detection:
    """The finding after a reviewer's decision (an added finding stays "added")."""
    note_text = _note(note, det.review_note)
    if action == "correct":
        category = category or det.category
        status = det.status if status is None and category == det.category else status or ""
        check_status(category, status)
        said = det.model_said or (det.category, det.status)
        if det.review == "added":  # the reviewer's own finding: just changed, nothing to keep
            return replace(det, category=category, status=status, review_note=note_text)
        if (category, status) == said:  # corrected back to what the model said
            return replace(det, category=category, status=status, review="confirmed",
                           model_said=None, review_note=note_text)  # fmt: skip
        return replace(det, category=category, status=status, review="corrected",
                       model_said=said, review_note=note_text)  # fmt: skip
    if action not in ACTIONS:
        raise InputError(Phrase("review.error.unknown-action", action=repr(action)))
    if det.review == "added" and action != "reject":
        return replace(det, review_note=note_text)
    # Undoing a correction (confirm, reject or unreviewed) restores what the model said.
    category, status = det.model_said or (det.category, det.status)
    review = {"confirm": "confirmed", "reject": "rejected", "unreviewed": "unreviewed"}[action]
    if det.review == "added":
        category, status = det.category, det.status
    return replace(det, category=category, status=status, review=review, model_said=None,
                   review_note=note_text)  # fmt: skip


def added(box: Box, category: str, status: str, note: str = "") -> Detection:
    """A finding the model missed, with the box a reviewer drew (original pixels)."""
    check_status(category, status)
    x1, y1, x2, y2 = box
    if not (x1 < x2 and y1 < y2):
        raise InputError(Phrase("review.error.empty-box"))
    return Detection(category, status, ADDED_LABEL, "", box, review="added",
                     review_note=_note(note, ""))  # fmt: skip


def confirm_all(detections: list[Detection]) -> list[Detection]:
    """Confirm every finding not yet decided on (decided ones keep their decision)."""
    return [decide(d, "confirm") if d.review == "unreviewed" else d for d in detections]
