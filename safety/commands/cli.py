"""Command line: python -m safety inspect PHOTO_OR_URL [...] --base-url URL --model NAME

Prints one line per photo as it finishes, writes marked photos, JSON and CSV, and exits
non-zero when any photo failed (one clear line per failure on stderr; the other photos'
results are still written). A bad setting (flag or environment variable) is one line on
stderr and exit status 2. Every line comes from the word catalogue (``safety.i18n``), in the
language of ``--lang`` (default: SAFETY_LANG, else the system's LANG).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from ..alerts.hooks import finish, notify, open_alerter
from ..archive.run import RunOptions, run_inspect
from ..backends.calibration import CalibrationStore
from ..backends.pool import calibrate_each
from ..backends.presets import AUTO, PRESETS
from ..config import AppConfig, load_config
from ..errors import SafetyError
from ..i18n import LANGS, said, t
from ..inspection import Inspector
from ..privacy import make_privacy
from ..scrub import ScrubFilter
from ..site_profile import load_site, with_site
from .args import (
    EndpointOptions,
    add_endpoint_args,
    add_outputs,
    add_privacy_args,
    add_request_args,
    add_site_args,
    add_video_args,
    outputs_from,
    pick,
)
from .batch import add_batch_parser, cmd_batch
from .ledger import add_ledger_flags, add_ledger_parser, cmd_ledger
from .report import add_report_parser, cmd_report
from .watch import add_watch_parser, cmd_watch


def system_lang(environ: Mapping[str, str] = os.environ) -> str:
    """zh when SAFETY_LANG says so, or the system's locale is Chinese; else en."""
    wanted = (environ.get("SAFETY_LANG") or "").strip().lower()
    if wanted in LANGS:
        return wanted
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = (environ.get(name) or "").lower()
        if value:
            return "zh" if value.startswith("zh") else "en"
    return "en"


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    lang = lang or system_lang()
    epilog = t("cli.epilog", lang, presets=", ".join(PRESETS))
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="python -m safety",
        description=t("cli.description", lang),
        formatter_class=raw,
        epilog=epilog,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=t("cli.verbose", lang))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ins = sub.add_parser(
        "inspect",
        help=t("cli.inspect", lang),
        description=t("cli.inspect.description", lang),
        formatter_class=raw,
        epilog=epilog,
    )
    ins.add_argument("photos", nargs="+", metavar="PHOTO_OR_URL", help=t("cli.photos", lang))
    add_endpoint_args(ins, lang)
    out = ins.add_argument_group(t("cli.group.output", lang))
    out.add_argument("--out", metavar="DIR", help=t("cli.out", lang))
    add_outputs(out, lang)  # --json --csv --report --lang --site --inspector --notes
    run = ins.add_argument_group(t("cli.group.run", lang))
    add_request_args(run, lang)  # --prompt-file --concurrency --detail --recheck
    run.add_argument("-q", "--quiet", action="store_true", help=t("cli.quiet", lang))
    archive = ins.add_argument_group(t("archive.cli.group", lang))
    archive.add_argument("--glob", metavar="PATTERN", help=t("archive.cli.glob", lang))
    archive.add_argument("--results", metavar="FILE.jsonl", help=t("archive.cli.results", lang))
    archive.add_argument("--resume", action="store_true", help=t("archive.cli.resume", lang))
    archive.add_argument("--shard", metavar="K/N", help=t("archive.cli.shard", lang))
    add_video_args(ins.add_argument_group(t("video.cli.group", lang)), lang)  # safety/video/
    add_privacy_args(privacy := ins.add_argument_group(t("cli.group.privacy", lang)), lang)
    add_site_args(privacy, lang)
    ins.add_argument("--alerts", metavar="FILE.toml", help=t("alerts.cli.alerts", lang))
    add_watch_parser(sub, lang)  # safety/commands/watch.py
    add_ledger_flags(ins, lang)  # --no-ledger, --site-name (safety/commands/ledger.py)

    cal = sub.add_parser(
        "calibrate",
        help=t("cli.calibrate", lang),
        description=t("cli.calibrate.description", lang),
    )
    add_endpoint_args(cal, lang)
    sub.add_parser("presets", help=t("cli.presets", lang))
    _evaluate_parser(sub, lang)
    add_report_parser(sub, lang)  # safety/commands/report.py
    add_batch_parser(sub, lang)  # safety/commands/batch.py
    add_ledger_parser(sub, lang)  # safety/commands/ledger.py
    return parser


def _evaluate_parser(sub, lang: str) -> None:
    """``evaluate``: score an endpoint on labelled photos (safety/evaluation/)."""
    ev = sub.add_parser(
        "evaluate",
        help=t("eval.cli.help", lang),
        description=t("eval.cli.description", lang),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=t("eval.cli.epilog", lang),
    )
    ev.add_argument("dataset", metavar="DATASET_DIR", help=t("eval.cli.dataset", lang))
    data = ev.add_argument_group(t("eval.cli.group.data", lang))
    data.add_argument("--format", choices=("auto", "voc", "yolo", "coco"), default="auto",
                      help=t("eval.cli.format", lang))  # fmt: skip
    data.add_argument("--map", action="append", metavar="NAME=CATEGORY[:STATUS]",
                      help=t("eval.cli.map", lang))  # fmt: skip
    data.add_argument("--limit", type=int, metavar="N", help=t("eval.cli.limit", lang))
    data.add_argument("--iou", type=float, default=0.5, help=t("eval.cli.iou", lang))
    data.add_argument(
        "--min-confidence", type=float, metavar="P", help=t("eval.cli.min-confidence", lang)
    )
    add_endpoint_args(ev, lang)
    runs = ev.add_argument_group(t("cli.group.run", lang))
    runs.add_argument("--name", help=t("eval.cli.name", lang))
    runs.add_argument("--compare", action="append", metavar="NAME:KEY=VALUE,...",
                      help=t("eval.cli.compare", lang))  # fmt: skip
    add_request_args(runs, lang)  # --prompt-file --concurrency --detail --recheck
    runs.add_argument("--fresh", action="store_true", help=t("eval.cli.fresh", lang))
    runs.add_argument("-q", "--quiet", action="store_true", help=t("eval.cli.quiet", lang))
    out = ev.add_argument_group(t("cli.group.output", lang))
    out.add_argument("--json", metavar="METRICS.json", required=True, help=t("eval.cli.json", lang))
    out.add_argument("--report", metavar="FILE.pdf", help=t("eval.cli.report", lang))
    out.add_argument("--lang", choices=LANGS, default=lang, help=t("cli.lang", lang, lang=lang))


@dataclass(frozen=True)
class InspectOptions:
    """``inspect``'s flags, read at the door."""

    endpoint: EndpointOptions
    run: RunOptions
    lang: str = "en"
    blur_faces: bool = False
    blur_before_send: bool = False
    site_profile: str | None = None
    rules: str | None = None
    alerts: str | None = None  # an alerts file (safety.alerts)

    @classmethod
    def read(cls, args: argparse.Namespace) -> InspectOptions:
        run = pick(RunOptions, args, outputs=outputs_from(args))
        return pick(cls, args, endpoint=EndpointOptions.read(args), run=run)


def cmd_inspect(args: argparse.Namespace, config: AppConfig) -> int:
    return inspect(InspectOptions.read(args), config)


def inspect(opts: InspectOptions, config: AppConfig) -> int:
    lang = opts.lang
    settings = opts.endpoint.settings(config, lang)
    # The site's context goes into the prompt; rules give findings their clauses.
    profile, rules = load_site(opts.site_profile, opts.rules, config.rules_dir)
    settings = settings.with_(prompt=with_site(settings.prompt, profile))

    def say(line: str) -> None:
        print(line, file=sys.stderr)

    alerter = open_alerter(opts.alerts, lang, say) if opts.alerts else None
    inspector = Inspector(
        settings,
        lang=lang,
        fetch_policy=config.fetch,
        keep_images=bool(opts.run.out or opts.run.outputs.report or alerter),
        privacy=make_privacy(opts.blur_faces, opts.blur_before_send),
    )
    site = opts.run.outputs.site or (profile.name if profile else "")

    def alert(result) -> None:
        notify(alerter, result, site, rules, lang)

    try:
        # safety/archive/run.py: folders, the results journal, --resume, the progress bar.
        return run_inspect(opts.run, settings, inspector, lang, rules=rules, profile=profile,
                           on_result=alert if alerter else None)  # fmt: skip
    finally:
        finish(alerter, say, lang)


def cmd_calibrate(args: argparse.Namespace, config: AppConfig) -> int:
    return calibrate(EndpointOptions.read(args), config)


def calibrate(endpoint: EndpointOptions, config: AppConfig) -> int:
    lang = system_lang()
    settings = endpoint.settings(config, lang).with_(coords=AUTO)
    # Each endpoint on its own (several --base-url: each is probed and remembered).
    for host, plan in calibrate_each(settings, CalibrationStore(settings.cache_dir)):
        print(t("cli.calibrated", lang, model=settings.model, host=host,
                convention=plan.convention, pixels=plan.max_pixels, grid=plan.grid))  # fmt: skip
        for note in plan.notes:
            print(t("cli.note", lang, note=said(note, lang)).strip())
    return 0


def cmd_presets(_args: argparse.Namespace, _config: AppConfig) -> int:
    """No flags of its own: the presets, one line each."""
    lang = system_lang()
    for p in PRESETS.values():
        key = t("cli.preset-key", lang, var=p.key_env) if p.key_env else ""
        print(
            t(
                "cli.preset-line",
                lang,
                name=p.name,
                title=p.title,
                url=p.base_url,
                model=p.model,
                coords=p.coords,
                key=key,
            )  # fmt: skip
        )
    return 0


def cmd_evaluate(args: argparse.Namespace, config: AppConfig) -> int:
    # Loaded on use: the evaluation's modules (and the PDF's) are not needed by the others.
    from .evaluate import cmd_evaluate as evaluate_command

    return evaluate_command(args, config)


COMMANDS = {
    "inspect": cmd_inspect,
    "calibrate": cmd_calibrate,
    "presets": cmd_presets,
    "evaluate": cmd_evaluate,
    "report": cmd_report,
    "batch": cmd_batch,
    "watch": cmd_watch,
    "ledger": cmd_ledger,
}


def main(argv: list[str] | None = None, environ: Mapping[str, str] = os.environ) -> int:
    lang = system_lang(environ)
    args = build_parser(lang).parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    key = getattr(args, "api_key", None)
    for handler in logging.getLogger().handlers:
        handler.addFilter(ScrubFilter(key))
    try:
        config = load_config(environ)
        return COMMANDS[args.command](args, config)
    except SafetyError as exc:
        said_in = getattr(args, "lang", lang)
        print(t("cli.fatal", said_in, error=exc.text(said_in)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(t("cli.interrupted", lang), file=sys.stderr)
        return 130
