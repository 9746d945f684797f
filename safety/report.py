"""The PDF inspection report a safety officer can file.

Page 1: title, site, inspector, date and time with its time zone, the endpoint's host and the
model (never a key), a coloured banner with the verdict (from ``summary.verdict_text``), the
counts per category and status, and the photos that failed. Then one section per photo (the
marked photo large, the original small, a findings table in the category colours, the notes
on repairs made to the model's answer or the photo's error), and an audit appendix (hashes,
sizes, model, coordinate convention, tokens, latency, the raw answers and the prompt once).

Every piece of text that comes from the model or the user is escaped before it reaches a
reportlab Paragraph, so a label such as ``<font size=80>`` prints as text. All text uses the
embedded WenQuanYi Micro Hei TrueType font (reportlab subsets and embeds it), so Chinese
never depends on the viewer's fonts. Photos are re-encoded for the page (marked photo at most
1400 px, original at most 600 px) so that a report of 50 photos stays small.
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .annotate import COLOURS, FONT_PATH
from .detections import Detection, ImageResult
from .i18n import category_name, lang_or_default, status_name
from .summary import LEVEL_WORDS, Summary, summarize, verdict_text

__all__ = ["ReportInfo", "build_report", "write_report"]

# Photos as placed on the page: long side in pixels and JPEG quality.
MARKED_MAX_SIDE = 1400
MARKED_QUALITY = 70
ORIGINAL_MAX_SIDE = 600
ORIGINAL_QUALITY = 70
# Raw answers longer than this are cut in the appendix (the JSON export keeps them whole).
RAW_MAX_CHARS = 6000
RAW_MAX_LINES = 200  # about one page
PROMPT_MAX_CHARS = 6000

FONT = "WQYMicroHei"
MONO = "WQYMicroHeiMono"

PAGE_W, PAGE_H = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_PAD = 6  # SimpleDocTemplate's frame padding (points) on each side
BODY_W = PAGE_W - 2 * MARGIN_X - 2 * FRAME_PAD


@dataclass(frozen=True)
class ReportInfo:
    site: str = ""
    inspector: str = ""
    notes: str = ""
    lang: str = "en"  # "en" | "zh"
    endpoint: str = ""  # scheme://host:port only
    model: str = ""
    prompt: str = ""
    created: datetime | None = None  # aware datetime; default now() in the local time zone
    # True in the web app's demo mode: the answers are stored reference labels, not a live
    # model. Said prominently on page 1, on every photo and in the footer.
    reference_labels: bool = False


# --------------------------------------------------------------------------- words

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Site safety inspection report",
        "site": "Site / location",
        "inspector": "Inspector",
        "created": "Date and time",
        "endpoint": "Model endpoint",
        "model": "Model",
        "photos": "Photos",
        "photos_value": "{n} in all: {read} read, {failed} failed",
        "not_given": "(not given)",
        "demo_banner": (
            "DEMO MODE: REFERENCE LABELS. The findings in this report are stored reference "
            "labels, not the answers of a live model. This is not an inspection of the site."
        ),
        "demo_photo": "Reference labels (demo mode), not a live model's answer.",
        "demo_footer": "REFERENCE LABELS (DEMO), NOT A LIVE MODEL",
        "verdict": "Verdict at a glance",
        "counts": "Findings by category and status",
        "col_category": "Category",
        "col_total": "Total",
        "col_breakdown": "By status",
        "photos_row": "{read} read, {failed} failed (not inspected)",
        "failed": "Photos that failed (not inspected)",
        "none_failed": "None: the answer for every photo was read.",
        "no_photos": "No photos in this report.",
        "failed_explain": (
            "These photos were not inspected: their findings are unknown and they are not "
            'counted as "no hazard".'
        ),
        "user_notes": "Inspector's notes",
        "overview": "Photos at a glance",
        "col_photo": "Photo",
        "col_findings": "Findings",
        "col_level": "Level",
        "photo": "Photo {n}",
        "photo_of": "Photo {n} of {total}",
        "marked": "Marked photo: boxes from the model's answer, numbered as in the table.",
        "original": "Original photo (unmarked)",
        "dims": "{w} \u00d7 {h} px",
        "findings": "Findings",
        "col_no": "#",
        "col_status": "Status",
        "col_label": "Model's label",
        "col_box": "Box (x1, y1, x2, y2 px)",
        "nothing": (
            "Nothing found: the model's answer for this photo was read and lists no fire, "
            "smoke or person."
        ),
        "error_title": "This photo could not be inspected",
        "error_kind": "Kind of error",
        "error_explain": 'Its findings are unknown; it is not counted as "no hazard".',
        "photo_notes": "Notes on the model's answer (repairs made)",
        "no_image": "No image of this photo is available.",
        "bad_image": "The image of this photo could not be decoded for the report.",
        "appendix": "Audit appendix",
        "prompt": "Prompt sent with every photo",
        "no_prompt": "(not recorded)",
        "source": "Source",
        "sha256": "SHA-256",
        "file_size": "File size",
        "orig_size": "Original size (upright)",
        "frame": "Frame sent to the model",
        "convention": "Coordinate convention",
        "tokens": "Tokens (prompt / answer / total)",
        "latency": "Latency",
        "finish": "Finish reason",
        "raw": "Model's raw answer",
        "no_raw": "(no answer received)",
        "cut": (
            "[Cut here: the answer has {n:,} characters and the first {m:,} are shown. "
            "The JSON export keeps it whole.]"
        ),
        "failed_level": "FAILED: NOT INSPECTED",
        "created_footer": "Report created {time}",
        "page": "Page {p} of {n}",
        "unknown": "\u2013",
        "fire_short": "{n} fire",
        "smoke_short": "{n} smoke",
        "person_short": "{n} person",
        "persons_short": "{n} persons",
        "missing_short": "{n} without hard hat",
        "other_short": "{n} other",
        "nothing_short": "nothing found",
    },
    "zh": {
        "title": "现场安全检查报告",
        "site": "现场 / 位置",
        "inspector": "检查人",
        "created": "日期时间",
        "endpoint": "模型服务地址",
        "model": "模型",
        "photos": "照片",
        "photos_value": "共 {n} 张：已读取 {read} 张，失败 {failed} 张",
        "not_given": "（未填写）",
        "demo_banner": (
            "演示模式：参考标注。本报告中的结果是预先存储的参考标注，并非实时模型的回答，"
            "不是对现场的实际检查。"
        ),
        "demo_photo": "参考标注（演示模式），并非实时模型的回答。",
        "demo_footer": "参考标注（演示），非实时模型",
        "verdict": "结论一览",
        "counts": "按类别和状态统计",
        "col_category": "类别",
        "col_total": "合计",
        "col_breakdown": "按状态",
        "photos_row": "已读取 {read} 张，失败 {failed} 张（未检查）",
        "failed": "失败的照片（未检查）",
        "none_failed": "无：所有照片的回答均已读取。",
        "no_photos": "本报告没有照片。",
        "failed_explain": "以下照片未能检查：结果未知，不计为“未发现隐患”。",
        "user_notes": "检查备注",
        "overview": "照片一览",
        "col_photo": "照片",
        "col_findings": "检测结果",
        "col_level": "等级",
        "photo": "照片 {n}",
        "photo_of": "照片 {n} / {total}",
        "marked": "标注后的照片：框来自模型回答，编号与下表一致。",
        "original": "原图（未标注）",
        "dims": "{w} × {h} 像素",
        "findings": "检测结果",
        "col_no": "#",
        "col_status": "状态",
        "col_label": "模型标签",
        "col_box": "框（x1, y1, x2, y2 像素）",
        "nothing": "未发现目标：已读取此照片的模型回答，其中没有火灾、烟雾或人员。",
        "error_title": "此照片未能检查",
        "error_kind": "错误类型",
        "error_explain": "结果未知，不计为“未发现隐患”。",
        "photo_notes": "关于模型回答的说明（已做的修正）",
        "no_image": "此照片没有可显示的图像。",
        "bad_image": "此照片的图像无法解码，未能放入报告。",
        "appendix": "审计附录",
        "prompt": "每张照片发送的提示词",
        "no_prompt": "（未记录）",
        "source": "来源",
        "sha256": "SHA-256",
        "file_size": "文件大小",
        "orig_size": "原图尺寸（已摆正）",
        "frame": "发送给模型的尺寸",
        "convention": "坐标约定",
        "tokens": "Token（提示 / 回答 / 合计）",
        "latency": "耗时",
        "finish": "结束原因",
        "raw": "模型原始回答",
        "no_raw": "（未收到回答）",
        "cut": "[此处截断：回答共 {n:,} 个字符，仅显示前 {m:,} 个。JSON 导出中保留完整回答。]",
        "failed_level": "失败：未检查",
        "created_footer": "报告生成于 {time}",
        "page": "第 {p} 页，共 {n} 页",
        "unknown": "–",
        "fire_short": "火灾 {n}",
        "smoke_short": "烟雾 {n}",
        "person_short": "人员 {n}",
        "persons_short": "人员 {n}",
        "missing_short": "未戴安全帽 {n}",
        "other_short": "其他 {n}",
        "nothing_short": "未发现目标",
    },
}

# --------------------------------------------------------------------------- colours


def _rgb(triple: tuple[int, int, int]) -> colors.Color:
    r, g, b = triple
    return colors.Color(r / 255, g / 255, b / 255)


def _tint(triple: tuple[int, int, int], amount: float = 0.84) -> colors.Color:
    """The colour mixed with white (amount = share of white)."""
    r, g, b = (c + (255 - c) * amount for c in triple)
    return colors.Color(r / 255, g / 255, b / 255)


LEVEL_COLOURS = {
    "immediate-action": (200, 20, 20),
    "violation": COLOURS["violation"],
    "review": (245, 160, 0),
    "no-hazard": (30, 140, 60),
    "no-result": (120, 120, 120),
}
INK = colors.Color(0.1, 0.1, 0.12)
MUTED = colors.Color(0.38, 0.38, 0.42)
RULE = colors.Color(0.78, 0.78, 0.8)
PALE = colors.Color(0.95, 0.95, 0.96)
ERROR_BG = colors.Color(1.0, 0.93, 0.93)
ERROR_RED = _rgb((190, 20, 20))
DEMO_BG = colors.Color(1.0, 0.96, 0.75)


def _level_text_colour(level: str) -> colors.Color:
    return colors.black if level == "review" else colors.white


def _det_colour(det: Detection) -> tuple[int, int, int]:
    if det.is_violation:
        return COLOURS["violation"]
    return COLOURS.get(det.category, COLOURS["other"])


# --------------------------------------------------------------------------- fonts

_FONT_LOCK = threading.Lock()
_BUILD_LOCK = threading.Lock()  # reportlab keeps per-font state shared between documents
_fonts_ready = False


def _register_fonts() -> None:
    """Register the embedded CJK font once per process (regular and its mono face)."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _FONT_LOCK:
        if _fonts_ready:
            return
        registered = set(pdfmetrics.getRegisteredFontNames())
        if FONT not in registered:
            pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))
        if MONO not in registered:
            pdfmetrics.registerFont(TTFont(MONO, str(FONT_PATH), subfontIndex=1))
        # One face only: <b>/<i> map to the same font rather than to a missing one.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
        pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO, italic=MONO, boldItalic=MONO)
        _fonts_ready = True


# --------------------------------------------------------------------------- text helpers

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def _clean(value: object, limit: int | None = None) -> str:
    """Untrusted text made safe to lay out: valid UTF-8, no control characters, maybe cut."""
    text = "" if value is None else str(value)
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROL.sub("", text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text


def esc(value: object, limit: int | None = None) -> str:
    """Untrusted text as Paragraph markup that prints exactly as written (one line)."""
    return escape(" ".join(_clean(value, limit).split("\n")))


def esc_lines(value: object, limit: int | None = None) -> str:
    """Untrusted multi-line text as Paragraph markup: line breaks and indentation kept."""
    lines = []
    for line in _clean(value, limit).split("\n"):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        lines.append("&nbsp;" * indent + escape(stripped))
    return "<br/>".join(lines)


def _safe_endpoint(endpoint: str) -> str:
    """scheme://host:port, whatever was passed: never a path, query or user:password."""
    text = _clean(endpoint).strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text if "://" in text else "//" + text)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return ""
    scheme = f"{parts.scheme}://" if parts.scheme else ""
    return f"{scheme}{host}{port}"


def _format_time(created: datetime) -> str:
    offset = created.utcoffset()
    if offset is None:
        created = created.astimezone()
        offset = created.utcoffset()
    total = int(offset.total_seconds()) if offset is not None else 0
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total) // 60, 60)
    utc = f"UTC{sign}{hours:02d}:{minutes:02d}"
    name = created.tzname() or ""
    stamp = created.strftime("%Y-%m-%d %H:%M:%S")
    if not name or name.startswith(("UTC", "+", "-")) or name == utc:
        return f"{stamp} {utc}"
    return f"{stamp} {name} ({utc})"


def _format_bytes(n: int | None) -> str:
    if n is None:
        return "\u2013"
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB ({n:,} bytes)"
    if n >= 1000:
        return f"{n / 1000:.0f} kB ({n:,} bytes)"
    return f"{n} bytes"


# --------------------------------------------------------------------------- styles


class _Styles:
    def __init__(self, lang: str):
        wrap = "CJK" if lang == "zh" else None
        base = ParagraphStyle(
            "base",
            fontName=FONT,
            fontSize=9.5,
            leading=13,
            textColor=INK,
            wordWrap=wrap,
            splitLongWords=True,
            bulletFontName=FONT,
        )
        self.base = base
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10.5, textColor=MUTED)
        self.cell = ParagraphStyle("cell", base, fontSize=8.5, leading=11)
        self.cell_white = ParagraphStyle("cell_white", self.cell, textColor=colors.white)
        self.cell_head = ParagraphStyle("cell_head", self.cell, textColor=colors.white)
        self.cell_mono = ParagraphStyle("cell_mono", self.cell, fontName=MONO, fontSize=8)
        self.label = ParagraphStyle("label", self.cell, textColor=MUTED)
        self.key = ParagraphStyle("key", base, textColor=MUTED)
        self.title = ParagraphStyle(
            "title", base, fontSize=21, leading=26, spaceAfter=3 * mm, textColor=INK
        )
        self.h1 = ParagraphStyle(
            "h1", base, fontSize=15, leading=19, spaceBefore=2 * mm, spaceAfter=2.5 * mm
        )
        self.h2 = ParagraphStyle(
            "h2", base, fontSize=11.5, leading=15, spaceBefore=3.5 * mm, spaceAfter=1.8 * mm
        )
        self.photo_head = ParagraphStyle(
            "photo_head", base, fontSize=13, leading=16.5, textColor=colors.white
        )
        self.chip = ParagraphStyle("chip", base, fontSize=10, leading=12.5, alignment=TA_CENTER)
        self.banner_big = ParagraphStyle("banner_big", base, fontSize=19, leading=24)
        self.banner_small = ParagraphStyle("banner_small", base, fontSize=10.5, leading=14.5)
        self.demo = ParagraphStyle(
            "demo",
            base,
            fontSize=11,
            leading=15,
            textColor=colors.black,
            backColor=DEMO_BG,
            borderColor=colors.black,
            borderWidth=1.2,
            leftIndent=3 * mm,
            rightIndent=3 * mm,
            borderPadding=(2.5 * mm, 3 * mm, 2.5 * mm, 3 * mm),
            spaceBefore=2.5 * mm,
            spaceAfter=4 * mm,
        )
        self.demo_small = ParagraphStyle(
            "demo_small",
            base,
            fontSize=9,
            leading=12,
            textColor=colors.black,
            backColor=DEMO_BG,
            borderColor=colors.black,
            borderWidth=0.6,
            leftIndent=2 * mm,
            rightIndent=2 * mm,
            borderPadding=(1.2 * mm, 2 * mm, 1.2 * mm, 2 * mm),
            spaceBefore=1.5 * mm,
            spaceAfter=2.5 * mm,
        )
        self.caption = ParagraphStyle(
            "caption", self.small, alignment=TA_CENTER, spaceBefore=1 * mm, spaceAfter=1 * mm
        )
        self.raw = ParagraphStyle(
            "raw",
            base,
            fontName=MONO,
            fontSize=7,
            leading=9,
            wordWrap="CJK",
            leftIndent=2 * mm,
            rightIndent=2 * mm,
            backColor=PALE,
            borderColor=RULE,
            borderWidth=0.5,
            borderPadding=(1.5 * mm, 2 * mm, 1.5 * mm, 2 * mm),
            spaceBefore=1.5 * mm,
            spaceAfter=2 * mm,
        )
        self.error = ParagraphStyle("error", base, fontSize=10, leading=13.5)
        self.nothing = ParagraphStyle(
            "nothing",
            base,
            backColor=_tint(LEVEL_COLOURS["no-hazard"], 0.85),
            borderColor=_rgb(LEVEL_COLOURS["no-hazard"]),
            borderWidth=0.8,
            borderPadding=(2 * mm, 2.5 * mm, 2 * mm, 2.5 * mm),
            leftIndent=2.5 * mm,
            rightIndent=2.5 * mm,
            spaceBefore=1 * mm,
        )
        self.error_title = ParagraphStyle(
            "error_title", base, fontSize=12, leading=15, textColor=ERROR_RED
        )
        self.bullet = ParagraphStyle(
            "bullet", self.base, leftIndent=4 * mm, bulletIndent=0.5 * mm, spaceAfter=0.6 * mm
        )
        self.right = ParagraphStyle("right", self.small, alignment=TA_RIGHT)
        self.left = ParagraphStyle("left", self.small, alignment=TA_LEFT)


def _style(commands: list[tuple]) -> TableStyle:
    """A TableStyle whose plain-string cells also use the embedded font (never Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


# --------------------------------------------------------------------------- photos


@dataclass
class _PagePhoto:
    data: bytes
    width: int
    height: int


def _page_jpeg(data: bytes | None, max_side: int, quality: int) -> _PagePhoto | None:
    """Re-encode a photo for the page: long side <= max_side, JPEG at ``quality``.

    Returns None when there is no image or it cannot be decoded.
    """
    if not data:
        return None
    try:
        img = PILImage.open(io.BytesIO(data))
        w, h = img.size
        ratio = min(1.0, max_side / max(w, h))
        if img.format == "JPEG":
            img.draft("RGB", (max(1, int(w * ratio + 0.999)), max(1, int(h * ratio + 0.999))))
        img.load()
        if img.mode != "RGB":
            img = img.convert("RGB")
        if max(img.size) > max_side:
            r = max_side / max(img.size)
            size = (max(1, round(img.width * r)), max(1, round(img.height * r)))
            img = img.resize(size, PILImage.Resampling.BICUBIC, reducing_gap=2.0)
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=quality, optimize=True)
        encoded = out.getvalue()
        if (
            ratio >= 1.0
            and len(data) <= len(encoded)
            and PILImage.open(io.BytesIO(data)).format == "JPEG"
        ):
            return _PagePhoto(data, w, h)  # already small: keep the original bytes
        return _PagePhoto(encoded, img.width, img.height)
    except Exception:  # a damaged preview must not lose the report
        return None


def _prepare_photos(
    results: Sequence[ImageResult],
) -> list[tuple[_PagePhoto | None, _PagePhoto | None]]:
    def one(r: ImageResult) -> tuple[_PagePhoto | None, _PagePhoto | None]:
        return (
            _page_jpeg(r.marked_jpeg, MARKED_MAX_SIDE, MARKED_QUALITY),
            _page_jpeg(r.preview_jpeg, ORIGINAL_MAX_SIDE, ORIGINAL_QUALITY),
        )

    workers = max(1, min(8, os.cpu_count() or 1, len(results)))
    if workers == 1:
        return [one(r) for r in results]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report-img") as pool:
        return list(pool.map(one, results))


def _image(photo: _PagePhoto, max_w: float, max_h: float) -> Image:
    scale = min(max_w / photo.width, max_h / photo.height)
    return Image(io.BytesIO(photo.data), width=photo.width * scale, height=photo.height * scale)


# --------------------------------------------------------------------------- page frame


def _canvas_class(info: ReportInfo, words: dict[str, str], created: str):
    """A canvas that writes the footer (with "page N of M") once the page count is known."""
    site = _clean(info.site, 70).replace("\n", " ")
    left = words["title"] + (f" \u2013 {site}" if site else "")
    stamp = words["created_footer"].format(time=created)
    demo = words["demo_footer"] if info.reference_labels else ""

    class FooterCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            y = MARGIN_BOTTOM - 9 * mm
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN_X, y + 4.2 * mm, PAGE_W - MARGIN_X, y + 4.2 * mm)
            self.setFillColor(MUTED)
            self.setFont(FONT, 7.5)
            self.drawString(MARGIN_X, y, left)
            self.drawString(MARGIN_X, y - 3.4 * mm, stamp)
            self.setFillColor(INK)
            self.setFont(FONT, 8.5)
            page = words["page"].format(p=self._pageNumber, n=total)
            self.drawRightString(PAGE_W - MARGIN_X, y, page)
            if demo:
                self.setFillColor(ERROR_RED)
                self.setFont(FONT, 7.5)
                self.drawRightString(PAGE_W - MARGIN_X, y - 3.4 * mm, demo)
            self.restoreState()

    return FooterCanvas


# --------------------------------------------------------------------------- building blocks


class _Builder:
    def __init__(self, results: Sequence[ImageResult], info: ReportInfo):
        self.lang = lang_or_default(info.lang)
        self.w = WORDS[self.lang]
        self.st = _Styles(self.lang)
        self.info = info
        self.results = sorted(results, key=lambda r: r.index)
        self.summary = summarize(self.results)
        created = info.created or datetime.now().astimezone()
        self.created = _format_time(created)

    # -- small helpers

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.st.base)

    def cat(self, category: str) -> str:
        return escape(category_name(category, self.lang))

    def status(self, category: str, status: str) -> str:
        if not status:
            return self.w["unknown"]
        return escape(status_name(category, status, self.lang))

    def photo_no(self, r: ImageResult) -> int:
        return r.index + 1

    def levels_words(self, s: Summary) -> str:
        return " + ".join(LEVEL_WORDS[self.lang][level] for level in s.levels)

    def split_verdict(self, s: Summary) -> tuple[str, str]:
        """verdict_text's head (the level, qualified when photos failed) and its body."""
        text = verdict_text(s, self.lang)
        sep = "\uff1a" if self.lang == "zh" else ": "
        head, found, body = text.partition(sep)
        if not found:
            return self.levels_words(s), text
        return head, body

    # -- page 1

    def first_page(self) -> list[Flowable]:
        w, st, info, s = self.w, self.st, self.info, self.summary
        out: list[Flowable] = [self.p(escape(w["title"]), st.title)]
        if info.reference_labels:
            out.append(self.p(escape(w["demo_banner"]), st.demo))

        def value(text: str, style: ParagraphStyle = st.base) -> Paragraph:
            text = _clean(text).strip()
            if not text:
                return self.p(escape(w["not_given"]), st.small)
            return self.p(esc(text, 300), style)

        model = info.model
        endpoint = _safe_endpoint(info.endpoint)
        rows = [
            (w["site"], value(info.site)),
            (w["inspector"], value(info.inspector)),
            (w["created"], value(self.created)),
            (w["endpoint"], value(endpoint)),
            (w["model"], value(model)),
            (
                w["photos"],
                value(w["photos_value"].format(n=s.photos, read=s.read, failed=s.failed)),
            ),
        ]
        table = Table(
            [[self.p(escape(k), st.key), v] for k, v in rows],
            colWidths=[38 * mm, BODY_W - 38 * mm],
        )
        table.setStyle(
            _style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out += [table, Spacer(1, 5 * mm)]

        out.append(self.p(escape(w["verdict"]), st.h2))
        out.append(self.banner(s, big=True))
        out.append(Spacer(1, 4 * mm))
        out.append(self.counts_table(s))

        failed = [r for r in self.results if not r.ok]
        out.append(self.p(escape(w["failed"]), st.h2))
        if failed:
            out.append(self.p(escape(w["failed_explain"]), st.small))
            out.append(Spacer(1, 1.5 * mm))
            rows = [
                [
                    self.p(escape(w["photo"].format(n=self.photo_no(r))), st.cell),
                    self.p(esc(r.source, 160), st.cell),
                    self.p(esc(r.error, 400), st.cell),
                ]
                for r in failed
            ]
            t = Table(rows, colWidths=[20 * mm, 55 * mm, BODY_W - 75 * mm], repeatRows=0)
            t.setStyle(
                _style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (-1, -1), ERROR_BG),
                        ("LINEBEFORE", (0, 0), (0, -1), 3, ERROR_RED),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.white),
                    ]
                )
            )
            out.append(t)
        else:
            out.append(self.p(escape(w["none_failed"] if s.photos else w["no_photos"])))

        if _clean(info.notes).strip():
            out.append(self.p(escape(w["user_notes"]), st.h2))
            out.append(self.p(esc_lines(info.notes.strip(), 4000)))
        return out

    def banner(self, s: Summary, *, big: bool) -> Table:
        level = s.level
        colour = _rgb(LEVEL_COLOURS[level])
        ink = _level_text_colour(level)
        head, body = self.split_verdict(s)
        big_style = ParagraphStyle("b1", self.st.banner_big, textColor=ink)
        small_style = ParagraphStyle("b2", self.st.banner_small, textColor=ink)
        if not big:
            big_style = ParagraphStyle("b1s", big_style, fontSize=12, leading=15.5)
            small_style = ParagraphStyle("b2s", small_style, fontSize=9, leading=12)
        cells = [[self.p(escape(head), big_style)], [self.p(escape(body), small_style)]]
        if self.info.reference_labels and big:
            cells.append([self.p(escape(self.w["demo_photo"]), small_style)])
        t = Table(cells, colWidths=[BODY_W])
        pad = 4 * mm if big else 2.5 * mm
        t.setStyle(
            _style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colour),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, 0), pad * 0.8),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.9),
                    ("TOPPADDING", (0, 1), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -2), 1),
                ]
            )
        )
        return t

    def counts_table(self, s: Summary) -> Table:
        w, st = self.w, self.st
        head = [
            "",
            self.p(escape(w["col_category"]), st.cell_head),
            self.p(escape(w["col_total"]), st.cell_head),
            self.p(escape(w["col_breakdown"]), st.cell_head),
        ]
        rows: list[list] = [head]
        style: list[tuple] = [
            ("BACKGROUND", (0, 0), (-1, 0), INK),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), 0),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.white),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        big = ParagraphStyle("count", st.cell, fontSize=12, leading=14)

        def breakdown(category: str, statuses: Sequence[str], alarm: set[str]) -> str:
            parts = []
            for status in statuses:
                n = s.n(category, status)
                text = f"{n} {self.status(category, status)}"
                if n and status in alarm:
                    hot = "#c0009a" if category == "person" else "#c01010"
                    text = f'<font color="{hot}">{text}</font>'
                elif not n:
                    text = f'<font color="#9a9aa0">{text}</font>'
                parts.append(text)
            return "&nbsp;&nbsp;\u00b7&nbsp;&nbsp;".join(parts)

        spec = [
            ("person", ("worn", "missing", "unknown"), {"missing"}, {"missing"}),
            (
                "fire",
                ("severe", "moderate", "minor", "unknown"),
                {"severe", "moderate"},
                {"severe", "moderate"},
            ),
            (
                "smoke",
                ("severe", "moderate", "minor", "unknown"),
                {"severe", "moderate"},
                {"severe", "moderate"},
            ),
            ("other", (), set(), set()),
        ]
        for i, (category, statuses, alarm, _) in enumerate(spec, start=1):
            total = s.total(category)
            colour = COLOURS[category]
            rows.append(
                [
                    "",
                    self.p(self.cat(category), st.cell),
                    self.p(str(total), big),
                    self.p(breakdown(category, statuses, alarm) if statuses else "", st.cell),
                ]
            )
            style.append(("BACKGROUND", (0, i), (0, i), _rgb(colour)))
            hot = any(s.n(category, a) for a in alarm)
            if category == "person" and s.n("person", "missing"):
                style.append(("BACKGROUND", (1, i), (-1, i), _tint(COLOURS["violation"], 0.8)))
                style.append(("BACKGROUND", (0, i), (0, i), _rgb(COLOURS["violation"])))
            elif hot:
                style.append(("BACKGROUND", (1, i), (-1, i), _tint(colour, 0.8)))
            else:
                style.append(("BACKGROUND", (1, i), (-1, i), PALE))
        n = len(rows)
        photos_colour = ERROR_BG if s.failed else PALE
        rows.append(
            [
                "",
                self.p(escape(w["photos"]), st.cell),
                self.p(str(s.photos), big),
                self.p(escape(w["photos_row"].format(read=s.read, failed=s.failed)), st.cell),
            ]
        )
        style.append(("BACKGROUND", (1, n), (-1, n), photos_colour))
        style.append(("BACKGROUND", (0, n), (0, n), ERROR_RED if s.failed else MUTED))
        t = Table(rows, colWidths=[4 * mm, 34 * mm, 20 * mm, BODY_W - 58 * mm])
        t.setStyle(_style(style))
        return t

    def overview(self) -> list[Flowable]:
        w, st = self.w, self.st
        if len(self.results) < 2:
            return []
        head = [
            self.p(escape(x), st.cell_head)
            for x in (w["col_no"], w["col_photo"], w["col_findings"], w["col_level"])
        ]
        rows = [head]
        style: list[tuple] = [
            ("BACKGROUND", (0, 0), (-1, 0), INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for i, r in enumerate(self.results, start=1):
            s = summarize([r])
            if r.ok:
                findings = self.short_counts(s)
                level = self.levels_words(s)
            else:
                findings = esc(r.error, 140)
                level = escape(w["failed_level"])
            colour = LEVEL_COLOURS[s.level]
            chip = ParagraphStyle(f"ov{i}", st.cell, textColor=_level_text_colour(s.level))
            rows.append(
                [
                    self.p(str(self.photo_no(r)), st.cell),
                    self.p(esc(r.source, 120), st.cell),
                    self.p(findings, st.cell),
                    self.p(level, chip),
                ]
            )
            style.append(("BACKGROUND", (3, i), (3, i), _rgb(colour)))
        t = Table(rows, colWidths=[10 * mm, 58 * mm, BODY_W - 113 * mm, 45 * mm], repeatRows=1)
        t.setStyle(_style(style))
        return [CondPageBreak(40 * mm), self.p(escape(w["overview"]), st.h2), t]

    def short_counts(self, s: Summary) -> str:
        w = self.w
        parts = []
        for category, key in (
            ("fire", "fire_short"),
            ("smoke", "smoke_short"),
            ("person", "person_short"),
            ("other", "other_short"),
        ):
            n = s.total(category)
            if n:
                if category == "person" and n != 1:
                    key = "persons_short"
                text = escape(w[key].format(n=n))
                if category in ("fire", "smoke"):
                    sev = [
                        f"{s.n(category, st)} {self.status(category, st)}"
                        for st in ("severe", "moderate", "minor", "unknown")
                        if s.n(category, st)
                    ]
                    text += f" ({('、' if self.lang == 'zh' else ', ').join(sev)})"
                parts.append(text)
        missing = s.n("person", "missing")
        if missing:
            parts.append(
                f'<font color="#c0009a">{escape(w["missing_short"].format(n=missing))}</font>'
            )
        return "; ".join(parts) if parts else escape(w["nothing_short"])

    # -- one section per photo

    def photo_section(
        self, r: ImageResult, photos: tuple[_PagePhoto | None, _PagePhoto | None], first: bool
    ) -> list[Flowable]:
        w, st = self.w, self.st
        marked, original = photos
        s = summarize([r])
        # A photo gets its own page; a section without one (a failure) may share a page.
        if first or marked is not None or original is not None:
            out: list[Flowable] = [PageBreak()]
        else:
            out = [Spacer(1, 8 * mm), CondPageBreak(75 * mm)]

        # Heading bar: photo number and source on the left, level chip on the right.
        colour = _rgb(LEVEL_COLOURS[s.level])
        level = self.levels_words(s) if r.ok else w["failed_level"]
        chip = ParagraphStyle("chip_c", st.chip, textColor=_level_text_colour(s.level))
        title = escape(w["photo_of"].format(n=self.photo_no(r), total=len(self.results)))
        head = Table(
            [
                [
                    self.p(f"{title}<br/><font size=9>{esc(r.source, 140)}</font>", st.photo_head),
                    self.p(escape(level), chip),
                ]
            ],
            colWidths=[BODY_W - 52 * mm, 52 * mm],
        )
        head.setStyle(
            _style(
                [
                    ("BACKGROUND", (0, 0), (0, 0), INK),
                    ("BACKGROUND", (1, 0), (1, 0), colour),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ]
            )
        )
        out.append(head)
        if self.info.reference_labels:
            out.append(self.p(escape(w["demo_photo"]), st.demo_small))
        else:
            out.append(Spacer(1, 2.5 * mm))

        if not r.ok:
            out.append(self.error_box(r))
            out.append(Spacer(1, 3 * mm))
        else:
            head_text, body = self.split_verdict(s)
            out.append(
                self.p(
                    f"{escape(head_text)}: {escape(body)}"
                    if self.lang == "en"
                    else f"{escape(head_text)}：{escape(body)}",
                    st.base,
                )
            )
            out.append(Spacer(1, 2 * mm))

        # The marked photo large; the original small, beside the photo's facts.
        facts = []
        if r.width and r.height:
            facts.append(escape(w["dims"].format(w=r.width, h=r.height)))
        if r.file_bytes is not None:
            facts.append(escape(_format_bytes(r.file_bytes)))
        if r.ok and (r.model or self.info.model):
            colon = "\uff1a" if self.lang == "zh" else ": "
            facts.append(f"{escape(w['model'])}{colon}{esc(r.model or self.info.model, 120)}")
        fact_par = self.p("<br/>".join(facts), st.small)
        caption = (
            self.p(escape(w["marked"]), st.caption) if r.ok and r.detections else Spacer(1, 2 * mm)
        )
        if marked is not None and marked.height > marked.width * 1.1:
            # Portrait: the photo on the left, the original and the facts in the space beside.
            side_w = 58 * mm
            big = _image(marked, BODY_W - side_w - 4 * mm, 150 * mm)
            side: list[Flowable] = []
            if original is not None:
                side += [_image(original, side_w - 6 * mm, 60 * mm), Spacer(1, 1.5 * mm)]
            side += [self.p(escape(w["original"]), st.cell), fact_par]
            t = Table([[big, side]], colWidths=[BODY_W - side_w, side_w])
            t.setStyle(
                _style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (0, 0), 0),
                        ("ALIGN", (0, 0), (0, 0), "CENTER"),
                    ]
                )
            )
            out += [t, caption]
            original = None
            facts = []
        elif marked is not None:
            out += [_image(marked, BODY_W, 118 * mm), caption]
        elif r.marked_jpeg:
            out.append(self.p(escape(w["bad_image"]), st.small))

        if original is not None:
            thumb = _image(original, 52 * mm, 39 * mm)
            side = [self.p(escape(w["original"]), st.cell), fact_par]
            t = Table([[thumb, side]], colWidths=[56 * mm, BODY_W - 56 * mm])
            t.setStyle(
                _style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (0, 0), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ]
                )
            )
            out.append(t)
        elif marked is None and r.ok:
            out.append(self.p(escape(w["no_image"]), st.small))
            out.append(fact_par)
        elif facts:
            out += [Spacer(1, 1 * mm), fact_par]

        if r.ok:
            out.append(self.p(escape(w["findings"]), st.h2))
            if r.detections:
                out.append(self.findings_table(r.detections))
            else:
                out.append(self.p(escape(w["nothing"]), st.nothing))

        if r.notes:
            out.append(self.p(escape(w["photo_notes"]), st.h2))
            for note in r.notes:
                out.append(Paragraph(esc(note, 1000), st.bullet, bulletText="\u2022"))
        return out

    def error_box(self, r: ImageResult) -> Table:
        w, st = self.w, self.st
        cells = [
            [self.p(escape(w["error_title"]), st.error_title)],
            [self.p(esc_lines(r.error, 2000), st.error)],
        ]
        if r.error_kind:
            cells.append([self.p(f"{escape(w['error_kind'])}: {esc(r.error_kind, 80)}", st.small)])
        cells.append([self.p(escape(w["error_explain"]), st.small)])
        t = Table(cells, colWidths=[BODY_W])
        t.setStyle(
            _style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), ERROR_BG),
                    ("BOX", (0, 0), (-1, -1), 1.5, ERROR_RED),
                    ("LINEBEFORE", (0, 0), (0, -1), 5, ERROR_RED),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                    ("TOPPADDING", (0, 0), (-1, 0), 3 * mm),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 3 * mm),
                ]
            )
        )
        return t

    def findings_table(self, detections: Sequence[Detection]) -> Table:
        w, st = self.w, self.st
        head = [
            self.p(escape(x), st.cell_head)
            for x in (w["col_no"], w["col_category"], w["col_status"], w["col_label"], w["col_box"])
        ]
        rows = [head]
        style: list[tuple] = [
            ("BACKGROUND", (0, 0), (-1, 0), INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 1), (-1, -1), 0.6, colors.white),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]
        for i, d in enumerate(detections, start=1):
            colour = _det_colour(d)
            violation = d.is_violation
            text = st.cell_white if violation else st.cell
            label = esc(d.label, 300)
            if d.sub_label:
                label += f" <font color={'white' if violation else '#55555c'}>/</font> "
                label += esc(d.sub_label, 300)
            status = self.status(d.category, d.status)
            if violation:
                status = f"{status} !"
            x1, y1, x2, y2 = d.rounded_box()
            rows.append(
                [
                    self.p(str(i), st.cell_white),
                    self.p(self.cat(d.category), text),
                    self.p(status, text),
                    self.p(label, text),
                    self.p(f"[{x1}, {y1}, {x2}, {y2}]", text),
                ]
            )
            style.append(("BACKGROUND", (0, i), (0, i), _rgb(colour)))
            if violation:
                style.append(("BACKGROUND", (1, i), (-1, i), _rgb(COLOURS["violation"])))
            else:
                style.append(("BACKGROUND", (1, i), (-1, i), _tint(colour, 0.84)))
        t = Table(
            rows,
            colWidths=[9 * mm, 22 * mm, 30 * mm, BODY_W - 101 * mm, 40 * mm],
            repeatRows=1,
        )
        t.setStyle(_style(style))
        return t

    # -- appendix

    def appendix(self) -> list[Flowable]:
        w, st = self.w, self.st
        out: list[Flowable] = [PageBreak(), self.p(escape(w["appendix"]), st.h1)]
        out.append(self.p(escape(w["prompt"]), st.h2))
        prompt = _clean(self.info.prompt).strip()
        out.append(
            self.raw_block(prompt, PROMPT_MAX_CHARS)
            if prompt
            else self.p(escape(w["no_prompt"]), st.small)
        )
        for r in self.results:
            out.extend(self.audit(r))
        return out

    def raw_block(self, text: str, limit: int) -> Paragraph:
        shown = "\n".join(text[:limit].split("\n")[:RAW_MAX_LINES])
        markup = esc_lines(shown)
        if len(shown) < len(text):
            cut = self.w["cut"].format(n=len(text), m=len(shown))
            markup += f'<br/><br/><font color="#c01010">{escape(cut)}</font>'
        return self.p(markup, self.st.raw)

    def audit(self, r: ImageResult) -> list[Flowable]:
        w, st = self.w, self.st
        dash = "\u2013"
        usage = r.usage or {}
        tokens = (
            " / ".join(
                str(usage.get(k, dash))
                for k in ("prompt_tokens", "completion_tokens", "total_tokens")
            )
            if usage
            else dash
        )
        rows = [
            (w["source"], esc(r.source, 500), st.cell),
            (w["sha256"], esc(r.sha256 or dash), st.cell_mono),
            (w["file_size"], escape(_format_bytes(r.file_bytes)), st.cell),
            (
                w["orig_size"],
                escape(w["dims"].format(w=r.width, h=r.height)) if r.width else dash,
                st.cell,
            ),
            (
                w["frame"],
                escape(w["dims"].format(w=r.frame[0], h=r.frame[1])) if r.frame else dash,
                st.cell,
            ),
            (w["model"], esc(r.model or self.info.model or dash, 200), st.cell),
            (w["convention"], esc(r.convention or dash), st.cell),
            (w["tokens"], escape(tokens), st.cell),
            (
                w["latency"],
                escape(f"{r.latency_s:.2f} s" if r.latency_s is not None else dash),
                st.cell,
            ),
            (w["finish"], esc(r.finish_reason or dash), st.cell),
        ]
        if r.error:
            rows.append((w["error_title"], esc(r.error, 600), st.cell))
        table = Table(
            [[self.p(escape(k), st.label), self.p(v, style)] for k, v, style in rows],
            colWidths=[50 * mm, BODY_W - 50 * mm],
        )
        table.setStyle(
            _style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        title = escape(w["photo"].format(n=self.photo_no(r)))
        head = self.p(f"{title} <font size=9 color='#606068'>{esc(r.source, 120)}</font>", st.h2)
        raw_label = self.p(escape(w["raw"]), st.label)
        raw = (
            self.raw_block(_clean(r.raw_text), RAW_MAX_CHARS)
            if r.raw_text
            else self.p(escape(w["no_raw"]), st.small)
        )
        return [KeepTogether([head, table, Spacer(1, 1.5 * mm), raw_label]), raw]

    # -- all

    def story(self, photos) -> list[Flowable]:
        story = self.first_page()
        story += self.overview()
        for i, (r, pair) in enumerate(zip(self.results, photos, strict=True)):
            story += self.photo_section(r, pair, first=i == 0)
        story += self.appendix()
        return story


# --------------------------------------------------------------------------- API


def build_report(results: Sequence[ImageResult], info: ReportInfo) -> bytes:
    """The PDF report for ``results`` (any order; sorted by their index) as bytes."""
    _register_fonts()
    builder = _Builder(results, info)
    photos = _prepare_photos(builder.results)
    story = builder.story(photos)
    buf = io.BytesIO()
    site = _clean(info.site, 120).replace("\n", " ")
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=builder.w["title"] + (f" \u2013 {site}" if site else ""),
        author=_clean(info.inspector, 120).replace("\n", " "),
        subject=verdict_text(builder.summary, builder.lang),
        creator="safety-inspect",
        lang="zh-CN" if builder.lang == "zh" else "en",
        initialFontName=FONT,
        initialFontSize=10,
    )
    canvas_class = _canvas_class(info, builder.w, builder.created)
    with _BUILD_LOCK:
        # Binary streams: ASCII85 would make the photos 25% larger, and reportlab's pure
        # Python encoder (used when its C accelerator is missing) takes seconds per report.
        saved, rl_config.useA85 = rl_config.useA85, 0
        try:
            doc.build(story, canvasmaker=canvas_class)
        finally:
            rl_config.useA85 = saved
    return buf.getvalue()


def write_report(path: str | Path, results: Sequence[ImageResult], info: ReportInfo) -> Path:
    """Build the report and write it to ``path`` (written whole, then renamed into place)."""
    path = Path(path)
    data = build_report(results, info)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
