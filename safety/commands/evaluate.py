"""``python -m safety evaluate``: load, ask (through the cache), score, print, write.

The exit status is 0 when every photo has an answer (an answer that could not be read is a
figure of the evaluation, not a failure of it), 1 when some photos failed for another reason
(endpoint, network, photo: their figures are missing, and a second run asks only for them),
2 for a mistake in the command (bad folder, unknown form, bad --map or --compare, unreadable
label file): one line, like the rest of the command line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..backends.model import Model
from ..config import AppConfig, Settings
from ..errors import ConfigurationError
from ..evaluation.cache import AnswerCache, identity
from ..evaluation.classmap import ClassMap, parse_map
from ..evaluation.datasets import Dataset, load
from ..evaluation.runner import RunOutcome, RunSpec, parse_compare, run
from ..evaluation.scored import Scored, num, pct, score_run
from ..evaluation.truth import EvalError
from ..files import write_atomic
from ..i18n import category_name, t, t_n
from .args import EndpointOptions, pick


@dataclass(frozen=True)
class EvaluateOptions:
    """``evaluate``'s flags, read at the door."""

    dataset: str
    endpoint: EndpointOptions
    json: str | None = None
    format: str = "auto"
    map: tuple[str, ...] | None = None
    limit: int | None = None
    iou: float = 0.5
    min_confidence: float | None = None
    name: str | None = None
    compare: tuple[str, ...] | None = None
    fresh: bool = False
    quiet: bool = False
    report: str | None = None
    lang: str = "en"

    @classmethod
    def read(cls, args: argparse.Namespace) -> EvaluateOptions:
        return pick(cls, args, endpoint=EndpointOptions.read(args))


def cmd_evaluate(args: argparse.Namespace, config: AppConfig) -> int:
    opts = EvaluateOptions.read(args)

    def settings_for(**changes):  # the endpoint flags, with a --compare run's changes
        return opts.endpoint.with_(**changes).settings(config, opts.lang)

    return evaluate(opts, config, settings_for)


def run_specs(args: EvaluateOptions, settings_for: Callable[..., Settings]) -> list[RunSpec]:
    main = settings_for()
    specs = [RunSpec(args.name or main.model.rsplit("/", 1)[-1], main)]
    for text in args.compare or ():
        name, changes = parse_compare(text)
        specs.append(RunSpec(name, settings_for(**changes)))
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise EvalError("eval.error.compare-names", names=", ".join(names))
    return specs


def _warn(text: str, lang: str) -> None:
    print(t("eval.line.warning", lang, text=text), file=sys.stderr, flush=True)


def run_facts(spec: RunSpec, outcome: RunOutcome | None = None) -> dict:
    s = spec.settings
    frames = sorted({tuple(r.frame) for r in (outcome.results if outcome else []) if r.frame})
    return {
        "name": spec.name,
        "endpoint": s.host,
        "model": s.model,
        "prompt_sha256": identity(s)["prompt_sha256"],
        "prompt": s.prompt,
        "max_pixels": s.max_pixels,
        "coords": s.coords,
        "frames": [f"{w}x{h}" for w, h in frames[:20]],  # the distinct frames sent
        "frames_distinct": len(frames),
    }


def document(dataset: Dataset, cmap: ClassMap, runs: list[Scored], n: int, lang: str) -> dict:
    """The --json document: the first run's figures at the top, every run under "runs"."""
    head = {
        "dataset": {
            "path": str(dataset.root),
            "form": dataset.form,
            "photos": len(dataset.photos),
            "evaluated": n,
            "classes": {cls: {"boxes": b, "means": m} for cls, b, m in cmap.table()},
            "scored_categories": sorted(cmap.labelled),
        },
        "matching": t("eval.note.matching", lang),
        "note": t("eval.note.no-ap", lang),
        "run": run_facts(runs[0].spec, runs[0].outcome),
    }
    doc = head | runs[0].figures
    if len(runs) > 1:
        doc["runs"] = [{"run": run_facts(r.spec, r.outcome)} | r.figures for r in runs]
    return doc


def print_figures(scored: Scored, lang: str) -> None:
    f = scored.figures
    u = f["usage"]
    print(
        t(
            "eval.line.summary",
            lang,
            name=scored.spec.name,
            images=f["images"],
            asked=u["asked"],
            cached=u["from_cache"],
            failed=f["failed"],
        )
    )
    for category, c in f["classes"].items():
        name = category_name(category, lang)
        if not c["labelled"]:
            print(t("eval.line.unscored", lang, category=name, n=c["answers"]))
            continue
        print(
            t(
                "eval.line.class",
                lang,
                category=name,
                tp=c["tp"],
                fp=c["fp"],
                fn=c["fn"],
                precision=num(c["precision"]),
                recall=num(c["recall"]),
                f1=num(c["f1"]),
            )
        )
    h = f["helmet"]
    if h["scored"]:
        line = t("eval.line.helmet", lang, correct=h["correct"], scored=h["scored"])
        print(line + f" ({pct(h['accuracy'])})")
    p = f["photos"]
    if p:
        print(
            t(
                "eval.line.photos",
                lang,
                correct=p["correct"],
                scored=p["scored"],
                accuracy=pct(p["accuracy"]),
                alarms=p["false_alarms"],
                without=p["without_hazard"],
                rate=pct(p["false_alarm_rate"]),
            )
        )


def evaluate(
    args: EvaluateOptions,
    config: AppConfig,
    settings_for: Callable[..., Settings],
    *,
    model_for: Callable[[RunSpec], Model | None] = lambda _spec: None,
) -> int:
    lang = args.lang
    try:
        if not 0 < args.iou <= 1:
            raise EvalError("eval.error.iou", value=args.iou)
        if args.min_confidence is not None and not 0 <= args.min_confidence <= 1:
            raise EvalError("eval.error.min-confidence", value=args.min_confidence)
        if args.limit is not None and args.limit < 1:
            raise EvalError("eval.error.limit", value=args.limit)
        dataset = load(args.dataset, args.format)
        cmap = ClassMap(dataset, parse_map(args.map or ()))
        for notice in dataset.notices + cmap.notices():
            _warn(notice.text(lang), lang)
        cmap.require_scored()
        specs = run_specs(args, settings_for)
    except EvalError as exc:
        raise ConfigurationError(exc.text(lang)) from None
    photos = dataset.photos[: args.limit] if args.limit else dataset.photos
    boxes = sum(len(cmap.targets(p)) for p in photos)
    ordered = [c for c in ("fire", "smoke", "person") if c in cmap.labelled]
    categories = t("list.separator", lang).join(category_name(c, lang) for c in ordered)
    print(
        t(
            "eval.line.dataset",
            lang,
            path=args.dataset,
            form=dataset.form,
            photos=len(photos),
            boxes=boxes,
            categories=categories,
        )
    )
    runs: list[Scored] = []
    for spec in specs:
        print(
            t(
                "eval.line.run",
                lang,
                name=spec.name,
                model=spec.settings.model,
                host=spec.settings.host,
            ),
            flush=True,
        )

        def progress(i: int, result, from_cache: bool) -> None:
            if result.error:
                line = t("cli.error", lang, source=result.source, error=result.error)
                print(line, file=sys.stderr, flush=True)
            elif not args.quiet and not from_cache:
                n = len(result.detections)
                found = t_n("count.found", n, lang) if n else t("count.nothing", lang)
                line = t(
                    "cli.photo-line",
                    lang,
                    n=i + 1,
                    total=len(photos),
                    source=result.source,
                    verdict=found,
                )
                print(line, flush=True)

        cache = AnswerCache(config.cache_dir, spec.settings)
        outcome = run(
            spec,
            photos,
            cache=cache,
            fresh=args.fresh,
            model=model_for(spec),
            fetch_policy=config.fetch,
            on_result=progress,
        )
        runs.append(score_run(outcome, photos, cmap, args.iou, args.min_confidence))
    for scored in runs:
        print_figures(scored, lang)
    if args.json:
        doc = document(dataset, cmap, runs, len(photos), lang)
        write_atomic(args.json, json.dumps(doc, ensure_ascii=False, indent=1))
    if args.report:
        from ..evaluation.report import write_report

        write_report(Path(args.report), dataset, cmap, runs, args.iou, lang)
    accidents = sum(f["kind"] != "model output" for r in runs for f in r.figures["failures"])
    return 1 if accidents else 0
