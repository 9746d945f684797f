"""A finding in words, in the reader's language: every view of the ledger (command line,
exports, PDFs, the page) says it the same way. The model's label is untrusted text: it is
cleaned here (no control characters, bounded) and never read as markup."""

from __future__ import annotations

from datetime import date, datetime

from ..i18n import detection_caption, t
from ..report.text import one_line
from .model import Finding


def status_word(status: str, lang: str) -> str:
    return t(f"ledger.status.{status}", lang)


def level_word(level: str, lang: str) -> str:
    return t(f"ledger.level.{level}", lang)


def what(f: Finding, lang: str) -> str:
    """ "fire · severe", "人员·未戴安全帽"."""
    return detection_caption(f.category, f.severity, lang)


def where(f: Finding, lang: str) -> str:
    x1, y1, x2, y2 = (round(v) for v in f.box)
    return t("ledger.where", lang, x1=x1, x2=x2, y1=y1, y2=y2)


def description(f: Finding, lang: str) -> str:
    """What, where and in which photo; the model's own words after it."""
    photo = one_line(f.source.rsplit("/", 1)[-1], 80) or "-"
    text = t("ledger.describe", lang, what=what(f, lang), where=where(f, lang), photo=photo)
    label = one_line(f.label, 120)
    return t("ledger.describe-said", lang, text=text, label=label) if label else text


def day(value: date | datetime | None, lang: str) -> str:
    if value is None:
        return t("ledger.dash", lang)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def text_or_dash(value: str, lang: str, limit: int = 200) -> str:
    return one_line(value, limit) or t("ledger.dash", lang)
