"""Loopback receivers that play each chat platform's robot, for the alerts tests.

Each checks what its platform checks, written from the platforms' documents and NOT with
the code under test (safety.alerts.signing), so a wrong signature fails here:

  DingTalk  query ``timestamp`` (ms, within an hour) and ``sign``: the query's raw value must
            equal URL-encode(base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret)))
  Feishu    body ``timestamp`` (s) and ``sign`` = base64(HMAC-SHA256(key=timestamp + "\\n" +
            secret, msg="")); a body of at most 20 KB
  WeCom     markdown ``content`` of at most 4,096 bytes; an image's ``md5`` is the MD5 of the
            base64-decoded bytes, which are under 2 MB

A robot answers as its platform does: ``{"errcode": 0}`` (DingTalk, WeCom), ``{"code": 0}``
(Feishu), ``ok`` (Slack, webhook), or the platform's error. ``script`` lists answers to give
first (an HTTP status, or "stall" to hold the connection past the client's timeout).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote_plus, urlsplit

from tests.loopback import LoopbackServer


@dataclass
class Arrival:
    path: str
    query: dict
    raw_query: str
    body: dict
    size: int
    at: float
    problems: list[str] = field(default_factory=list)


def _check_dingtalk(robot, a: Arrival) -> None:
    if not robot.secret:
        return
    stamp = a.query.get("timestamp", [""])[0]
    raw_sign = dict(p.split("=", 1) for p in a.raw_query.split("&") if "=" in p).get("sign")
    if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3600_000:
        a.problems.append("dingtalk: timestamp missing or not within the hour")
        return
    string = f"{stamp}\n{robot.secret}".encode()
    want = base64.b64encode(hmac.new(robot.secret.encode(), string, hashlib.sha256).digest())
    if raw_sign != quote_plus(want.decode()):
        a.problems.append("dingtalk: sign does not match")


def _check_feishu(robot, a: Arrival) -> None:
    if a.size > 20 * 1024:
        a.problems.append("feishu: body over 20 KB")
    if not robot.secret:
        return
    stamp = str(a.body.get("timestamp", ""))
    if not stamp.isdigit() or abs(int(stamp) - time.time()) > 3600:
        a.problems.append("feishu: timestamp missing or not within the hour")
        return
    key = f"{stamp}\n{robot.secret}".encode()
    want = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    if a.body.get("sign") != want:
        a.problems.append("feishu: sign does not match")


def _check_wecom(robot, a: Arrival) -> None:
    kind = a.body.get("msgtype")
    if kind == "markdown":
        if len(a.body["markdown"]["content"].encode()) > 4096:
            a.problems.append("wecom: markdown over 4096 bytes")
    elif kind == "image":
        data = base64.b64decode(a.body["image"]["base64"])
        if hashlib.md5(data).hexdigest() != a.body["image"]["md5"]:
            a.problems.append("wecom: image md5 does not match")
        if len(data) >= 2 * 1024 * 1024:
            a.problems.append("wecom: image 2 MB or more")
    else:
        a.problems.append(f"wecom: unknown msgtype {kind!r}")


CHECKS = {"dingtalk": _check_dingtalk, "feishu": _check_feishu, "wecom": _check_wecom}
OK = {"dingtalk": {"errcode": 0, "errmsg": "ok"}, "wecom": {"errcode": 0, "errmsg": "ok"},
      "feishu": {"code": 0, "msg": "success"}}  # fmt: skip


class _Handler(http.server.BaseHTTPRequestHandler):
    server: RobotServer

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        s = self.server
        size = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(size)
        parts = urlsplit(self.path)
        arrival = Arrival(parts.path, parse_qs(parts.query), parts.query,
                          json.loads(raw or b"{}"), size, time.monotonic())  # fmt: skip
        CHECKS.get(s.kind, lambda r, a: None)(s, arrival)
        with s.lock:
            s.arrivals.append(arrival)
            step = s.script.pop(0) if s.script else 200
        if step == "stall":
            time.sleep(s.stall_s)
            return
        if isinstance(step, dict):
            return self._answer(200, step)
        if step in (301, 302, 307, 308):
            self.send_response(step)
            self.send_header("Location", "http://127.0.0.2:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if step != 200:
            return self._answer(step, {"error": "scripted"})
        self._answer(200, OK.get(s.kind, "ok"))

    def _answer(self, status: int, body) -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class RobotServer(LoopbackServer):
    handler = _Handler

    def __init__(self, kind: str, secret: str = "", path: str = "/robot/send"):
        self.kind, self.secret, self.path = kind, secret, path
        self.arrivals: list[Arrival] = []
        self.script: list = []
        self.stall_s = 12.0
        self.lock = threading.Lock()
        super().__init__("127.0.0.1")

    @property
    def address(self) -> str:
        tokens = {
            "dingtalk": "?access_token=dt0123456789abcdef",
            "wecom": "?key=wc-0123456789abcdef",
        }
        return self.url(self.path + tokens.get(self.kind, "/T0123456789ABCDEFGHIJ"))

    def wait_for(self, n: int, timeout: float = 10.0) -> list[Arrival]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.arrivals) < n:
            time.sleep(0.02)
        return list(self.arrivals)
