"""Words shown to people, in English and Chinese: one table used by the marked photo,
the results table, the summary and the PDF report."""

from __future__ import annotations

LANGS = ("en", "zh")

CATEGORY = {
    "en": {"fire": "fire", "smoke": "smoke", "person": "person", "other": "other"},
    "zh": {"fire": "火灾", "smoke": "烟雾", "person": "人员", "other": "其他"},
}

STATUS = {
    "en": {
        "minor": "minor",
        "moderate": "moderate",
        "severe": "severe",
        "unknown": "unknown",
        "worn": "hard hat",
        "missing": "NO HARD HAT",
        "helmet-unknown": "hard hat?",
    },
    "zh": {
        "minor": "轻微",
        "moderate": "中等",
        "severe": "严重",
        "unknown": "不确定",
        "worn": "已戴安全帽",
        "missing": "未戴安全帽",
        "helmet-unknown": "安全帽不确定",
    },
}


def lang_or_default(lang: str | None) -> str:
    return lang if lang in LANGS else "en"


def category_name(category: str, lang: str = "en") -> str:
    return CATEGORY[lang_or_default(lang)].get(category, category)


def status_name(category: str, status: str, lang: str = "en") -> str:
    table = STATUS[lang_or_default(lang)]
    if category == "person" and status == "unknown":
        return table["helmet-unknown"]
    return table.get(status, status)


def detection_caption(category: str, status: str, lang: str = "en") -> str:
    """Short caption such as "fire · severe" or "人员·未戴安全帽"."""
    name = category_name(category, lang)
    if not status:
        return name
    sep = " · " if lang_or_default(lang) == "en" else "·"
    return f"{name}{sep}{status_name(category, status, lang)}"
