"""The site on the page, in a real headless Chromium: a site profile uploaded in "Privacy and
site" reaches the prompt sent, findings get corrective actions, and a reviewer edits one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_app_api import live_env, running_app
from tests.test_app_browser import ARTIFACTS, _cell, _photos, _run, browser, expect  # noqa: F401
from tests.test_site import PROFILE

pytestmark = pytest.mark.browser


def test_site_profile_reaches_the_prompt_and_an_action_is_edited(browser, simulator, tmp_path):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    server = simulator(convention="absolute", grid=28)
    profile = tmp_path / "site.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    with running_app(live_env(server)) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 1000},
                                      accept_downloads=True)  # fmt: skip
        page = context.new_page()
        page.goto(url)
        # The page has loaded (its load event fills the summary; it can take a while on CI).
        expect(page.locator("#summary")).to_contain_text("Add photos", timeout=30_000)
        page.locator("#privacy-site").click()
        page.locator("#blur-faces input").check()
        page.locator("#site-profile-file input[type=file]").set_input_files(str(profile))
        expect(page.locator("#site-profile-file")).to_contain_text("site.toml")
        _run(page, _photos(tmp_path))
        expect(page.locator("#download-json")).to_be_visible(timeout=60_000)
        assert all("permit HW-118" in r.prompt for r in server.requests[-2:])

        _cell(page, "NO HARD HAT").first.click()
        expect(page.locator("#review-selected")).to_contain_text("NO HARD HAT")
        page.locator("#review-action-panel").click()
        expect(page.locator("#action-text textarea")).not_to_have_value("", timeout=30_000)
        page.locator("#action-owner textarea").fill("Wang Gang")
        page.locator("#action-due textarea").fill("2026-12-05")
        page.locator("#action-save").click()
        expect(page.locator("#write-report")).to_be_visible(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "review_action.png"), full_page=True)
        page.locator("#write-report").click()
        expect(page.locator("#download-json")).to_be_visible(timeout=60_000)
        with page.expect_download() as json_info:
            page.locator("#download-json").click()
        doc = json.loads(Path(json_info.value.path()).read_text(encoding="utf-8"))
        actions = [d["action"] for img in doc["images"] for d in img["detections"] if "action" in d]
        assert any(a["owner"] == "Wang Gang" and a["due"] == "2026-12-05" for a in actions)
        assert all(a["status"] in ("open", "closed") for a in actions)
        # The report written after the review still shows the site and ends in the notice.
        with page.expect_download() as pdf_info:
            page.locator("#download-pdf").click()
        from pypdf import PdfReader

        pages = PdfReader(pdf_info.value.path()).pages
        text = " ".join(" ".join(p.extract_text().split()) for p in pages)
        assert "Riverside" in pages[0].extract_text() and "Wang Gang" in text
        assert "Rectification notice" in text
