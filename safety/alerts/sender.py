"""Sending alerts in the background: an inspection never waits for a robot.

    alerter = Alerter(config, report=print)   one sender thread per robot
    alerter.submit(alerts)                    returns at once
    alerter.close(timeout)                    what is pending goes out (within timeout)

Each robot's thread gathers what arrives within ``digest_s`` (and while the robot's rate
limit makes it wait) into one message, sends it, and retries a failure with back-off
(``retry_s``, doubled each time). A robot that still fails is reported once per failure,
through ``report``, with its name and the platform's reason, scrubbed of its token and
secret; the hazards it missed may alert again. Requests have timeouts, follow no redirect
(a robot's address that moved is reported with the fix), and ignore proxy variables.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable

import httpx

from ..i18n import t
from ..scrub import ScrubFilter, scrub
from .config import AlertsConfig, Robot
from .items import Alert
from .limiter import Deduper, RateLimiter
from .messages import Outgoing, build, plain

log = logging.getLogger(__name__)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_STOP = object()
# The platforms' "too many messages" answers: worth retrying after a pause.
RATE_CODES = {130101, 45009, 9499, 11232}


class SendFailed(Exception):
    def __init__(self, why: str, retry: bool):
        super().__init__(why)
        self.retry = retry


def _answer_error(robot: Robot, response: httpx.Response, lang: str) -> SendFailed | None:
    """None when the platform took the message; else why not, and whether to try again."""
    status = response.status_code
    if 300 <= status < 400:
        return SendFailed(t("alerts.redirect", lang), retry=False)
    if status == 429 or status >= 500:
        return SendFailed(t("alerts.http", lang, status=status), retry=True)
    if status >= 400:
        return SendFailed(t("alerts.refused", lang, status=status), retry=False)
    try:
        answer = response.json()
    except ValueError:
        return None  # Slack and plain webhooks answer "ok" or nothing
    if not isinstance(answer, dict):
        return None
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code in (0, None):
        return None
    message = plain(str(answer.get("errmsg") or answer.get("msg") or ""), 120)
    return SendFailed(t("alerts.platform", lang, code=code, message=message),
                      retry=code in RATE_CODES)  # fmt: skip


class RobotSender(threading.Thread):
    """One robot's thread: its inbox, its rate limit, its digests and retries."""

    def __init__(self, robot: Robot, config: AlertsConfig, report, dedupe: Deduper, lang: str):
        super().__init__(name=f"alerts-{robot.kind}", daemon=True)
        self.robot, self.config, self.report, self.dedupe = robot, config, report, dedupe
        self.lang = lang
        self.inbox: queue.Queue = queue.Queue()
        self.limiter = RateLimiter(*robot.limits())
        self.client = httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False)
        self.sent = self.failed = 0
        self.waiting = 0  # alerts gathered, not yet sent (a digest waiting for the rate limit)

    def run(self) -> None:
        try:
            closing = False
            while not closing:
                first = self.inbox.get()
                if first is _STOP:
                    break
                pending: list[Alert] = list(first)
                deadline = time.monotonic() + self.config.digest_s
                while True:  # gather what arrives meanwhile into one digest
                    wait = max(deadline - time.monotonic(), self.limiter.wait(time.monotonic()))
                    if wait <= 0:
                        break
                    try:
                        more = self.inbox.get(timeout=wait)
                    except queue.Empty:
                        continue
                    if more is _STOP:
                        closing = True
                        break
                    pending += more
                    self.waiting = len(pending)
                self.waiting = len(pending)
                self._deliver(pending)
                self.waiting = 0
        finally:
            self.client.close()

    def _deliver(self, alerts: list[Alert]) -> None:
        try:
            for message in build(self.robot, alerts):
                self._post(message)
        except SendFailed as exc:
            self.failed += 1
            for a in alerts:
                self.dedupe.forget((self.robot.url, a.key))
            why = scrub(str(exc), *self.robot.secrets)
            self.report(t("alerts.failed", self.lang, robot=self.robot.label, why=why,
                          n=len(alerts)))  # fmt: skip
        else:
            self.sent += 1

    def _post(self, message: Outgoing) -> None:
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            pause = self.limiter.wait(time.monotonic())
            if pause > 0:
                time.sleep(pause)
            self.limiter.note(time.monotonic())
            try:
                body = json.dumps(message.body, ensure_ascii=False).encode()
                response = self.client.post(
                    message.url, content=body, headers={"Content-Type": "application/json"}
                )
                failure = _answer_error(self.robot, response, self.lang)
            except httpx.HTTPError as exc:
                failure = SendFailed(t("alerts.network", self.lang, why=type(exc).__name__),
                                     retry=True)  # fmt: skip
            if failure is None:
                return
            log.info("alert to %s: %s", self.robot.label, scrub(str(failure), *self.robot.secrets))
            if not failure.retry or attempt == attempts - 1:
                raise failure
            time.sleep(self.config.retry_s * 2**attempt)


class Alerter:
    """The robots of one alerts file, each on its own thread."""

    def __init__(self, config: AlertsConfig, report: Callable[[str], None] | None = None,
                 lang: str = "en"):  # fmt: skip
        self.config = config
        # httpx logs each request's URL (at INFO), and a robot's URL carries its token.
        logging.getLogger("httpx").addFilter(ScrubFilter(*config.secrets))
        self.report = report or (lambda line: log.warning("%s", line))
        self.dedupe = Deduper(config.dedupe_s)
        self.senders = [RobotSender(r, config, self.report, self.dedupe, lang)
                        for r in config.robots]  # fmt: skip
        for sender in self.senders:
            sender.start()
        self.closed = False

    def submit(self, alerts: list[Alert]) -> int:
        """Hand alerts to every robot that wants them (never blocks); how many were queued."""
        if self.closed or not alerts:
            return 0
        now, queued = time.monotonic(), 0
        for sender in self.senders:
            robot = sender.robot
            wanted = [
                a
                for a in alerts
                if robot.wants(a.category, a.status, a.level)
                and self.dedupe.fresh((robot.url, a.key), now)
            ]
            if wanted:
                sender.inbox.put(wanted)
                queued += len(wanted)
        return queued

    def close(self, timeout: float = 15.0) -> None:
        """Send what is pending (digests go out at once), waiting at most ``timeout``."""
        if self.closed:
            return
        self.closed = True
        for sender in self.senders:
            sender.inbox.put(_STOP)
        deadline = time.monotonic() + timeout
        for sender in self.senders:
            sender.join(max(0.0, deadline - time.monotonic()))
            if sender.is_alive() and sender.waiting:
                self.report(t("alerts.dropped", sender.lang, n=sender.waiting,
                              robot=sender.robot.label))  # fmt: skip
