"""The word catalogue: every word a person reads, in English and in Chinese.

    t(key, lang, **values) -> str        one phrase, with {placeholders} filled in
    t_n(key, n, lang, **values) -> str   the same, picking "<key>.one" or "<key>.other" by n
    translations() -> {lang: {key: text}} the whole catalogue, e.g. for Gradio's gr.I18n
    lang_from_header(accept_language)    "zh" or "en" for a browser's Accept-Language
    Phrase(key, **values).say(lang)      a phrase kept unsaid until its reader's language
                                         is known (an error raised far from any page)

The phrases live beside this file, one module per place they are shown, each a dict
``WORDS = {key: (english, chinese)}`` so that both languages of a phrase stand side by side:

    terms.py    categories, statuses, verdict levels and counts: shared by every view
    page.py     the web page
    report.py   the PDF report
    cli.py      the command line
    evaluate.py, evaluate_report.py   python -m safety evaluate, and its PDF report
    site.py     privacy, the site profile, rules and the rectification notice
    vision.py   photo quality, the detail setting, re-checks, confidence and cost
    archive.py  archive runs: folders, --results and --resume, --shard, the progress bar
    batch.py    the Batch API: batch prepare and batch collect
    answers.py  notes on reading a model's answer, and why one could not be read
    endpoint.py what an endpoint (or a pool of them) did wrong, and the pipeline's errors
    results.py  what is wrong with a results file read back
    net.py      a URL a stranger chose: what is wrong with it, and with fetching from it
    visitor.py  a public page's refusals of reopened runs, reports and redraws
    video.py    walkthrough videos: unreadable files, sampling, the estimate, the report
    video_page.py  videos on the page: the cost before a run, bounds, the timeline, frames
    alerts.py   alerts to chat groups, watch mode and the tools for agents
    ledger.py, ledger_report.py   the hazard ledger: statuses, errors, python -m safety
                ledger; its exports' columns and its PDFs
    ledger_page.py  the ledger on the page: the Ledger and Trends tabs, the notice page

Keys are unique across the modules (checked on import). Chinese is written as a Chinese
safety officer would write it, not word for word from the English.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from . import (
    alerts,
    answers,
    archive,
    batch,
    cli,
    endpoint,
    evaluate,
    evaluate_report,
    ledger,
    ledger_page,
    ledger_report,
    net,
    page,
    report,
    results,
    site,
    terms,
    video,
    video_page,
    vision,
    visitor,
)

LANGS = ("en", "zh")
DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "zh": "中文"}


def _merge(*modules) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for module in modules:
        for key, pair in module.WORDS.items():
            if key in merged:
                raise RuntimeError(f"word key {key!r} is defined twice ({module.__name__})")
            if not (isinstance(pair, tuple) and len(pair) == len(LANGS) and all(pair)):
                raise RuntimeError(f"word {key!r} needs one non-empty text per language")
            merged[key] = pair
    return merged


WORDS: Mapping[str, tuple[str, str]] = _merge(
    terms,
    page,
    report,
    cli,
    evaluate,
    evaluate_report,
    site,
    vision,
    archive,
    batch,
    answers,
    endpoint,
    results,
    net,
    visitor,
    video,
    video_page,
    alerts,
    ledger,
    ledger_report,
    ledger_page,
)


def lang_or_default(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = DEFAULT_LANG, /, **values: object) -> str:
    """The phrase ``key`` in ``lang``; ``values`` fill its {placeholders}."""
    text = WORDS[key][LANGS.index(lang_or_default(lang))]
    return text.format(**values) if values else text


def t_n(key: str, n: int, lang: str | None = DEFAULT_LANG, /, **values: object) -> str:
    """A counted phrase: "<key>.one" when n is 1, else "<key>.other"; {n} is filled in."""
    return t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **values)


class Phrase(str):
    """A phrase not said yet: a catalogue key and its values, said in a language later.

    For words made where the reader's language is unknown (an endpoint's error, raised deep
    in the client; a note on a pool's plan): the error or note carries the phrase and the
    page or the run says it. As a str it is the English, so code that only stores, compares
    or logs it needs nothing new. A value that is itself a Phrase is said in the same
    language; a callable value is called with the language (words put together from several
    phrases).
    """

    key: str
    values: dict

    def __new__(cls, key: str, /, **values: object) -> Phrase:
        if key not in WORDS:  # a typo fails where it is made, not when first shown
            raise KeyError(f"no word {key!r} in the catalogue")
        english = t(key, DEFAULT_LANG, **{k: said(v, DEFAULT_LANG) for k, v in values.items()})
        phrase = super().__new__(cls, english)
        phrase.key, phrase.values = key, values
        return phrase

    def say(self, lang: str | None = DEFAULT_LANG) -> str:
        return t(self.key, lang, **{k: said(v, lang) for k, v in self.values.items()})

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, **{self.values!r})"

    def __reduce__(self):  # copied or pickled as a phrase, not as its English
        return (_phrase, (self.key, self.values))


def _phrase(key: str, values: dict) -> Phrase:
    return Phrase(key, **values)


def said(value: object, lang: str | None = DEFAULT_LANG) -> object:
    """A value as shown in ``lang``: a Phrase said, a callable called, anything else as is."""
    if isinstance(value, Phrase):
        return value.say(lang)
    return value(lang) if callable(value) else value


@lru_cache(maxsize=1)
def translations() -> dict[str, dict[str, str]]:
    """{lang: {key: text}} for every language (Gradio's gr.I18n takes this shape)."""
    return {lang: {key: pair[i] for key, pair in WORDS.items()} for i, lang in enumerate(LANGS)}


def lang_from_header(accept_language: str | None) -> str:
    """The catalogue language a browser asks for first in its Accept-Language header.

    "zh-CN,zh;q=0.9,en;q=0.8" -> "zh"; "fr-FR,en;q=0.5" -> "en"; nothing -> "en".
    """
    best, best_q = DEFAULT_LANG, -1.0
    for item in (accept_language or "").split(","):
        tag, _, params = item.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        if base not in LANGS:
            continue
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        # Equal weights: the earlier entry wins (browsers list their first choice first).
        if q > best_q:
            best, best_q = base, q
    return best


# -- names of the categories and statuses every view shows -----------------------------------


def category_name(category: str, lang: str | None = DEFAULT_LANG) -> str:
    key = f"category.{category}"
    return t(key, lang) if key in WORDS else category


def status_name(category: str, status: str, lang: str | None = DEFAULT_LANG) -> str:
    key = f"helmet.{status}" if category == "person" else f"severity.{status}"
    return t(key, lang) if key in WORDS else status


def detection_caption(category: str, status: str, lang: str | None = DEFAULT_LANG) -> str:
    """Short caption such as "fire · severe" or "人员·未戴安全帽"."""
    name = category_name(category, lang)
    if not status:
        return name
    return t("caption", lang, name=name, status=status_name(category, status, lang))


def counts_text(
    lang: str | None, *, fire: int, smoke: int, persons: int, missing: int, other: int = 0
) -> str:
    """The one way counts are said: "1 fire, 3 persons (1 without hard hat)" or "nothing found"."""
    parts = []
    if fire:
        parts.append(t("count.fire", lang, n=fire))
    if smoke:
        parts.append(t("count.smoke", lang, n=smoke))
    if persons:
        text = t_n("count.person", persons, lang)
        if missing:
            text += t("count.missing", lang, n=missing)
        parts.append(text)
    if other:
        parts.append(t("count.other", lang, n=other))
    if not parts:
        return t("count.nothing", lang)
    return t("list.separator", lang).join(parts)


__all__ = [
    "LANGS",
    "LANG_NAMES",
    "WORDS",
    "Phrase",
    "category_name",
    "counts_text",
    "detection_caption",
    "lang_from_header",
    "lang_or_default",
    "said",
    "status_name",
    "t",
    "t_n",
    "translations",
]
