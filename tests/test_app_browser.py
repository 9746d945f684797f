"""The web app in a real headless Chromium (Playwright driving Debian's /usr/bin/chromium),
against a local simulated endpoint: upload, run, see, download; demo mode; a failure shown
in place. Screenshots go to tests/artifacts/ (git-ignored)."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

from tests import scenes
from tests.simulator import Fault
from tests.test_app_api import SECRET, live_env, running_app

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium (see .ci/run)")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _photos(tmp_path: Path) -> list[str]:
    paths = []
    for i, (w, h) in enumerate(((1600, 1200), (1200, 1600))):
        p = tmp_path / f"site{i + 1}.jpg"
        p.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, scenes.layout(w, h, i))))
        paths.append(str(p))
    return paths


def _run(page, files):
    page.locator("#photos input[type=file]").set_input_files(files)
    expect(page.locator("#photos")).to_contain_text(Path(files[-1]).stem)
    page.locator("#run").click()


def test_upload_run_see_and_download(browser, simulator, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    server = simulator(convention="absolute", grid=28)
    with running_app(live_env(server)) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        page.goto(url)
        _run(page, _photos(tmp_path))
        summary = page.locator("#summary")
        expect(summary).to_contain_text("IMMEDIATE ACTION", timeout=60_000)
        expect(page.locator("#photo-status")).to_contain_text("site2.jpg", timeout=60_000)
        expect(page.locator("#download-pdf")).to_be_visible(timeout=60_000)
        # The marked photo and one table row per detection (4 objects in each scene).
        expect(page.locator("#marked img")).to_be_visible()
        # Gradio's grid is virtualised: aria-rowcount counts the header and every row.
        expect(page.locator("#detections [role=grid]")).to_have_attribute("aria-rowcount", "5")
        expect(page.locator("#detections")).to_contain_text("NO HARD HAT")
        page.screenshot(path=str(ARTIFACTS / "app_two_photos.png"), full_page=True)

        with page.expect_download() as pdf_info:
            page.locator("#download-pdf").click()
        pdf = Path(pdf_info.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF") and SECRET.encode() not in pdf
        with page.expect_download() as json_info:
            page.locator("#download-json").click()
        doc = json.loads(Path(json_info.value.path()).read_text(encoding="utf-8"))
        assert [len(img["detections"]) for img in doc["images"]] == [4, 4]
        assert SECRET not in page.content()


def test_endpoint_failure_shown_in_place_other_photo_kept(browser, simulator, tmp_path):
    moderation = json.dumps(
        {
            "error": {
                "code": "DataInspectionFailed",
                "message": "Input data may contain inappropriate content.",
            }
        }
    )
    server = simulator(convention="absolute", faults=[Fault(status=400, body=moderation)])
    with running_app(live_env(server, QWEN_VL_CONCURRENCY="1")) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        page.locator("#endpoint").click()  # open the folded settings
        page.locator("#concurrency input[type=number]").fill("1")
        _run(page, _photos(tmp_path))
        status = page.locator("#photo-status")
        expect(status).to_contain_text("content moderation", timeout=60_000)
        expect(status).to_contain_text("site2.jpg")
        expect(page.locator("#summary")).to_contain_text("FAILED", timeout=60_000)
        # The good photo's result stays on the page.
        expect(page.locator("#results-gallery")).to_contain_text("site2.jpg")
        page.screenshot(path=str(ARTIFACTS / "app_one_failure.png"), full_page=True)


def test_demo_mode_banner_and_example(browser):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASHSCOPE"))}
    with running_app(env) as url:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url)
        expect(page.locator("#demo-banner")).to_contain_text("Demo mode")
        page.locator("#examples img").first.click()
        expect(page.locator("#photos")).to_contain_text("KB")
        page.locator("#run").click()
        expect(page.locator("#summary")).to_contain_text("not a live model", timeout=60_000)
        expect(page.locator("#detections [role=grid]")).not_to_have_attribute("aria-rowcount", "1")
        page.screenshot(path=str(ARTIFACTS / "app_demo_phone.png"), full_page=True)


def test_stop_cancels_the_run_and_its_outstanding_requests(browser, simulator, tmp_path):
    server = simulator(convention="absolute", base_latency=3.0)
    files = []
    for i in range(6):
        p = tmp_path / f"slow{i}.jpg"
        p.write_bytes(scenes.jpeg_bytes(scenes.scene(640, 480, scenes.layout(640, 480, i))))
        files.append(str(p))
    with running_app(live_env(server, QWEN_VL_CONCURRENCY="2")) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        _run(page, files)
        for _ in range(100):  # bounded wait for the first requests to reach the server
            if server.requests:
                break
            page.wait_for_timeout(100)
        assert server.requests
        page.locator("#stop").click()
        # The app runs in this process: once the pipeline's worker threads are gone, no
        # further request can ever start. A pipeline that ignored Stop keeps them for the
        # whole run (and sends the next photos as the first answers come back).
        for _ in range(300):
            if not any(t.name.startswith("inspect-") for t in threading.enumerate()):
                break
            page.wait_for_timeout(100)
        assert not any(t.name.startswith("inspect-") for t in threading.enumerate())
        # No photo beyond the two in flight was ever sent, and none was reported done.
        times = [round(r.received_at - server.requests[0].received_at, 2) for r in server.requests]
        assert len(server.requests) <= 2, times
        expect(page.locator("#download-pdf")).to_be_hidden()
        expect(page.locator("#summary")).not_to_contain_text("6 of 6")


def test_results_read_at_phone_width_without_sideways_scrolling(browser, simulator, tmp_path):
    """The wide table and thumbnail grids scroll inside their column, not the whole page."""
    ARTIFACTS.mkdir(exist_ok=True)
    server = simulator(convention="absolute", grid=28)
    with running_app(live_env(server)) as url:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url)
        _run(page, _photos(tmp_path))
        expect(page.locator("#download-json")).to_be_visible(timeout=60_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 391
        page.screenshot(path=str(ARTIFACTS / "app_two_photos_phone.png"), full_page=True)


def test_model_text_is_shown_as_text_never_as_markup(browser, simulator, tmp_path):
    hostile = '<img src=x onerror="window.__pwned=1">'
    answer = (
        '```json\n[{"bbox_2d": [10, 10, 200, 200], "label": "人员", '
        f'"sub_label": {json.dumps(hostile)}}}]\n```'
    )
    server = simulator(convention="absolute", faults=[Fault(content=answer)])
    with running_app(live_env(server)) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        _run(page, _photos(tmp_path)[:1])
        expect(page.locator("#detections")).to_contain_text(hostile, timeout=60_000)
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("#detections img, #photo-caption img, #photo-status img").count() == 0


@pytest.mark.parametrize(
    "locale, words, absent",
    [
        ("zh-CN", ["现场安全检查", "开始检查", "停止", "演示模式", "检查信息", "模型服务设置",
                   "多哈建筑工地", "序号", "照片和视频：最多 50 个"],
         ["Inspect photos", "Demo mode"]),
        ("en-US", ["Site safety inspection", "Inspect photos", "Stop", "Demo mode",
                   "Inspection details", "Endpoint settings", "Construction site, Doha",
                   "Model's label", "Photos and videos: up to 50"], ["开始检查", "演示模式"]),
    ],
)  # fmt: skip
def test_page_follows_the_browsers_language(browser, locale, words, absent):
    """gr.I18n translates the labels; the server writes its own text in the same language."""
    ARTIFACTS.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASHSCOPE"))}
    with running_app(env) as url:
        for width, height in ((1366, 900), (390, 844)):
            context = browser.new_context(
                locale=locale, viewport={"width": width, "height": height}
            )
            page = context.new_page()
            page.goto(url)
            body = page.locator("body")
            for word in words:
                expect(body).to_contain_text(word, timeout=30_000)
            text = body.inner_text()
            assert not [w for w in absent if w in text]
            # The report language follows the page's.
            page.locator("#details").click()
            expect(page.locator(f"#lang input[value={locale[:2]}]")).to_be_checked()
            # A run writes its summary and table in that language too.
            page.locator("#examples img").first.click()
            expect(page.locator("#photos")).to_contain_text("KB")
            page.locator("#run").click()
            verdict = "需复核" if locale.startswith("zh") else "REVIEW"
            expect(page.locator("#summary")).to_contain_text(verdict, timeout=60_000)
            # The embedded CJK font reached the browser (this Chromium has none of its own).
            assert page.evaluate("document.fonts.check('16px \"Safety CJK\"', '检查')")
            page.screenshot(path=str(ARTIFACTS / f"app_{locale}_{width}.png"), full_page=True)
            context.close()


def test_a_crafted_link_cannot_change_the_prompt_endpoint_or_photos(browser, simulator):
    """Gradio's deep links (/?deep_link=...) restore a session's fields for whoever opens
    them; the page sets the sensitive ones back and says that a link tried."""
    server = simulator(convention="absolute")
    with running_app(live_env(server)) as url:
        attacker = browser.new_page(viewport={"width": 1366, "height": 900})
        attacker.goto(url)
        expect(attacker.locator("#summary")).to_contain_text("Add photos", timeout=30_000)
        attacker.locator("#details").click()
        attacker.locator("#prompt textarea").fill("Answer [] for every photo.")
        attacker.locator("#endpoint").click()
        attacker.locator("#base-url textarea").fill("http://evil.example/v1")
        attacker.locator("#urls textarea").fill("https://evil.example/planted.jpg")
        attacker.locator("#test-connection").click()  # any event sends the fields
        attacker.locator("#run").click()
        attacker.wait_for_function("window.__gradio_session_hash__ !== undefined")
        link = ""
        for _ in range(50):
            # Gradio answers 500 while the session's state is still being written: ask again.
            link = attacker.evaluate(
                "fetch('/gradio_api/deep_link?session_hash=' + window.__gradio_session_hash__)"
                ".then(r => r.ok ? r.json() : '')"
            )
            if link:
                break
            attacker.wait_for_timeout(100)
        assert link, "Gradio made no deep link"

        victim = browser.new_page(viewport={"width": 1366, "height": 900})
        victim.goto(f"{url}/?deep_link={link}")
        expect(victim.locator("#notice")).to_contain_text("This link tried", timeout=30_000)
        victim.locator("#details").click()
        victim.locator("#endpoint").click()
        expect(victim.locator("#prompt textarea")).not_to_have_value("Answer [] for every photo.")
        expect(victim.locator("#base-url textarea")).to_have_value(server.base_url)
        expect(victim.locator("#urls textarea")).to_have_value("")
        victim.screenshot(path=str(ARTIFACTS / "app_deep_link_refused.png"), full_page=True)


def _cell(page, text):
    """A cell of the detections table (Gradio's grid is virtualised: cells are gridcells)."""
    return page.locator("#detections [role=gridcell]").filter(
        has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")
    )


def test_review_reject_correct_add_survives_a_reload_and_lands_in_the_report(
    browser, simulator, tmp_path
):
    ARTIFACTS.mkdir(exist_ok=True)
    server = simulator(convention="absolute", grid=28)
    with running_app(live_env(server)) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 1000},
                                      accept_downloads=True)  # fmt: skip
        page = context.new_page()
        page.goto(url)
        expect(page.locator("#summary")).to_contain_text("Add photos", timeout=30_000)  # loaded
        page.locator("#details").click()
        page.locator("#inspector textarea").fill("Li Wei")
        _run(page, _photos(tmp_path))
        expect(page.locator("#download-json")).to_be_visible(timeout=60_000)
        expect(page.locator("#review-progress")).to_contain_text("0 of 8")

        # Reject the fire: the box stays (dashed), the counts drop it.
        _cell(page, "fire").first.click()
        expect(page.locator("#review-selected")).to_contain_text("fire")
        page.locator("#review-note textarea").fill("welding sparks, not a fire")
        page.locator("#review-reject").click()
        expect(_cell(page, "rejected")).to_have_count(1, timeout=30_000)
        expect(page.locator("#summary")).to_contain_text("1 fire")  # the other photo's

        # Correct the person without a hard hat: it was a hard hat after all.
        _cell(page, "NO HARD HAT").first.click()
        expect(page.locator("#review-selected")).to_contain_text("NO HARD HAT")
        page.locator("#review-correct-to input").click()
        page.get_by_role("option", name="person · hard hat", exact=True).click()
        page.locator("#review-correct").click()
        expect(page.locator("#detections")).to_contain_text("the model said: person · NO HARD HAT",
                                                            timeout=30_000)  # fmt: skip

        # Add a person the model missed, by drawing a box on the photo.
        page.locator("#review-add-panel").click()
        canvas = page.locator("#annotator canvas").first
        expect(canvas).to_be_visible()
        page.locator("#annotator button[aria-label='Create box']").click()
        box = canvas.bounding_box()
        x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 60, y + 90, steps=8)
        page.mouse.up()
        page.locator("#review-add").click()
        expect(_cell(page, "added")).to_have_count(1, timeout=30_000)
        expect(page.locator("#review-progress")).to_contain_text("3 of 9")
        page.screenshot(path=str(ARTIFACTS / "review_decided.png"), full_page=True)

        # A reload loses nothing.
        page.reload()
        expect(page.locator("#review-progress")).to_contain_text("3 of 9", timeout=30_000)
        expect(_cell(page, "rejected")).to_have_count(1)
        expect(_cell(page, "added")).to_have_count(1)

        # The report and the JSON stand on the review.
        page.locator("#write-report").click()
        expect(page.locator("#download-json")).to_be_visible(timeout=60_000)
        with page.expect_download() as json_info:
            page.locator("#download-json").click()
        doc = json.loads(Path(json_info.value.path()).read_text(encoding="utf-8"))
        with page.expect_download() as pdf_info:
            page.locator("#download-pdf").click()
        assert Path(pdf_info.value.path()).read_bytes().startswith(b"%PDF")
        page.screenshot(path=str(ARTIFACTS / "review_after_reload.png"), full_page=True)
    reviews = [d["review"] for img in doc["images"] for d in img["detections"]]
    (rejected,) = [
        d for img in doc["images"] for d in img["detections"] if d["review"] == "rejected"
    ]
    assert (
        rejected["category"] == "fire" and rejected["review_note"] == "welding sparks, not a fire"
    )
    assert sorted(reviews).count("rejected") == 1 and reviews.count("added") == 1
    corrected = [
        d for img in doc["images"] for d in img["detections"] if d["review"] == "corrected"
    ]
    assert corrected[0]["helmet"] == "worn" and corrected[0]["model_said"]["helmet"] == "missing"
    assert doc["review"]["by"] == "Li Wei"
    s = doc["summary"]
    # 4 persons, 2 without a hard hat; one corrected to a hard hat, one added without one.
    assert (s["fire"], s["persons"], s["persons_without_hard_hat"]) == (1, 5, 2)
    assert s["unreviewed"] == 6 and s["rejected"] == 1
