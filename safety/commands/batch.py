"""python -m safety batch prepare | collect: the Batch API's two steps on the command line.

    add_batch_parser(sub, lang)   the ``batch`` subcommand and its two steps' flags
    cmd_batch(args, config)       run the step asked for; the exit status

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
from pathlib import Path

from .. import limits
from ..archive.journal import Journal
from ..archive.outputs import write_outputs
from ..archive.sources import Shard, check_inputs, photo_names
from ..backends.presets import COORD_CHOICES, PRESETS
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
from ..cost import detail_help
from ..errors import ConfigurationError
from ..i18n import LANGS, t
from ..passes.detail import effective_settings
from ..privacy import add_privacy_args, make_privacy
from ..site_profile import add_site_args, load_profile, site_from_args, with_site
from ..summary import verdict_text
from .args import add_outputs


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
    g = p.add_argument_group(t("cli.group.endpoint", lang))
    g.add_argument("--preset", choices=list(PRESETS), help=t("cli.preset", lang))
    g.add_argument("--base-url", help=t("batch.base-url", lang))
    g.add_argument("--model", help=t("cli.model", lang))
    g.add_argument("--coords", choices=COORD_CHOICES, help=t("batch.coords", lang))
    g.add_argument(
        "--max-pixels", type=int, help=t("cli.max-pixels", lang, n=limits.DEFAULT_MAX_PIXELS)
    )
    g.add_argument(
        "--max-tokens", type=int, help=t("cli.max-tokens", lang, n=limits.DEFAULT_MAX_TOKENS)
    )
    b = p.add_argument_group(t("batch.group", lang))
    b.add_argument("--provider", choices=list(PROVIDERS), help=t("batch.provider", lang))
    b.add_argument("--max-requests", type=int, metavar="N", help=t("batch.max-requests", lang))
    b.add_argument("--max-file-mb", type=float, metavar="MB", help=t("batch.max-file-mb", lang))
    run = p.add_argument_group(t("cli.group.run", lang))
    run.add_argument("--prompt-file", metavar="FILE", help=t("cli.prompt-file", lang))
    run.add_argument("--detail", choices=limits.DETAILS, help=detail_help(lang))
    run.add_argument("--recheck", choices=limits.RECHECKS, help=t("batch.recheck", lang))
    site = p.add_argument_group(t("cli.group.privacy", lang))
    site.add_argument("--blur-before-send", action="store_true",
                      help=t("cli.blur-before-send", lang))  # fmt: skip
    site.add_argument("--site-profile", metavar="FILE.toml", help=t("cli.site-profile", lang))


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
    add_privacy_args(privacy, lang, sending=False)
    add_site_args(privacy, lang)


def cmd_batch(args: argparse.Namespace, config: AppConfig) -> int:
    if args.batch_step == "prepare":
        return _prepare(args, config)
    return _collect(args, config)


# -- prepare ---------------------------------------------------------------------------------


def _job(args, config: AppConfig, lang: str) -> Job:
    from .cli import settings_from_args  # the endpoint flags, read as inspect reads them

    # A batch file holds no key and nothing here sends a request: a placeholder satisfies
    # the presets that insist on one, and the real key (flag or variable) is never read.
    flags = argparse.Namespace(**vars(args), api_key="EMPTY", timeout=None, retries=None)
    settings = settings_from_args(flags, config, lang)
    if settings.detail == "tiles":
        raise ConfigurationError(t("batch.no-tiles", lang))
    if args.max_requests is not None and args.max_requests < 1:
        raise ConfigurationError(t("batch.bad-limit", lang, flag="--max-requests"))
    if args.max_file_mb is not None and not args.max_file_mb > 0:
        raise ConfigurationError(t("batch.bad-limit", lang, flag="--max-file-mb"))
    profile = load_profile(args.site_profile) if args.site_profile else None
    settings = effective_settings(settings).with_(
        prompt=with_site(settings.prompt, profile), recheck="off"
    )
    provider = args.provider or default_provider(settings)
    return Job(
        settings=settings,
        plan=batch_plan(settings, lang),
        provider=provider,
        limits=limits_for(provider, args.max_requests, args.max_file_mb),
        lang=lang,
        fetch_policy=config.fetch,
        privacy=make_privacy(False, args.blur_before_send),
    )


def _prepare(args, config: AppConfig) -> int:
    lang = args.lang
    job = _job(args, config, lang)
    shard = Shard.parse(args.shard) if args.shard else None
    check_inputs(args.photos)
    out = Path(args.out)
    check_out_dir(out, args.force, lang)

    def failed(entry: dict) -> None:
        if entry["error"] is not None:
            line = t("cli.error", lang, source=entry["source"], error=entry["error"])
            print(line, file=sys.stderr, flush=True)

    batch = prepare(photo_names(args.photos, args.glob, shard), out, job, on_photo=failed)
    _say_prepared(args, job, batch, out)
    return 1 if batch["counts"]["failed"] else 0


def _say_prepared(args, job: Job, batch: dict, out: Path) -> None:
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
    if args.recheck != "off":
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


def _collect(args, config: AppConfig) -> int:
    lang = args.lang
    batch = load_batch(args.folder, lang)
    paths = [Path(p) for p in args.outputs]
    for path in paths:
        if not path.is_file():
            raise ConfigurationError(
                t("batch.output-unreadable", lang, path=path, why=t("batch.no-file", lang))
            )
    warn = Warnings(lambda line: print(line, file=sys.stderr, flush=True), lang)
    answers = index_outputs(batch, paths, warn)
    profile, rules = site_from_args(args, config.rules_dir)
    results = Path(args.results) if args.results else batch.folder / RESULTS
    if args.results and results.exists() and results.stat().st_size:
        raise ConfigurationError(t("batch.results-exist", lang, path=results))
    if not args.results:
        results.unlink(missing_ok=True)  # ours, from an earlier collect: written again whole
    photos = PhotosAt(batch, lang, blur=args.blur_faces) if args.report else None
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
    summary = write_outputs(results, args, lang, meta, kept=photos, rules=rules, profile=profile)
    if not args.quiet:
        print(t("batch.collected", lang, photos=summary.photos, failed=failed, results=results))
        print(verdict_text(summary, lang))
    return 1 if failed else 0
