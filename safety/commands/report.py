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
import hashlib
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..config import AppConfig
from ..detections import ImageResult
from ..errors import InputError
from ..exports import file_name, results_document, to_coco, to_csv
from ..i18n import t, t_n
from ..images import DISPLAY_MAX_SIDE, encode_jpeg, fit_within, load_image
from ..inspection import PREVIEW_MAX_SIDE
from ..privacy import add_privacy_args, blur_result
from ..results_io import Results, ResultsError, load_results
from ..site_profile import add_site_args, site_from_args
from ..source import is_url
from ..summary import summarize, verdict_text
from ..video.frames import attach_best_frames
from ..video.result import VideoResult
from .args import add_report_identity

# Files looked at in --photos DIR (and below it).
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"})


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
    add_privacy_args(privacy, lang, sending=False)
    add_site_args(privacy, lang)


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


class PhotoFinder:
    """Where a result's photo is: at its source path, else in a folder by SHA-256 or name.
    A photo whose SHA-256 differs from the one the results recorded is not the photo."""

    def __init__(self, folder: Path | None, base: Path):
        self.folder = folder
        self.base = base  # the results JSON's folder: a relative source may be relative to it
        self._files: list[Path] | None = None
        self._hashes: dict[str, Path] | None = None

    def files(self) -> list[Path]:
        if self._files is None:
            self._files = []
            if self.folder is not None:
                for root, dirs, names in os.walk(self.folder):
                    dirs.sort()
                    for name in sorted(names):
                        if Path(name).suffix.lower() in PHOTO_SUFFIXES:
                            self._files.append(Path(root, name))
        return self._files

    def by_sha256(self, sha: str) -> Path | None:
        if self._hashes is None:
            self._hashes = {}
            for path in self.files():
                digest = _sha256(path)
                if digest:
                    self._hashes.setdefault(digest, path)
        return self._hashes.get(sha)

    def candidates(self, source: str) -> list[Path]:
        """Files that may be the photo: its source path, then files of its name in the folder."""
        paths: list[Path] = []
        if source and not is_url(source):
            given = Path(source)
            paths += [given] if given.is_absolute() else [given, self.base / given]
        name = file_name(source)
        paths += [path for path in self.files() if path.name == name]
        seen, out = set(), []
        for path in paths:
            key = os.path.realpath(path)
            if key not in seen and path.is_file():
                seen.add(key)
                out.append(path)
        return out

    def find(self, r: ImageResult, where: str, lang: str) -> Path | str:
        """The photo's path, or the problem (one line) when it is not found."""
        differs: list[Path] = []
        for path in self.candidates(r.source):
            if r.sha256 is None or _sha256(path) == r.sha256:
                return path
            differs.append(path)
        if r.sha256 and self.folder is not None:
            found = self.by_sha256(r.sha256)
            if found is not None:
                return found
        if differs:
            return t("cli.photo-differs", lang, where=where, path=differs[0])
        if self.folder is not None:
            return t("cli.photo-not-in-dir", lang, where=where, dir=self.folder)
        return t("cli.photo-not-found", lang, where=where)


def attach_photo(r: ImageResult, path: Path, where: str, lang: str) -> str | None:
    """Decode the photo and keep its unmarked display copy and preview on the result (the
    report draws the marks); the problem, as one line, when it cannot be used."""
    try:
        loaded = load_image(path.read_bytes())
    except OSError as exc:
        return t("cli.photo-unreadable", lang, where=where, path=path, error=exc.strerror or exc)
    except InputError as exc:
        return t("cli.photo-unreadable", lang, where=where, path=path, error=exc)
    if (loaded.orig_w, loaded.orig_h) != (r.width, r.height):
        return t("cli.photo-size", lang, where=where, path=path, w=loaded.orig_w,
                 h=loaded.orig_h, rw=r.width, rh=r.height)  # fmt: skip
    display = fit_within(loaded.image, DISPLAY_MAX_SIDE)
    r.photo_jpeg = encode_jpeg(display, quality=85)
    r.preview_jpeg = encode_jpeg(fit_within(display, PREVIEW_MAX_SIDE), quality=80)
    r.marked_jpeg = None  # the report draws the marks as they stand now
    r.sha256 = r.sha256 or loaded.sha256
    if r.file_bytes is None:
        r.file_bytes = loaded.file_bytes
    return None


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
    temps: list[Path] = []
    path = None
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temps.append(tmp)
            tmp.write_bytes(data)
        for (path, _), tmp in zip(files, temps):
            os.replace(tmp, path)
    except OSError as exc:
        return t("cli.cannot-write", lang, path=path, why=exc.strerror or exc)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    return None


def _outputs(args, lang: str) -> tuple[list[tuple[str, Path]], list[str]]:
    """(kind, path) of every output asked for, and a problem for a path named twice."""
    wanted = [("pdf", args.report), ("json", args.json), ("csv", args.csv), ("coco", args.coco)]
    outputs = [(kind, Path(p)) for kind, p in wanted if p]
    problems, seen = [], set()
    for _, path in outputs:
        key = os.path.realpath(path)
        if key in seen:
            problems.append(t("cli.same-output", lang, path=path))
        seen.add(key)
    return outputs, problems


def render(results: Results, args, lang: str, rules_dir=None, kinds=None) -> dict[str, bytes]:
    """The bytes of each output of ``kinds`` (default: all), by kind; nothing is written."""
    import json

    from ..report import ReportInfo, build_report

    images, meta = results.images, results.meta
    profile, rules = site_from_args(args, rules_dir)
    if rules is not None:  # findings read back with their actions keep them
        from ..rules import apply_rules

        apply_rules(images, rules, lang)
    makers: dict[str, Callable[[], bytes]] = {
        "csv": lambda: to_csv(images).encode("utf-8"),
        "coco": lambda: json.dumps(to_coco(images), ensure_ascii=False, indent=1).encode(),
    }

    def json_doc() -> bytes:
        doc = results_document(
            images, endpoint=meta.get("endpoint"), model=meta.get("model"), review=results.review
        )
        for key in ("mode", "reference_labels"):  # what the page said of its run, kept
            if meta.get(key) is not None:
                doc[key] = meta[key]
        return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")

    def pdf() -> bytes:
        info = ReportInfo(
            site=args.site or (profile.name if profile else ""),
            inspector=args.inspector,
            notes=args.notes,
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


def cmd_report(args: argparse.Namespace, _config: AppConfig) -> int:
    lang = args.lang
    outputs, problems = _outputs(args, lang)
    if not outputs:
        problems.append(t("cli.no-output", lang))
    folder = Path(args.photos) if args.photos else None
    if folder is not None and not folder.is_dir():
        problems.append(t("cli.photos-dir-missing", lang, dir=folder))
    if problems:
        return _fail(problems, lang)
    try:
        results = load_results(args.results)
    except ResultsError as exc:
        return _fail(exc.problems, lang)
    base = Path(args.results).resolve().parent
    if args.report:  # only the PDF shows the photos
        problems = attach_photos(results, folder, base, lang, blur=args.blur_faces)
        if problems:
            return _fail(problems, lang)
    rendered = render(results, args, lang, _config.rules_dir, [kind for kind, _ in outputs])
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
