"""The hazard ledger's loop on the page, in a real headless Chromium (Debian's), against the
stand-in model, on SQLite and on a real PostgreSQL, in English and in Chinese:

record a run -> the Ledger tab lists its findings -> assign owner and due date in bulk ->
make a rectification notice -> the site manager opens its link (no account) and sends an
after photo -> the officer re-checks it with the model, verifies, closes -> Trends ->
the .xlsx download read back with openpyxl.

Screenshots of the Ledger tab and the notice page at 1366 and 390 px go to tests/artifacts/.
"""

from __future__ import annotations

import io
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from safety.web import build_app, launch_kwargs
from tests import pgcluster, scenes
from tests.test_app_api import free_port, live_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium (see .ci/run)")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

WORDS = {
    "en": {
        "locale": "en-US",
        "recorded": "Recorded in the hazard ledger",
        "saved": "Saved",
        "assigned": "assigned",
        "thanks": "Received for",
        "rectified": "rectified",
        "verified": "verified",
        "closed": "closed",
        "gone": "the hazard is gone",
        "status_col": "Status",
        "owner_col": "Owner",
    },
    "zh": {
        "locale": "zh-CN",
        "recorded": "已登记到隐患台账",
        "saved": "已保存",
        "assigned": "已指派",
        "thanks": "整改材料已收到",
        "rectified": "已整改",
        "verified": "已验收",
        "closed": "已销号",
        "gone": "隐患已消除",
        "status_col": "状态",
        "owner_col": "责任人",
    },
}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@contextmanager
def ledger_app(env: dict) -> str:
    """The app on a free loopback port that is also its public address (notice links)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**env, "SAFETY_PUBLIC_URL": url}
    app = build_app(env)
    app.queue(default_concurrency_limit=4, max_size=16).launch(
        prevent_thread_lock=True,
        server_name="127.0.0.1",
        server_port=port,
        quiet=True,
        **launch_kwargs(env),
    )
    try:
        yield url
    finally:
        app.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """Extra environment for the backend: nothing for SQLite, DATABASE_URL for PostgreSQL."""
    if request.param == "sqlite":
        yield {}
        return
    admin = request.getfixturevalue("pg_admin_url")
    url = pgcluster.new_database(admin)
    yield {"DATABASE_URL": url}
    pgcluster.drop_database(admin, url)


def _photo(tmp_path: Path, name: str, objects) -> str:
    path = tmp_path / name
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(1200, 900, objects)))
    return str(path)


def _pick(page, field: str, text: str) -> None:
    page.locator(f"#{field} input").click()
    page.get_by_role("option").filter(has_text=text).first.click()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_loop_on_the_page(browser, simulator, tmp_path, database, lang):
    from openpyxl import load_workbook

    ARTIFACTS.mkdir(exist_ok=True)
    w = WORDS[lang]
    server = simulator(convention="absolute", grid=28)
    before = _photo(tmp_path, "block-b.jpg", scenes.layout(1200, 900, 3))
    after = _photo(tmp_path, "after.jpg", [])  # the place put right: nothing in it
    env = live_env(server, SAFETY_DATA_DIR=str(tmp_path / "data"), **database)
    tag = f"{database and 'pg' or 'sqlite'}-{lang}"
    with ledger_app(env) as url:
        context = browser.new_context(
            viewport={"width": 1366, "height": 1000}, locale=w["locale"], accept_downloads=True
        )
        page = context.new_page()
        page.goto(url)
        # Record: a run on the Inspect tab, with the site named.
        page.locator("#details").click()
        page.locator("#site textarea").fill("Block B")
        page.locator("#inspector textarea").fill("Li Wei")
        page.locator("#photos input[type=file]").set_input_files([before])
        page.locator("#run").click()
        expect(page.get_by_text(w["recorded"])).to_be_visible(timeout=90_000)

        # The Ledger tab lists the run's three hazards (fire, smoke, a person without a hat).
        page.locator("#tabs button[role=tab]").nth(1).click()
        rows = page.locator("#ledger-table tbody tr")
        expect(rows).to_have_count(3, timeout=30_000)
        expect(page.locator("#ledger-table img")).to_have_count(3)  # thumbnails

        # Assign owner and due date to all three at once.
        for label in page.locator("#ledger-chosen label").all():
            label.click()
        page.locator("#ledger-owner textarea").fill("Zhao Gang")
        page.locator("#ledger-due textarea").fill("2030-01-31")
        page.locator("#ledger-assign").click()
        expect(page.locator("#ledger-bulk-msg")).to_contain_text(w["assigned"], timeout=30_000)
        expect(page.locator("#ledger-table")).to_contain_text("Zhao Gang", timeout=30_000)

        # A rectification notice for them: its PDF and the site manager's link.
        for label in page.locator("#ledger-chosen label").all():
            label.click()
        page.locator("#ledger-make-notice").click()
        link = page.locator("#notice-link")
        expect(link).to_be_visible(timeout=30_000)
        href = link.get_attribute("href")
        assert href.startswith(url + "/notice?token=")
        page.screenshot(path=str(ARTIFACTS / f"ledger_tab_1366_{tag}.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(ARTIFACTS / f"ledger_tab_390_{tag}.png"), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 1000})

        # The site manager: no account, the link alone; an after photo for the first hazard.
        manager = browser.new_context(viewport={"width": 390, "height": 844}, locale=w["locale"])
        phone = manager.new_page()
        phone.goto(href)
        sections = phone.locator("section.item")
        expect(sections).to_have_count(3)
        phone.evaluate("document.fonts.ready.then(() => true)")  # the CJK font has arrived
        phone.screenshot(path=str(ARTIFACTS / f"notice_390_{tag}.png"), full_page=True)
        first = sections.first
        number = first.locator("h2").inner_text().split(" ")[0]
        first.locator("input[type=file]").set_input_files(after)
        first.locator("textarea").fill("Extinguished, area cleared")
        first.locator("button").click()
        expect(phone.locator(".msg.ok")).to_contain_text(w["thanks"])
        expect(phone.locator("section.item").first).to_contain_text(w["rectified"])
        phone.set_viewport_size({"width": 1366, "height": 900})
        phone.evaluate("document.fonts.ready.then(() => true)")
        phone.screenshot(path=str(ARTIFACTS / f"notice_1366_{tag}.png"), full_page=True)
        manager.close()

        # The officer: the finding is rectified, with the after photo beside the before one.
        page.locator("#ledger-show").click()
        _pick(page, "ledger-pick", number)
        detail = page.locator("#ledger-detail")
        expect(detail).to_contain_text(w["rectified"], timeout=30_000)
        expect(page.locator("#ledger-slider img")).to_have_count(2, timeout=30_000)
        # The model's re-check of the site manager's photo: the hazard is gone.
        page.locator("#ledger-recheck").click()
        expect(page.locator("#ledger-finding-msg")).to_contain_text(w["gone"], timeout=60_000)
        # Verify, then close (the after photo is the evidence closing needs).
        _pick(page, "ledger-next", w["verified"])
        page.locator("#ledger-save").click()
        expect(page.locator("#ledger-finding-msg")).to_contain_text(w["saved"], timeout=30_000)
        expect(detail).to_contain_text(w["verified"])
        _pick(page, "ledger-next", w["closed"])
        page.locator("#ledger-save").click()
        expect(detail).to_contain_text(w["closed"], timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / f"ledger_finding_{tag}.png"), full_page=True)

        # Trends: the counts as they stand, and the charts.
        page.locator("#tabs button[role=tab]").nth(2).click()
        tiles = page.locator("#trends-tiles")
        expect(tiles).to_contain_text("1", timeout=30_000)
        expect(page.locator("#trends-weekly canvas, #trends-weekly svg").first).to_be_visible(
            timeout=30_000
        )
        page.screenshot(path=str(ARTIFACTS / f"trends_{tag}.png"), full_page=True)

        # The ledger as .xlsx, read back.
        page.locator("#tabs button[role=tab]").nth(1).click()
        page.locator("#ledger-downloads").click()
        page.locator("#ledger-xlsx").click()
        file_link = page.locator("#ledger-files a").first
        expect(file_link).to_be_visible(timeout=30_000)
        with page.expect_download() as got:
            file_link.click()
        book = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
        sheet = book.active
        head = [c.value for c in sheet[1]]
        assert w["status_col"] in head and w["owner_col"] in head
        rows = {r[0]: dict(zip(head, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert set(rows) and rows[number][w["status_col"]] == w["closed"]
        assert {r[w["owner_col"]] for r in rows.values()} == {"Zhao Gang"}
        assert len(sheet._images) >= 4  # before thumbnails, and the after photo's
        context.close()
