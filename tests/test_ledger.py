"""The hazard ledger's library API, on SQLite and on a real PostgreSQL: recording, the loop,
versions, evidence, notices' tokens, trends, import and backup."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from PIL import Image

from safety.detections import Detection, ImageResult
from safety.ledger import (
    Conflict,
    Filter,
    Ledger,
    LedgerSettings,
    NotAllowed,
    TokenRefused,
    level_for,
)
from safety.ledger.schema import notices
from safety.rules import load_rules
from tests.ledger_db import both


def photo(colour=(200, 200, 200), size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def result(source="site/a.jpg", *detections, data=None) -> ImageResult:
    r = ImageResult(source, width=640, height=480, sha256="ab" * 32, detections=list(detections))
    r.photo_jpeg = data if data is not None else photo()
    return r


FIRE = Detection("fire", "severe", "火灾", "严重", (10, 20, 110, 140))
SMOKE = Detection("smoke", "moderate", "smoke", "moderate", (200, 20, 300, 90))
NO_HAT = Detection("person", "missing", "person", "no helmet", (300, 100, 360, 300))
HAT = Detection("person", "worn", "person", "helmet", (400, 100, 460, 300))
REJECTED = Detection("fire", "minor", "fire", "", (1, 1, 5, 5), review="rejected")


def test_level_rule():
    assert level_for("fire", "severe") == level_for("fire", "unknown") == "major"
    assert level_for("fire", "minor") == "general"
    assert level_for("smoke", "severe") == "major"
    assert level_for("smoke", "moderate") == level_for("person", "missing") == "general"


@both
def test_a_run_is_recorded_hazards_only_with_rules_and_the_photo_once(ledger):
    rules = load_rules("cn")
    done = ledger.record_run(
        [result("a.jpg", FIRE, HAT, NO_HAT, REJECTED), result("b.jpg", SMOKE)],
        "Riverside B",
        "Wang",
        endpoint="http://127.0.0.1:1",
        model="qwen",
        prompt="p",
        rules=rules,
        lang="zh",
    )
    assert len(done.finding_ids) == 3 and not done.already  # no worn hat, nothing rejected
    found = {f.category: f for f in ledger.list(site="Riverside B")}
    assert set(found) == {"fire", "smoke", "person"}
    fire, person = found["fire"], found["person"]
    assert fire.level == "major" and person.level == "general"
    assert fire.status == "open" and fire.version == 1 and fire.inspector == "Wang"
    assert person.clauses and "安全帽" in person.measure  # the cn rules' action, in Chinese
    assert person.due == date.today()  # person.missing: days = 0
    assert fire.photo_sha == person.photo_sha  # one photo, stored once
    assert ledger.photo(fire.photo_sha) == photo()
    assert len(list((ledger.photos.folder).rglob("*.jpg"))) == 1  # two photos, same bytes
    history = ledger.get(fire.id).history
    assert [h.action for h in history] == ["recorded"] and history[0].actor == "Wang"
    # The same run again adds nothing.
    again = ledger.record_run(
        [result("a.jpg", FIRE, HAT, NO_HAT, REJECTED), result("b.jpg", SMOKE)],
        "Riverside B",
        "Wang",
        rules=rules,
        lang="zh",
    )
    assert again.already and again.visit_id == done.visit_id and ledger.count() == 3


@both
def test_list_filters_and_json_shape(ledger):
    ledger.record_run([result("a.jpg", FIRE, NO_HAT)], "A", "x")
    ledger.record_run([result("b.jpg", SMOKE)], "B", "y")
    person = ledger.list(category=("person",))[0]
    ledger.update(person.id, person.version, due=date.today() - timedelta(days=2), owner="Li")
    assert [f.site for f in ledger.list(site="B")] == ["B"]
    assert [f.category for f in ledger.list(overdue=True)] == ["person"]
    assert [f.category for f in ledger.list(level="major")] == ["fire"]
    assert ledger.count(Filter(status=("open",))) == 3
    item = ledger.list(overdue=True)[0].to_dict()
    for key in ("id", "site", "category", "status", "level", "owner", "due"):
        assert key in item
    assert item["status"] == "open" and item["owner"] == "Li" and item["overdue"] is True
    json.dumps(item)  # plain data


@both
def test_concurrent_change_is_refused_and_says_what_changed(ledger):
    ledger.record_run([result("a.jpg", FIRE)], "A", "x")
    mine = ledger.list()[0]  # both people read version 1
    theirs = ledger.update(mine.id, mine.version, owner="Zhao", actor="Zhao")
    with pytest.raises(Conflict) as caught:
        ledger.update(mine.id, mine.version, owner="Qian", actor="Qian")
    message = str(caught.value)
    assert "changed meanwhile" in message and "Zhao" in message and "owner" in message
    assert "在此期间已被他人修改" in caught.value.message("zh")
    assert caught.value.changes[0][3] == {"owner": ["", "Zhao"]}
    now = ledger.find(mine.id)
    assert now.owner == "Zhao" and now.version == theirs.version == 2  # nothing overwritten
    with pytest.raises(Conflict):  # a status change on a stale version is refused too
        ledger.transition(mine.id, "notified", expected_version=1)


@both
def test_the_loop_and_its_rules(ledger):
    ledger.record_run([result("a.jpg", FIRE, NO_HAT)], "A", "x")
    fire, person = sorted(ledger.list(), key=lambda f: f.category)[0], ledger.list()[0]
    with pytest.raises(NotAllowed):  # open -> verified skips the rectification
        ledger.transition(fire.id, "verified")
    with pytest.raises(NotAllowed) as no_evidence:
        ledger.transition(fire.id, "closed")
    assert "evidence" in str(no_evidence.value) and ledger.find(fire.id).status == "open"
    ledger.transition(fire.id, "notified", actor="officer")
    ledger.transition(fire.id, "rectified", actor="manager", photo=photo((10, 200, 10)))
    verified = ledger.transition(fire.id, "verified", actor="officer")
    assert verified.rechecked_on == date.today()
    with pytest.raises(NotAllowed):  # reopening needs a note
        ledger.transition(fire.id, "reopened")
    ledger.transition(fire.id, "reopened", note="still smouldering", actor="officer")
    ledger.transition(fire.id, "rectified", actor="manager")
    ledger.transition(fire.id, "verified", actor="officer")
    closed = ledger.transition(fire.id, "closed", actor="officer")  # the after photo counts
    assert closed.status == "closed" and closed.closed_at is not None
    detail = ledger.get(fire.id)
    statuses = [h.changes["status"][1] for h in detail.history if h.action == "status"]
    assert statuses == [
        "notified",
        "rectified",
        "verified",
        "reopened",
        "rectified",
        "verified",
        "closed",
    ]
    assert [e.kind for e in detail.evidence] == ["after-photo"]
    assert ledger.photo(detail.evidence[0].photo_sha) == photo((10, 200, 10))
    # Closing without a photo: a note saying why none is possible is the evidence.
    done = ledger.transition(person.id, "closed", note="worker left the site; no photo possible")
    assert done.status == "closed"
    assert ledger.get(person.id).evidence[0].kind == "note"


@both
def test_bulk_assignment_is_all_or_nothing(ledger):
    ledger.record_run([result("a.jpg", FIRE, NO_HAT, SMOKE)], "A", "x")
    ids = [f.id for f in ledger.list()]
    due = date(2027, 1, 15)
    changed = ledger.assign_bulk(ids, owner="Li", due=due, actor="officer")
    assert {(f.owner, f.due, f.version) for f in changed} == {("Li", due, 2)}
    stale = {i: 1 for i in ids}
    with pytest.raises(Conflict):
        ledger.assign_bulk(ids, owner="Wu", expected=stale)
    assert {f.owner for f in ledger.list()} == {"Li"}


@both
def test_notice_tokens(ledger):
    ledger.record_run([result("a.jpg", FIRE, NO_HAT)], "A", "x")
    ledger.record_run([result("b.jpg", SMOKE)], "B", "x")
    ids = [f.id for f in ledger.list(site="A")]
    with pytest.raises(NotAllowed):  # one notice covers one site
        ledger.create_notice("A", ids + [ledger.list(site="B")[0].id])
    notice = ledger.create_notice("A", ids, days=7, actor="officer")
    assert notice.token and len(notice.token) >= 40
    assert {f.status for f in ledger.list(site="A")} == {"notified"}
    opened = ledger.verify_token(notice.token)
    assert opened.id == notice.id and opened.finding_ids == tuple(sorted(ids))
    with ledger.reading() as c:  # only the token's hash is stored
        stored = c.execute(notices.select()).first()._mapping["token_hash"]
    assert notice.token not in stored
    with pytest.raises(TokenRefused):
        ledger.verify_token(notice.token + "x")
    later = datetime.now(timezone.utc) + timedelta(days=8)
    from safety.ledger.notices import verify_token

    with pytest.raises(TokenRefused) as expired:
        verify_token(ledger, notice.token, now=later)
    assert "expired" in str(expired.value)
    ledger.revoke_notice(notice.id)
    with pytest.raises(TokenRefused) as revoked:
        ledger.verify_token(notice.token)
    assert "withdrawn" in str(revoked.value) and "撤销" in revoked.value.message("zh")


@both
def test_trends(ledger):
    ledger.record_run([result("a.jpg", FIRE, NO_HAT)], "A", "x", key="v1")
    ledger.record_run([result("b.jpg", FIRE)], "A", "x", key="v2")
    ledger.record_run([result("c.jpg", FIRE)], "A", "x", key="v3")
    ledger.record_run([result("d.jpg", SMOKE)], "B", "x", key="v4")
    first = ledger.list(site="B")[0]
    ledger.transition(first.id, "closed", note="cleared")
    overdue = ledger.list(category=("person",))[0]
    ledger.update(overdue.id, None, due=date.today() - timedelta(days=1))
    data = ledger.trends()
    assert data["total"] == 5 and data["closed"] == 1 and data["open"] == 4
    assert data["overdue"] == 1 and data["mean_days_to_close"] == 0.0
    this_week = data["weeks"][-1]
    assert (this_week["fire"], this_week["smoke"], this_week["person"]) == (3, 1, 1)
    assert data["flow"][-1] == {"week": this_week["week"], "found": 5, "closed": 1}
    assert data["repeated"] == [{"site": "A", "category": "fire", "visits": 3}]
    assert ledger.trends("B")["total"] == 1


@both
def test_import_is_idempotent(ledger, tmp_path):
    doc = {
        "generated_at": "2026-11-03T08:00:00+00:00",
        "endpoint": "http://gpu:8000",
        "model": "qwen",
        "images": [result("a.jpg", FIRE, HAT).to_dict(), result("b.jpg", SMOKE).to_dict()],
    }
    path = tmp_path / "results.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    first = ledger.import_results(path, "Imported site", "Zhou")
    assert len(first.finding_ids) == 2
    assert {f.found_on for f in ledger.list()} == {date(2026, 11, 3)}
    second = ledger.import_results(path, "Imported site", "Zhou")
    assert second.already and ledger.count() == 2
    lines = tmp_path / "results.jsonl"
    lines.write_text("\n".join(json.dumps(i) for i in doc["images"]) + "\n", encoding="utf-8")
    assert not ledger.import_results(lines, "Other", "Zhou").already
    assert ledger.import_results(lines, "Other", "Zhou").already


@both
def test_backup_is_a_ledger_of_its_own(ledger, tmp_path):
    ledger.record_run([result("a.jpg", FIRE, NO_HAT)], "A", "x")
    f = ledger.list()[0]
    ledger.transition(f.id, "rectified", photo=photo((0, 0, 250)))
    rows = ledger.backup(tmp_path / "copy" / "ledger.sqlite3")
    assert rows > 5
    with Ledger.open(LedgerSettings(tmp_path / "copy")) as copy:
        assert [x.to_dict() for x in copy.list()] == [x.to_dict() for x in ledger.list()]
        assert copy.get(f.id).to_dict() == ledger.get(f.id).to_dict()
    kept = list((tmp_path / "copy" / "ledger.sqlite3.photos").rglob("*.jpg"))
    assert len(kept) == 2  # the before photo and the after photo


def test_a_bad_database_url_names_the_variable(tmp_path):
    from safety.errors import ConfigurationError
    from safety.ledger import load_ledger_settings

    for url in ("mysql://x@y/z", "nonsense", "postgresql://u@h"):
        with pytest.raises(ConfigurationError) as caught:
            load_ledger_settings({"DATABASE_URL": url, "SAFETY_DATA_DIR": str(tmp_path)})
        assert str(caught.value).startswith("DATABASE_URL:") and "\n" not in str(caught.value)


def test_space_data_folder_choice(tmp_path, monkeypatch):
    from safety.ledger import settings as where

    monkeypatch.setattr(where, "SPACE_DATA", tmp_path)
    on_space = where.load_ledger_settings({"SPACE_ID": "me/app"})
    assert on_space.data_dir == tmp_path and not on_space.ephemeral
    monkeypatch.setattr(where, "SPACE_DATA", tmp_path / "absent")
    no_storage = where.load_ledger_settings({"SPACE_ID": "me/app"})
    assert no_storage.ephemeral and no_storage.data_dir == where.APP_DIR / "data"
    assert not where.load_ledger_settings(
        {"SPACE_ID": "me/app", "DATABASE_URL": "postgresql://u@h/db"}
    ).ephemeral
    assert where.load_ledger_settings({}).data_dir == where.APP_DIR / "data"
