"""The inspect command's run: photos in, one results line per photo, the outputs at the end.

Every run writes its results to a journal as each photo finishes: ``--results FILE.jsonl``,
or a temporary one the run deletes when it ends. Nothing of a finished photo is kept in
memory but its display copy when a PDF report is asked for, so memory stays flat however
large the archive. The JSON, CSV and report are written from the journal at the end, and
can be written again later with ``python -m safety report FILE.jsonl``.

``--resume`` takes the journal an earlier run left (killed, interrupted, out of endpoints):
a photo whose line has no error and whose file still has the SHA-256 recorded is skipped
without a request; any other photo is inspected (again).
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..cost import run_cost
from ..detections import ImageResult
from ..errors import ConfigurationError, SafetyError
from ..i18n import t, t_n
from ..inspection import Inspector
from ..ledger.hook import open_for_run, record_inspect
from ..source import Source, as_source
from ..summary import verdict_text
from ..video import VideoResult, inspect_mixed, is_video
from ..video.frames import keep_best_frames
from ..video.options import estimate, options_from_args
from ..video.pipeline import file_sha256
from .journal import Journal
from .outputs import Outputs, write_outputs
from .progress import Progress, wants_bar
from .sources import Shard, check_inputs, numbered, photo_names

# The pool's error kind when every endpoint failed (safety.backends.pool): the run stops there.
ENDPOINTS_DOWN = "endpoints down"


@dataclass(frozen=True)
class RunOptions:
    """What the inspect command asks of a run: the photos (files, folders, URLs; ``glob``
    picks in folders; ``shard`` "K/N" takes every N-th), where marked photos go (``out``),
    the results journal to keep (``results``) or carry on (``resume``), the outputs, and
    whether to print a line per photo (not when ``quiet``)."""

    photos: tuple[str, ...]
    outputs: Outputs = field(default_factory=Outputs)
    out: str | None = None
    glob: str | None = None
    results: str | None = None
    resume: bool = False
    shard: str | None = None
    quiet: bool = False
    # The hazard ledger (safety.ledger.hook): skip it, or the site to record the run under.
    no_ledger: bool = False
    site_name: str | None = None
    # Videos among the inputs (safety/video/): the flags as given, checked by
    # safety.video.options.options_from_args.
    fps: str | None = None
    max_frames: str | None = None


def marked_name(index: int, source: str) -> str:
    stem = Path(source.split("?")[0].rstrip("/")).stem or "photo"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)[:60]
    return f"{index + 1:03d}_{safe}_marked.jpg"


class _Inputs:
    """The photos to inspect, lazily: those an earlier run finished (same file) are skipped.
    ``position[i]`` is the input position of the i-th photo handed to the inspector."""

    def __init__(self, names: Iterable[tuple[int, str]], journal: Journal, inspector: Inspector):
        self.names, self.journal, self.reader = names, journal, inspector.reader
        self.position: dict[int, int] = {}
        self.skipped = 0

    def _unchanged(self, name: str, sha: str | None) -> tuple[bool, bytes | None]:
        """(done already, the file's bytes when they were read to tell)."""
        if is_video(name):  # read in chunks: a video may be gigabytes
            try:
                return sha is None or file_sha256(name) == sha, None
            except OSError:
                return True, None
        try:
            data = self.reader(as_source(name))
        except SafetyError:
            return True, None  # gone or unreadable now: the earlier result stands
        return sha is None or hashlib.sha256(data).hexdigest() == sha, data

    def __iter__(self) -> Iterator[str | Source]:
        handed = 0
        for position, name in self.names:
            item: str | Source = name
            sha = self.journal.finished(name)
            if sha is not False:
                done, data = self._unchanged(name, sha)
                if done:
                    self.skipped += 1
                    continue
                if data is not None:  # changed since: inspected again, read once
                    item = Source(name, data=data)
            self.position[handed] = position
            handed += 1
            yield item


def run_inspect(
    opts: RunOptions,
    settings,
    inspector: Inspector,
    lang: str,
    *,
    rules=None,
    profile=None,
    on_result: Callable[[ImageResult], object] | None = None,
):
    """Inspect every photo ``opts`` names; write the outputs; the exit status.
    ``on_result`` sees each result as it finishes, marked photo included (alerts)."""
    if opts.resume and not opts.results:
        raise ConfigurationError(t("archive.resume-needs-results", lang))
    check_inputs(opts.photos, lang)
    options_from_args(opts, lang)  # a bad --fps or --max-frames stops here, nothing written
    ledger = open_for_run(opts)  # the hazard ledger (--no-ledger: None); a bad one stops here
    shard = Shard.parse(opts.shard, lang) if opts.shard else None
    out_dir = Path(opts.out) if opts.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    temporary = None
    if not opts.results:
        # Nobody asked to keep the results: a journal of our own keeps memory flat all
        # the same, and goes when the run ends.
        temporary = Path(tempfile.mkdtemp(prefix="safety-run-")) / "results.jsonl"
    journal_path = Path(opts.results or temporary)
    json_to_stdout = opts.outputs.json == "-"
    out = sys.stderr if json_to_stdout else sys.stdout
    try:
        with Journal(journal_path, resume=opts.resume, lang=lang) as journal:
            if journal.repaired:
                say = t_n("archive.repaired", journal.repaired, lang, path=journal_path)
                print(say, file=sys.stderr)
            if journal.retried:
                print(t_n("archive.retrying", journal.retried, lang), file=sys.stderr)
            others = journal.models - {settings.model}
            if others:
                print(t("archive.other-model", lang, path=journal_path,
                        models=", ".join(sorted(others)), model=settings.model),
                      file=sys.stderr)  # fmt: skip
            if not opts.quiet:  # videos: the frames and their cost, before any is spent
                names = (n for n in photo_names(opts.photos, opts.glob, shard)
                         if n not in journal.done)  # fmt: skip
                line = estimate(names, settings, options_from_args(opts, lang), lang)
                if line:
                    print(line, file=sys.stderr)
            stopped = _inspect_all(opts, inspector, journal, shard, out_dir, out, lang, on_result)
        meta = {"endpoint": settings.host, "model": settings.model, "prompt": settings.prompt}
        summary = write_outputs(
            journal_path, opts.outputs, lang, meta, kept=stopped.kept, rules=rules, profile=profile
        )
        record_inspect(
            ledger, opts, journal_path, settings, lang, rules=rules, profile=profile, out=out
        )
        if not opts.quiet:
            from .outputs import results_from

            print(run_cost(results_from(journal_path), settings.model, lang), file=out)
            print(verdict_text(summary, lang), file=out)
        if stopped.skipped:
            print(t_n("archive.skipped", stopped.skipped, lang), file=sys.stderr)
        if stopped.why:
            print(t("archive.stopped", lang), file=sys.stderr)
            _resume_hint(opts, lang)
        return 1 if summary.failed or stopped.why else 0
    except KeyboardInterrupt:
        _resume_hint(opts, lang)
        raise
    finally:
        if temporary:
            temporary.unlink(missing_ok=True)
            temporary.parent.rmdir()


def _resume_hint(opts: RunOptions, lang: str) -> None:
    """How to carry on a run that did not reach its end."""
    if opts.results:
        print(t("archive.resume-hint", lang, path=opts.results), file=sys.stderr)
    else:
        print(t("archive.nothing-kept", lang), file=sys.stderr)


class _Ended:
    def __init__(self, kept, skipped: int, why: str | None):
        self.kept, self.skipped, self.why = kept, skipped, why


def _inspect_all(
    opts: RunOptions, inspector, journal, shard, out_dir, out, lang, on_result=None
) -> _Ended:
    inputs = _Inputs(numbered(opts.photos, opts.glob, shard), journal, inspector)
    progress = Progress(lang, bar=wants_bar(opts.quiet, opts.outputs.json == "-"), out=out)
    earlier = frozenset(journal.done)  # the count below must not see this run's photos
    progress.count_in_background(
        lambda: sum(1 for n in photo_names(opts.photos, opts.glob, shard) if n not in earlier)
    )
    kept: dict | None = {} if opts.outputs.report else None
    why = None
    try:
        options = options_from_args(opts, lang)  # videos among the inputs: safety/video/
        concurrency = inspector.settings.concurrency
        for r in inspect_mixed(inspector, inputs, options=options, concurrency=concurrency,
                               lang=lang):  # fmt: skip
            r.index = inputs.position.pop(r.index)
            if on_result is not None:
                on_result(r)
            _keep_images(r, out_dir, kept)
            journal.write(r)
            progress.advance(not r.ok)
            _say(r, progress, opts.quiet, lang)
            if r.error_kind == ENDPOINTS_DOWN:
                why = r.error  # every endpoint failed: the rest waits for --resume
                break
    finally:
        progress.close()
        inspector.close()
    return _Ended(kept, inputs.skipped, why)


def _keep_images(r: ImageResult, out_dir: Path | None, kept: dict | None) -> None:
    """Write the marked photo, keep the report's copy, and drop the rest: memory stays flat."""
    if isinstance(r, VideoResult):
        keep_best_frames(r, out_dir, kept, marked_name(r.index, r.source))
        return
    if out_dir and r.ok and r.marked_jpeg:
        (out_dir / marked_name(r.index, r.source)).write_bytes(r.marked_jpeg)
    if kept is not None and r.ok:
        kept[r.source] = (r.photo_jpeg, r.preview_jpeg, r.marked_jpeg)
    r.marked_jpeg = r.preview_jpeg = r.photo_jpeg = None


def _say(r: ImageResult, progress: Progress, quiet: bool, lang: str) -> None:
    from ..summary import summarize

    if not r.ok:
        progress.say(t("cli.error", lang, source=r.source, error=r.error), err=True)
        return
    if not quiet and not progress.has_bar:
        verdict = verdict_text(summarize([r]), lang)
        n, total = progress.position()
        progress.say(t("cli.photo-line", lang, n=n, total=total, source=r.source, verdict=verdict))
    for note in progress.new_notes(r.notes):
        progress.say(t("cli.note", lang, note=note), err=True)
