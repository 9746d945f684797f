"""python -m safety report RESULTS.json --report OUT.pdf [--json] [--csv] [--coco] [--photos DIR]

Every output drawn again from a results JSON: one reviewed in the browser, edited by hand or
written by another tool (``results_io.load_results``). Each photo is found at its ``source``
path (as given, or beside the JSON), else in ``--photos DIR``: by SHA-256 when the results
have it, else by file name. The photo is decoded and an unmarked display copy kept, so the
report draws the marks as the findings stand after review.

Nothing half-done: a problem in the JSON, a photo not found or not the one inspected, an
output named twice, a file that cannot be written, is one line on stderr naming the photo
and the field (``error: ...``), exit status 2, and no output is written. Every output is
first written to a temporary file in its folder and renamed into place only when all were.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..archive.photos import PhotoFinder, attach_photo
from ..config import AppConfig
from ..detections import ImageResult
from ..exports import to_coco, to_csv
from ..files import write_together
from ..i18n import t, t_n
from ..inspection import PREVIEW_MAX_SIDE
from ..privacy import blur_result
from ..results_io import Results, ResultsError, load_results, to_json
from ..site_profile import load_site
from ..summary import summarize, verdict_text
from ..video.frames import attach_best_frames
from ..video.result import VideoResult
from .args import add_privacy_args, add_report_identity, add_site_args, pick


def add_report_parser(sub, lang: str) -> None:
    """The ``report`` subcommand's flags (registered by safety.commands.cli)."""
    rep = sub.add_parser(
        "report",
        help=t("cli.rerender", lang),
        description=t("cli.rerender.description", lang),
    )
    rep.add_argument("results", metavar="RESULTS.json", help=t("cli.results", lang))
    out = rep.add_argument_group(t("cli.group.output", lang))
    out.add_argument("--report", metavar="FILE.pdf", help=t("cli.report-out", lang))
    out.add_argument("--json", metavar="FILE", help=t("cli.json-out", lang))
    out.add_argument("--csv", metavar="FILE", help=t("cli.csv", lang))
    out.add_argument("--coco", metavar="FILE", help=t("cli.coco", lang))
    add_report_identity(out, lang)  # --lang --site --inspector --notes
    rep.add_argument("--photos", metavar="DIR", help=t("cli.photos-dir", lang))
    privacy = rep.add_argument_group(t("cli.group.privacy", lang))
    add_privacy_args(privacy, lang, before_send=False)  # --blur-faces
    add_site_args(privacy, lang)  # --site-profile --rules


@dataclass(frozen=True)
class ReportOptions:
    """``report``'s flags, read at the door."""

    results: str
    report: str | None = None
    json: str | None = None
    csv: str | None = None
    coco: str | None = None
    lang: str = "en"
    site: str = ""
    inspector: str = ""
    notes: str = ""
    photos: str | None = None
    blur_faces: bool = False
    site_profile: str | None = None
    rules: str | None = None

    @classmethod
    def read(cls, args: argparse.Namespace) -> ReportOptions:
        return pick(cls, args)


def attach_photos(
    results: Results, folder: Path | None, base: Path, lang: str, blur: bool = False
) -> list[str]:
    """Find and decode the photo of every result that was read; the problems, one line each.
    ``blur``: faces (and the head of every person box) blurred in the copies kept."""
    finder = PhotoFinder(folder, base)
    jobs: list[tuple[ImageResult, Path, str]] = []
    problems: list[str] = []
    for r in results.images:
        if not r.ok:
            continue  # a failed photo is shown by its error; nothing to mark
        where = t("cli.where", lang, n=r.index + 1, source=r.source)
        if isinstance(r, VideoResult):  # its events' best frames, decoded again by time
            if not attach_best_frames(r, None):
                problems.append(t("video.no-frames-for-report", lang, where=where))
            continue
        found = finder.find(r, where, lang)
        if isinstance(found, str):
            problems.append(found)
        else:
            jobs.append((r, found, where))
    if problems:
        return problems
    workers = max(1, min(4, os.cpu_count() or 1, len(jobs)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rerender") as pool:
        done = pool.map(lambda job: attach_photo(*job, lang), jobs)
        problems = [problem for problem in done if problem]
        if blur and not problems:
            list(pool.map(lambda job: blur_result(job[0], lang, PREVIEW_MAX_SIDE), jobs))
        return problems


def write_all(files: list[tuple[Path, bytes]], lang: str) -> str | None:
    """Write every file, or none: each to a temporary file in its folder, renamed into place
    when all were written. The problem, as one line, when one could not be."""
    try:
        write_together(files)
    except OSError as exc:
        return t("cli.cannot-write", lang, path=exc.filename, why=exc.strerror or exc)
    return None


def _outputs(opts: ReportOptions, lang: str) -> tuple[list[tuple[str, Path]], list[str]]:
    """(kind, path) of every output asked for, and a problem for a path named twice."""
    wanted = [("pdf", opts.report), ("json", opts.json), ("csv", opts.csv), ("coco", opts.coco)]
    outputs = [(kind, Path(p)) for kind, p in wanted if p]
    problems, seen = [], set()
    for _, path in outputs:
        key = os.path.realpath(path)
        if key in seen:
            problems.append(t("cli.same-output", lang, path=path))
        seen.add(key)
    return outputs, problems


def render(
    results: Results, opts: ReportOptions, lang: str, rules_dir=None, kinds=None
) -> dict[str, bytes]:
    """The bytes of each output of ``kinds`` (default: all), by kind; nothing is written."""
    import json

    from ..report import ReportInfo, build_report

    images, meta = results.images, results.meta
    profile, rules = load_site(opts.site_profile, opts.rules, rules_dir)
    if rules is not None:  # findings read back with their actions keep them
        from ..rules import apply_rules

        apply_rules(images, rules, lang)
    makers: dict[str, Callable[[], bytes]] = {
        "csv": lambda: to_csv(images).encode("utf-8"),
        "coco": lambda: json.dumps(to_coco(images), ensure_ascii=False, indent=1).encode(),
    }

    def json_doc() -> bytes:
        return to_json(
            images, endpoint=meta.get("endpoint"), model=meta.get("model"), review=results.review,
            # what the page said of its run, kept
            mode=meta.get("mode"), reference_labels=meta.get("reference_labels"),
        ).encode("utf-8")  # fmt: skip

    def pdf() -> bytes:
        info = ReportInfo(
            site=opts.site or (profile.name if profile else ""),
            inspector=opts.inspector,
            notes=opts.notes,
            lang=lang,
            endpoint=str(meta.get("endpoint") or ""),
            model=str(meta.get("model") or ""),
            reference_labels=bool(meta.get("reference_labels")),
            review=results.review,
            site_profile=profile,
            rules=rules,
        )
        return build_report(images, info)

    makers |= {"json": json_doc, "pdf": pdf}
    return {kind: make() for kind, make in makers.items() if kinds is None or kind in kinds}


def _fail(problems: list[str], lang: str) -> int:
    for problem in problems:
        print(t("cli.fatal", lang, error=problem), file=sys.stderr)
    return 2


def cmd_report(args: argparse.Namespace, config: AppConfig) -> int:
    return report(ReportOptions.read(args), config)


def report(opts: ReportOptions, config: AppConfig) -> int:
    lang = opts.lang
    outputs, problems = _outputs(opts, lang)
    if not outputs:
        problems.append(t("cli.no-output", lang))
    folder = Path(opts.photos) if opts.photos else None
    if folder is not None and not folder.is_dir():
        problems.append(t("cli.photos-dir-missing", lang, dir=folder))
    if problems:
        return _fail(problems, lang)
    try:
        results = load_results(opts.results)
    except ResultsError as exc:
        return _fail(exc.problems, lang)
    base = Path(opts.results).resolve().parent
    if opts.report:  # only the PDF shows the photos
        problems = attach_photos(results, folder, base, lang, blur=opts.blur_faces)
        if problems:
            return _fail(problems, lang)
    rendered = render(results, opts, lang, config.rules_dir, [kind for kind, _ in outputs])
    problem = write_all([(path, rendered[kind]) for kind, path in outputs], lang)
    if problem:
        return _fail([problem], lang)
    summary = summarize(results.images)
    print(verdict_text(summary, lang))
    if summary.unreviewed:
        print(t_n("cli.draft", summary.unreviewed, lang))
    elif results.review is not None:
        from ..report.text import format_iso

        by = results.review.by or "?"
        print(t("cli.reviewed-by", lang, by=by, time=format_iso(results.review.at)))
    return 0
