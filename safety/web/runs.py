"""A run's downloads (marked photos, report, exports) and meta, written into its folder
(safety.web.runfolders: where folders are, whose they are, when they go)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from ..annotate import font
from ..backends.demo import DEMO_MODEL
from ..config import Settings
from ..detections import ImageResult
from ..exports import to_coco, to_csv
from ..files import write_atomic
from ..i18n import t
from ..prompts import DEFAULT_PROMPT
from ..results_io import results_document, to_json
from ..review import Review
from ..withhold import withheld
from .views import PhotoView, photo_caption, table_rows

log = logging.getLogger(__name__)


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
        standing=len(result.standing),
    )


@dataclass(frozen=True)
class RunMeta:
    """What a run's outputs say about how it was made (kept in its results.json)."""

    endpoint: str | None  # scheme://host:port, never a path or key
    model: str | None
    demo: bool
    prompt: str = ""
    # An anonymous visitor of a public page: the owner's endpoint, model and the model's raw
    # answers are withheld from what is downloaded.
    withhold: bool = False
    site: dict | None = None  # the run's site profile (safety.site_profile), for every report of it
    rules: str | None = None  # the jurisdiction whose rules the findings were read against

    @classmethod
    def of(cls, settings: Settings | None, withhold: bool = False) -> RunMeta:
        if settings is None:
            return cls(None, None, True, DEFAULT_PROMPT, withhold)
        return cls(settings.host, settings.model, False, settings.prompt, withhold)

    def to_dict(self) -> dict:
        return asdict(self)

    def document(self, lang: str, review: Review | None = None) -> dict:
        """What the run's results document says of it (safety.results_io.document_head)."""
        return {
            "endpoint": self.endpoint,
            "model": self.model,
            "review": review,
            "withhold": self.withhold,
            "demo": self.demo,
            "verdict_lang": lang,
        }

    @classmethod
    def from_dict(cls, data: dict) -> RunMeta:
        keys = ("endpoint", "model", "demo", "prompt", "withhold", "site", "rules")
        return cls(**{k: data.get(k) for k in keys})


@dataclass(frozen=True)
class ReportDetails:
    """What the "Inspection details" panel holds, for the report."""

    lang: str
    site: str = ""
    inspector: str = ""
    notes: str = ""
    site_profile: Any = None  # safety.site_profile.SiteProfile: shown on page 1
    rules: Any = None  # safety.rules.Rules: the clauses the findings were read against


@dataclass(frozen=True)
class Downloads:
    pdf: str | None  # None when the report could not be written (the rest still are)
    json: str
    csv: str
    coco: str


def results_json(
    results: Sequence[ImageResult], meta: RunMeta, lang: str, review: Review | None = None
) -> dict:
    """The run's results document (safety.results_io), as the page's API returns it."""
    return results_document(results, **meta.document(lang, review))


def write_downloads(
    run_dir: Path,
    results: Sequence[ImageResult],
    meta: RunMeta,
    details: ReportDetails,
    review: Review | None = None,
    warn=None,
) -> Downloads:
    """Every download of a run, in its folder; the PDF is None if it could not be made."""
    ordered = sorted(results, key=lambda r: r.index)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    lang = details.lang
    json_path = run_dir / f"inspection-{stamp}.json"
    write_atomic(json_path, to_json(ordered, **meta.document(lang, review)))
    csv_path = run_dir / f"inspection-{stamp}.csv"
    csv_path.write_text(to_csv(ordered), encoding="utf-8-sig")  # BOM: Excel reads UTF-8
    coco_path = run_dir / f"inspection-{stamp}-coco.json"
    coco_path.write_text(json.dumps(to_coco(ordered), ensure_ascii=False), encoding="utf-8")
    pdf_path: Path | None = run_dir / f"inspection-report-{stamp}.pdf"
    try:
        from ..report import ReportInfo, write_report

        hidden = meta.withhold and not meta.demo
        info = ReportInfo(
            site=details.site,
            inspector=details.inspector,
            notes=details.notes,
            lang=lang,
            endpoint="" if meta.demo or hidden else meta.endpoint or "",
            model=DEMO_MODEL if meta.demo else t("page.own-endpoint", lang) if hidden
            else meta.model or "",
            prompt=meta.prompt or DEFAULT_PROMPT,
            reference_labels=meta.demo,
            raw_withheld=meta.withhold,
            review=review,
            site_profile=details.site_profile,
            rules=details.rules,
        )  # fmt: skip
        shown = withheld(ordered, meta.endpoint, meta.model) if meta.withhold else ordered
        write_report(pdf_path, shown, info)
    except Exception as exc:  # the exports must survive a report failure
        log.exception("report failed")
        if warn is not None:
            warn(t("page.report-failed", lang, kind=type(exc).__name__))
        pdf_path = None
    return Downloads(str(pdf_path) if pdf_path else None, str(json_path), str(csv_path),
                     str(coco_path))  # fmt: skip
