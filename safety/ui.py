"""The web app (Gradio 6): photos or URLs in, marked photo beside its detections table out,
report and exports to download.

    build_app(environ) -> gr.Blocks      the page and its API endpoint "/inspect"
    launch_kwargs(environ) -> dict       theme, css, upload limit, auth for Blocks.launch()

Where things come from:
* The endpoint is read from the environment (``safety.config``); the "Endpoint settings"
  panel may override it per run. The API key field starts empty: empty means "use the key
  from the environment", and that key is only ever sent to the endpoint it was configured
  for. It never reaches the page, the page's config, the API description or any output.
* With no endpoint at all the app is in demo mode (``safety.demo``): a banner says so, the
  example photos are answered from stored reference labels, other photos get a message
  saying how to configure an endpoint.
* A run streams: each photo's result appears as soon as it is done; a Stop button (or
  closing the page) cancels the photos not yet started. Afterwards the PDF report, the JSON
  and the CSV are written into a per-run temporary folder and offered for download.

Model output is untrusted text: the table is a Dataframe (plain text), and every piece of
HTML built here passes through ``html.escape``. SafetyError becomes gr.Error in one place,
``user_errors()``.
"""

from __future__ import annotations

import html
import ipaddress
import json
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gradio as gr
import pandas as pd
from gradio import FileData
from PIL import Image, ImageDraw

from . import geometry
from .annotate import font
from .calibration import CalibrationStore, calibrate
from .client import QwenClient
from .config import (
    AUTO,
    DASHSCOPE_CN,
    DASHSCOPE_INTL,
    PRESETS,
    Settings,
    endpoint_configured,
    load_settings,
)
from .demo import ASSETS_DIR, CONFIGURE_MESSAGE, DemoInspector, load_references, provenance_of
from .detections import ImageResult
from .errors import ConfigurationError, InputError, SafetyError
from .exports import results_document, to_csv
from .fetch import FetchPolicy, is_public_address
from .i18n import detection_caption, lang_or_default, status_name
from .images import MAX_FILE_BYTES
from .inspection import Inspector, Source
from .prompts import DEFAULT_PROMPT
from .secrets import scrub
from .summary import summarize, verdict_text

log = logging.getLogger(__name__)

KEY_VARS = ("QWEN_VL_API_KEY", "DASHSCOPE_API_KEY")
DEFAULT_MAX_PHOTOS = 50
DEFAULT_MAX_FILE_MB = MAX_FILE_BYTES // 2**20
RUNS_ROOT = Path(tempfile.gettempdir()) / "safety-inspect-runs"
RUN_TTL_SECONDS = 2 * 3600
KEEP_RUNS = 200

COORD_DEFAULT = "default"
COORD_OPTIONS = [
    ("From the model name or preset (else calibrate)", COORD_DEFAULT),
    ("Calibrate with a probe image (auto)", AUTO),
    ("Absolute pixels (Qwen2.5-VL, qwen-vl-max)", geometry.ABSOLUTE),
    ("Relative 0..1000 (Qwen3-VL)", geometry.RELATIVE_1000),
]
LANG_OPTIONS = [("English", "en"), ("中文", "zh")]

HEADERS = {
    "en": [
        "#",
        "Object",
        "Status",
        "Model's label",
        "Model's sub-label",
        "Box x1, y1, x2, y2 (px)",
    ],
    "zh": ["序号", "目标", "状态", "模型标签", "模型子标签", "框 x1, y1, x2, y2（像素）"],
}


# --------------------------------------------------------------------------- errors


@contextmanager
def user_errors() -> Iterator[None]:
    """The one place where our errors become messages for the person at the page."""
    try:
        yield
    except SafetyError as exc:
        raise gr.Error(str(exc), title="Cannot do that", print_exception=False) from None


# --------------------------------------------------------------------------- limits


def _int_env(environ: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        return max(minimum, int(raw))
    except ValueError:
        log.warning("%s=%r is not a whole number; using %d", name, raw, default)
        return default


def max_photos(environ: Mapping[str, str] = os.environ) -> int:
    return _int_env(environ, "SAFETY_MAX_PHOTOS", DEFAULT_MAX_PHOTOS)


def max_file_mb(environ: Mapping[str, str] = os.environ) -> int:
    return min(_int_env(environ, "SAFETY_MAX_FILE_MB", DEFAULT_MAX_FILE_MB), DEFAULT_MAX_FILE_MB)


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class EndpointForm:
    """What the Endpoint settings panel holds (all optional)."""

    preset: str | None = None
    base_url: str = ""
    model: str = ""
    api_key: str = ""
    coords: str = COORD_DEFAULT
    max_pixels: float | int | None = None
    concurrency: float | int | None = None
    prompt: str = ""


def environment_settings(environ: Mapping[str, str]) -> tuple[Settings | None, str | None]:
    """(settings, problem): the endpoint the environment configures, if any."""
    if not endpoint_configured(environ):
        return None, None
    try:
        return load_settings(environ), None
    except SafetyError as exc:
        return None, str(exc)


def _without(environ: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k not in names}


def _loopback_only(environ: Mapping[str, str]) -> bool:
    """True when the page is served to this machine only (then its user is the operator)."""
    if environ.get("SPACE_ID"):
        return False
    name = (environ.get("GRADIO_SERVER_NAME") or "127.0.0.1").strip().lower()
    return name in ("127.0.0.1", "localhost", "::1", "[::1]")


def _check_typed_endpoint(base_url: str, environ: Mapping[str, str]) -> None:
    """A base URL typed into a public page must not lead our server into private networks."""
    if _loopback_only(environ):
        return
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ConfigurationError(f"Cannot find the server {host!r}. Check the base URL.") from None
    policy = FetchPolicy.from_env(environ)
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if is_public_address(ip) or any(ip in n for n in policy.allowed_networks):
            continue
        raise ConfigurationError(
            f"{host} is a private or local address, which this app does not contact for a "
            "base URL typed into the page. To use a server on your own network, start the app "
            "with QWEN_VL_BASE_URL set to it (or allow its network with SAFETY_ALLOWED_NETWORKS)."
        )


def settings_from_form(environ: Mapping[str, str], form: EndpointForm) -> Settings | None:
    """The Settings for a run, or None for demo mode (no endpoint anywhere).

    The environment's key is used only for the environment's own endpoint (or DashScope's
    official URLs for DASHSCOPE_API_KEY): a base URL typed into the page never receives it.
    """
    env_settings, problem = environment_settings(environ)
    base = (form.base_url or "").strip().rstrip("/")
    if not base and env_settings is None:
        if problem:
            raise ConfigurationError(
                f"The endpoint configured for this app is not usable: {problem}"
            )
        return None
    if not base:
        base = env_settings.base_url
    if env_settings is not None and base == env_settings.base_url:
        env_for = dict(environ)
    elif base in (DASHSCOPE_CN, DASHSCOPE_INTL) and environ.get("DASHSCOPE_API_KEY"):
        env_for = _without(environ, ("QWEN_VL_API_KEY",))
    else:
        env_for = _without(environ, KEY_VARS)
        load_check = urlsplit(base)
        if load_check.scheme in ("http", "https") and load_check.hostname:
            _check_typed_endpoint(base, environ)
    coords = None if form.coords in (None, "", COORD_DEFAULT) else form.coords
    return load_settings(
        env_for,
        preset=form.preset or None,
        base_url=base,
        model=(form.model or "").strip() or None,
        api_key=(form.api_key or "").strip() or None,
        coords=coords,
        max_pixels=int(form.max_pixels) if form.max_pixels else None,
        concurrency=int(form.concurrency) if form.concurrency else None,
        prompt=(form.prompt or "").strip() or None,
    )


# --------------------------------------------------------------------------- inputs


def _file_path(item: Any) -> tuple[str, str]:
    """(path, display name) of an uploaded file as Gradio hands it over."""
    if isinstance(item, Mapping):
        path = item.get("path") or ""
        name = item.get("orig_name") or os.path.basename(path)
    elif isinstance(item, FileData):
        path, name = item.path, item.orig_name or os.path.basename(item.path)
    else:
        path = str(getattr(item, "name", item))
        name = os.path.basename(path)
    return path, name


def collect_items(files: Sequence | None, urls: str | None, limit: int) -> list[Source]:
    """Uploaded files first, then URLs (one per line; only http/https, never local paths)."""
    items: list[Source] = []
    for item in files or []:
        path, name = _file_path(item)
        if path:
            items.append(Source(name, path=path))
    for line in (urls or "").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            items.append(Source(line, url=line))  # the fetcher refuses anything but http(s)
    if not items:
        raise InputError(
            "Add at least one photo: drop photos on the upload box, paste image URLs (one per "
            "line), or click an example photo."
        )
    if len(items) > limit:
        raise InputError(
            f"{len(items)} photos were given; this app inspects at most {limit} per run. "
            "Split them into several runs."
        )
    return items


# --------------------------------------------------------------------------- run files


def sweep_runs(root: Path = RUNS_ROOT, ttl: float = RUN_TTL_SECONDS, keep: int = KEEP_RUNS) -> None:
    """Delete run folders older than ``ttl`` seconds, and all but the newest ``keep``."""
    try:
        dirs = sorted(
            (p for p in root.iterdir() if p.is_dir() and p.name.startswith("run-")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return
    now = time.time()
    for n, path in enumerate(dirs):
        try:
            if n >= keep or now - path.stat().st_mtime > ttl:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def new_run_dir(root: Path = RUNS_ROOT) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    sweep_runs(root)
    return Path(tempfile.mkdtemp(prefix="run-", dir=root))


def remove_run(state: Any) -> None:
    """delete_callback of the per-session state: the session's last run folder goes too."""
    if isinstance(state, dict) and state.get("dir"):
        path = Path(state["dir"])
        if path.parent == RUNS_ROOT:
            shutil.rmtree(path, ignore_errors=True)


def _failed_placeholder(run_dir: Path) -> str:
    path = run_dir / "failed.png"
    if not path.exists():
        img = Image.new("RGB", (480, 320), (248, 226, 226))
        draw = ImageDraw.Draw(img)
        draw.rectangle((0, 0, 479, 319), outline=(190, 30, 30), width=6)
        draw.text((240, 160), "× failed", fill=(160, 20, 20), font=font(44), anchor="mm")
        img.save(path)
    return str(path)


# --------------------------------------------------------------------------- views


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counts_text(result: ImageResult, lang: str) -> str:
    """ "1 fire, 3 persons (1 without hard hat)" / "nothing found"."""
    zh = lang == "zh"
    fire, smoke = result.count("fire"), result.count("smoke")
    persons, missing = result.count("person"), result.count("person", "missing")
    parts = []
    if fire:
        parts.append(f"火灾 {fire}" if zh else f"{fire} fire")
    if smoke:
        parts.append(f"烟雾 {smoke}" if zh else f"{smoke} smoke")
    if persons:
        if zh:
            parts.append(f"人员 {persons}" + (f"（未戴安全帽 {missing}）" if missing else ""))
        else:
            parts.append(
                f"{persons} person{'s' if persons != 1 else ''}"
                + (f" ({missing} without hard hat)" if missing else "")
            )
    other = result.count("other")
    if other:
        parts.append(f"其他 {other}" if zh else f"{other} other")
    if not parts:
        return "未发现目标" if zh else "nothing found"
    return ("，" if zh else ", ").join(parts)


def table_rows(result: ImageResult | None, lang: str) -> pd.DataFrame:
    headers = HEADERS[lang]
    rows = []
    if result is not None and result.ok:
        for n, d in enumerate(result.detections, start=1):
            rows.append(
                [
                    str(n),
                    detection_caption(d.category, "", lang),
                    status_name(d.category, d.status, lang) if d.status else "",
                    d.label,
                    d.sub_label,
                    ", ".join(str(v) for v in d.rounded_box()),
                ]
            )
    return pd.DataFrame(rows, columns=headers)


@dataclass
class PhotoView:
    """What the page shows for one finished photo (kept per session, small)."""

    index: int
    name: str
    ok: bool
    error: str | None
    image: str | None  # marked photo (or the failure placeholder) in the run folder
    caption: str  # HTML, escaped
    rows: list[list[str]]

    def to_state(self) -> dict:
        return self.__dict__.copy()


def photo_caption(result: ImageResult, total: int, lang: str) -> str:
    number = f"{result.index + 1} / {total}"
    name = _esc(_short(result.source, 80))
    provenance = provenance_of(result)
    tag = (
        f'<span class="ref-tag">reference labels ({_esc(provenance)}), not a live model</span>'
        if provenance
        else ""
    )
    if not result.ok:
        return (
            f'<div class="photo-caption failed"><b>{number}</b> · {name} — '
            f"<b>failed</b>: {_esc(result.error)}</div>"
        )
    notes = [n for n in result.notes if not n.startswith("Reference labels (")]
    notes_html = "".join(f"<li>{_esc(n)}</li>" for n in notes)
    return (
        f'<div class="photo-caption"><b>{number}</b> · {name} — {_esc(counts_text(result, lang))}'
        f"{' ' + tag if tag else ''}"
        + (f'<ul class="notes">{notes_html}</ul>' if notes_html else "")
        + "</div>"
    )


def make_view(result: ImageResult, run_dir: Path, total: int, lang: str) -> PhotoView:
    image = None
    if result.ok and result.marked_jpeg:
        path = run_dir / f"{result.index + 1:03d}_marked.jpg"
        path.write_bytes(result.marked_jpeg)
        image = str(path)
    elif not result.ok:
        image = _failed_placeholder(run_dir)
    return PhotoView(
        index=result.index,
        name=result.source,
        ok=result.ok,
        error=result.error,
        image=image,
        caption=photo_caption(result, total, lang),
        rows=table_rows(result, lang).values.tolist(),
    )


LEVEL_CLASS = {
    "immediate-action": "danger",
    "violation": "danger",
    "review": "warn",
    "no-hazard": "ok",
    "no-result": "muted",
}


def summary_html(
    results: Sequence[ImageResult], total: int, lang: str, *, done: bool, demo: bool
) -> str:
    if not results:
        plural = "s" if total != 1 else ""
        head = "正在检查…" if lang == "zh" else f"Inspecting {total} photo{plural}…"
        return f'<div class="verdict muted" id="verdict-line">{_esc(head)}</div>'
    s = summarize(results)
    text = verdict_text(s, lang)
    if not done:
        text = (
            f"已完成 {len(results)}/{total} — "
            if lang == "zh"
            else f"{len(results)} of {total} done — "
        ) + text
    extra = ""
    provenances = sorted({p for p in (provenance_of(r) for r in results) if p})
    if demo or provenances:
        which = " / ".join(provenances) if provenances else "dataset labels / hand-drawn"
        extra = (
            f'<div class="verdict-ref">Reference labels ({_esc(which)}), not a live model. '
            "Demo mode: no model endpoint is configured.</div>"
        )
    css = LEVEL_CLASS.get(s.level, "muted")
    return (
        f'<div class="verdict {css}" id="verdict-line" data-level="{_esc(s.level)}">'
        f"{_esc(text)}{extra}</div>"
    )


def status_html(views: Sequence[PhotoView | None], names: Sequence[str], lang: str) -> str:
    items = []
    for i, name in enumerate(names):
        view = views[i] if i < len(views) else None
        label = f"<b>{i + 1}.</b> {_esc(_short(name))}"
        if view is None:
            items.append(f'<li class="pending">… {label} — waiting</li>')
        elif view.ok:
            items.append(f'<li class="ok">✓ {label} — {_esc(_row_summary(view, lang))}</li>')
        else:
            items.append(f'<li class="failed">✗ {label} — <b>failed</b>: {_esc(view.error)}</li>')
    return f'<ul class="photo-status">{"".join(items)}</ul>'


def _row_summary(view: PhotoView, lang: str) -> str:
    n = len(view.rows)
    if lang == "zh":
        return f"发现 {n} 个目标" if n else "未发现目标"
    return f"{n} found" if n else "nothing found"


# --------------------------------------------------------------------------- the run


def make_inspector(
    settings: Settings | None,
    environ: Mapping[str, str],
    lang: str,
    prompt: str,
    concurrency: int | None,
) -> Inspector:
    if settings is None:
        return DemoInspector(lang=lang, prompt=prompt or None, concurrency=concurrency or 4)
    return Inspector(settings, lang=lang, fetch_policy=FetchPolicy.from_env(environ))


def inspect_stream(
    inspector: Inspector, items: Sequence[Source], concurrency: int, cancel: threading.Event
) -> Iterator[ImageResult]:
    """Results as each photo finishes; stops cleanly when closed or cancelled."""
    stream = inspector.inspect_many(items, concurrency=concurrency, cancel=cancel)
    try:
        yield from stream
    finally:
        cancel.set()
        stream.close()
        inspector.close()


def results_json(results: Sequence[ImageResult], settings: Settings | None, lang: str) -> dict:
    ordered = sorted(results, key=lambda r: r.index)
    demo = settings is None
    doc = results_document(
        ordered,
        endpoint=None if demo else settings.host,
        model=None if demo else settings.model,
    )
    doc["mode"] = "demo" if demo else "live"
    doc["reference_labels"] = demo
    doc["verdict"] = verdict_text(summarize(ordered), lang)
    if demo:
        doc["note"] = (
            "Demo mode: these are stored reference labels (dataset labels or hand-drawn), not "
            "the answers of a live model."
        )
        for image, result in zip(doc["images"], ordered, strict=True):
            image["reference_labels"] = provenance_of(result)
    return doc


def write_downloads(
    run_dir: Path, results: Sequence[ImageResult], settings: Settings | None, details: dict
) -> tuple[str | None, str, str]:
    """(pdf, json, csv) paths in the run folder; the PDF is None if it could not be made."""
    ordered = sorted(results, key=lambda r: r.index)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    lang = details["lang"]
    json_path = run_dir / f"inspection-{stamp}.json"
    json_path.write_text(
        json.dumps(results_json(ordered, settings, lang), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    csv_path = run_dir / f"inspection-{stamp}.csv"
    csv_path.write_text(to_csv(ordered), encoding="utf-8-sig")  # BOM: Excel reads UTF-8
    pdf_path: Path | None = run_dir / f"inspection-report-{stamp}.pdf"
    try:
        from .report import ReportInfo, write_report

        info = ReportInfo(
            site=details["site"],
            inspector=details["inspector"],
            notes=details["notes"],
            lang=lang,
            endpoint="" if settings is None else settings.host,
            model="reference labels (demo mode)" if settings is None else settings.model,
            prompt=details["prompt"] or DEFAULT_PROMPT,
            reference_labels=settings is None,
        )
        write_report(pdf_path, ordered, info)
    except Exception as exc:  # the exports must survive a report failure
        log.exception("report failed")
        gr.Warning(
            f"The PDF report could not be written ({type(exc).__name__}); the JSON "
            "and CSV are ready."
        )
        pdf_path = None
    return (str(pdf_path) if pdf_path else None), str(json_path), str(csv_path)


# --------------------------------------------------------------------------- page text

CSS = """
.gradio-container { max-width: 1400px !important; margin: 0 auto; }
#app-header h1 { margin: 0 0 2px 0; font-size: 1.6rem; }
#app-header p { margin: 0; color: var(--body-text-color-subdued); }
#demo-banner .banner, #config-banner .banner {
  border-radius: 8px; padding: 10px 14px; line-height: 1.45;
  background: #fff4cc; border: 1px solid #e0b400; color: #4a3b00;
}
#config-banner .banner { background: #fde2e1; border-color: #c62828; color: #5f0d0d; }
.verdict { border-radius: 8px; padding: 10px 14px; font-weight: 600; line-height: 1.4;
  border-left: 8px solid #9e9e9e; background: #f3f3f3; color: #222; }
.verdict.danger { border-left-color: #c62828; background: #fde2e1; color: #5f0d0d; }
.verdict.warn { border-left-color: #e0a000; background: #fff4cc; color: #4a3b00; }
.verdict.ok { border-left-color: #2e7d32; background: #e3f4e4; color: #123d15; }
.verdict-ref { font-weight: 500; font-size: 0.9em; margin-top: 4px; }
.photo-caption { font-size: 0.95em; padding: 2px 2px 4px 2px; overflow-wrap: anywhere; }
.photo-caption.failed { color: #9b1111; background: #fde2e1; border-radius: 6px; padding: 8px; }
.photo-caption .notes { margin: 4px 0 0 18px; font-weight: 400; font-size: 0.9em; }
.ref-tag { display: inline-block; font-size: 0.8em; padding: 1px 6px; border-radius: 4px;
  background: #fff4cc; border: 1px solid #e0b400; color: #4a3b00; }
.photo-status { list-style: none; margin: 0; padding: 0; font-size: 0.92em; }
.photo-status li { padding: 3px 0; border-bottom: 1px solid var(--border-color-primary);
  overflow-wrap: anywhere; }
.photo-status li.failed { color: #9b1111; }
.photo-status li.pending { color: var(--body-text-color-subdued); }
.conn { border-radius: 6px; padding: 8px 10px; line-height: 1.5; overflow-wrap: anywhere; }
.conn.ok { background: #e3f4e4; } .conn.bad { background: #fde2e1; }
.conn.info { background: #f3f3f3; }
#credits { font-size: 0.8em; color: var(--body-text-color-subdued); }
/* Wide content (the table, thumbnail grids) must not widen the page on a phone: its size
   comes from the column, and the table scrolls sideways inside it. */
#detections, #examples, #results-gallery { contain: inline-size; max-width: 100%; }
#detections { overflow-x: auto; }
#examples .grid-wrap, #results-gallery .grid-wrap { height: auto !important; min-height: 0; }
#examples .grid-wrap, #results-gallery .grid-wrap { padding-top: 30px; }
#examples .caption-label { font-size: 11px; }
#examples .grid-container {
  grid-template-columns: repeat(auto-fill, minmax(76px, 1fr)) !important;
  grid-template-rows: none !important; grid-auto-rows: auto !important; }
#results-gallery .grid-container {
  grid-template-columns: repeat(auto-fill, minmax(110px, 1fr)) !important;
  grid-template-rows: none !important; grid-auto-rows: auto !important; }
@media (max-width: 640px) {
  #app-header h1 { font-size: 1.3rem; }
  .verdict { font-size: 0.95em; }
}
"""


def _banner_html(text: str) -> str:
    return f'<div class="banner">{text}</div>'


DEMO_BANNER = _banner_html(
    "<b>Demo mode</b>: no model endpoint is configured. The example photos are answered from "
    "stored <b>reference labels</b> (data set labels or hand-drawn boxes), <b>not a live "
    "model</b>. To inspect your own photos, set <code>QWEN_VL_BASE_URL</code> and "
    "<code>QWEN_VL_MODEL</code> (self-hosted vLLM) or <code>DASHSCOPE_API_KEY</code> "
    "(Alibaba DashScope), or fill in <i>Endpoint settings</i> below."
)


def _conn_html(kind: str, lines: Sequence[str]) -> str:
    body = "<br>".join(_esc(line) for line in lines)
    return f'<div class="conn {kind}">{body}</div>'


def credits_markdown() -> str:
    lines = ["Example photos (reference labels in demo mode):"]
    for n, ref in enumerate(load_references(), start=1):
        lines.append(f"{n}. {ref.title}: {ref.attribution}")
    lines.append("Full details: assets/ATTRIBUTION.md.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the app


def launch_kwargs(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Arguments for Blocks.launch(): never a host or port (GRADIO_SERVER_NAME/PORT decide)."""
    kwargs: dict[str, Any] = {
        "theme": gr.themes.Soft(primary_hue="orange", secondary_hue="slate"),
        "css": CSS,
        "max_file_size": f"{max_file_mb(environ)}mb",
        "allowed_paths": [str(ASSETS_DIR)],
        "show_error": True,
    }
    auth = (environ.get("SAFETY_AUTH") or "").strip()
    if auth:
        user, sep, password = auth.partition(":")
        if not sep or not user or not password:
            raise ConfigurationError('SAFETY_AUTH must look like "user:password".')
        kwargs["auth"] = (user, password)
    return kwargs


def build_app(environ: Mapping[str, str] = os.environ) -> gr.Blocks:
    """The whole page. ``environ`` is read once, here and at each run (never shown)."""
    env = dict(environ)
    env_settings, env_problem = environment_settings(env)
    demo_mode = env_settings is None and env_problem is None
    limit = max_photos(env)
    file_mb = max_file_mb(env)
    refs = load_references()
    has_env_key = any(env.get(k) for k in KEY_VARS)
    default_preset = env_settings.preset if env_settings else "vllm"

    with gr.Blocks(title="Site safety inspection", delete_cache=(1800, 3600)) as app:
        gr.HTML(
            "<h1>Site safety inspection</h1><p>Finds fire, smoke and people without hard hats "
            "in site photos with a Qwen vision-language model, marks them on the photo and "
            "writes a report.</p>",
            elem_id="app-header",
        )
        gr.HTML(DEMO_BANNER, elem_id="demo-banner", visible=demo_mode)
        gr.HTML(
            _banner_html(
                "<b>The configured endpoint is not usable</b>: " + _esc(env_problem or "")
            ),
            elem_id="config-banner",
            visible=bool(env_problem),
        )

        with gr.Row(equal_height=False):
            # ---------------------------------------------------------------- inputs
            with gr.Column(scale=5, min_width=320):
                files = gr.File(
                    label=f"Photos: up to {limit}, {file_mb} MB each",
                    file_count="multiple",
                    file_types=["image"],
                    type="filepath",
                    elem_id="photos",
                    height=150,
                )
                urls = gr.Textbox(
                    label="Image URLs, one per line",
                    placeholder="https://example.com/site-photo.jpg",
                    lines=2,
                    max_lines=8,
                    elem_id="urls",
                )
                examples = gr.Gallery(
                    value=[(str(r.path), r.title) for r in refs],
                    label="Example photos: click one to add it",
                    columns=4,
                    height=None,
                    allow_preview=False,
                    interactive=False,
                    object_fit="cover",
                    format="jpeg",
                    elem_id="examples",
                )
                with gr.Row():
                    run_btn = gr.Button(
                        "Inspect photos", variant="primary", elem_id="run", scale=3, min_width=120
                    )
                    stop_btn = gr.Button(
                        "Stop", variant="stop", elem_id="stop", scale=1, min_width=70
                    )
                with gr.Accordion(
                    "Inspection details (for the report)", open=False, elem_id="details"
                ):
                    with gr.Row():
                        site = gr.Textbox(label="Site / location", elem_id="site")
                        inspector_name = gr.Textbox(label="Inspector", elem_id="inspector")
                    notes = gr.Textbox(label="Notes", lines=2, elem_id="notes")
                    lang = gr.Radio(
                        LANG_OPTIONS,
                        value="en",
                        label="Language of labels and report",
                        elem_id="lang",
                    )
                    prompt = gr.Textbox(
                        value=DEFAULT_PROMPT,
                        label="Prompt sent with each photo",
                        lines=6,
                        max_lines=20,
                        elem_id="prompt",
                    )
                    reset_prompt = gr.Button(
                        "Reset prompt to default", size="sm", elem_id="reset-prompt"
                    )
                with gr.Accordion("Endpoint settings", open=False, elem_id="endpoint"):
                    preset = gr.Dropdown(
                        [(p.title, p.name) for p in PRESETS.values()],
                        value=default_preset,
                        label="Preset",
                        elem_id="preset",
                    )
                    base_url = gr.Textbox(
                        value=env_settings.base_url if env_settings else "",
                        label="Base URL",
                        placeholder="http://gpu-box:8000/v1 (empty: demo mode)",
                        elem_id="base-url",
                    )
                    model = gr.Textbox(
                        value=env_settings.model if env_settings else "",
                        label="Model",
                        placeholder="Qwen/Qwen2.5-VL-7B-Instruct",
                        elem_id="model",
                    )
                    api_key = gr.Textbox(
                        value="",
                        type="password",
                        label="API key",
                        placeholder=(
                            "using the key from the environment"
                            if has_env_key
                            else "none (vLLM without --api-key)"
                        ),
                        info="Leave empty to use the server's key; it is never shown here.",
                        elem_id="api-key",
                    )
                    coords = gr.Dropdown(
                        COORD_OPTIONS,
                        value=COORD_DEFAULT,
                        label="Coordinate convention",
                        elem_id="coords",
                    )
                    with gr.Row():
                        max_pixels = gr.Number(
                            value=env_settings.max_pixels
                            if env_settings
                            else geometry.DEFAULT_MAX_PIXELS,
                            label="Max pixels per photo sent",
                            precision=0,
                            minimum=224 * 224,
                            elem_id="max-pixels",
                        )
                        concurrency = gr.Slider(
                            1,
                            16,
                            step=1,
                            value=env_settings.concurrency if env_settings else 4,
                            label="Photos at once",
                            elem_id="concurrency",
                        )
                    test_btn = gr.Button("Test connection", elem_id="test-connection")
                    conn_status = gr.HTML("", elem_id="connection-status")
                with gr.Accordion("Photo credits", open=False):
                    gr.Markdown(credits_markdown(), elem_id="credits")

            # ---------------------------------------------------------------- results
            with gr.Column(scale=7, min_width=320):
                summary = gr.HTML(
                    '<div class="verdict muted" id="verdict-line">Add photos and press '
                    "<b>Inspect photos</b>.</div>",
                    elem_id="summary",
                )
                caption = gr.HTML("", elem_id="photo-caption")
                marked = gr.Image(
                    label="Marked photo",
                    type="filepath",
                    format="jpeg",
                    interactive=False,
                    height="min(520px, 75vw)",
                    buttons=["download", "fullscreen"],
                    placeholder="The marked photo appears here.",
                    elem_id="marked",
                )
                table = gr.Dataframe(
                    value=table_rows(None, "en"),
                    label="Detections",
                    interactive=False,
                    wrap=True,
                    datatype="str",
                    max_height=360,
                    elem_id="detections",
                )
                gallery = gr.Gallery(
                    label="All photos: click one to show it above",
                    columns=5,
                    fit_columns=False,
                    height="auto",
                    allow_preview=False,
                    interactive=False,
                    object_fit="contain",
                    format="jpeg",
                    visible=False,
                    elem_id="results-gallery",
                )
                status = gr.HTML("", elem_id="photo-status")
                with gr.Row(elem_id="downloads"):
                    pdf_btn = gr.DownloadButton(
                        "PDF report",
                        visible=False,
                        elem_id="download-pdf",
                        variant="primary",
                        min_width=90,
                    )
                    json_btn = gr.DownloadButton(
                        "JSON", visible=False, elem_id="download-json", min_width=90
                    )
                    csv_btn = gr.DownloadButton(
                        "CSV", visible=False, elem_id="download-csv", min_width=90
                    )

        run_state = gr.State(None, delete_callback=remove_run)

        # ------------------------------------------------------------------ handlers

        def add_example(current: list | None, evt: gr.SelectData) -> list[str]:
            ref = refs[evt.index]
            paths = [_file_path(f)[0] for f in (current or [])]
            if not any(os.path.basename(p) == ref.file for p in paths):
                paths.append(str(ref.path))
            return paths

        def on_preset(name: str) -> tuple[str, str]:
            p = PRESETS.get(name)
            if p is None:
                return gr.update(), gr.update()
            return p.base_url, p.model

        def form_of(preset_v, base_v, model_v, key_v, coords_v, pixels_v, conc_v, prompt_v=""):
            return EndpointForm(
                preset_v,
                base_v or "",
                model_v or "",
                key_v or "",
                coords_v,
                pixels_v,
                conc_v,
                prompt_v or "",
            )

        def test_connection(preset_v, base_v, model_v, key_v, coords_v, pixels_v, conc_v):
            form = form_of(preset_v, base_v, model_v, key_v, coords_v, pixels_v, conc_v)
            try:
                settings = settings_from_form(env, form)
            except SafetyError as exc:
                return _conn_html("bad", [str(exc)])
            if settings is None:
                return _conn_html(
                    "info",
                    [
                        "Demo mode: no endpoint is configured, so there is nothing to test. Fill in "
                        "a base URL (or choose a preset) and a model."
                    ],
                )
            return _test_endpoint(settings)

        # The cancel event of each browser session's current run. Gradio's own cancellation
        # cannot interrupt a generator blocked in a worker thread, so Stop sets this event
        # too: the pipeline notices it within a quarter second and cuts its requests.
        running: dict[str, tuple[threading.Event, threading.Event]] = {}

        def stop(request: gr.Request):
            events = running.get(getattr(request, "session_hash", None) or "")
            if events is not None:
                for event in events:  # (the pipeline's cancel, "the user pressed Stop")
                    event.set()

        def run(
            files_v,
            urls_v,
            site_v,
            inspector_v,
            notes_v,
            lang_v,
            prompt_v,
            preset_v,
            base_v,
            model_v,
            key_v,
            coords_v,
            pixels_v,
            conc_v,
            previous,
            request: gr.Request,
            progress=gr.Progress(),
        ):
            with user_errors():
                lang_v = lang_or_default(lang_v)
                items = collect_items(files_v, urls_v, limit)
                form = form_of(
                    preset_v, base_v, model_v, key_v, coords_v, pixels_v, conc_v, prompt_v
                )
                settings = settings_from_form(env, form)
                remove_run(previous)
                run_dir = new_run_dir()
                state = {"dir": str(run_dir), "views": [], "order": []}
                total = len(items)
                names = [s.name for s in items]
                demo = settings is None
                inspector = make_inspector(settings, env, lang_v, prompt_v, int(conc_v or 4))
                concurrency = int(conc_v or (settings.concurrency if settings else 4))
                results: list[ImageResult] = []
                views: list[PhotoView | None] = [None] * total
                hidden = gr.DownloadButton(visible=False)
                progress((0, total), desc="Checking the endpoint…" if not demo else "Starting…")
                yield (
                    summary_html([], total, lang_v, done=False, demo=demo),
                    "",
                    None,
                    table_rows(None, lang_v),
                    gr.Gallery(value=None, visible=False),
                    status_html(views, names, lang_v),
                    state,
                    hidden,
                    hidden,
                    hidden,
                )
                cancel, stopped = threading.Event(), threading.Event()
                session = getattr(request, "session_hash", None) or ""
                running[session] = (cancel, stopped)
                try:
                    for result in inspect_stream(inspector, items, concurrency, cancel):
                        results.append(result)
                        view = make_view(result, run_dir, total, lang_v)
                        views[result.index] = view
                        progress(
                            (len(results), total), desc=f"{len(results)} of {total} photos done"
                        )
                        yield _page(
                            views, view, results, total, names, lang_v, state, demo, done=False
                        )
                finally:
                    if running.get(session, (None,))[0] is cancel:
                        del running[session]
                if stopped.is_set():
                    # Stopped: what finished stays on the page; no report of a partial run.
                    raise gr.Error(
                        f"Stopped after {len(results)} of {total} photos; nothing was written."
                        if lang_v == "en"
                        else f"已停止：{total} 张中完成 {len(results)} 张，未生成报告。"
                    )
                progress((total, total), desc="Writing the report…")
                pdf, js, csv = write_downloads(
                    run_dir,
                    results,
                    settings,
                    {
                        "lang": lang_v,
                        "site": site_v or "",
                        "inspector": inspector_v or "",
                        "notes": notes_v or "",
                        "prompt": prompt_v or "",
                    },
                )
                first = next((v for v in views if v is not None), None)
                page = list(
                    _page(views, first, results, total, names, lang_v, state, demo, done=True)
                )
                page[7] = gr.DownloadButton(value=pdf, visible=bool(pdf))
                page[8] = gr.DownloadButton(value=js, visible=True)
                page[9] = gr.DownloadButton(value=csv, visible=True)
                yield tuple(page)

        def show_photo(state, lang_v, evt: gr.SelectData):
            if not state or evt.index is None or evt.index >= len(state.get("order", [])):
                return gr.update(), gr.update(), gr.update()
            view = state["views"][state["order"][evt.index]]
            return (
                view["caption"],
                view["image"] if view["ok"] else None,
                pd.DataFrame(view["rows"], columns=HEADERS[lang_or_default(lang_v)]),
            )

        # ------------------------------------------------------------------ events

        examples.select(
            add_example, inputs=[files], outputs=[files], api_visibility="private", queue=False
        )
        preset.input(
            on_preset,
            inputs=[preset],
            outputs=[base_url, model],
            api_visibility="private",
            queue=False,
        )
        reset_prompt.click(
            lambda: DEFAULT_PROMPT, outputs=[prompt], api_visibility="private", queue=False
        )
        test_btn.click(
            test_connection,
            inputs=[preset, base_url, model, api_key, coords, max_pixels, concurrency],
            outputs=[conn_status],
            api_visibility="private",
        )
        run_event = run_btn.click(
            run,
            inputs=[
                files,
                urls,
                site,
                inspector_name,
                notes,
                lang,
                prompt,
                preset,
                base_url,
                model,
                api_key,
                coords,
                max_pixels,
                concurrency,
                run_state,
            ],
            outputs=[
                summary,
                caption,
                marked,
                table,
                gallery,
                status,
                run_state,
                pdf_btn,
                json_btn,
                csv_btn,
            ],
            api_visibility="private",
            show_progress="full",
            show_progress_on=[summary],
            scroll_to_output=True,
        )
        stop_btn.click(stop, None, None, cancels=[run_event], api_visibility="private", queue=False)
        gallery.select(
            show_photo,
            inputs=[run_state, lang],
            outputs=[caption, marked, table],
            api_visibility="private",
            queue=False,
        )

        def inspect(
            files: list[FileData] | None = None,
            urls: str = "",
            lang: str = "en",
            site: str = "",
            inspector: str = "",
            notes: str = "",
            prompt: str = "",
            base_url: str = "",
            model: str = "",
            api_key: str = "",
            coords: str = "default",
            max_pixels: int = 0,
            concurrency: int = 0,
        ) -> dict:
            """Inspect photos (uploaded files and/or http(s) URLs, one per line) for fire,
            smoke and persons with hard-hat status. Returns the results document: "summary"
            (counts and level), "verdict" (one line), "mode" ("live" or "demo") and per photo
            in "images" its "detections" (category, severity or helmet, the model's label and
            sub_label, box [x1, y1, x2, y2] in pixels of the upright original), "notes" and
            "error" (null when the photo was read). Endpoint fields are optional: empty means
            the server's configured endpoint. Without one (demo mode) only the example photos
            are answered, from stored reference labels, not a live model."""
            with user_errors():
                lang = lang_or_default(lang)
                items = collect_items(files, urls, limit)
                form = EndpointForm(
                    None,
                    base_url,
                    model,
                    api_key,
                    coords,
                    max_pixels or None,
                    concurrency or None,
                    prompt,
                )
                settings = settings_from_form(env, form)
                inspector_obj = make_inspector(settings, env, lang, prompt, concurrency or None)
                conc = concurrency or (settings.concurrency if settings else 4)
                results = list(inspect_stream(inspector_obj, items, conc, threading.Event()))
                for r in results:
                    r.marked_jpeg = r.preview_jpeg = None
                return results_json(results, settings, lang)

        gr.api(inspect, api_name="inspect")

    def _page(views, view, results, total, names, lang_v, state, demo, *, done):
        shown = [v for v in views if v is not None]
        state = {**state, "views": {}, "order": [v.index for v in shown]}
        state["views"] = {v.index: v.to_state() for v in shown}
        gallery_update = gr.Gallery(
            value=[
                (v.image, f"{v.index + 1}. {_short(v.name, 30)}" + ("" if v.ok else " — failed"))
                for v in shown
                if v.image
            ],
            visible=total > 1,
        )
        hidden = gr.DownloadButton(visible=False)
        return (
            summary_html(results, total, lang_v, done=done, demo=demo),
            view.caption if view else "",
            view.image if view and view.ok else None,
            pd.DataFrame(view.rows if view else [], columns=HEADERS[lang_v]),
            gallery_update,
            status_html(views, names, lang_v),
            state,
            hidden,
            hidden,
            hidden,
        )

    return app


def _test_endpoint(settings: Settings) -> str:
    """Plain words: does the endpoint answer, is the model there, which coordinates (auto)."""
    client = QwenClient(settings, max_retries=0)
    lines: list[str] = []
    try:
        try:
            models = client.list_models()
        except SafetyError as exc:
            return _conn_html("bad", [f"✗ The endpoint does not answer as expected: {exc}"])
        lines.append(f"✓ {settings.host} answers ({len(models)} model(s) served).")
        if settings.model in models:
            lines.append(f"✓ Model {settings.model!r} is available.")
        else:
            shown = ", ".join(models[:10]) + (" …" if len(models) > 10 else "")
            lines.append(
                f"✗ Model {settings.model!r} is not served there. Served: {shown or 'none listed'}."
            )
            return _conn_html("bad", [scrub(line, settings.api_key) for line in lines])
        if settings.coords == AUTO:
            try:
                plan = calibrate(client, settings)
            except SafetyError as exc:
                lines.append(f"✗ Coordinates: {exc}")
                return _conn_html("bad", [scrub(line, settings.api_key) for line in lines])
            CalibrationStore(settings.cache_dir).remember(settings, plan)
            lines.append(f"✓ Coordinates: {plan.convention} (found with a probe image).")
            lines.extend(plan.notes)
        else:
            lines.append(f"Coordinates: {settings.coords} (from the settings, not probed).")
        return _conn_html("ok", [scrub(line, settings.api_key) for line in lines])
    finally:
        client.close()


__all__ = ["CONFIGURE_MESSAGE", "build_app", "launch_kwargs", "settings_from_form", "user_errors"]
