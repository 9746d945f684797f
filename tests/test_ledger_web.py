"""The hazard ledger's web side without a browser: who may record and read, the page's
warning without lasting storage, a conflict said plainly, the findings table's escaping, the
notice page over real HTTP (scoped, expired, revoked, off without a public address), and
run folders in the data folder."""

from __future__ import annotations

import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import update

from safety.config import load_config
from safety.detections import Detection, ImageResult
from safety.i18n import t
from safety.ledger import Ledger, LedgerSettings
from safety.ledger.schema import notices
from safety.web.ledger_access import LedgerAccess, ephemeral_html
from safety.web.ledger_handlers import LedgerHandlers
from safety.web.ledger_views import detail_html, findings_table
from safety.web.visitors import Visitor
from tests.ledger_db import both
from tests.test_app_api import free_port


def photo(colour=(200, 200, 200), size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def result(*detections, source="a.jpg") -> ImageResult:
    r = ImageResult(source, width=640, height=480, sha256="cd" * 32, detections=list(detections))
    r.photo_jpeg = photo()
    return r


FIRE = Detection("fire", "severe", "<img src=x onerror=alert(1)>", "", (10, 20, 110, 140))
NO_HAT = Detection("person", "missing", "person", "no helmet", (300, 100, 360, 300))
OWNER = Visitor("10.0.0.1", "s1", trusted=True)
STRANGER = Visitor("203.0.113.9", "s2", trusted=False)


class Asker:
    """What a handler reads of Gradio's request: the address, headers, session, user."""

    def __init__(self, username=None):
        self.username = username
        self.headers = {}
        self.client = type("Client", (), {"host": "127.0.0.1"})()
        self.session_hash = uuid.uuid4().hex


def access_for(settings: LedgerSettings, **env) -> LedgerAccess:
    config = replace(load_config(env), ledger=settings)
    return LedgerAccess(config)


@both
def test_a_stranger_on_a_public_page_neither_records_nor_reads(ledger_settings):
    access = access_for(ledger_settings, SAFETY_PUBLIC="1")
    said = access.record([result(FIRE)], STRANGER, site="B", inspector="", endpoint=None,
                         model=None, prompt="", rules=None, lang="en")  # fmt: skip
    assert said is None
    assert access.ledger().count() == 0
    handlers = LedgerHandlers(access, tab_stub())
    shown = handlers.refresh("zh", None, [], [], "", False, "", "", Asker())
    assert "仅对已登录用户开放" in shown[handlers.tab.banner]
    assert shown[handlers.tab.table] == ""
    # Logged in through SAFETY_AUTH: the same page records and reads.
    said = access.record([result(FIRE)], OWNER, site="B", inspector="Li", endpoint=None,
                         model=None, prompt="", rules=None, lang="zh")  # fmt: skip
    assert "已登记到隐患台账" in said and access.ledger().count() == 1
    shown = handlers.refresh("en", None, [], [], "", False, "", "", Asker("officer"))
    assert "YH-" in shown[handlers.tab.table]
    access.close()


def test_no_lasting_storage_is_said_plainly_in_both_languages(tmp_path):
    access = access_for(LedgerSettings(tmp_path, ephemeral=True))
    assert "/data" in ephemeral_html(access, "en") and "DATABASE_URL" in ephemeral_html(
        access, "en"
    )
    assert "重启后" in ephemeral_html(access, "zh")
    said = access.record([result(NO_HAT)], OWNER, site="B", inspector="", endpoint=None,
                         model=None, prompt="", rules=None, lang="en")  # fmt: skip
    assert "lost when it restarts" in said
    assert ephemeral_html(access_for(LedgerSettings(tmp_path)), "en") == ""
    # On a Space without /data and without DATABASE_URL, the settings say so.
    config = load_config({"SPACE_ID": "me/app", "SAFETY_DATA_DIR": ""})
    assert config.ledger.ephemeral == (not os.access("/data", os.W_OK | os.X_OK))
    assert not load_config(
        {"SPACE_ID": "me/app", "DATABASE_URL": "sqlite:///x.db"}
    ).ledger.ephemeral


@both
def test_a_change_on_an_old_version_is_a_clear_message_and_saves_nothing(ledger_settings):
    access = access_for(ledger_settings)
    access.record([result(FIRE, NO_HAT)], OWNER, site="B", inspector="Li", endpoint=None,
                  model=None, prompt="", rules=None, lang="en")  # fmt: skip
    handlers = LedgerHandlers(access, tab_stub())
    x = handlers.tab
    first = access.ledger().list()[0]
    read = first.version
    # Another officer assigns it meanwhile.
    access.ledger().update(first.id, read, owner="Zhao", actor="Wang")
    shown = handlers.save_status(first.id, read, "notified", "", None, "Li", "en", Asker())
    message = shown[x.finding_msg]
    assert "changed meanwhile" in message and "Wang" in message and "Zhao" in message
    assert access.ledger().find(first.id).status == "open"
    shown = handlers.save_status(first.id, read, "notified", "", None, "Li", "zh", Asker())
    assert "在此期间已被他人修改" in shown[x.finding_msg]
    # Bulk assignment on the old version: all or nothing.
    said = handlers.assign([f.id for f in access.ledger().list()],
                           {f.id: 1 for f in access.ledger().list()}, "Sun", "2030-01-01",
                           "Li", "en", Asker())  # fmt: skip
    assert "changed meanwhile" in said
    assert {f.owner for f in access.ledger().list()} == {"Zhao", ""}
    # A date that is not one says how to write it.
    said = handlers.assign([first.id], {}, "", "31/01/2030", "Li", "zh", Asker())
    assert "YYYY-MM-DD" in said
    access.close()


def test_what_a_person_or_the_model_wrote_is_shown_as_text(tmp_path):
    with Ledger.open(LedgerSettings(tmp_path)) as ledger:
        ledger.record_run([result(FIRE)], "<b>Site</b>", "<i>Li</i>")
        found = ledger.list()
        page = findings_table(ledger, found, "en")
        assert "<b>Site</b>" not in page and "&lt;b&gt;Site&lt;/b&gt;" in page
        assert "data:image/jpeg;base64," in page  # the thumbnail
        detail = detail_html(ledger.get(found[0].id), "zh")
        assert "<img src=x" not in detail and "&lt;img src=x" in detail


def _serve(env: dict):
    from safety.web import build_app, launch_kwargs

    port = free_port()
    app = build_app(env)
    app.queue().launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port,
                       quiet=True, **launch_kwargs(env))  # fmt: skip
    return app, f"http://127.0.0.1:{port}"


def _get(url: str, lang: str = "en") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Language": lang})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _post(url: str, fields: dict, photo_bytes: bytes | None) -> tuple[int, bytes]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())  # fmt: skip
    if photo_bytes is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
                     'filename="after.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                     + photo_bytes + b"\r\n")  # fmt: skip
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.slow
def test_the_notice_page_is_scoped_to_its_notice_and_honours_expiry_and_revocation(tmp_path):
    env = {"SAFETY_DATA_DIR": str(tmp_path / "data"), "SAFETY_PUBLIC_URL": "https://x.example"}
    with Ledger.open(LedgerSettings(tmp_path / "data")) as ledger:
        ledger.record_run([result(FIRE, NO_HAT)], "B", "Li")
        ledger.record_run([result(NO_HAT, source="c.jpg")], "C", "Li")
        fire, hat = sorted(f.id for f in ledger.list(site="B"))
        other = ledger.list(site="C")[0].id
        made = ledger.create_notice("B", [fire])
        revoked = ledger.create_notice("B", [hat])
        ledger.revoke_notice(revoked.id)
        expired = ledger.create_notice("B", [hat])
        past = datetime.now(timezone.utc) - timedelta(days=1)
        with ledger.writing() as c:
            c.execute(update(notices).where(notices.c.id == expired.id).values(expires_at=past))
    app, url = _serve(env)
    try:
        page = f"{url}/notice?token={made.token}"
        status, body = _get(page, "zh")
        assert status == 200 and "隐患整改通知" in body.decode() and "YH-" in body.decode()
        status, body = _get(f"{url}/notice?token=not-a-token")
        assert status == 403 and t("ledger.error.token-unknown", "en") in body.decode()
        assert _get(f"{url}/notice?token={revoked.token}")[0] == 403
        status, body = _get(f"{url}/notice?token={expired.token}", "zh")
        assert status == 403 and "过期" in body.decode() and "YH-" not in body.decode()
        # The photo of a finding on the notice; never one of another notice or site.
        ok, jpeg = _get(f"{url}/notice/photo?token={made.token}&id={fire}&kind=before")
        assert ok == 200 and jpeg[:2] == b"\xff\xd8"
        assert _get(f"{url}/notice/photo?token={made.token}&id={other}")[0] == 404
        assert _get(f"{url}/notice/photo?token={made.token}&id={hat}")[0] == 404
        # An upload for a finding not on the notice changes nothing; one on it is evidence.
        fields = {"token": made.token, "finding": str(other), "note": "done"}
        status, body = _post(f"{url}/notice?lang=en", fields, photo((10, 200, 10)))
        assert "not on this notice" in body.decode()
        fields = {"token": made.token, "finding": str(fire), "note": "cleared"}
        status, body = _post(f"{url}/notice?lang=en", fields, b"not a photo")
        assert "not a photo" in body.decode()
        status, body = _post(f"{url}/notice?lang=en", fields, photo((10, 200, 10)))
        assert status == 200 and "Received for" in body.decode()
    finally:
        app.close()
    with Ledger.open(LedgerSettings(tmp_path / "data")) as ledger:
        assert ledger.find(fire).status == "rectified"
        assert ledger.find(other).status == "open" and ledger.find(hat).status == "notified"
        kinds = [e.kind for e in ledger.get(fire).evidence]
        assert kinds == ["after-photo"]
    # Without a public address, there is no notice page at all.
    app, url = _serve({"SAFETY_DATA_DIR": str(tmp_path / "data")})
    try:
        assert _get(f"{url}/notice?token={made.token}")[0] == 404
    finally:
        app.close()


def test_run_folders_live_in_the_data_folder(tmp_path):
    from safety.web import build_app
    from safety.web.runfolders import new_run_dir, runs_root

    build_app({"SAFETY_DATA_DIR": str(tmp_path / "data")})
    assert runs_root() == tmp_path / "data" / "runs"
    assert new_run_dir().parent == tmp_path / "data" / "runs"


def tab_stub():
    """The Ledger tab's components, made in a Blocks of their own (handlers key by them)."""
    import gradio as gr

    from safety.web.ledger_tab import build_ledger_tab

    with gr.Blocks():
        return build_ledger_tab(lambda key: key)


def test_the_catalogue_has_every_ledger_page_word_in_both_languages():
    from safety.i18n import WORDS

    keys = [k for k in WORDS if k.startswith(("page.ledger.", "page.trends.", "notice.page."))]
    assert len(keys) > 60
    for key in keys:
        en, zh = WORDS[key]
        assert en.strip() and zh.strip() and en != zh or key == "notice.page.other"
    assert json.dumps(WORDS["notice.page.other"], ensure_ascii=False) == '["中文", "English"]'


@both
def test_downloads_the_ledger_as_filtered_and_a_site_report(ledger_settings):
    from openpyxl import load_workbook

    access = access_for(ledger_settings)
    access.record([result(FIRE, NO_HAT)], OWNER, site="B", inspector="Li", endpoint=None,
                  model=None, prompt="", rules=None, lang="zh")  # fmt: skip
    access.record([result(NO_HAT, source="c.jpg")], OWNER, site="C", inspector="Li",
                  endpoint=None, model=None, prompt="", rules=None, lang="zh")  # fmt: skip
    handlers = LedgerHandlers(access, tab_stub())
    filters = ("B", [], [], "", False, "", "")
    files, said = handlers.xlsx("zh", *filters, "", Asker())
    sheet = load_workbook(files[0]).active
    assert [c.value for c in sheet[1]][:3] == ["编号", "发现日期", "地点/现场"]
    assert {r[2] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"B"}
    assert sheet.max_row == 3 and said == ""
    files, _ = handlers.csv("en", None, ["open"], ["person"], "", False, "", "", "", Asker())
    text = open(files[0], encoding="utf-8-sig").read()
    assert text.startswith("No.,") and text.count("YH-") == 2
    month = access.ledger().today().strftime("%Y-%m")
    files, _ = handlers.report("zh", *filters, month, Asker())
    assert open(files[0], "rb").read(5) == b"%PDF-"
    # A report needs one site, and a month written as one.
    _, said = handlers.report("en", None, [], [], "", False, "", "", month, Asker())
    assert "Choose a site" in said
    _, said = handlers.report("zh", *filters, "12/2026", Asker())
    assert "YYYY-MM" in said
    access.close()


@pytest.mark.slow
def test_the_pages_api_records_a_run_but_never_a_strangers_on_a_public_page(simulator, tmp_path):
    from gradio_client import Client, handle_file

    from tests import scenes
    from tests.test_app_api import live_env, running_app

    path = tmp_path / "site.jpg"
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(800, 600, scenes.layout(800, 600, 1))))
    server = simulator(convention="absolute", grid=28)
    data = tmp_path / "data"
    for public, expected in (("1", 0), ("0", 3)):
        env = live_env(server, SAFETY_DATA_DIR=str(data), SAFETY_PUBLIC=public)
        with running_app(env) as url:
            doc = Client(url, verbose=False).predict(
                files=[handle_file(str(path))], site="Block A", api_name="/inspect"
            )
        assert doc["summary"]["photos"] == 1
        with Ledger.open(LedgerSettings(data)) as ledger:
            assert ledger.count() == expected
            assert {f.site for f in ledger.list()} == ({"Block A"} if expected else set())


def test_gradio_may_serve_the_run_folders_but_nothing_else_of_the_data_folder(tmp_path):
    from safety.web import launch_kwargs

    allowed = launch_kwargs({"SAFETY_DATA_DIR": str(tmp_path / "data")})["allowed_paths"]
    assert str(tmp_path / "data" / "runs") in allowed
    assert not [p for p in allowed if p in (str(tmp_path / "data"), str(tmp_path))]
