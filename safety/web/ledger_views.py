"""The hazard ledger as the page shows it: the findings table with thumbnails, a finding's
facts, history and evidence, and messages. Pure functions from ledger values to HTML.

Everything a person or the model wrote (a label, an owner, a note, a site's name) is
untrusted text and passes through ``esc``; words come from the catalogue in ``lang``.
"""

from __future__ import annotations

import base64
import re
from collections import OrderedDict
from collections.abc import Sequence
from threading import Lock

from ..i18n import t
from ..ledger.describe import day, level_word, status_word, text_or_dash, what
from ..ledger.model import EVIDENCE_KINDS, Finding, FindingDetail
from ..ledger.pictures import before_jpeg
from ..report.text import one_line
from .views import esc

THUMB_PX = 96
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
NOTICE_NOTE = re.compile(r"^notice (\d+)$")  # what the ledger notes when a notice is made
_THUMBS: OrderedDict[tuple, str] = OrderedDict()  # (sha, box) -> data URL; a few hundred
_THUMBS_LOCK = Lock()
THUMBS_KEPT = 600


def thumb_url(ledger, f: Finding) -> str | None:
    """A small before picture (cut around the box) as a data: URL, remembered."""
    if not f.photo_sha:
        return None
    key = (f.photo_sha, f.box, f.photo_size)
    with _THUMBS_LOCK:
        if key in _THUMBS:
            _THUMBS.move_to_end(key)
            return _THUMBS[key]
    jpeg = before_jpeg(f, ledger.photo(f.photo_sha), THUMB_PX)
    url = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode() if jpeg else None
    if url:
        with _THUMBS_LOCK:
            _THUMBS[key] = url
            while len(_THUMBS) > THUMBS_KEPT:
                _THUMBS.popitem(last=False)
    return url


def status_cell(f: Finding, lang: str) -> str:
    cell = f'<span class="lg-status lg-{esc(f.status)}">{esc(status_word(f.status, lang))}</span>'
    if f.overdue:
        cell += f' <span class="lg-overdue">{esc(t("ledger.overdue", lang))}</span>'
    return cell


def findings_table(ledger, found: Sequence[Finding], lang: str) -> str:
    """The findings as an HTML table, a thumbnail of each before photo first."""
    if not found:
        return f'<p class="lg-empty">{esc(t("ledger.none", lang))}</p>'
    cols = ("before", "number", "found", "site", "description", "level", "status", "owner", "due")
    head = "".join(f"<th>{esc(t(f'ledger.col.{c}', lang))}</th>" for c in cols)
    rows = []
    for f in found:
        url = thumb_url(ledger, f)
        img = (
            f'<img src="{url}" alt="{esc(f.number)}" width="{THUMB_PX}" loading="lazy">'
            if url
            else esc(t("ledger.dash", lang))
        )
        rows.append(
            f'<tr data-id="{f.id}"><td class="lg-thumb">{img}</td>'
            f"<td>{esc(f.number)}</td><td>{esc(day(f.found_on, lang))}</td>"
            f"<td>{esc(one_line(f.site, 60))}</td><td>{esc(what(f, lang))}</td>"
            f"<td>{esc(level_word(f.level, lang))}</td><td>{status_cell(f, lang)}</td>"
            f"<td>{esc(text_or_dash(f.owner, lang, 60))}</td>"
            f"<td>{esc(day(f.due, lang))}</td></tr>"
        )
    return (
        '<div class="lg-table-wrap"><table class="lg-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def choice_label(f: Finding, lang: str) -> str:
    """How a finding is named in the pick lists: number, what, site, status."""
    sep = t("list.separator", lang)
    parts = [f.number, what(f, lang), one_line(f.site, 40), status_word(f.status, lang)]
    return sep.join(parts)


def _value(name: str, value, lang: str) -> str:
    if name == "evidence" and value in EVIDENCE_KINDS:
        return t(f"ledger.evidence.{value}", lang)
    if isinstance(value, str) and ISO_TIME.match(value):
        return value[:16].replace("T", " ")  # a time as the rest of the page shows it
    if name == "status":
        return status_word(str(value), lang) if value else t("ledger.dash", lang)
    if name == "level":
        return level_word(str(value), lang) if value else t("ledger.dash", lang)
    if value is None or value == "":
        return t("ledger.dash", lang)
    return one_line(str(value), 120)


def _note(note: str, lang: str) -> str:
    """A history note; the ledger's own "notice N" said in the reader's words."""
    made = NOTICE_NOTE.match(note or "")
    if made:
        return t("page.ledger.by-notice", lang, id=made.group(1))
    return one_line(note, 200)


def _changes(changes: dict, lang: str) -> str:
    parts = []
    for name, (before, after) in changes.items():
        field = t(f"ledger.field.{name}", lang) if f"ledger.field.{name}" in _FIELD_KEYS else name
        parts.append(
            t(
                "ledger.error.conflict-field",
                lang,
                field=field,
                before=_value(name, before, lang),
                after=_value(name, after, lang),
            )
        )
    return t("list.separator", lang).join(parts)


_FIELD_KEYS = {
    f"ledger.field.{n}"
    for n in (
        "category level status measure owner due funds rechecker rechecked_on clauses photo "
        "box label review closed_at evidence"
    ).split()
}


def detail_html(detail: FindingDetail, lang: str) -> str:
    """A finding's page: its facts, then its history and evidence, oldest first."""
    f = detail.finding
    head = t(
        "ledger.show.head",
        lang,
        number=f.number,
        site=one_line(f.site, 80),
        found=day(f.found_on, lang),
        inspector=text_or_dash(f.inspector, lang, 60),
        version=f.version,
    )
    facts = [
        ("category", what(f, lang)),
        ("level", level_word(f.level, lang)),
        ("status", None),
        ("measure", text_or_dash(f.measure, lang, 300)),
        ("owner", text_or_dash(f.owner, lang, 80)),
        ("due", day(f.due, lang)),
        ("funds", text_or_dash(f.funds, lang, 80)),
        ("rechecker", text_or_dash(f.rechecker, lang, 80)),
        ("rechecked_on", day(f.rechecked_on, lang)),
        ("clauses", text_or_dash("; ".join(f.clauses), lang, 300)),
        ("label", text_or_dash(f.label, lang, 200)),
    ]
    rows = "".join(
        f"<tr><th>{esc(t(f'ledger.field.{k}', lang))}</th>"
        f"<td>{status_cell(f, lang) if v is None else esc(v)}</td></tr>"
        for k, v in facts
    )
    past = []
    for h in detail.history:
        note = f" — {esc(_note(h.note, lang))}" if h.note else ""
        if h.action == "evidence":  # which kind is all there is to say
            kind = (h.changes.get("evidence") or [None, ""])[1]
            changed = _value("evidence", kind, lang)
        else:
            changed = _changes(h.changes, lang)
        past.append(
            f"<li><time>{esc(day(h.at, lang))}</time> {esc(text_or_dash(h.actor, lang, 60))} · "
            f"{esc(t(f'ledger.action.{h.action}', lang))} {esc(changed)}{note}</li>"
        )
    kept = []
    for e in detail.evidence:
        said = t(f"ledger.evidence.{e.kind}", lang)
        if e.verdict:
            said += " · " + t(f"ledger.verdict.{e.verdict}", lang)
        if e.note:
            said += " · " + one_line(e.note, 300)
        kept.append(
            f"<li><time>{esc(day(e.at, lang))}</time> {esc(text_or_dash(e.actor, lang, 60))} · "
            f"{esc(said)}</li>"
        )
    none = f"<li>{esc(t('ledger.show.no-evidence', lang).strip())}</li>"
    return (
        f'<div class="lg-detail"><h3>{esc(head)}</h3><table class="lg-facts">{rows}</table>'
        f"<h4>{esc(t('ledger.show.history', lang).rstrip(':：'))}</h4>"
        f'<ol class="lg-history">{"".join(past)}</ol>'
        f"<h4>{esc(t('ledger.show.evidence', lang).rstrip(':：'))}</h4>"
        f'<ul class="lg-evidence">{"".join(kept) or none}</ul></div>'
    )


def message_html(kind: str, text: str) -> str:
    """A message under the finding or the selection: ok | warn | bad; escaped."""
    if not text:
        return ""
    role = "alert" if kind in ("warn", "bad") else "status"
    return f'<div class="lg-msg lg-msg-{kind}" role="{role}">{esc(text)}</div>'


def link_html(label: str, link: str) -> str:
    """The notice's link, shown so the officer can copy or open it."""
    return (
        f'<div class="lg-msg lg-msg-ok" role="status">{esc(label)} '
        f'<a href="{esc(link)}" target="_blank" rel="noopener" id="notice-link">'
        f"{esc(link)}</a></div>"
    )
