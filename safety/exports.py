"""CSV and COCO of all detections (the results JSON is written beside its reader, in
safety.results_io). Model text is data: written as text, never as markup or as a
spreadsheet formula.

Every export carries the review (safety.review): the JSON and CSV keep every finding with
its decision, what the model said of a corrected one and the reviewer's note; the summary
counts only what stands. The COCO export is for training: the findings as they stand after
review (rejected ones left out, added ones in), in COCO_CATEGORIES.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import TextIO
from urllib.parse import urlsplit

from .detections import ImageResult

CSV_COLUMNS = (
    "photo",
    "source",
    "width",
    "height",
    "number",
    "category",
    "severity",
    "helmet",
    "label",
    "sub_label",
    "x1",
    "y1",
    "x2",
    "y2",
    "error",
    "review",
    "model_said_category",
    "model_said_status",
    "review_note",
    # The rules' clauses and the corrective action, when rules were applied.
    "clauses",
    "action",
    "action_owner",
    "action_due",
    "action_status",
    # Videos (safety.video): one row per event, seen from first_s to last_s (seconds), best
    # seen at best_t, in this many sampled frames; empty for photos.
    "kind",
    "event",
    "first_s",
    "last_s",
    "best_t",
    "frames_seen",
)


# What starts a formula in a spreadsheet; the full-width forms (＝ ＋ － ＠) count, since
# some spreadsheets read them as the ASCII ones, and so does any of them behind whitespace
# or line breaks, which spreadsheets skip before looking for a formula.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters a cell may start with
_FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\u2212")


def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text: no formula from a model's label.
    Numbers stay numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    stripped = text.lstrip().lstrip(_INVISIBLE).lstrip()
    if text[:1] in ("\t", "\r", "\n") or stripped[:1] in _FORMULA_START:
        return "'" + text
    return text


def _action_cells(action) -> list[str]:
    if action is None:
        return ["", "", "", ""]
    return [action.text, action.owner, action.due, action.status]


def to_csv(results: Sequence[ImageResult]) -> str:
    out = io.StringIO()
    write_csv(out, sorted(results, key=lambda r: r.index))
    return out.getvalue()


def write_csv(out: TextIO, results: Iterable[ImageResult]) -> None:
    """The CSV, row by row as ``results`` come (a results JSONL streams through here)."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in results:
        base = [r.index + 1, r.source, r.width, r.height]
        if not r.ok or not r.detections:
            kind = "video" if getattr(r, "kind", "photo") == "video" else ""
            row = base + [""] * 10 + [r.error or ""] + [""] * 9 + [kind] + [""] * 5
            writer.writerow([_cell(v) for v in row])
            continue
        events = getattr(r, "events", None)  # a video: detections[i] is events[i]
        for n, d in enumerate(r.detections, start=1):
            x1, y1, x2, y2 = d.rounded_box()
            said_category, said_status = d.model_said or ("", "")
            row = base + [
                n,
                d.category,
                d.severity or "",
                d.helmet or "",
                d.label,
                d.sub_label,
                x1,
                y1,
                x2,
                y2,
                "",
                d.review,
                said_category,
                said_status,
                d.review_note,
                "; ".join(d.clauses),
                *(_action_cells(d.action)),
            ]
            if events is not None and n <= len(events):
                e = events[n - 1]
                row += ["video", e.id, e.first_s, e.last_s, e.best_t, len(e.frames)]
            else:
                row += [""] * 6
            writer.writerow([_cell(v) for v in row])


# COCO categories, in id order: a person's hard-hat status is part of the class, since that
# is what a detector for this app must learn; fire and smoke keep their severity as an
# attribute. The ids are fixed: a training set stays comparable from one export to the next.
COCO_CATEGORIES = (
    ("fire", "hazard"),
    ("smoke", "hazard"),
    ("person-hard-hat", "person"),
    ("person-no-hard-hat", "person"),
    ("person-hard-hat-unknown", "person"),
    ("other", "other"),
)
_PERSON_CLASS = {"worn": "person-hard-hat", "missing": "person-no-hard-hat",
                 "unknown": "person-hard-hat-unknown"}  # fmt: skip


def coco_name(category: str, status: str) -> str:
    """The COCO category of a finding: "fire", "person-no-hard-hat", ..."""
    return _PERSON_CLASS[status] if category == "person" else category


def file_name(source: str) -> str:
    """The photo's file name alone: no folders (they say nothing a training set needs)."""
    path = urlsplit(source).path if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+://", source) else source
    return re.split(r"[/\\]", path.rstrip("/\\"))[-1] or "photo"


def to_coco(results: Sequence[ImageResult]) -> dict:
    """The findings as they stand after review, as a COCO detection dataset.

    Photos that failed are left out (their findings are unknown, not "none"); so are videos
    (their frames are not kept) and rejected findings; findings a reviewer added are in.
    Boxes are [x, y, width, height] in pixels of the upright original. Beside COCO's own
    fields: each image's ``sha256`` and ``unreviewed`` (findings no person has decided on
    yet: the model's word alone), and each annotation's ``attributes``: ``review``, fire and
    smoke's ``severity``, and for a corrected finding ``model_said`` (the COCO category the
    model gave).
    """
    ids = {name: i for i, (name, _) in enumerate(COCO_CATEGORIES, start=1)}
    images, annotations = [], []
    for r in sorted(results, key=lambda r: r.index):
        if not r.ok or not r.width or not r.height:
            continue
        if getattr(r, "kind", "photo") == "video":
            continue  # a training set holds images: a video's frames are not kept to be one
        image_id = r.index + 1
        standing = r.standing
        images.append(
            {
                "id": image_id,
                "file_name": file_name(r.source),
                "width": r.width,
                "height": r.height,
                "sha256": r.sha256,
                "unreviewed": sum(d.review == "unreviewed" for d in standing),
            }
        )
        for d in standing:
            x1, y1, x2, y2 = d.rounded_box()
            w, h = max(0, x2 - x1), max(0, y2 - y1)
            attributes: dict[str, str] = {"review": d.review}
            if d.severity:
                attributes["severity"] = d.severity
            if d.review == "corrected" and d.model_said is not None:
                attributes["model_said"] = coco_name(*d.model_said)
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": image_id,
                    "category_id": ids[coco_name(d.category, d.status)],
                    "bbox": [x1, y1, w, h],
                    "area": w * h,
                    "iscrowd": 0,
                    "attributes": attributes,
                }
            )
    return {
        "info": {
            "description": "Site safety findings after review (safety-inspect)",
            "date_created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        },
        "licenses": [],
        "images": images,
        "annotations": annotations,
        "categories": [
            {"id": ids[name], "name": name, "supercategory": group}
            for name, group in COCO_CATEGORIES
        ],
    }
