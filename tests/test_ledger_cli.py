"""python -m safety ledger ..., as a user runs it: subprocesses, real files, a simulated
Qwen endpoint over real HTTP, the ledger on SQLite and on a real PostgreSQL. The whole loop:
inspect records, update assigns, recheck asks about the after photo, the status moves to
closed; exports, trends, the site report, the notice and its link, import, backup."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from safety.commands.cli import main
from tests import scenes
from tests.ledger_db import both

ROOT = Path(__file__).resolve().parent.parent
MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
FIRE = ("fire", (100, 100, 300, 260))
NO_HAT = ("person-missing", (500, 200, 580, 420))
HAT = ("person", (650, 200, 720, 420))
SMOKE = ("smoke", (100, 420, 300, 560))


def write_photo(path: Path, *objects) -> Path:
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(900, 600, list(objects))))
    return path


class Cli:
    """``python -m safety ...`` in this process (the machine is shared: a subprocess per step
    costs seconds); ``subprocess=True`` for what needs a real process (exit status, stderr)."""

    def __init__(self, settings, server, tmp_path):
        self.env = {"SAFETY_DATA_DIR": str(settings.data_dir), "SAFETY_CACHE_DIR": str(tmp_path)}
        if settings.database_url:
            self.env["DATABASE_URL"] = settings.database_url
        self.endpoint = ["--base-url", server.base_url, "--model", MODEL, "--coords", "absolute"]

    def __call__(self, *args, ok=True, env=None, subprocess_=False):
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASH"))}
        environ.update(self.env, **(env or {}))
        if subprocess_:
            done = subprocess.run(
                [sys.executable, "-m", "safety", *args],
                capture_output=True,
                text=True,
                env=environ,
                cwd=ROOT,
                timeout=180,
            )
        else:
            out, err = io.StringIO(), io.StringIO()
            with (
                mock.patch.dict(os.environ, environ, clear=True),
                redirect_stdout(out),
                redirect_stderr(err),
            ):
                code = main(list(args), environ)
            done = subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    def json(self, *args, **options):
        return json.loads(self(*args, "--json", **options).stdout)


@both
def test_the_loop_on_the_command_line(ledger_settings, simulator, tmp_path):
    cli = Cli(ledger_settings, simulator(convention="absolute"), tmp_path)
    before = write_photo(tmp_path / "before.jpg", FIRE, NO_HAT, HAT)
    run = cli(
        "inspect",
        str(before),
        *cli.endpoint,
        "--site-name",
        "Tower B",
        "--inspector",
        "Wang",
        "--rules",
        "cn",
    )
    assert "Recorded in the hazard ledger: site Tower B" in run.stdout
    cli("inspect", str(before), *cli.endpoint, "--no-ledger")
    listed = cli.json("ledger", "list")
    assert sorted(f["category"] for f in listed) == ["fire", "person"]  # no hard-hat wearer
    for f in listed:
        assert {"id", "site", "category", "status", "level", "owner", "due"} <= set(f)
        assert f["site"] == "Tower B" and f["status"] == "open" and f["photo_sha256"]
    fire = next(f for f in listed if f["category"] == "fire")
    person = next(f for f in listed if f["category"] == "person")
    assert fire["level"] == "major" and person["level"] == "general" and person["clauses"]

    # Assign: owner and a past due date; the finding is then overdue.
    saved = cli(
        "ledger",
        "update",
        str(person["id"]),
        "--owner",
        "李工",
        "--due",
        "2026-01-05",
        "--by",
        "officer",
    )
    assert "Saved" in saved.stdout and "version 2" in saved.stdout
    overdue = cli.json("ledger", "list", "--overdue")
    assert [f["id"] for f in overdue] == [person["id"]] and overdue[0]["owner"] == "李工"
    zh = cli("ledger", "list", "--lang", "zh").stdout
    assert "已逾期" in zh and "待整改" in zh and "重大" in zh and "共 2 条隐患" in zh
    stale = cli("ledger", "update", str(person["id"]), "--version", "1", "--owner", "x", ok=False)
    assert stale.returncode == 1 and "changed meanwhile" in stale.stderr and "李工" in stale.stderr
    refused = cli("ledger", "update", str(fire["id"]), "--status", "closed", ok=False)
    assert refused.returncode == 1 and "without evidence" in refused.stderr

    # Recheck with an after photo: the fire is gone, a new smoke appeared.
    after = write_photo(tmp_path / "after.jpg", SMOKE, HAT)
    checked = cli.json("ledger", "recheck", str(fire["id"]), str(after), *cli.endpoint)
    assert checked["verdict"] == "gone" and checked["error"] is None
    assert [f["category"] for f in checked["new_findings"]] == ["smoke"]
    # The fire still there in another after photo: "present", and no new fire finding.
    still = write_photo(tmp_path / "still.jpg", FIRE, HAT)
    text = cli("ledger", "recheck", str(fire["id"]), str(still), *cli.endpoint).stdout
    assert "the hazard is still there" in text and "New hazard" not in text
    shown = cli.json("ledger", "show", str(fire["id"]))
    assert [e["verdict"] for e in shown["evidence"]] == ["gone", "present"]
    assert all(e["photo_sha256"] for e in shown["evidence"])

    # The loop to closed: rectified, verified by a person, closed on the after photo.
    for status in ("rectified", "verified", "closed"):
        cli("ledger", "update", str(fire["id"]), "--status", status, "--by", "officer")
    shown = cli.json("ledger", "show", str(fire["id"]))
    assert shown["status"] == "closed" and shown["rechecked_on"] == date.today().isoformat()
    assert [h["action"] for h in shown["history"]][:1] == ["recorded"]
    human = cli("ledger", "show", str(fire["id"]), "--lang", "zh").stdout
    assert "历史记录" in human and "已销号" in human and "模型复查" in human

    # Exports: the xlsx read back, Chinese columns, thumbnails; the CSV in English.
    xlsx, table = tmp_path / "ledger.xlsx", tmp_path / "ledger.csv"
    cli("ledger", "export", "--xlsx", str(xlsx), "--lang", "zh")
    cli("ledger", "export", "--csv", str(table))
    sheet = load_workbook(xlsx).active
    head = [c.value for c in sheet[1]]
    assert head[:14] == [
        "编号",
        "发现日期",
        "地点/现场",
        "检查人",
        "隐患描述",
        "类别",
        "等级",
        "整改措施",
        "责任人",
        "整改期限",
        "整改情况",
        "复查人",
        "复查日期",
        "状态",
    ]
    assert sheet.max_row == 4 and len(sheet._images) >= 4  # 3 findings, before and after
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["No.", "Found on", "Site"] and len(rows) == 4

    trends = cli.json("ledger", "trends", "--site", "Tower B")
    assert trends["total"] == 3 and trends["closed"] == 1 and trends["overdue"] == 1

    # The site's report of this month, in both languages, read back.
    month = date.today().strftime("%Y-%m")
    for lang, words in (
        ("en", ["Site safety report: Tower B", "Overdue items", "OVERDUE"]),
        ("zh", ["现场安全报告：Tower B", "逾期隐患", "李工"]),
    ):
        pdf = tmp_path / f"report-{lang}.pdf"
        cli(
            "ledger",
            "report",
            "--site",
            "Tower B",
            "--month",
            month,
            "--report",
            str(pdf),
            "--lang",
            lang,
        )
        text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
        for word in words:
            assert word in text, (lang, word)


@both
def test_import_backup_notice_and_bad_settings(ledger_settings, simulator, tmp_path):
    cli = Cli(ledger_settings, simulator(convention="absolute"), tmp_path)
    photo = write_photo(tmp_path / "site.jpg", FIRE, NO_HAT)
    results = tmp_path / "results.json"
    cli("inspect", str(photo), *cli.endpoint, "--no-ledger", "--json", str(results))
    first = cli("ledger", "import", str(results), "--site-name", "Depot", "--inspector", "Zhou")
    assert "2 new finding" in first.stdout
    again = cli("ledger", "import", str(results), "--site-name", "Depot", "--lang", "zh")
    assert "未重复登记" in again.stdout
    assert len(cli.json("ledger", "list", "--site", "Depot")) == 2

    notice = tmp_path / "notice.pdf"
    made = cli(
        "ledger",
        "notice",
        "--site",
        "Depot",
        "--report",
        str(notice),
        env={"SAFETY_PUBLIC_URL": "https://safety.example.org"},
    )
    link = next(line.split(": ", 1)[1] for line in made.stdout.splitlines() if "Link" in line)
    assert link.startswith("https://safety.example.org/notice?token=")
    text = "".join(page.extract_text() for page in PdfReader(notice).pages)
    assert "Rectification notice No. 1" in text and "safety.example.org" in text
    assert {f["status"] for f in cli.json("ledger", "list")} == {"notified"}
    assert "valid until" in cli("ledger", "notices").stdout
    cli("ledger", "revoke", "1")
    assert "revoked" in cli("ledger", "notices").stdout
    bare = cli("ledger", "notice", "--site", "Depot", "--report", str(tmp_path / "n2.pdf"))
    assert "SAFETY_PUBLIC_URL" in bare.stdout

    copy = tmp_path / "backup" / "ledger.sqlite3"
    assert "Wrote" in cli("ledger", "backup", str(copy)).stdout
    restored = cli.json("ledger", "list", env={"DATABASE_URL": f"sqlite:///{copy}"})
    assert [f["id"] for f in restored] == [f["id"] for f in cli.json("ledger", "list")]

    bad = cli(
        "ledger",
        "list",
        env={"DATABASE_URL": "mysql://root:hunter2@db/x"},
        ok=False,
        subprocess_=True,
    )
    lines = bad.stderr.strip().splitlines()
    assert bad.returncode == 2 and len(lines) == 1 and "DATABASE_URL" in lines[0]
    assert "hunter2" not in bad.stderr
    bad = cli(
        "inspect", str(photo), *cli.endpoint, env={"DATABASE_URL": "postgresql://x@"}, ok=False
    )
    assert bad.returncode == 2 and "DATABASE_URL" in bad.stderr


def test_every_ledger_step_has_help_in_both_languages():
    for lang, word in (("en", "hazard ledger"), ("zh", "隐患台账")):
        env = dict(os.environ, SAFETY_LANG=lang)
        done = subprocess.run(
            [sys.executable, "-m", "safety", "ledger", "--help"],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert done.returncode == 0 and word in done.stdout
        for step in (
            "list",
            "show",
            "update",
            "recheck",
            "export",
            "trends",
            "report",
            "import",
            "backup",
            "notice",
            "notices",
            "revoke",
        ):
            assert step in done.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_ledger_word_in_both_languages(lang):
    from safety.i18n import WORDS

    keys = [k for k in WORDS if k.startswith("ledger.")]
    assert len(keys) > 150
    for key in keys:
        en, zh = WORDS[key]
        assert en.strip() and zh.strip()
        if key.startswith(("ledger.cli.", "ledger.error.", "ledger.report.")) and len(en) > 12:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), key  # written in Chinese


def test_the_app_stops_at_start_up_on_a_bad_database_url(tmp_path):
    env = dict(
        os.environ,
        DATABASE_URL="postgresql://u:pw-secret@db.invalid",
        SAFETY_DATA_DIR=str(tmp_path),
    )
    done = subprocess.run(
        [sys.executable, "app.py"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "DATABASE_URL" in lines[0]
    assert "pw-secret" not in done.stderr
