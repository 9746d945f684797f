"""Text made safe for the page: untrusted text escaped for reportlab, times, sizes, endpoint.

Every piece of text that comes from the model or the user goes through ``esc`` or
``esc_lines`` (or ``clean``, then ``escape`` on the whole phrase) before it reaches a
Paragraph, so a label such as ``<font size=80>`` prints as text.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from ..i18n import t, t_n

DASH = "\u2013"  # a value that is not known

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def clean(value: object, limit: int | None = None) -> str:
    """Untrusted text made safe to lay out: valid UTF-8, no control characters, maybe cut."""
    text = "" if value is None else str(value)
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROL.sub("", text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text


def one_line(value: object, limit: int | None = None) -> str:
    """Untrusted text cleaned and joined onto one line (not yet escaped)."""
    return " ".join(clean(value, limit).split("\n"))


def esc(value: object, limit: int | None = None) -> str:
    """Untrusted text as Paragraph markup that prints exactly as written (one line)."""
    return escape(one_line(value, limit))


def esc_lines(value: object, limit: int | None = None) -> str:
    """Untrusted multi-line text as Paragraph markup: line breaks and indentation kept."""
    lines = []
    for line in clean(value, limit).split("\n"):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        lines.append("&nbsp;" * indent + escape(stripped))
    return "<br/>".join(lines)


def safe_endpoint(endpoint: str) -> str:
    """scheme://host:port, whatever was passed: never a path, query or user:password.
    Several endpoints (a run on several, "a, b") are each made safe and kept in order."""
    text = clean(endpoint).strip()
    if "," in text:
        return ", ".join(filter(None, (safe_endpoint(part) for part in text.split(","))))
    if not text:
        return ""
    try:
        parts = urlsplit(text if "://" in text else "//" + text)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return ""
    scheme = f"{parts.scheme}://" if parts.scheme else ""
    return f"{scheme}{host}{port}"


def format_time(created: datetime) -> str:
    """The time with its zone: 2025-03-04 10:05:00 CST (UTC+08:00), or ... UTC+08:00."""
    offset = created.utcoffset()
    if offset is None:
        created = created.astimezone()
        offset = created.utcoffset()
    total = int(offset.total_seconds()) if offset is not None else 0
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total) // 60, 60)
    utc = f"UTC{sign}{hours:02d}:{minutes:02d}"
    name = created.tzname() or ""
    stamp = created.strftime("%Y-%m-%d %H:%M:%S")
    if not name or name.startswith(("UTC", "+", "-")) or name == utc:
        return f"{stamp} {utc}"
    return f"{stamp} {name} ({utc})"


def format_iso(text: str) -> str:
    """An ISO-8601 time (e.g. a review's) said as ``format_time`` says times; text that is not
    one is shown as written (cleaned, one line)."""
    value = one_line(text, 60).strip()
    try:
        when = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return value
    return format_time(when)


def format_bytes(n: int | None, lang: str) -> str:
    if n is None:
        return DASH
    if n >= 1_000_000:
        return t("report.bytes.mb", lang, size=n / 1_000_000, n=n)
    if n >= 1000:
        return t("report.bytes.kb", lang, size=n / 1000, n=n)
    return t_n("report.bytes", n, lang)
