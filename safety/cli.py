"""Command line: python -m safety inspect PHOTO_OR_URL [...] --base-url URL --model NAME

Prints one line per photo as it finishes, writes marked photos, JSON and CSV, and exits
non-zero when any photo failed (one clear line per failure on stderr; the other photos'
results are still written).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import geometry
from .calibration import CalibrationStore, calibrate
from .client import QwenClient
from .config import AUTO, COORD_CHOICES, PRESETS, load_settings
from .errors import SafetyError
from .exports import to_csv, to_json, write_text
from .i18n import LANGS
from .inspection import Inspector
from .secrets import ScrubFilter
from .summary import summarize, verdict_text

EPILOG = """\
environment (flags win):
  QWEN_VL_BASE_URL, QWEN_VL_MODEL, QWEN_VL_API_KEY   the endpoint
  DASHSCOPE_API_KEY        alone, selects DashScope (China) with qwen-vl-max
  QWEN_VL_PRESET           one of: {presets}
  QWEN_VL_COORDS, QWEN_VL_MAX_PIXELS, QWEN_VL_TIMEOUT, QWEN_VL_RETRIES,
  QWEN_VL_CONCURRENCY, QWEN_VL_MAX_TOKENS, SAFETY_CACHE_DIR, SAFETY_ALLOWED_NETWORKS

examples:
  python -m safety inspect site1.jpg https://example.com/site2.jpg --out marked --json out.json
  python -m safety inspect *.jpg --base-url http://gpu:8000/v1 --model Qwen/Qwen2.5-VL-7B-Instruct
  DASHSCOPE_API_KEY=... python -m safety inspect site.jpg --report report.pdf --lang zh
"""


def _endpoint_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("endpoint")
    g.add_argument(
        "--preset",
        choices=list(PRESETS),
        help="endpoint preset (default: guessed "
        "from the base URL, or dashscope when only DASHSCOPE_API_KEY is set)",
    )
    g.add_argument("--base-url", help="OpenAI-compatible base URL, e.g. http://host:8000/v1")
    g.add_argument("--model", help="model name as the server knows it")
    g.add_argument(
        "--api-key",
        help="API key (prefer QWEN_VL_API_KEY / DASHSCOPE_API_KEY: "
        "a flag can be seen in the process list)",
    )
    g.add_argument(
        "--coords",
        choices=COORD_CHOICES,
        help="box coordinate convention; "
        "default: what the model name or preset implies, else auto (calibrate once)",
    )
    g.add_argument(
        "--max-pixels",
        type=int,
        help="largest frame sent to the model, in pixels "
        f"(default {geometry.DEFAULT_MAX_PIXELS}, about 1280 visual tokens)",
    )
    g.add_argument("--timeout", type=float, help="seconds per request (default 60)")
    g.add_argument("--retries", type=int, help="retries on 429, 5xx and timeouts (default 2)")
    g.add_argument("--max-tokens", type=int, help="answer length cap (default 2048)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m safety",
        description="Find fire, smoke and persons (with hard-hat status) in site photos with "
        "a Qwen vision-language model, and mark them.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG.format(presets=", ".join(PRESETS)),
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ins = sub.add_parser(
        "inspect",
        help="inspect photos",
        description="Inspect photos (paths or URLs).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG.format(presets=", ".join(PRESETS)),
    )
    ins.add_argument(
        "photos", nargs="+", metavar="PHOTO_OR_URL", help="local photo files or http(s) URLs"
    )
    _endpoint_args(ins)
    out = ins.add_argument_group("output")
    out.add_argument("--out", metavar="DIR", help="write each marked photo here")
    out.add_argument("--json", metavar="FILE", help="write all results as JSON")
    out.add_argument("--csv", metavar="FILE", help="write all detections as CSV")
    out.add_argument("--report", metavar="FILE.pdf", help="write a PDF inspection report")
    out.add_argument(
        "--lang", choices=LANGS, default="en", help="language of labels and report (default en)"
    )
    out.add_argument("--site", default="", help="site or location, for the report")
    out.add_argument("--inspector", default="", help="inspector's name, for the report")
    out.add_argument("--notes", default="", help="free notes, for the report")
    run = ins.add_argument_group("run")
    run.add_argument("--concurrency", type=int, help="photos in flight at once (default 4)")
    run.add_argument(
        "--prompt-file", metavar="FILE", help="use this prompt instead of the default (UTF-8 text)"
    )
    run.add_argument("-q", "--quiet", action="store_true", help="no per-photo lines on stdout")

    cal = sub.add_parser(
        "calibrate",
        help="find out which coordinates an endpoint's model uses",
        description="Send the red-rectangle probe and print the convention.",
    )
    _endpoint_args(cal)
    sub.add_parser("presets", help="list endpoint presets")
    return parser


def _settings(args):
    prompt = None
    if getattr(args, "prompt_file", None):
        try:
            prompt = Path(args.prompt_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise SafetyError(f"Cannot read the prompt file: {exc.strerror}.") from None
    return load_settings(
        preset=args.preset,
        base_url=args.base_url,
        model=args.model,
        api_key=args.api_key,
        coords=args.coords,
        max_pixels=args.max_pixels,
        timeout=args.timeout,
        max_retries=args.retries,
        concurrency=getattr(args, "concurrency", None),
        max_tokens=args.max_tokens,
        prompt=prompt,
    )


def _marked_name(index: int, source: str) -> str:
    stem = Path(source.split("?")[0].rstrip("/")).stem or "photo"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)[:60]
    return f"{index + 1:03d}_{safe}_marked.jpg"


def cmd_inspect(args) -> int:
    settings = _settings(args)
    inspector = Inspector(settings, lang=args.lang, keep_images=bool(args.out or args.report))
    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for r in inspector.inspect_many(args.photos, concurrency=settings.concurrency):
            if out_dir and r.ok and r.marked_jpeg:
                (out_dir / _marked_name(r.index, r.source)).write_bytes(r.marked_jpeg)
            if not args.report:
                r.marked_jpeg = r.preview_jpeg = None  # keep memory flat on long batches
            results.append(r)
            if r.ok:
                if not args.quiet:
                    s = summarize([r])
                    print(
                        f"[{r.index + 1}/{len(args.photos)}] {r.source}: "
                        f"{verdict_text(s, args.lang)}",
                        flush=True,
                    )
                for note in r.notes:
                    print(f"  note: {note}", file=sys.stderr)
            else:
                print(f"error: {r.source}: {r.error}", file=sys.stderr, flush=True)
    finally:
        inspector.close()
    results.sort(key=lambda r: r.index)
    meta = {"endpoint": settings.host, "model": settings.model}
    if args.json:
        write_text(args.json, to_json(results, **meta))
    if args.csv:
        write_text(args.csv, to_csv(results))
    if args.report:
        from .report import ReportInfo, write_report

        info = ReportInfo(
            site=args.site,
            inspector=args.inspector,
            notes=args.notes,
            lang=args.lang,
            endpoint=settings.host,
            model=settings.model,
            prompt=settings.prompt,
        )
        write_report(args.report, results, info)
    total = summarize(results)
    if not args.quiet:
        print(verdict_text(total, args.lang))
    return 1 if total.failed else 0


def cmd_calibrate(args) -> int:
    settings = _settings(args).with_(coords=AUTO)
    client = QwenClient(settings)
    try:
        plan = calibrate(client, settings)
    finally:
        client.close()
    CalibrationStore(settings.cache_dir).remember(settings, plan)
    print(
        f"{settings.model} at {settings.host}: {plan.convention} coordinates; frames up to "
        f"{plan.max_pixels:,} pixels on a {plan.grid}-pixel grid."
    )
    for note in plan.notes:
        print(f"note: {note}")
    return 0


def cmd_presets(_args) -> int:
    for p in PRESETS.values():
        key = f", key from {p.key_env}" if p.key_env else ""
        print(f"{p.name:16} {p.title}: {p.base_url}, model {p.model}, coords {p.coords}{key}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    key = getattr(args, "api_key", None)
    for handler in logging.getLogger().handlers:
        handler.addFilter(ScrubFilter(key))
    try:
        return {"inspect": cmd_inspect, "calibrate": cmd_calibrate, "presets": cmd_presets}[
            args.command
        ](args)
    except SafetyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
