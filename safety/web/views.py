"""What the page shows, built from results: pure functions from values to HTML or rows.

Model output is untrusted text: the table is a Dataframe (plain text), and every piece of
HTML built here passes through ``esc``. Words come from the catalogue, in the language of
the browser that asked (``lang``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..cost import run_cost
from ..detections import ImageResult
from ..i18n import counts_text, detection_caption, status_name, t, t_n
from ..summary import summarize, verdict_text

TABLE_COLUMNS = ("no", "object", "status", "review", "label", "sub-label", "box", "note")

LEVEL_CLASS = {
    "immediate-action": "danger",
    "violation": "danger",
    "review": "warn",
    "no-hazard": "ok",
    "no-result": "muted",
}


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def headers(lang: str) -> list[str]:
    return [t(f"page.col.{c}", lang) for c in TABLE_COLUMNS]


def result_counts(result: ImageResult, lang: str) -> str:
    return counts_text(
        lang,
        fire=result.count("fire"),
        smoke=result.count("smoke"),
        persons=result.count("person"),
        missing=result.count("person", "missing"),
        other=result.count("other"),
    )


def table_rows(result: ImageResult | None, lang: str) -> list[list[str]]:
    if result is None or not result.ok:
        return []
    return [
        [
            str(n),
            detection_caption(d.category, "", lang),
            (status_name(d.category, d.status, lang) if d.status else "")
            + (t("permitted.mark", lang) if d.permitted else ""),
            review_text(d, lang),
            d.label,
            d.sub_label,
            ", ".join(str(v) for v in d.rounded_box()),
            d.review_note,
        ]
        for n, d in enumerate(result.detections, start=1)
    ]


def review_text(d, lang: str) -> str:
    """ "corrected (the model said: hard hat)", "rejected", "—" for unreviewed."""
    if d.review == "unreviewed":
        return "—"
    text = t(f"review.{d.review}", lang)
    if d.model_said:
        category, status = d.model_said
        text += t("page.model-said", lang, said=detection_caption(category, status, lang))
    return text


def table(rows: Sequence[Sequence[str]], lang: str) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=headers(lang))


def provenance_name(provenance: str, lang: str) -> str:
    return t(f"provenance.{provenance}", lang)


@dataclass
class PhotoView:
    """What the page shows for one finished photo (kept per session, small)."""

    index: int
    name: str
    ok: bool
    error: str | None
    image: str | None  # marked photo (or the failure placeholder) in the run folder
    caption: str  # HTML, escaped
    rows: list[list[str]]
    standing: int = 0  # findings that count (all but the rejected)


def photo_caption(result: ImageResult, total: int, lang: str) -> str:
    number = f"{result.index + 1} / {total}"
    name = esc(short(result.source, 80))
    if not result.ok:
        return (
            f'<div class="photo-caption failed"><b>{number}</b> · {name} — '
            f"<b>{esc(t('page.failed', lang))}</b>: {esc(result.error)}</div>"
        )
    tag = ""
    if result.provenance:
        which = provenance_name(result.provenance, lang)
        tag = f' <span class="ref-tag">{esc(t("page.reference-tag", lang, which=which))}</span>'
    notes = [n for n in result.notes if not n.startswith("Reference labels (")]
    notes_html = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return (
        f'<div class="photo-caption"><b>{number}</b> · {name} — '
        f"{esc(result_counts(result, lang))}{tag}"
        + (f'<ul class="notes">{notes_html}</ul>' if notes_html else "")
        + "</div>"
    )


def verdict_box(text: str, level: str = "no-result", extra: str = "") -> str:
    css = LEVEL_CLASS.get(level, "muted")
    return (
        f'<div class="verdict {css}" id="verdict-line" data-level="{esc(level)}">'
        f"{text}{extra}</div>"
    )


def summary_html(
    results: Sequence[ImageResult], total: int, lang: str, *, done: bool, demo: bool
) -> str:
    if not results:
        return verdict_box(esc(t_n("page.inspecting", total, lang)))
    s = summarize(results)
    text = verdict_text(s, lang)
    if not done:
        text = t("page.progress", lang, done=len(results), total=total, verdict=text)
    extra = ""
    provenances = sorted({r.provenance for r in results if r.provenance})
    if demo or provenances:
        which = (
            " / ".join(provenance_name(p, lang) for p in provenances)
            if provenances
            else t("page.reference-any", lang)
        )
        extra = f'<div class="verdict-ref">{esc(t("page.reference", lang, which=which))}</div>'
    elif done:  # what the run spent: requests, tokens, money at a known price
        cost = run_cost(results, results[0].model, lang)
        extra = f'<div class="verdict-ref" id="run-cost">{esc(cost)}</div>'
    return verdict_box(esc(text), s.level, extra)


def status_html(views: Sequence[PhotoView | None], names: Sequence[str], lang: str) -> str:
    items = []
    for i, name in enumerate(names):
        view = views[i] if i < len(views) else None
        label = f"<b>{i + 1}.</b> {esc(short(name))}"
        if view is None:
            items.append(f'<li class="pending">… {label} — {esc(t("page.waiting", lang))}</li>')
        elif view.ok:
            n = view.standing
            found = t_n("count.found", n, lang) if n else t("count.nothing", lang)
            items.append(f'<li class="ok">✓ {label} — {esc(found)}</li>')
        else:
            failed = esc(t("page.failed", lang))
            items.append(f'<li class="failed">✗ {label} — <b>{failed}</b>: {esc(view.error)}</li>')
    return f'<ul class="photo-status">{"".join(items)}</ul>'


def banner(html_text: str) -> str:
    return f'<div class="banner">{html_text}</div>'


def header_html(lang: str) -> str:
    return f"<h1>{esc(t('page.title', lang))}</h1><p>{esc(t('page.tagline', lang))}</p>"


def conn_html(kind: str, lines: Sequence[str]) -> str:
    body = "<br>".join(esc(line) for line in lines)
    return f'<div class="conn {kind}">{body}</div>'
