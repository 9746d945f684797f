"""Videos on the page, in a real headless Chromium against the simulator over real HTTP: a
generated walkthrough (a person who takes the hard hat off, a fire, smoke that appears)
uploaded beside a photo, its cost shown before Inspect, the timeline of events, a click on
an event showing its best frame marked, frames stepped through, an event rejected through
the review panel and the JSON read back; in English and in Chinese, at 1366 and 390 px wide
(screenshots in tests/artifacts/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import scenes, videos
from tests.test_app_api import live_env, running_app
from tests.test_app_browser import ARTIFACTS, _cell, browser, expect  # noqa: F401
from tests.test_video_cli import SECONDS, H, W, walkthrough

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = {
    "en": {"locale": "en-US", "estimate": "frames to send", "smoke": "smoke", "fire": "fire",
           "frame": "Frame", "rejected": "rejected", "timeline": "Timeline of events"},
    "zh": {"locale": "zh-CN", "estimate": "帧", "smoke": "烟雾", "fire": "火灾", "frame": "帧",
           "rejected": "驳回", "timeline": "事件时间轴"},
}  # fmt: skip


@pytest.fixture(scope="module")
def walk(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("walk")
    return videos.write_video(folder / "walk.mp4", videos.steady(10, SECONDS),
                              videos.moving(W, H, walkthrough), rotation=-90)  # fmt: skip


def _event(page, category_words: str):
    return page.locator(f'#video-timeline button[aria-label*="{category_words}"]').first


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_video_on_the_page(browser, simulator, walk, tmp_path, lang):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    words = WORDS[lang]
    server = simulator()
    photo = tmp_path / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(560, 420, [("fire", (20, 20, 120, 120))])))
    with running_app(live_env(server, QWEN_VL_COORDS="absolute")) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 1000},
                                      locale=words["locale"], accept_downloads=True)  # fmt: skip
        page = context.new_page()
        page.goto(url)
        page.locator("#photos input[type=file]").set_input_files([str(walk), str(photo)])
        # The cost before anything is spent: the video's frames, requests and tokens.
        estimate = page.locator("#video-estimate")
        expect(estimate).to_contain_text(words["estimate"], timeout=30_000)
        expect(estimate).to_contain_text("walk.mp4")
        assert not server.requests, "nothing is sent before Inspect"
        page.locator("#run").click()
        expect(page.locator("#download-json")).to_be_visible(timeout=120_000)

        # The video is shown first: its timeline, one bar per event (person, fire, smoke).
        panel = page.locator("#video-panel").first
        expect(panel).to_be_visible()
        plot = page.locator("#video-timeline .tl")
        expect(plot).to_have_attribute("aria-label", words["timeline"])
        bars = page.locator("#video-timeline button.tl-ev")
        expect(bars).to_have_count(3)
        page.screenshot(path=str(ARTIFACTS / f"video_timeline_1366_{lang}.png"), full_page=True)

        # A click on the smoke event: it is chosen for review, its best frame marked.
        before = page.locator("#marked img").get_attribute("src")
        _event(page, words["smoke"]).click()
        expect(page.locator("#review-selected")).to_contain_text(words["smoke"])
        expect(page.locator("#marked img")).not_to_have_attribute("src", before or "")
        expect(_event(page, words["smoke"])).to_have_attribute("aria-pressed", "true")
        caption = page.locator("#video-frame-caption")
        expect(caption).to_contain_text(words["frame"])
        shown = caption.inner_text()
        # Smoke appears at 5 s: its best frame is at 5 s or later.
        assert any(f"0:0{s}" in shown for s in range(5, SECONDS)), shown

        # Step to the next frame and back.
        page.locator("#video-next").click()
        expect(caption).not_to_have_text(shown)
        page.locator("#video-prev").click()
        expect(caption).to_have_text(shown)

        # A row of the table chooses its event on the timeline too.
        _cell(page, words["fire"]).first.click()
        expect(_event(page, words["fire"])).to_have_attribute("aria-pressed", "true")
        expect(_event(page, words["smoke"])).to_have_attribute("aria-pressed", "false")
        _event(page, words["smoke"]).click()
        expect(_event(page, words["smoke"])).to_have_attribute("aria-pressed", "true")

        # Reject the smoke event through the review panel: the timeline shows it rejected.
        page.locator("#review-reject").click()
        expect(page.locator("#video-timeline button.tl-rejected")).to_have_count(1)
        expect(page.locator("#write-report")).to_be_visible(timeout=30_000)

        page.set_viewport_size({"width": 390, "height": 844})
        _event(page, words["smoke"]).scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"video_timeline_390_{lang}.png"), full_page=True)
        # At 390 px the timeline fits: no bar runs past the panel.
        box = page.locator("#video-timeline").bounding_box()
        for i in range(bars.count()):
            bar = bars.nth(i).bounding_box()
            right = box["x"] + box["width"] + 1
            assert bar["x"] >= box["x"] - 1 and bar["x"] + bar["width"] <= right

        page.locator("#write-report").click()
        expect(page.locator("#download-json")).to_be_visible(timeout=60_000)
        with page.expect_download() as info:
            page.locator("#download-json").click()
        doc = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
        [video] = [e for e in doc["images"] if e.get("kind") == "video"]
        smoke = [e for e in video["events"] if e["category"] == "smoke"]
        assert [e["review"] for e in smoke] == ["rejected"]
        assert {e["category"] for e in video["events"]} == {"person", "fire", "smoke"}
        # The summary counts the events that stand (the rejected smoke no more), not frames.
        assert (doc["summary"]["videos"], doc["summary"]["events"]) == (1, 2)
        context.close()
