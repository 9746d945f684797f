"""Alerts to chat robots, against loopback receivers that check what each platform checks."""

from __future__ import annotations

import io
import logging
import os
import time

import pytest
from PIL import Image

from safety.alerts import Alert, Alerter, load_alerts
from safety.alerts.limiter import Deduper, RateLimiter
from safety.alerts.messages import WECOM_IMAGE_BYTES, build
from safety.errors import ConfigurationError
from tests.robots import RobotServer

DT_SECRET = "SECdingtalk0123456789abcdefghijklmnop"
FS_SECRET = "feishu-secret-0123456789"


@pytest.fixture
def robots():
    started = []

    def start(kind, secret=""):
        server = RobotServer(kind, secret)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def write_config(tmp_path, servers, mode=0o600, **top):
    lines = [f"{k} = {v}" for k, v in top.items()]
    for s in servers:
        lines += ["[[robot]]", f'kind = "{s.kind}"', f'url = "{s.address}"']
        if s.secret:
            lines.append(f'secret = "{s.secret}"')
        lines.append('min_level = "review"')
    path = tmp_path / "alerts.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


def photo(size=(64, 48), noise=False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=100 if noise else 85)
    return buffer.getvalue()


def alert(source="cam-1.jpg", category="person", status="missing", level="violation", **kw):
    return Alert(site="Block B", source=source, category=category, status=status, level=level,
                 **kw)  # fmt: skip


def fast(tmp_path, servers, **top):
    top = {"digest_seconds": 0, "retry_seconds": 0.05, **top}
    return load_alerts(write_config(tmp_path, servers, **top))


def test_every_platform_receives_its_own_signed_message(robots, tmp_path):
    servers = [robots("dingtalk", DT_SECRET), robots("wecom"), robots("feishu", FS_SECRET),
               robots("slack"), robots("webhook")]  # fmt: skip
    alerter = Alerter(fast(tmp_path, servers))
    found = alert(clauses=("GB 2811-2019",), owner="Li Wei", due="2026-12-09", photo=photo(),
                  link="https://safety.example/finding/7")  # fmt: skip
    assert alerter.submit([found]) == 5
    alerter.close(10)
    dt, wc, fs, sl, wh = (s.wait_for(2 if s.kind == "wecom" else 1) for s in servers)
    for arrivals in (dt, wc, fs, sl, wh):
        assert arrivals and all(not a.problems for a in arrivals), [a.problems for a in arrivals]
    text = dt[0].body["markdown"]["text"]
    assert (
        "Block B" in text and "GB 2811-2019" in text and "Li Wei" in text and "2026-12-09" in text
    )
    assert "https://safety.example/finding/7" in text
    assert [a.body["msgtype"] for a in wc] == ["markdown", "image"]
    assert fs[0].body["msg_type"] == "post" and fs[0].body["sign"]
    assert sl[0].body["blocks"][0]["type"] == "header"
    assert wh[0].body["findings"][0]["category"] == "person"
    assert wh[0].body["findings"][0]["status"] == "missing"


def test_a_wrong_signature_is_what_the_receivers_catch(robots, tmp_path):
    # The receivers check signatures themselves: a robot configured with another secret
    # than the platform's signs wrongly, and the receiver says so.
    server = robots("dingtalk", DT_SECRET)
    feishu = robots("feishu", FS_SECRET)
    cfg = fast(tmp_path, [server, feishu])
    for robot in cfg.robots:
        object.__setattr__(robot, "secret", "another-secret-12345")
    alerter = Alerter(cfg)
    alerter.submit([alert()])
    alerter.close(10)
    assert server.wait_for(1)[0].problems == ["dingtalk: sign does not match"]
    assert feishu.wait_for(1)[0].problems == ["feishu: sign does not match"]


def test_wecom_photo_is_shrunk_under_two_megabytes_with_its_md5(robots, tmp_path):
    big = photo((1400, 1000), noise=True)
    assert len(big) > WECOM_IMAGE_BYTES
    server = robots("wecom")
    alerter = Alerter(fast(tmp_path, [server]))
    alerter.submit([alert(photo=big)])
    alerter.close(20)
    arrivals = server.wait_for(2)
    assert len(arrivals) == 2 and not arrivals[1].problems
    assert arrivals[1].body["msgtype"] == "image"


def test_wecom_markdown_stays_under_4096_bytes_with_a_digest(robots, tmp_path):
    server = robots("wecom")
    cfg = fast(tmp_path, [server], digest_seconds=0.5)
    alerter = Alerter(cfg)
    many = [alert(source=f"工地照片-{n:03d}-很长的名字.jpg", clauses=("GB 2811-2019 第4.2条",) * 3)
            for n in range(60)]  # fmt: skip
    alerter.submit(many)
    alerter.close(10)
    arrivals = server.wait_for(1)
    assert len(arrivals) == 1 and not arrivals[0].problems
    assert "more findings" in arrivals[0].body["markdown"]["content"]


def test_several_findings_together_are_one_digest(robots, tmp_path):
    server = robots("dingtalk", DT_SECRET)
    alerter = Alerter(fast(tmp_path, [server], digest_seconds=0.6))
    alerter.submit([alert(source="a.jpg")])
    alerter.submit(
        [alert(source="b.jpg", category="fire", status="severe", level="immediate-action")]
    )
    time.sleep(1.5)
    alerter.close(5)
    arrivals = server.arrivals
    assert len(arrivals) == 1
    text = arrivals[0].body["markdown"]["text"]
    assert "a.jpg" in text and "b.jpg" in text and "2 findings" in text


def test_the_same_hazard_is_not_alerted_twice_within_the_window(robots, tmp_path):
    server = robots("webhook")
    alerter = Alerter(fast(tmp_path, [server], dedupe_minutes=10))
    assert alerter.submit([alert()]) == 1
    assert alerter.submit([alert()]) == 0  # the same camera, the same finding
    assert alerter.submit([alert(source="cam-2.jpg")]) == 1
    alerter.close(5)
    assert len(server.wait_for(2)) == 2


@pytest.mark.slow
def test_a_robot_is_never_sent_more_than_its_platform_allows(robots, tmp_path):
    # DingTalk blocks a robot for 10 minutes past 20 messages a minute: 30 separate
    # findings give 18 messages at once, and the rest wait, gathered into a digest.
    server = robots("dingtalk", DT_SECRET)
    alerter = Alerter(fast(tmp_path, [server]))
    for n in range(30):
        alerter.submit([alert(source=f"cam-{n}.jpg")])
    time.sleep(2.0)
    assert len(server.arrivals) == 18
    reports = []
    alerter.report = reports.append
    alerter.close(0.2)
    assert len(server.arrivals) == 18
    assert reports == ["12 alert(s) for dingtalk (127.0.0.1) were still waiting for its rate "
                       "limit when the run ended, and were not sent."]  # fmt: skip


def test_rate_limiter_windows():
    limiter = RateLimiter(3, 2)
    now = 100.0
    for _ in range(2):
        assert limiter.wait(now) == 0
        limiter.note(now)
    assert limiter.wait(now) == pytest.approx(1.0)  # two a second
    limiter.note(now + 1)
    assert limiter.wait(now + 1.5) == pytest.approx(58.5)  # three a minute
    assert limiter.wait(now + 60.0) == 0


def test_deduper_forgets_after_the_window():
    dedupe = Deduper(60)
    assert dedupe.fresh("k", 0) and not dedupe.fresh("k", 59) and dedupe.fresh("k", 61)
    dedupe.forget("k")
    assert dedupe.fresh("k", 62)


def test_a_failing_robot_is_retried_then_reported_without_its_secrets(robots, tmp_path):
    server = robots("dingtalk", DT_SECRET)
    token = server.address.split("access_token=")[1]
    echo = {"errcode": 310000, "errmsg": f"sign not match, token {token} secret {DT_SECRET}"}
    server.script = [500, 500, echo]
    reports = []
    alerter = Alerter(fast(tmp_path, [server], retries=3), report=reports.append)
    started = time.monotonic()
    alerter.submit([alert()])
    assert time.monotonic() - started < 0.05  # never blocks the inspection
    alerter.close(10)
    assert len(server.arrivals) == 3  # 500, 500 retried; 310000 (bad signature) is final
    assert len(reports) == 1 and "310000" in reports[0]
    assert token not in reports[0] and DT_SECRET not in reports[0]
    # The hazard it missed may alert again.
    assert alerter.dedupe.fresh((alerter.config.robots[0].url, alert().key), time.monotonic())


@pytest.mark.slow
def test_a_robot_that_comes_back_gets_the_message(robots, tmp_path):
    server = robots("slack")
    server.script = [429, 503]
    reports = []
    alerter = Alerter(fast(tmp_path, [server]), report=reports.append)
    alerter.submit([alert()])
    alerter.close(10)
    assert len(server.arrivals) == 3 and not reports
    assert alerter.senders[0].sent == 1


def test_a_redirect_is_not_followed(robots, tmp_path):
    server = robots("webhook")
    server.script = [302]
    reports = []
    alerter = Alerter(fast(tmp_path, [server]), report=reports.append)
    alerter.submit([alert()])
    alerter.close(10)
    assert len(server.arrivals) == 1
    assert "redirects" in reports[0]


def test_the_file_warns_when_others_can_read_it(robots, tmp_path):
    server = robots("dingtalk", DT_SECRET)
    open_file = load_alerts(write_config(tmp_path, [server], mode=0o644))
    assert "chmod 600" in open_file.warnings[0] and "0644" in open_file.warnings[0]
    assert load_alerts(write_config(tmp_path, [server], mode=0o600)).warnings == ()


def test_secrets_from_the_environment_and_errors_that_say_the_fix(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('[[robot]]\nkind = "feishu"\nurl_env = "HOOK"\nsecret_env = "FS"\n')
    path.chmod(0o600)
    with pytest.raises(ConfigurationError, match="HOOK"):
        load_alerts(path, environ={})
    cfg = load_alerts(path, environ={"HOOK": "https://open.feishu.cn/hook/abc0123456789xyz",
                                     "FS": FS_SECRET})  # fmt: skip
    assert cfg.robots[0].secret == FS_SECRET and "abc0123456789xyz" in cfg.secrets
    assert FS_SECRET not in repr(cfg)
    path.write_text('[[robot]]\nkind = "teams"\nurl = "https://x"\n')
    with pytest.raises(ConfigurationError, match="dingtalk, wecom"):
        load_alerts(path)
    with pytest.raises(ConfigurationError, match="钉钉|kind 必须"):
        load_alerts(path, "zh")


def test_untrusted_names_do_not_become_markup():
    cfg_robot = load_alerts.__globals__["Robot"]("dingtalk", "https://oapi.example/send")
    evil = alert(source="x](https://evil.example)\n### FAKE **bold**")
    text = build(cfg_robot, [evil])[0].body["markdown"]["text"]
    assert "](https://evil" not in text and "\n### FAKE" not in text


def test_the_scrubber_covers_robot_tokens(robots, tmp_path, caplog):
    from safety.scrub import ScrubFilter

    server = robots("wecom")
    cfg = fast(tmp_path, [server])
    record = logging.LogRecord("x", logging.WARNING, "f", 1, f"posting to {server.address}",
                               None, None)  # fmt: skip
    ScrubFilter(*cfg.secrets).filter(record)
    assert "wc-0123456789abcdef" not in record.getMessage()


@pytest.mark.slow
def test_inspect_with_alerts_sends_and_never_shows_the_secret(robots, tmp_path, simulator):
    from tests.test_cli import _photos, run

    model = simulator(convention="absolute")
    server = robots("feishu", FS_SECRET)
    path = write_config(tmp_path, [server], mode=0o644, digest_seconds=1)
    photos = _photos(tmp_path, 2)
    result = run("inspect", *map(str, photos), "--base-url", model.base_url, "--model",
                 "Qwen/Qwen2.5-VL-7B-Instruct", "--coords", "absolute", "--site", "Pier 4",
                 "--alerts", str(path), env_extra={"SAFETY_CACHE_DIR": str(tmp_path)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "chmod 600" in result.stderr  # the file is readable by others: said, as SSH does
    arrivals = server.wait_for(1)
    assert len(arrivals) == 1 and not arrivals[0].problems  # two photos, one digest
    post = arrivals[0].body["content"]["post"]["en_us"]
    assert "Pier 4" in post["title"]
    assert "Alerts: 1 message(s) sent, 0 failed." in result.stderr
    assert FS_SECRET not in result.stdout + result.stderr


def test_the_http_log_never_shows_a_robots_token(robots, tmp_path, caplog):
    server = robots("dingtalk", DT_SECRET)
    caplog.set_level(logging.INFO)
    alerter = Alerter(fast(tmp_path, [server]))
    alerter.submit([alert()])
    alerter.close(10)
    assert server.wait_for(1)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "HTTP Request" in logged  # httpx did log the request ...
    assert "dt0123456789abcdef" not in logged  # ... without the robot's token


def test_overdue_ledger_items_read_as_such():
    robot = load_alerts.__globals__["Robot"](
        "wecom", "https://qyapi.example/send?key=k0123456789", lang="zh"
    )
    items = [alert(source=f"YH-2026-00000{n}", owner="李伟", due="2026-12-01", overdue=True)
             for n in (1, 2)]  # fmt: skip
    text = build(robot, items)[0].body["markdown"]["content"]
    assert "隐患台账中有 2 项逾期未整改" in text and "YH-2026-000002" in text
    assert "已超过整改期限" in text and "李伟" in text and "发现时间" not in text
