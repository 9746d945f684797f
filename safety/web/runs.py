"""Run folders: where one run's marked photos, report and exports are written for download.

Each run gets its own folder under RUNS_ROOT; a browser session's folder goes when the
session ends (``remove_run``), and every new run sweeps folders older than RUN_TTL_SECONDS
and all but the newest KEEP_RUNS.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from ..annotate import font
from ..config import Settings
from ..demo import DEMO_MODEL
from ..detections import ImageResult
from ..exports import results_document, to_csv
from ..i18n import t
from ..limits import KEEP_RUNS, RUN_TTL_SECONDS
from ..prompts import DEFAULT_PROMPT
from ..summary import summarize, verdict_text
from .views import PhotoView, photo_caption, table_rows

log = logging.getLogger(__name__)

RUNS_ROOT = Path(tempfile.gettempdir()) / "safety-inspect-runs"


def sweep_runs(root: Path = RUNS_ROOT, ttl: float = RUN_TTL_SECONDS, keep: int = KEEP_RUNS) -> None:
    """Delete run folders older than ``ttl`` seconds, and all but the newest ``keep``."""
    try:
        dirs = sorted(
            (p for p in root.iterdir() if p.is_dir() and p.name.startswith("run-")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return
    now = time.time()
    for n, path in enumerate(dirs):
        try:
            if n >= keep or now - path.stat().st_mtime > ttl:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def new_run_dir(root: Path = RUNS_ROOT) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    sweep_runs(root)
    return Path(tempfile.mkdtemp(prefix="run-", dir=root))


def remove_run(state: Any) -> None:
    """delete_callback of the per-session state: the session's last run folder goes too."""
    if isinstance(state, dict) and state.get("dir"):
        path = Path(state["dir"])
        if path.parent == RUNS_ROOT:
            shutil.rmtree(path, ignore_errors=True)


def failed_placeholder(run_dir: Path, lang: str) -> str:
    path = run_dir / f"failed-{lang}.png"
    if not path.exists():
        img = Image.new("RGB", (480, 320), (248, 226, 226))
        draw = ImageDraw.Draw(img)
        draw.rectangle((0, 0, 479, 319), outline=(190, 30, 30), width=6)
        text = t("page.failed-tile", lang)
        draw.text((240, 160), text, fill=(160, 20, 20), font=font(44), anchor="mm")
        img.save(path)
    return str(path)


def make_view(result: ImageResult, run_dir: Path, total: int, lang: str) -> PhotoView:
    """Write the photo's marked image into the run folder and describe it for the page."""
    image = None
    if result.ok and result.marked_jpeg:
        path = run_dir / f"{result.index + 1:03d}_marked.jpg"
        path.write_bytes(result.marked_jpeg)
        image = str(path)
    elif not result.ok:
        image = failed_placeholder(run_dir, lang)
    return PhotoView(
        index=result.index,
        name=result.source,
        ok=result.ok,
        error=result.error,
        image=image,
        caption=photo_caption(result, total, lang),
        rows=table_rows(result, lang),
    )


@dataclass(frozen=True)
class ReportDetails:
    """What the "Inspection details" panel holds, for the report."""

    lang: str
    site: str = ""
    inspector: str = ""
    notes: str = ""
    prompt: str = ""
    # An anonymous visitor of a public page: the owner's endpoint, model and the model's raw
    # answers are withheld from what is downloaded.
    withhold: bool = False


def withheld(results: Sequence[ImageResult]) -> list[ImageResult]:
    """Copies without what a public page keeps from anonymous visitors: the model's raw
    answer (it would make the page a free proxy to the owner's model) and its name."""
    return [replace(r, raw_text=None, model=None) for r in results]


def results_json(
    results: Sequence[ImageResult], settings: Settings | None, lang: str, withhold: bool = False
) -> dict:
    ordered = sorted(results, key=lambda r: r.index)
    demo = settings is None
    if withhold:
        ordered = withheld(ordered)
    doc = results_document(
        ordered,
        endpoint=None if demo or withhold else settings.host,
        model=None if demo or withhold else settings.model,
    )
    if withhold:
        doc["withheld"] = "On a public page the endpoint, the model and raw answers are not shown."
    doc["mode"] = "demo" if demo else "live"
    doc["reference_labels"] = demo
    doc["verdict"] = verdict_text(summarize(ordered), lang)
    if demo:
        doc["note"] = (
            "Demo mode: these are stored reference labels (dataset labels or hand-drawn), not "
            "the answers of a live model."
        )
    return doc


def write_downloads(
    run_dir: Path,
    results: Sequence[ImageResult],
    settings: Settings | None,
    details: ReportDetails,
    warn=None,
) -> tuple[str | None, str, str]:
    """(pdf, json, csv) paths in the run folder; the PDF is None if it could not be made."""
    ordered = sorted(results, key=lambda r: r.index)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    lang = details.lang
    json_path = run_dir / f"inspection-{stamp}.json"
    json_path.write_text(
        json.dumps(
            results_json(ordered, settings, lang, details.withhold), ensure_ascii=False, indent=2
        ),
        encoding="utf-8",
    )
    csv_path = run_dir / f"inspection-{stamp}.csv"
    csv_path.write_text(to_csv(ordered), encoding="utf-8-sig")  # BOM: Excel reads UTF-8
    pdf_path: Path | None = run_dir / f"inspection-report-{stamp}.pdf"
    try:
        from ..report import ReportInfo, write_report

        hidden = details.withhold and settings is not None
        info = ReportInfo(
            site=details.site,
            inspector=details.inspector,
            notes=details.notes,
            lang=lang,
            endpoint="" if settings is None or hidden else settings.host,
            model=DEMO_MODEL if settings is None else t("page.own-endpoint", lang) if hidden
            else settings.model,
            prompt=details.prompt or DEFAULT_PROMPT,
            reference_labels=settings is None,
            raw_withheld=details.withhold,
        )  # fmt: skip
        write_report(pdf_path, withheld(ordered) if details.withhold else ordered, info)
    except Exception as exc:  # the exports must survive a report failure
        log.exception("report failed")
        if warn is not None:
            warn(t("page.report-failed", lang, kind=type(exc).__name__))
        pdf_path = None
    return (str(pdf_path) if pdf_path else None), str(json_path), str(csv_path)
