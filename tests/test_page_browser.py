"""The page for everyone, in a real headless Chromium: axe-core 4.14 finds no contrast or
other WCAG 2 A/AA fault in our parts of the page, in the light and the dark colour scheme
and in both languages; the verdict is a live region, the review title a heading; the
keyboard alone reaches an example, Inspect, the table's rows, Confirm and Reject; the cost
of a run is shown before it and follows the settings.

axe-core comes from the npm registry (``npm install --prefix tests/axe axe-core@4.14``, as
.ci/run does); it is not committed."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.test_app_api import running_app
from tests.test_app_browser import ARGS, ARTIFACTS, CHROMIUM

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

from playwright.sync_api import expect, sync_playwright  # noqa: E402

# Gradio's own parts, not ours to fix: its footer ("Use via API · Built with Gradio"), the
# upload area (its hint, and its upload button that holds a focusable input), and the image
# component's own fullscreen/preview button without a name.
GRADIO_OWN = ("footer", ".upload-container", "button[aria-label='common.upload']",
              ".image-container")  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def demo_url():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASHSCOPE"))}
    with running_app(env) as url:
        yield url


def _axe_source() -> str:
    assert AXE.exists(), (
        f"axe-core is not installed: run `npm install --no-save --prefix tests/axe "
        f"axe-core@4.14` (as .ci/run does); looked for {AXE.relative_to(Path.cwd())}"
    )
    return AXE.read_text(encoding="utf-8")


def _run_example(page, index: int = 0) -> None:
    page.locator("#examples img").nth(index).click()
    expect(page.locator("#photos")).to_contain_text("KB")
    page.locator("#run").click()
    expect(page.locator("#download-pdf")).to_be_visible(timeout=60_000)


def _violations(page) -> list[dict]:
    page.add_script_tag(content=_axe_source())
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
            return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => ({
                target: n.target.join(" "), html: n.html.slice(0, 160),
                summary: (n.failureSummary || "").slice(0, 200)}))}));
        }"""
    )
    ours = []
    for v in found:
        nodes = [
            n for n in v["nodes"]
            if not any(page.locator(f"{own}").count() and page.evaluate(
                "([t, own]) => !!document.querySelector(t)?.closest(own)", [n["target"], own])
                for own in GRADIO_OWN)
        ]  # fmt: skip
        if nodes:
            ours.append({**v, "nodes": nodes})
    return ours


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_axe_finds_nothing_of_ours_in_either_colour_scheme(browser, demo_url, scheme, locale):
    ctx = browser.new_context(
        viewport={"width": 1366, "height": 900}, color_scheme=scheme, locale=locale,
        extra_http_headers={"Accept-Language": locale},
    )  # fmt: skip
    page = ctx.new_page()
    page.goto(demo_url)
    expect(page.locator("#demo-banner .banner")).to_be_visible(timeout=30_000)
    # A run on the page shows every box of ours: banner, verdict with its second line, the
    # caption's tag, the review panel, the status lines.
    _run_example(page)
    page.locator("#endpoint").click()
    page.locator("#test-connection").click()
    expect(page.locator("#connection-status .conn")).to_be_visible(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"a11y_{locale}_{scheme}.png"), full_page=True)
    violations = _violations(page)
    ctx.close()
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)


def _tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the focus is inside ``selector`` (fails if it never gets there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.closest(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_alone_reaches_example_inspect_rows_confirm_and_reject(browser, demo_url):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = ctx.new_page()
    page.goto(demo_url)
    expect(page.locator("#demo-banner .banner")).to_be_visible(timeout=30_000)
    _tab_to(page, "#examples .thumbnail-item")
    page.keyboard.press("Enter")
    expect(page.locator("#photos")).to_contain_text("KB")
    _tab_to(page, "#run")
    # The primary button's focus ring is visible: an outline of at least 2 px.
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert ring[0] != "none" and ring[1] >= 2, ring
    page.keyboard.press("Enter")
    expect(page.locator("#download-pdf")).to_be_visible(timeout=60_000)
    progress = page.locator("#review-progress")
    expect(progress).to_contain_text("Reviewed 0 of")
    # The verdict (and the review progress under it) is a live region.
    assert page.locator("#summary").get_attribute("aria-live") == "polite"
    assert page.locator("#review-title [role=heading], #review-title[role=heading]").count() == 1
    for action, done in (("#review-confirm", "Reviewed 1 of"), ("#review-reject", "Reviewed 2 of")):
        _tab_to(page, "#detections [role=grid]")
        # The first row's cells, then the next row's: move down with the arrow keys.
        page.keyboard.press("ArrowDown")
        if action == "#review-reject":
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        expect(page.locator("#review-selected")).to_contain_text("Finding")
        _tab_to(page, action)
        page.keyboard.press("Enter")
        expect(progress).to_contain_text(done, timeout=30_000)
    ctx.close()


def test_cost_is_shown_before_a_run_and_follows_photos_and_settings(browser, simulator, tmp_path):
    from tests.test_app_api import live_env
    from tests.test_app_browser import _photos

    server = simulator(convention="absolute", grid=28)
    with running_app(live_env(server)) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        cost = page.locator("#cost-estimate")
        expect(cost).to_contain_text("Each photo: 1 request(s)", timeout=30_000)
        expect(cost).to_contain_text("no published price")  # a self-hosted model
        page.locator("#photos input[type=file]").set_input_files(_photos(tmp_path))
        expect(cost).to_contain_text("2 photo(s), 2 request(s)")
        page.locator("#endpoint").click()
        page.locator("#detail label").filter(has_text="tiles").click()
        expect(cost).to_contain_text(re.compile(r"2 photo\(s\), (\d{2,}) request\(s\)"))
        assert "2 photo(s), 2 request(s)" not in cost.inner_text()
        # A second look at everyone says that it multiplies the requests.
        expect(cost).not_to_contain_text("multiplies")
        page.locator("#recheck label").filter(has_text="all:").click()
        expect(cost).to_contain_text("multiplies requests")
        # A model with a published price: the money, before anything is spent.
        page.locator("#model textarea, #model input").first.fill("qwen-vl-max")
        expect(cost).to_contain_text("CNY at qwen-vl-max's published price")
        # The run's words follow the report language picked on the page.
        page.locator("#details").click()
        page.locator("#lang label").filter(has_text="中文").click()
        expect(cost).to_contain_text("运行前估算：2 张照片")


def test_on_a_phone_a_run_brings_the_verdict_and_photo_on_screen(browser, demo_url):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = ctx.new_page()
    page.goto(demo_url)
    expect(page.locator("#demo-banner .banner")).to_be_visible(timeout=30_000)
    # The folded panels start closed: the prompt is not in the way.
    expect(page.locator("#prompt textarea")).to_be_hidden()
    _run_example(page)
    page.wait_for_timeout(1500)  # the smooth scroll
    expect(page.locator("#summary .verdict")).to_be_in_viewport()
    expect(page.locator("#marked img")).to_be_in_viewport()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page_phone_after_run.png"))
    ctx.close()
