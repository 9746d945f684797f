"""python -m safety batch prepare | collect: the Batch API's two steps on the command line.

    add_batch_parser(sub, lang)   the ``batch`` subcommand and its two steps' flags
    cmd_batch(args, config)       read the step's flags (PrepareOptions, CollectOptions) and
                                  run it (batch_prepare, batch_collect); the exit status

prepare: 0 when every photo was framed into a request, 1 when any photo could not be (one
``error: SOURCE: message`` line each; it is recorded and will be that photo's error), 2 for a
configuration problem (``--detail tiles``, a folder that is not empty, no photos...).
collect: 0 when every photo's answer was read, 1 when any photo failed (one line each), 2
when the folder is no batch or an output file cannot be read. Every line comes from the word
catalogue (``safety.i18n.batch``) in the language of ``--lang``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..archive.journal import Journal
from ..archive.outputs import Outputs, write_outputs
from ..archive.sources import Shard, check_inputs, photo_names
from ..batch_api.collect import PhotosAt, Warnings, collect, index_outputs, load_batch
from ..batch_api.prepare import (
    MB,
    PROVIDER_TITLES,
    PROVIDERS,
    RESULTS,
    Job,
    batch_plan,
    check_out_dir,
    default_provider,
    limits_for,
    prepare,
)
from ..config import KEY_VARS, AppConfig
from ..errors import ConfigurationError
from ..i18n import LANGS, t
from ..passes.detail import effective_settings
from ..privacy import make_privacy
from ..site_profile import load_profile, load_site, with_site
from ..summary import verdict_text
from .args import (
    EndpointOptions,
    add_endpoint_args,
    add_outputs,
    add_privacy_args,
    add_request_args,
    add_site_args,
    outputs_from,
    pick,
)


@dataclass(frozen=True)
class PrepareOptions:
    """``batch prepare``'s flags, read at the door."""

    photos: tuple[str, ...]
    out: str
    endpoint: EndpointOptions = field(default_factory=EndpointOptions)
    force: bool = False
    glob: str | None = None
    shard: str | None = None
    lang: str = "en"
    provider: str | None = None
    max_requests: int | None = None
    max_file_mb: float | None = None
    blur_before_send: bool = False
    site_profile: str | None = None

    @classmethod
    def read(cls, args: argparse.Namespace) -> PrepareOptions:
        return pick(cls, args, endpoint=EndpointOptions.read(args))


@dataclass(frozen=True)
class CollectOptions:
    """``batch collect``'s flags, read at the door."""

    folder: str
    outputs: tuple[str, ...]
    written: Outputs = field(default_factory=Outputs)  # --json --csv --report and the cover
    results: str | None = None
    quiet: bool = False
    lang: str = "en"
    blur_faces: bool = False
    site_profile: str | None = None
    rules: str | None = None

    @classmethod
    def read(cls, args: argparse.Namespace) -> CollectOptions:
        return pick(cls, args, written=outputs_from(args))


def add_batch_parser(sub, lang: str) -> None:
    """``batch prepare`` and ``batch collect`` (registered by safety.commands.cli)."""
    raw = argparse.RawDescriptionHelpFormatter
    batch = sub.add_parser(
        "batch",
        help=t("batch.cli.help", lang),
        description=t("batch.cli.description", lang),
        formatter_class=raw,
        epilog=t("batch.cli.epilog", lang),
    )
    steps = batch.add_subparsers(dest="batch_step", required=True, metavar="STEP")
    _prepare_parser(steps, lang)
    _collect_parser(steps, lang)


def _prepare_parser(steps, lang: str) -> None:
    p = steps.add_parser(
        "prepare",
        help=t("batch.prepare.help", lang),
        description=t("batch.prepare.description", lang),
    )
    p.add_argument("photos", nargs="+", metavar="PHOTO_OR_DIR", help=t("batch.photos", lang))
    p.add_argument("--out", metavar="DIR", required=True, help=t("batch.out", lang))
    p.add_argument("--force", action="store_true", help=t("batch.force", lang))
    p.add_argument("--glob", metavar="PATTERN", help=t("archive.cli.glob", lang))
    p.add_argument("--shard", metavar="K/N", help=t("archive.cli.shard", lang))
    p.add_argument("--lang", choices=LANGS, default=lang, help=t("cli.lang", lang, lang=lang))
    add_endpoint_args(p, lang, batch=True)  # the inspect command's, less what only sending needs
    b = p.add_argument_group(t("batch.group", lang))
    b.add_argument("--provider", choices=list(PROVIDERS), help=t("batch.provider", lang))
    b.add_argument("--max-requests", type=int, metavar="N", help=t("batch.max-requests", lang))
    b.add_argument("--max-file-mb", type=float, metavar="MB", help=t("batch.max-file-mb", lang))
    run = p.add_argument_group(t("cli.group.run", lang))
    add_request_args(run, lang, concurrency=False, batch=True)  # --prompt-file --detail --recheck
    site = p.add_argument_group(t("cli.group.privacy", lang))
    add_privacy_args(site, lang, blur_faces=False)  # --blur-before-send
    add_site_args(site, lang, rules=False)  # --site-profile


def _collect_parser(steps, lang: str) -> None:
    c = steps.add_parser(
        "collect",
        help=t("batch.collect.help", lang),
        description=t("batch.collect.description", lang),
    )
    c.add_argument("folder", metavar="DIR", help=t("batch.folder", lang))
    c.add_argument("outputs", nargs="+", metavar="OUTPUT.jsonl", help=t("batch.outputs", lang))
    out = c.add_argument_group(t("cli.group.output", lang))
    out.add_argument("--results", metavar="FILE.jsonl", help=t("batch.results", lang))
    add_outputs(out, lang)  # --json --csv --report --lang --site --inspector --notes
    out.add_argument("-q", "--quiet", action="store_true", help=t("batch.quiet", lang))
    privacy = c.add_argument_group(t("cli.group.privacy", lang))
    add_privacy_args(privacy, lang, before_send=False)  # --blur-faces
    add_site_args(privacy, lang)  # --site-profile --rules


def cmd_batch(args: argparse.Namespace, config: AppConfig) -> int:
    if args.batch_step == "prepare":
        return batch_prepare(PrepareOptions.read(args), config)
    return batch_collect(CollectOptions.read(args), config)


# -- prepare ---------------------------------------------------------------------------------


def _job(opts: PrepareOptions, config: AppConfig, lang: str) -> Job:
    # A batch file holds no key and nothing here sends a request: a placeholder satisfies
    # the presets that insist on one, and the real key (flag or variable) is never read.
    settings = opts.endpoint.with_(api_key="EMPTY").settings(config, lang)
    if settings.detail == "tiles":
        raise ConfigurationError(t("batch.no-tiles", lang))
    if opts.max_requests is not None and opts.max_requests < 1:
        raise ConfigurationError(t("batch.bad-limit", lang, flag="--max-requests"))
    if opts.max_file_mb is not None and not opts.max_file_mb > 0:
        raise ConfigurationError(t("batch.bad-limit", lang, flag="--max-file-mb"))
    profile = load_profile(opts.site_profile) if opts.site_profile else None
    settings = effective_settings(settings).with_(
        prompt=with_site(settings.prompt, profile), recheck="off"
    )
    provider = opts.provider or default_provider(settings)
    return Job(
        settings=settings,
        plan=batch_plan(settings, lang),
        provider=provider,
        limits=limits_for(provider, opts.max_requests, opts.max_file_mb),
        lang=lang,
        fetch_policy=config.fetch,
        privacy=make_privacy(False, opts.blur_before_send),
    )


def batch_prepare(opts: PrepareOptions, config: AppConfig) -> int:
    lang = opts.lang
    job = _job(opts, config, lang)
    shard = Shard.parse(opts.shard) if opts.shard else None
    check_inputs(opts.photos)
    out = Path(opts.out)
    check_out_dir(out, opts.force, lang)

    def failed(entry: dict) -> None:
        if entry["error"] is not None:
            line = t("cli.error", lang, source=entry["source"], error=entry["error"])
            print(line, file=sys.stderr, flush=True)

    batch = prepare(photo_names(opts.photos, opts.glob, shard), out, job, on_photo=failed)
    _say_prepared(opts, job, batch, out)
    return 1 if batch["counts"]["failed"] else 0


def _say_prepared(opts: PrepareOptions, job: Job, batch: dict, out: Path) -> None:
    lang, plan, s = job.lang, job.plan, job.settings
    title = PROVIDER_TITLES[job.provider]
    counts, files = batch["counts"], batch["files"]
    n = {"photos": counts["photos"], "requests": counts["requests"], "files": len(files)}
    lines = [t("batch.prepared", lang, provider=title, **n)]
    lines += [
        t("batch.file-line", lang, name=out / f["name"], requests=f["requests"], mb=f["bytes"] / MB)
        for f in files
    ]
    if counts["failed"]:
        lines.append(t("batch.some-failed", lang, n=counts["failed"]))
    if plan.how == "fallback":
        lines += list(plan.notes)
    else:
        how = t("batch.how." + plan.how.replace(" ", "-"), lang)
        lines.append(t("batch.plan", lang, convention=plan.convention, how=how))
    if opts.endpoint.recheck != "off":
        lines.append(t("batch.recheck-off", lang))
    if not files:
        print("\n".join(lines))
        return
    outputs = " ".join(str(out / _output_name(f["name"])) for f in files)
    if job.provider == "vllm":
        lines.append(t("batch.next.vllm", lang, pixels=plan.max_pixels))
        lines += [
            f"  python -m vllm.entrypoints.openai.run_batch -i {out / f['name']} "
            f"-o {out / _output_name(f['name'])} --model {s.model}"
            for f in files
        ]
    else:
        lines.append(t("batch.next.upload", lang, provider=title, dir=out))
    lines.append(t("batch.next.collect", lang))
    lines.append(f"  python -m safety batch collect {out} {outputs} --json results.json")
    print("\n".join(lines))


def _output_name(requests_name: str) -> str:
    """requests.jsonl -> output.jsonl, requests-002.jsonl -> output-002.jsonl."""
    return "output" + requests_name[len("requests") :]


# -- collect ---------------------------------------------------------------------------------


def batch_collect(opts: CollectOptions, config: AppConfig) -> int:
    lang = opts.lang
    batch = load_batch(opts.folder, lang)
    paths = [Path(p) for p in opts.outputs]
    for path in paths:
        if not path.is_file():
            raise ConfigurationError(
                t("batch.output-unreadable", lang, path=path, why=t("batch.no-file", lang))
            )
    warn = Warnings(lambda line: print(line, file=sys.stderr, flush=True), lang)
    answers = index_outputs(batch, paths, warn)
    profile, rules = load_site(opts.site_profile, opts.rules, config.rules_dir)
    results = Path(opts.results) if opts.results else batch.folder / RESULTS
    if opts.results and results.exists() and results.stat().st_size:
        raise ConfigurationError(t("batch.results-exist", lang, path=results))
    if not opts.results:
        results.unlink(missing_ok=True)  # ours, from an earlier collect: written again whole
    photos = PhotosAt(batch, lang, blur=opts.blur_faces) if opts.written.report else None
    keys = tuple(v for k in KEY_VARS if (v := config.endpoint_env.get(k)))

    failed = 0
    with Journal(results, lang=lang) as journal:
        for r in collect(batch, answers, paths, lang=lang, keys=keys):
            journal.write(r)
            if photos is not None:
                photos.add(r)
            if not r.ok:
                failed += 1
                line = t("cli.error", lang, source=r.source, error=r.error)
                print(line, file=sys.stderr, flush=True)
    warn.close()
    info = batch.info
    # The report prints the endpoint as scheme://host:port only (report.text.safe_endpoint):
    # give it the host; which Batch API ran is said in every photo's notes.
    meta = {
        "endpoint": info.get("endpoint") or "",
        "model": info.get("model"),
        "prompt": info.get("prompt"),
    }
    summary = write_outputs(
        results, opts.written, lang, meta, kept=photos, rules=rules, profile=profile
    )
    if not opts.quiet:
        print(t("batch.collected", lang, photos=summary.photos, failed=failed, results=results))
        print(verdict_text(summary, lang))
    return 1 if failed else 0
