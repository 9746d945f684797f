"""What the Ledger tab's buttons do: list, open a finding, change it, re-check it, assign
and notify in bulk, download. Each reads the ledger afresh and writes through its API (one
transaction per change, acknowledged after the commit); a change names the version it was
made on, and a finding changed meanwhile is a clear message, nothing overwritten.

A visitor who may not use the ledger (an anonymous visitor of a public page) gets the
tab's banner saying so, and nothing of the ledger.
"""

from __future__ import annotations

import html
import tempfile
from datetime import date, datetime
from pathlib import Path

import gradio as gr

from ..errors import SafetyError
from ..i18n import category_name, lang_or_default, t
from ..ledger import Filter, LedgerError
from ..ledger.model import LEVELS, STATUSES, TRANSITIONS
from ..ledger.pictures import after_photo, before_jpeg
from .ledger_access import LedgerAccess, ephemeral_html
from .ledger_tab import LedgerTab
from .ledger_views import choice_label, detail_html, findings_table, message_html
from .visitors import visitor_of

PAGE_ROWS = 50  # findings listed at once (the newest that match)


class Refused(Exception):
    """The visitor may not use the ledger, or an input is not valid: ``text`` says why."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def parse_day(text: str | None, lang: str, what: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(t("page.ledger.bad-date", lang, what=what, value=text[:40])) from None


def read_photo(path: str | None) -> bytes | None:
    return Path(path).read_bytes() if path else None


def actor_of(request: gr.Request | None, inspector: str | None, lang: str) -> str:
    name = getattr(request, "username", None) or (inspector or "").strip()
    return name[:100] or t("page.ledger.officer", lang)


class LedgerHandlers:
    def __init__(self, access: LedgerAccess, tab: LedgerTab):
        self.access, self.tab = access, tab
        self.out = Path(tempfile.mkdtemp(prefix="ledger-downloads-"))

    # -- access --------------------------------------------------------------------------

    def _open(self, request: gr.Request | None, lang: str):
        if not visitor_of(request, self.access.config).trusted:
            raise Refused(t("page.ledger.locked", lang))
        try:
            return self.access.ledger()
        except SafetyError as exc:
            raise Refused(exc.text(lang)) from None

    def banner(self, lang: str, refused: str = "") -> str:
        if refused:
            return message_html("warn", refused)
        return ephemeral_html(self.access, lang)

    # -- the list ------------------------------------------------------------------------

    def criteria(self, lang, site, status, category, level, overdue, since, until) -> Filter:
        return Filter(
            site=(site or "").strip() or None,
            status=tuple(s for s in status or () if s in STATUSES),
            category=tuple(category or ()),
            level=level if level in LEVELS else None,
            overdue=bool(overdue),
            since=parse_day(since, lang, t("page.ledger.since", lang)),
            until=parse_day(until, lang, t("page.ledger.until", lang)),
            limit=PAGE_ROWS,
        )

    def refresh(
        self, lang, site, status, category, level, overdue, since, until, request: gr.Request = None
    ):
        """The filters' choices in ``lang``, the count, the table and the pick lists."""
        x, lang = self.tab, lang_or_default(lang)
        choices = {
            x.status: gr.Dropdown(choices=[(t(f"ledger.status.{s}", lang), s) for s in STATUSES]),
            x.category: gr.Dropdown(
                choices=[(category_name(c, lang), c) for c in ("fire", "smoke", "person")]
            ),
            x.level: gr.Dropdown(
                choices=[(t("page.ledger.any", lang), "")]
                + [(t(f"ledger.level.{v}", lang), v) for v in LEVELS]
            ),
        }
        try:
            ledger = self._open(request, lang)
            wanted = self.criteria(lang, site, status, category, level, overdue, since, until)
            found = ledger.list(wanted)
            total = ledger.count(Filter(**{**wanted.__dict__, "limit": None}))
            sites = ledger.sites()
        except (Refused, LedgerError) as exc:
            text = exc.text if isinstance(exc, Refused) else exc.message(lang)
            return {**choices, x.banner: self.banner(lang, text), x.table: "", x.count: ""}
        named = [(choice_label(f, lang), f.id) for f in found]
        count = t("ledger.count.one" if total == 1 else "ledger.count.other", lang, n=total)
        if total > len(found):
            count += " " + t("page.ledger.newest", lang, n=len(found))
        return {
            **choices,
            x.banner: self.banner(lang),
            x.site: gr.Dropdown(choices=[("", "")] + [(s, s) for s in sites]),
            x.count: f'<p class="lg-count">{html.escape(count)}</p>',
            x.table: findings_table(ledger, found, lang),
            x.versions: {f.id: f.version for f in found},
            x.chosen: gr.CheckboxGroup(choices=named, value=[]),
            x.finding: gr.Dropdown(choices=named),
        }

    # -- one finding ---------------------------------------------------------------------

    def show(
        self, finding_id, lang, request: gr.Request = None, message: str = "", kind: str = "ok"
    ):
        x, lang = self.tab, lang_or_default(lang)
        if finding_id in (None, ""):
            return {x.pane: gr.Column(visible=False), x.version: None, x.finding_msg: ""}
        try:
            ledger = self._open(request, lang)
            detail = ledger.get(int(finding_id))
        except (Refused, LedgerError) as exc:
            text = exc.text if isinstance(exc, Refused) else exc.message(lang)
            return {x.pane: gr.Column(visible=False), x.finding_msg: message_html("bad", text)}
        f = detail.finding
        before = before_jpeg(f, ledger.photo(f.photo_sha) if f.photo_sha else None, 900)
        after = after_photo(ledger, f.id)
        pair = None
        if before:
            first = self._file(f"before-{f.id}.jpg", before)
            pair = (first, self._file(f"after-{f.id}-{f.version}.jpg", after) if after else first)
        nexts = [(t(f"ledger.status.{s}", lang), s) for s in TRANSITIONS.get(f.status, ())]
        return {
            x.pane: gr.Column(visible=True),
            x.detail: detail_html(detail, lang),
            x.slider: pair,
            x.version: f.version,
            x.next_status: gr.Dropdown(choices=nexts, value=nexts[0][1] if nexts else None),
            x.finding_msg: message_html(kind, message),
        }

    def show_finding(self, finding_id, lang, request: gr.Request = None):
        return self.show(finding_id, lang, request)

    def _file(self, name: str, data: bytes) -> str:
        path = self.out / name
        path.write_bytes(data)
        return str(path)

    def save_status(
        self, finding_id, version, status, note, after, inspector, lang, request: gr.Request = None
    ):
        """Move the finding along the loop, with the after photo and note as evidence."""
        lang = lang_or_default(lang)
        if finding_id in (None, "") or not status:
            return {self.tab.finding_msg: message_html("warn", t("page.ledger.pick", lang))}
        try:
            ledger = self._open(request, lang)
            done = ledger.transition(
                int(finding_id),
                status,
                expected_version=version,
                actor=actor_of(request, inspector, lang),
                note=(note or "").strip()[:2000],
                photo=read_photo(after),
            )
        except Refused as exc:
            return {self.tab.finding_msg: message_html("warn", exc.text)}
        except LedgerError as exc:
            # A conflict or a refused step: the finding is shown as it is now, the reason
            # under it.
            return self.show(finding_id, lang, request, exc.message(lang), "bad")
        said = t(
            "ledger.saved",
            lang,
            number=done.number,
            status=t(f"ledger.status.{done.status}", lang),
            version=done.version,
        )  # noqa: E501
        shown = self.show(finding_id, lang, request, said, "ok")
        return {**shown, self.tab.note: "", self.tab.after: None}

    def recheck(self, finding_id, after, inspector, lang, request: gr.Request = None):
        """Ask the model about the after photo (uploaded now, or the newest kept)."""
        from ..ledger.recheck import recheck

        lang = lang_or_default(lang)
        if finding_id in (None, ""):
            return {self.tab.finding_msg: message_html("warn", t("page.ledger.pick", lang))}
        settings = self.access.config.endpoint
        try:
            ledger = self._open(request, lang)
            if settings is None:
                raise Refused(t("page.ledger.recheck-demo", lang))
            photo = read_photo(after) or after_photo(ledger, int(finding_id))
            if photo is None:
                raise Refused(t("page.ledger.recheck-photo", lang))
            outcome = recheck(
                ledger,
                int(finding_id),
                photo,
                settings,
                actor=actor_of(request, inspector, lang),
                lang=lang,
                fetch_policy=self.access.config.fetch,
            )
        except Refused as exc:
            return {self.tab.finding_msg: message_html("warn", exc.text)}
        except LedgerError as exc:
            return {self.tab.finding_msg: message_html("bad", exc.message(lang))}
        lines = outcome.lines(lang)[:-1]  # the last says the command line's next step
        lines.append(t("page.ledger.recheck-next", lang))
        kind = "ok" if outcome.verdict == "gone" else "warn"
        return {**self.show(finding_id, lang, request, " ".join(lines), kind), self.tab.after: None}

    # -- the selection -------------------------------------------------------------------

    def assign(self, chosen, versions, owner, due, inspector, lang, request: gr.Request = None):
        lang = lang_or_default(lang)
        try:
            if not chosen:
                raise Refused(t("page.ledger.choose", lang))
            owner = (owner or "").strip()[:100] or None
            when = parse_day(due, lang, t("page.ledger.due", lang))
            if owner is None and when is None:
                raise Refused(t("page.ledger.assign-what", lang))
            ledger = self._open(request, lang)
            ids = [int(i) for i in chosen]
            done = ledger.assign_bulk(
                ids,
                owner=owner,
                due=when,
                actor=actor_of(request, inspector, lang),
                expected={i: (versions or {}).get(i) for i in ids if (versions or {}).get(i)},
            )
        except Refused as exc:
            return message_html("warn", exc.text)
        except LedgerError as exc:
            return message_html("bad", exc.message(lang))
        return message_html("ok", t("page.ledger.assigned", lang, n=len(done)))

    def notice(self, chosen, inspector, lang, request: gr.Request = None):
        """A rectification notice for the chosen findings (one site): its PDF, and the
        site manager's link when the app knows its public address."""
        from ..ledger.noticepdf import notice_pdf
        from ..ledger.notices import notice_link

        lang = lang_or_default(lang)
        try:
            if not chosen:
                raise Refused(t("page.ledger.choose", lang))
            ledger = self._open(request, lang)
            site = ledger.find(int(chosen[0])).site
            made = ledger.create_notice(
                site, [int(i) for i in chosen], actor=actor_of(request, inspector, lang)
            )
            link = notice_link(self.access.config.public_url, made.token or "")
            pdf = notice_pdf(ledger, made, link, lang)
        except Refused as exc:
            return message_html("warn", exc.text), gr.skip()
        except LedgerError as exc:
            return message_html("bad", exc.message(lang)), gr.skip()
        until = made.expires_at.strftime("%Y-%m-%d %H:%M")
        said = t("ledger.notice.made", lang, id=made.id, site=site, n=len(made.finding_ids),
                 until=until)  # fmt: skip
        path = self._file(f"notice-{made.id}.pdf", pdf)
        if link is None:
            return message_html("warn", said + " " + t("ledger.notice.no-link", lang)), [path]
        from .ledger_views import link_html

        return link_html(said + " " + t("page.ledger.link", lang), link), [path]

    # -- downloads -----------------------------------------------------------------------

    def xlsx(self, lang, site, status, category, level, overdue, since, until, month,
             request: gr.Request = None):  # fmt: skip
        filters = (site, status, category, level, overdue, since, until, month)
        return self.download("xlsx", lang, *filters, request=request)

    def csv(self, lang, site, status, category, level, overdue, since, until, month,
            request: gr.Request = None):  # fmt: skip
        filters = (site, status, category, level, overdue, since, until, month)
        return self.download("csv", lang, *filters, request=request)

    def report(self, lang, site, status, category, level, overdue, since, until, month,
               request: gr.Request = None):  # fmt: skip
        filters = (site, status, category, level, overdue, since, until, month)
        return self.download("report", lang, *filters, request=request)

    def download(self, kind, lang, site, status, category, level, overdue, since, until, month,
                 request=None):  # fmt: skip
        """The ledger as filtered, as .xlsx or .csv; or the site's monthly report PDF."""
        from ..ledger.exports import write_csv, write_xlsx

        lang = lang_or_default(lang)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        try:
            ledger = self._open(request, lang)
            wanted = self.criteria(lang, site, status, category, level, overdue, since, until)
            wanted = Filter(**{**wanted.__dict__, "limit": None})
            if kind == "report":
                return [self._report(ledger, site, month, lang, stamp)], ""
            path = self.out / f"hazard-ledger-{stamp}.{kind}"
            (write_xlsx if kind == "xlsx" else write_csv)(ledger, path, wanted, lang)
        except Refused as exc:
            return gr.skip(), message_html("warn", exc.text)
        except LedgerError as exc:
            return gr.skip(), message_html("bad", exc.message(lang))
        return [str(path)], ""

    def _report(self, ledger, site, month, lang: str, stamp: str) -> str:
        from ..ledger.sitereport import site_report

        site = (site or "").strip()
        if not site:
            raise Refused(t("page.ledger.report-site", lang))
        text = (month or "").strip() or ledger.today().strftime("%Y-%m")
        try:
            start = date.fromisoformat(text + "-01")
        except ValueError:
            raise Refused(t("page.ledger.bad-month", lang, value=text[:20])) from None
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1).toordinal() - 1
        pdf = site_report(ledger, site, start, date.fromordinal(end), lang)
        return self._file(f"site-report-{start:%Y-%m}-{stamp}.pdf", pdf)
