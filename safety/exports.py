"""JSON and CSV of all detections. Model text is data: written as text, never as markup or
as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from .detections import ImageResult
from .review import Review
from .summary import summarize

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
)


def results_document(
    results: Sequence[ImageResult],
    *,
    endpoint: str | None = None,
    model: str | None = None,
    review: Review | None = None,
) -> dict:
    ordered = sorted(results, key=lambda r: r.index)
    doc = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "endpoint": endpoint,  # scheme://host:port only, never a key
        "model": model,
        "summary": summarize(ordered).to_dict(),
        "images": [r.to_dict() for r in ordered],
    }
    if review is not None:
        doc["review"] = review.to_dict()
    return doc


def to_json(results: Sequence[ImageResult], **meta) -> str:
    return json.dumps(results_document(results, **meta), ensure_ascii=False, indent=2)


def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text: no formula from a model's label."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(results: Sequence[ImageResult]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in sorted(results, key=lambda r: r.index):
        base = [r.index + 1, r.source, r.width, r.height]
        if not r.ok or not r.detections:
            writer.writerow([_cell(v) for v in base + [""] * 10] + [_cell(r.error or "")])
            continue
        for n, d in enumerate(r.detections, start=1):
            x1, y1, x2, y2 = d.rounded_box()
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
            ]
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def write_text(path: str | Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
