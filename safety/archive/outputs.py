"""JSON, CSV and the PDF report of a run, written from its results JSONL (the journal).

    results_from(journal, rules=None, lang="en") -> Iterator[ImageResult]
    Outputs                   which files to write, and the report's cover
    write_outputs(journal, outputs, lang, meta, kept=None, rules=None, profile=None) -> Summary

The JSON and the CSV are streamed from the journal photo by photo, so writing them for an
archive of 100,000 photos takes as little memory as for ten. The PDF holds a display-sized
copy of every photo it shows (it is a document of them all): for an archive, write a report
per site or per day with ``python -m safety report`` on a part of the results.

Every file is written beside its place and renamed into it when complete (``-`` for the
JSON means standard output): a reader never sees half a file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..detections import ImageResult
from ..exports import write_csv
from ..files import replacing
from ..i18n import t
from ..results_io import ResultsError, document_head, read_image, write_document
from ..summary import Summary, summarize
from ..video.frames import attach_best_frames
from ..video.result import VideoResult
from .journal import read_entries


@dataclass(frozen=True)
class Outputs:
    """The files a run writes (None: not asked for; ``-`` for the JSON: standard output) and
    who the PDF report names on its cover."""

    json: str | None = None
    csv: str | None = None
    report: str | None = None
    site: str = ""
    inspector: str = ""
    notes: str = ""


def results_from(journal: str | Path, rules=None, lang: str = "en") -> Iterator[ImageResult]:
    """Each photo's result, in input order, with the rules' clauses and actions applied."""
    problems: list[str] = []
    for position, item in enumerate(read_entries(journal)):
        result = read_image(item, position, problems)
        if result is None:
            raise ResultsError([f"{journal}: {problem}" for problem in problems])
        if rules is not None:
            from ..rules import apply_rules

            apply_rules([result], rules, lang)
        yield result


@contextmanager
def _replacing(path: str | Path):
    """A text file written beside ``path`` and renamed over it when the block ends well;
    ``-`` is standard output."""
    if str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with replacing(path, "w", newline="") as f:
        yield f


def write_json(path: str | Path, journal: Path, meta: Mapping, summary: Summary, rules, lang):
    """The results document (safety.results_io), written one photo at a time."""
    head = document_head(summary, endpoint=meta.get("endpoint"), model=meta.get("model"))
    with _replacing(path) as out:
        write_document(out, head, results_from(journal, rules, lang))


def _with_photos(results: list[ImageResult], kept: Mapping | None, lang: str) -> list[str]:
    """Give each result read its display copy: this run's own, else the photo found again
    on disk (a photo inspected by an earlier run that was resumed). The notes for photos
    that cannot be shown."""
    from .photos import PhotoFinder, attach_photo

    finder = PhotoFinder(None, Path.cwd())
    missing = []
    for r in results:
        if not r.ok:
            continue
        if isinstance(r, VideoResult):  # its events' best frames (safety.video.frames)
            if not attach_best_frames(r, kept) and r.events:
                where = t("cli.where", lang, n=r.index + 1, source=r.source)
                missing.append(t("video.no-frames-for-report", lang, where=where))
            continue
        images = (kept or {}).get(r.source)
        if images is not None:
            r.photo_jpeg, r.preview_jpeg, r.marked_jpeg = images
            continue
        where = t("cli.where", lang, n=r.index + 1, source=r.source)
        found = finder.find(r, where, lang)
        problem = found if isinstance(found, str) else attach_photo(r, found, where, lang)
        if problem:
            missing.append(problem)
    return missing


def write_outputs(
    journal: str | Path,
    outputs: Outputs,
    lang: str,
    meta: Mapping,
    *,
    kept: Mapping | None = None,
    rules=None,
    profile=None,
) -> Summary:
    """Write what ``outputs`` asks for (JSON, CSV, PDF report) from the journal; the
    run's summary (every photo in the journal, this run's and earlier ones')."""
    journal = Path(journal)
    summary = summarize(results_from(journal, rules, lang))
    if outputs.json:
        write_json(outputs.json, journal, meta, summary, rules, lang)
    if outputs.csv:
        with _replacing(outputs.csv) as out:
            write_csv(out, results_from(journal, rules, lang))
    if outputs.report:
        from ..report import ReportInfo, write_report

        results = list(results_from(journal, rules, lang))
        for problem in _with_photos(results, kept, lang):
            print(t("archive.no-photo", lang, problem=problem), file=sys.stderr)
        info = ReportInfo(
            site=outputs.site or (profile.name if profile else ""),
            inspector=outputs.inspector,
            notes=outputs.notes,
            lang=lang,
            endpoint=str(meta.get("endpoint") or ""),
            model=str(meta.get("model") or ""),
            prompt=str(meta.get("prompt") or ""),
            site_profile=profile,
            rules=rules,
        )
        write_report(outputs.report, results, info)
    return summary
