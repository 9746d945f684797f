"""The PDF report, read back: text (pypdf), fonts (pypdf and pdffonts), page 1 rendered
(pdftoppm). Self-contained: photos are drawn here with Pillow and safety.annotate."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageStat
from pypdf import PdfReader

from safety.annotate import draw_detections
from safety.detections import Detection, ImageResult
from safety.report import ReportInfo, build_report, write_report
from safety.report.photos import MARKED_MAX_SIDE
from safety.summary import level_name, summarize, verdict_parts

HOSTILE = '<font size=80>BIG</font> <a href="http://evil">x</a> & <b>'
PROMPT = "请仔细检查这张施工/作业现场照片 <json> & more"
FAKE_KEY = "sk-FAKE-report-key-7f3a9c0e5d2b41"
CREATED = datetime(2025, 3, 4, 10, 5, 0, tzinfo=timezone(timedelta(hours=8)))


# --------------------------------------------------------------------------- inputs


def photo(width: int = 1600, height: int = 1200, seed: int = 0) -> Image.Image:
    """A site-like photo: sky, ground, a few blocks and some grain."""
    rng = random.Random(seed)
    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    horizon = int(height * rng.uniform(0.35, 0.55))
    for y in range(height):
        if y < horizon:
            t = y / horizon
            c = (int(120 + 80 * t), int(160 + 60 * t), int(210 + 30 * t))
        else:
            t = (y - horizon) / (height - horizon)
            c = (int(150 - 50 * t), int(130 - 40 * t), int(100 - 30 * t))
        draw.line((0, y, width, y), fill=c)
    for _ in range(8):
        x = rng.randrange(0, width - 100)
        w = rng.randrange(60, width // 4)
        h = rng.randrange(60, height // 2)
        g = rng.randrange(70, 200)
        draw.rectangle((x, horizon - h, x + w, horizon + 10), fill=(g, g - 10, g - 20))
    noise = Image.effect_noise((width, height), 28).convert("RGB")
    return Image.blend(img, noise, 0.12).filter(ImageFilter.SMOOTH)


def jpeg(img: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def fit(img: Image.Image, side: int) -> Image.Image:
    r = min(1.0, side / max(img.size))
    return img.resize((max(1, round(img.width * r)), max(1, round(img.height * r))))


def result(
    index: int, source: str, detections: list[Detection], *, seed: int = 0, **kw
) -> ImageResult:
    img = photo(seed=seed)
    display = fit(img, 1920)
    marked = draw_detections(display, detections, scale=display.width / img.width)
    data = jpeg(img, 92)
    return ImageResult(
        source=source,
        index=index,
        width=img.width,
        height=img.height,
        detections=detections,
        marked_jpeg=jpeg(marked),
        preview_jpeg=jpeg(fit(display, 800)),
        raw_text=kw.pop("raw_text", '```json\n[{"bbox_2d": [1, 2, 3, 4], "label": "x"}]\n```'),
        usage={"prompt_tokens": 1234, "completion_tokens": 56, "total_tokens": 1290},
        latency_s=2.345,
        model="qwen2.5-vl-72b-instruct",
        convention="absolute",
        frame=(1288, 966),
        sha256=f"{index:02d}" + "ab" * 31,
        file_bytes=len(data),
        finish_reason="stop",
        **kw,
    )


def sample_results() -> list[ImageResult]:
    """Fire severe + 2 persons (one without hard hat); nothing found; a failure; a photo with
    a hostile label and a Chinese one. Returned out of order."""
    fire = [
        Detection("fire", "severe", "fire", "severe", (300, 500, 700, 900)),
        Detection("person", "worn", "person", "hard hat", (900, 400, 1050, 800)),
        Detection("person", "missing", "person", "no hard hat", (1150, 420, 1300, 820)),
    ]
    hostile = [
        Detection("other", "", HOSTILE, "", (100, 100, 400, 300)),
        Detection("person", "missing", "人员", "未佩戴安全帽", (600, 300, 800, 700)),
    ]
    return [
        result(
            3,
            "crane_zone.jpg",
            hostile,
            seed=3,
            notes=["Clamped 1 box(es) that reached outside the photo."],
        ),
        result(1, "empty_yard.jpg", [], seed=1, raw_text="```json\n[]\n```"),
        ImageResult(
            source="broken.jpg",
            index=2,
            error="The image data is truncated or corrupt.",
            error_kind="input",
        ),
        result(0, "hot_work_area.jpg", fire, seed=0),
    ]


def info(lang: str = "en", **kw) -> ReportInfo:
    return ReportInfo(
        site=kw.pop("site", "North yard, building C"),
        inspector="Li Wei",
        notes=kw.pop("notes", "Checked after rain."),
        lang=lang,
        endpoint="https://dashscope.aliyuncs.com",
        model="qwen2.5-vl-72b-instruct",
        prompt=PROMPT,
        created=CREATED,
        **kw,
    )


# --------------------------------------------------------------------------- reading back


def squash(text: str) -> str:
    """Text without whitespace: wrapping (anywhere in Chinese) must not break a match."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (poppler-utils) is missing in CI; .ci/run installs it")
        pytest.skip(f"{tool} not installed (apt-get install poppler-utils)")
    return path


@pytest.fixture(scope="module")
def en_pdf() -> bytes:
    return build_report(sample_results(), info("en"))


@pytest.fixture(scope="module")
def zh_pdf() -> bytes:
    return build_report(sample_results(), info("zh"))


# --------------------------------------------------------------------------- tests


@pytest.mark.slow
def test_page_one_holds_the_verdict_counts_and_failures(en_pdf):
    pages = pdf_text(en_pdf)
    first = squash(pages[0])
    s = summarize(sample_results())
    assert (s.total("fire"), s.n("person", "missing"), s.total("person"), s.failed) == (1, 2, 3, 1)
    for needle in (
        "Site safety inspection report",
        "North yard, building C",
        "Li Wei",
        "2025-03-04 10:05:00 UTC+08:00",
        "https://dashscope.aliyuncs.com",
        "qwen2.5-vl-72b-instruct",
        level_name("immediate-action", "en"),
        level_name("violation", "en"),
        "1 fire (1 severe), 0 smoke, 3 persons, 2 without hard hat",
        "4 photos, 1 FAILED (not inspected)",
        "broken.jpg",
        "The image data is truncated or corrupt.",
        "Checked after rain.",
    ):
        assert squash(needle) in first, needle
    assert squash(verdict_parts(s, "en")[1]) in first


def test_photo_sections_are_in_index_order_with_findings(en_pdf):
    text = squash("\n".join(pdf_text(en_pdf)))
    positions = [text.index(squash(f"Photo {n} of 4")) for n in (1, 2, 3, 4)]
    assert positions == sorted(positions)
    # Findings of photo 1: categories, statuses, the model's labels and boxes.
    section = text[positions[0] : positions[1]]
    for needle in (
        "fire",
        "severe",
        "NO HARD HAT",
        "no hard hat",
        "[300, 500, 700, 900]",
        "[1150, 420, 1300, 820]",
        "hot_work_area.jpg",
    ):
        assert squash(needle) in section, needle
    # Photo 2: nothing found, said as such; photo 3: its error in the section.
    assert squash("Nothing found") in text[positions[1] : positions[2]]
    failed = text[positions[2] : positions[3]]
    assert squash("This photo could not be inspected") in failed
    assert squash("The image data is truncated or corrupt.") in failed
    # Photo 4: the repair note.
    assert squash("Clamped 1 box(es) that reached outside the photo.") in text[positions[3] :]


def test_hostile_label_prints_as_text_and_chinese_shows(en_pdf):
    text = squash("\n".join(pdf_text(en_pdf)))
    assert squash(HOSTILE) in text
    assert "<font size=80>" in "\n".join(pdf_text(en_pdf))
    assert "人员" in text and "未佩戴安全帽" in text
    # The <a href> did not become a link, nor <font size=80> a giant font.
    for page in PdfReader(io.BytesIO(en_pdf)).pages:
        assert "/Annots" not in page


def test_audit_appendix(en_pdf):
    text = squash("\n".join(pdf_text(en_pdf)))
    start = text.index("Auditappendix")
    appendix = text[start:]
    for needle in (
        "00" + "ab" * 31,
        "qwen2.5-vl-72b-instruct",
        "absolute",
        "1234 / 56 / 1290",
        "2.35 s",
        '"bbox_2d"',
        "1288 × 966",
        PROMPT,
    ):
        assert squash(needle) in appendix, needle
    assert appendix.count(squash("请仔细检查这张施工")) == 1  # the prompt, once


@pytest.mark.slow
def test_chinese_report(zh_pdf):
    pages = pdf_text(zh_pdf)
    first = squash(pages[0])
    s = summarize(sample_results())
    for needle in (
        "现场安全检查报告",
        "检查人",
        level_name("immediate-action", "zh"),
        level_name("violation", "zh"),
        verdict_parts(s, "zh")[1],
        "broken.jpg",
    ):
        assert squash(needle) in first, needle
    text = squash("\n".join(pages))
    for needle in ("人员", "未戴安全帽", "火灾", "严重", "未佩戴安全帽", "审计附录", HOSTILE):
        assert squash(needle) in text, needle


def _font_descriptors(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            yield str(font.get("/BaseFont")), desc.get_object() if desc is not None else None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_only_embedded_fonts_pypdf(lang, en_pdf, zh_pdf):
    data = en_pdf if lang == "en" else zh_pdf
    seen = list(_font_descriptors(data))
    assert seen
    for name, desc in seen:
        assert "WenQuanYi" in name, name
        assert desc is not None and "/FontFile2" in desc, name


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdffonts_shows_the_cjk_font_embedded(lang, en_pdf, zh_pdf, tmp_path):
    tool = need("pdffonts")
    path = tmp_path / "r.pdf"
    path.write_bytes(en_pdf if lang == "en" else zh_pdf)
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    assert any("WenQuanYiMicroHei" in row[0] for row in rows)
    for row in rows:
        assert row[-5] == "yes", f"font not embedded: {row}"  # name type enc EMB sub uni obj gen


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_one_renders_with_a_red_banner(lang, en_pdf, zh_pdf, tmp_path):
    tool = need("pdftoppm")
    path = tmp_path / "r.pdf"
    path.write_bytes(en_pdf if lang == "en" else zh_pdf)
    subprocess.run(
        [tool, "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    png = next(tmp_path.glob("p*.png"))
    img = Image.open(png).convert("RGB")
    assert max(ImageStat.Stat(img.convert("L")).stddev) > 20  # not a blank page
    # The immediate-action banner is red and large.
    px = np.asarray(img, dtype=np.int16)
    red = int(((px[..., 0] > 170) & (px[..., 1] < 60) & (px[..., 2] < 60)).sum())
    assert red > 0.03 * img.width * img.height


@pytest.mark.slow
def test_api_key_never_in_the_pdf(monkeypatch):
    monkeypatch.setenv("QWEN_VL_API_KEY", FAKE_KEY)
    monkeypatch.setenv("DASHSCOPE_API_KEY", FAKE_KEY)
    leaky = ReportInfo(
        lang="en",
        endpoint=f"https://user:{FAKE_KEY}@api.example.com:8443/v1?api_key={FAKE_KEY}",
        model="m",
        created=CREATED,
    )
    data = build_report(sample_results(), leaky)
    text = "\n".join(pdf_text(data))
    assert FAKE_KEY not in text and FAKE_KEY.encode() not in data
    assert "https://api.example.com:8443" in text
    assert "/v1" not in text


@pytest.mark.slow
def test_no_hazard_only_for_photos_read():
    ok = [r for r in sample_results() if r.index == 1]
    failed = [r for r in sample_results() if r.index == 2]
    first = squash(pdf_text(build_report(ok, info()))[0])
    assert squash("No hazard found") in first
    both = squash(pdf_text(build_report(ok + failed, info()))[0])
    assert squash("No hazard found in the 1 photo read") in both
    assert squash("1 FAILED") in both
    none = squash(pdf_text(build_report(failed, info()))[0])
    assert squash("No hazard found") not in none and "NORESULT" in none


@pytest.mark.slow
def test_reference_labels_said_on_page_one_and_per_photo():
    data = build_report(sample_results(), info(reference_labels=True))
    pages = pdf_text(data)
    assert "REFERENCELABELS" in squash(pages[0])
    text = squash("\n".join(pages))
    assert text.count(squash("Reference labels (demo mode), not a live model's answer.")) >= 5


@pytest.mark.slow
def test_photos_downsampled_and_odd_inputs(tmp_path):
    big = result(0, "big.jpg", [], seed=5)
    big.marked_jpeg = jpeg(photo(1920, 1440, seed=5))
    long_label = "L" * 150 + " " + "很长的标签" * 20  # wraps; longer labels are cut at 300
    odd = result(
        1,
        "x" * 400,
        [Detection("smoke", "unknown", long_label, "\x00\x07 ctrl", (10, 10, 20, 20))],
        seed=6,
        raw_text='{"a": 1}\n' * 3000,
    )
    odd.marked_jpeg = b"not a jpeg"
    bare = ImageResult(source="no_images.jpg", index=2, width=100, height=80)
    path = write_report(tmp_path / "sub" / "r.pdf", [bare, odd, big], info(notes=HOSTILE))
    data = path.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    widths = []
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                widths.append(max(int(obj["/Width"]), int(obj["/Height"])))
    assert widths and max(widths) <= MARKED_MAX_SIDE
    text = squash("\n".join(p.extract_text() or "" for p in reader.pages))
    assert squash("Cut here") in text
    assert squash("很长的标签很长的标签") in text
    assert squash("could not be decoded") in text
    assert squash(HOSTILE) in text  # the inspector's notes are escaped too


def test_empty_report_says_no_result():
    first = squash(pdf_text(build_report([], ReportInfo()))[0])
    assert "NORESULT" in first and squash("No photos in this report.") in first
    assert squash("No hazard found") not in first


def test_report_words_are_in_the_catalogue_and_all_used():
    """Every "report.*" key the report's modules name is in the catalogue, and every
    "report.*" phrase in the catalogue is used (a phrase left behind is dead weight)."""
    from pathlib import Path

    import safety.report
    from safety.i18n import WORDS

    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in Path(safety.report.__file__).parent.glob("*.py")
    )
    named = set(re.findall(r'"(report\.[a-z0-9.-]+)"', source))
    counted = {key for key in named if key not in WORDS}  # t_n picks "<key>.one" / ".other"
    used = (named - counted) | {f"{key}.{n}" for key in counted for n in ("one", "other")}
    defined = {key for key in WORDS if key.startswith("report.")}
    assert used - defined == set()
    assert defined - used == set()
