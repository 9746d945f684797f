"""What a report is about (ReportInfo) and what every part of one report shares (Context)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from ..detections import ImageResult
from ..i18n import category_name, lang_or_default, status_name, t
from ..review import Review
from ..summary import Summary, level_name, summarize
from .styles import Styles
from .text import DASH, format_time


@dataclass(frozen=True)
class ReportInfo:
    site: str = ""
    inspector: str = ""
    notes: str = ""
    lang: str = "en"  # "en" | "zh"
    endpoint: str = ""  # scheme://host:port only
    model: str = ""
    prompt: str = ""
    created: datetime | None = None  # aware datetime; default now() in the local time zone
    # True in the web app's demo mode: the answers are stored reference labels, not a live
    # model. Said prominently on page 1, on every photo and in the footer.
    reference_labels: bool = False
    # True for an anonymous visitor of a public page: the raw answers are not printed.
    raw_withheld: bool = False
    # Who reviewed the findings, and when; named on page 1 once every finding is reviewed.
    review: Review | None = None
    # The site profile (shown on page 1) and the rules the findings were read
    # against (the clauses in the photo sections, and the rectification notice).
    site_profile: Any = None  # safety.site_profile.SiteProfile
    rules: Any = None  # safety.rules.Rules


class Context:
    """One report being built: its language, styles, results (in index order) and summary.

    Words come from the catalogue (safety.i18n) only: ``t`` gives the plain phrase, ``words``
    a Paragraph of it, escaped whole (so values passed in are plain text, never markup).
    """

    def __init__(self, results: Sequence[ImageResult], info: ReportInfo):
        self.lang = lang_or_default(info.lang)
        self.st = Styles(self.lang)
        self.info = info
        self.results = sorted(results, key=lambda r: r.index)
        self.summary = summarize(self.results)
        self.created = format_time(info.created or datetime.now().astimezone())

    def t(self, key: str, **values: object) -> str:
        """The phrase ``key`` in the report's language, as plain text."""
        return t(key, self.lang, **values)

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.st.base)

    def words(self, key: str, style: ParagraphStyle | None = None, **values: object) -> Paragraph:
        """A Paragraph of the phrase ``key``; ``values`` are plain text (escaped here)."""
        return self.p(escape(self.t(key, **values)), style)

    def cat(self, category: str) -> str:
        """The category's name as markup."""
        return escape(category_name(category, self.lang))

    def status(self, category: str, status: str) -> str:
        """The status's name as markup; a dash when there is none."""
        if not status:
            return DASH
        return escape(status_name(category, status, self.lang))

    def levels(self, s: Summary) -> str:
        """Every level that applies, worst first, as plain text: "IMMEDIATE ACTION + ..."."""
        return self.t("level.joiner").join(level_name(level, self.lang) for level in s.levels)

    @staticmethod
    def photo_no(r: ImageResult) -> int:
        return r.index + 1
