"""Each platform's own message, built from alerts (one alert, or a digest of several).

    build(robot, alerts, now) -> [Outgoing(url, body)]   what to POST, in order

    DingTalk  markdown; with a secret the URL gets ``timestamp`` (ms) and ``sign`` (signing.py)
    WeCom     markdown (at most 4,096 bytes), then the marked photo as an image message:
              base64 of the JPEG and the MD5 of its bytes, under 2 MB
    Feishu    a post (rich text); with a secret the body carries ``timestamp`` (s) and ``sign``
    Slack     blocks (a header and a section), with a plain ``text`` fallback
    webhook   the findings as JSON

Site and photo names are typed by people and the model's words are untrusted: none reaches
a message as markup. Markdown's special characters and line breaks are taken out, Slack's
``& < >`` are escaped, and every name is cut short.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from PIL import Image

from ..i18n import detection_caption, t, t_n
from .config import Robot
from .items import Alert
from .signing import dingtalk_sign, feishu_sign

WECOM_MARKDOWN_BYTES = 4096
WECOM_IMAGE_BYTES = 2 * 1024 * 1024
DINGTALK_TEXT_BYTES = 18_000  # DingTalk's markdown limit is about 20,000 bytes
FEISHU_BODY_BYTES = 18_000  # Feishu refuses a body over 20 KB
SLACK_SECTION_CHARS = 2900  # a section's text is at most 3,000 characters
NAME_CHARS = 80

_MARKUP = re.compile(r"[\\`*_#>\[\]()<>|~!\r\n\t\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Outgoing:
    url: str
    body: dict[str, Any]


def plain(text: str, limit: int = NAME_CHARS) -> str:
    """A name as text with no markup in it, cut to ``limit`` characters."""
    text = _MARKUP.sub(" ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def title_of(alerts: list[Alert], lang: str) -> str:
    site = plain(alerts[0].site) or t("alerts.no-site", lang)
    if all(a.overdue for a in alerts):
        return t("alerts.overdue-title", lang, n=len(alerts))
    if len(alerts) == 1:
        a = alerts[0]
        return t("alerts.title", lang, level=t(f"level.{a.level}", lang), site=site)
    return t_n("alerts.digest-title", len(alerts), lang, site=site)


def lines_of(a: Alert, lang: str) -> list[str]:
    """The facts of one alert, a line each (plain text: each platform adds its markup)."""
    what = detection_caption(a.category, a.status, lang)
    lines = [t("alerts.finding", lang, what=what, n=a.count, level=t(f"level.{a.level}", lang))]
    if a.overdue:
        lines.append(t("alerts.ledger-item", lang, item=plain(a.source), site=plain(a.site)))
    else:
        when = a.when.strftime("%H:%M")
        lines.append(t("alerts.where", lang, source=plain(a.source), when=when))
    if a.clauses:
        lines.append(t("alerts.clauses", lang, clauses=plain("; ".join(a.clauses), 200)))
    if a.owner or a.due:
        owner = plain(a.owner) or t("alerts.unknown", lang)
        lines.append(t("alerts.owner-due", lang, owner=owner, due=plain(a.due) or "-"))
    return lines


def _link(a: Alert) -> str:
    return a.link if urlsplit(a.link).scheme in ("http", "https") else ""


def _fit(blocks: list[str], limit: int, lang: str, sep: str = "\n\n") -> str:
    """Blocks joined while they fit in ``limit`` bytes; then a line saying how many more."""
    kept: list[str] = []
    for n, block in enumerate(blocks):
        more = t_n("alerts.more", len(blocks) - n, lang)
        candidate = sep.join([*kept, block])
        rest = len(blocks) - n - 1
        reserve = len(more.encode()) + len(sep) if rest else 0
        if len(candidate.encode()) + reserve > limit:
            return sep.join([*kept, more])
        kept.append(block)
    return sep.join(kept)


def _markdown(alerts: list[Alert], lang: str, limit: int) -> str:
    blocks = []
    for a in alerts:
        lines = lines_of(a, lang)
        text = f"**{lines[0]}**\n\n" + "\n\n".join(f"> {line}" for line in lines[1:])
        if _link(a):
            text += f"\n\n[{t('alerts.open', lang)}]({_link(a)})"
        blocks.append(text)
    head = f"### {title_of(alerts, lang)}"
    return _fit([head, *blocks], limit, lang)


def _dingtalk(robot: Robot, alerts: list[Alert], now: float) -> list[Outgoing]:
    body = {
        "msgtype": "markdown",
        "markdown": {
            "title": title_of(alerts, robot.lang),
            "text": _markdown(alerts, robot.lang, DINGTALK_TEXT_BYTES),
        },
    }
    url = robot.url
    if robot.secret:
        stamp = str(int(now * 1000))
        extra = urlencode({"timestamp": stamp, "sign": dingtalk_sign(robot.secret, stamp)})
        parts = urlsplit(url)
        query = f"{parts.query}&{extra}" if parts.query else extra
        url = urlunsplit(parts._replace(query=query))
    return [Outgoing(url, body)]


def fit_jpeg(data: bytes, limit: int = WECOM_IMAGE_BYTES) -> bytes:
    """The photo as a JPEG under ``limit`` bytes: smaller and smaller until it fits."""
    if len(data) < limit:
        return data
    image = Image.open(io.BytesIO(data)).convert("RGB")
    quality = 85
    while True:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        if buffer.tell() < limit:
            return buffer.getvalue()
        if quality > 50:
            quality -= 15
        else:
            image = image.resize((max(1, image.width * 3 // 4), max(1, image.height * 3 // 4)))


def _wecom(robot: Robot, alerts: list[Alert], now: float) -> list[Outgoing]:
    text = _markdown(alerts, robot.lang, WECOM_MARKDOWN_BYTES)
    out = [Outgoing(robot.url, {"msgtype": "markdown", "markdown": {"content": text}})]
    photo = next((a.photo for a in alerts if a.photo), None)
    if photo:
        data = fit_jpeg(photo)
        image = {"base64": base64.b64encode(data).decode(), "md5": hashlib.md5(data).hexdigest()}
        out.append(Outgoing(robot.url, {"msgtype": "image", "image": image}))
    return out


def _feishu(robot: Robot, alerts: list[Alert], now: float) -> list[Outgoing]:
    lang = robot.lang
    rows: list[list[dict[str, str]]] = []
    for a in alerts:
        rows += [[{"tag": "text", "text": line}] for line in lines_of(a, lang)]
        if _link(a):
            rows.append([{"tag": "a", "text": t("alerts.open", lang), "href": _link(a)}])
    body: dict[str, Any] = {"msg_type": "post", "content": {}}
    while True:
        post = {"title": title_of(alerts, lang), "content": rows}
        body["content"] = {"post": {"zh_cn" if lang == "zh" else "en_us": post}}
        if len(str(body).encode()) < FEISHU_BODY_BYTES or len(rows) <= 1:
            break
        rows = rows[: len(rows) // 2] + [[{"tag": "text", "text": t_n("alerts.more", 1, lang)}]]
    if robot.secret:
        stamp = str(int(now))
        body = {"timestamp": stamp, "sign": feishu_sign(robot.secret, stamp), **body}
    return [Outgoing(robot.url, body)]


def _slack(robot: Robot, alerts: list[Alert], now: float) -> list[Outgoing]:
    lang = robot.lang
    blocks_text = []
    for a in alerts:
        lines = [_slack_escape(line) for line in lines_of(a, lang)]
        text = f"*{lines[0]}*\n" + "\n".join(lines[1:])
        if _link(a):
            text += f"\n<{_link(a)}|{_slack_escape(t('alerts.open', lang))}>"
        blocks_text.append(text)
    title = title_of(alerts, lang)
    section = _fit(blocks_text, SLACK_SECTION_CHARS, lang)
    body = {
        "text": title,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": section}},
        ],
    }
    return [Outgoing(robot.url, body)]


def _webhook(robot: Robot, alerts: list[Alert], now: float) -> list[Outgoing]:
    findings = [
        {
            "site": a.site,
            "source": a.source,
            "category": a.category,
            "status": a.status,
            "level": a.level,
            "count": a.count,
            "clauses": list(a.clauses),
            "owner": a.owner,
            "due": a.due,
            "link": _link(a),
            "time": a.when.isoformat(timespec="seconds"),
        }
        for a in alerts
    ]
    return [Outgoing(robot.url, {"title": title_of(alerts, robot.lang), "findings": findings})]


BUILDERS = {
    "dingtalk": _dingtalk,
    "wecom": _wecom,
    "feishu": _feishu,
    "slack": _slack,
    "webhook": _webhook,
}


def build(robot: Robot, alerts: list[Alert], now: float | None = None) -> list[Outgoing]:
    """The POSTs that tell ``robot`` about ``alerts`` (several alerts: one digest)."""
    return BUILDERS[robot.kind](robot, alerts, time.time() if now is None else now)
