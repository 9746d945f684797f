"""The Ledger and Trends tabs' events: which handler each button calls, with what, and
what it changes (safety.web.ledger_handlers, safety.web.ledger_trends)."""

from __future__ import annotations

import gradio as gr

from .ledger_handlers import LedgerHandlers
from .ledger_tab import LedgerTab, TrendsTab
from .ledger_trends import show_trends


def wire_ledger(page, tab: LedgerTab, trends: TrendsTab, h: LedgerHandlers) -> None:
    """``page``: the Inspect tab (safety.web.layout.Page): its language and inspector name
    are the ledger's too."""
    private = {"api_visibility": "private"}
    lang, inspector = page.lang, page.inspector
    filters = [tab.site, tab.status, tab.category, tab.level, tab.overdue, tab.since, tab.until]
    listing = [tab.status, tab.category, tab.level, tab.banner, tab.site, tab.count, tab.table,
               tab.versions, tab.chosen, tab.finding]  # fmt: skip
    shown = [tab.pane, tab.detail, tab.slider, tab.version, tab.next_status, tab.finding_msg,
             tab.note, tab.after]  # fmt: skip

    def relist(event):
        return event.then(h.refresh, [lang, *filters], listing, **private)

    tab.tab.select(h.refresh, [lang, *filters], listing, **private)
    tab.show.click(h.refresh, [lang, *filters], listing, **private)
    tab.finding.change(h.show_finding, [tab.finding, lang], shown, **private)
    relist(
        tab.save.click(
            h.save_status,
            [tab.finding, tab.version, tab.next_status, tab.note, tab.after, inspector, lang],
            shown,
            **private,
        )
    )
    relist(
        tab.recheck.click(h.recheck, [tab.finding, tab.after, inspector, lang], shown, **private)
    )
    relist(
        tab.assign.click(
            h.assign,
            [tab.chosen, tab.versions, tab.owner, tab.due, inspector, lang],
            [tab.bulk_msg],
            **private,
        )
    )
    relist(
        tab.make_notice.click(
            h.notice, [tab.chosen, inspector, lang], [tab.bulk_msg, tab.files], **private
        )
    )
    for button, handler in ((tab.xlsx, h.xlsx), (tab.csv, h.csv), (tab.report, h.report)):
        button.click(handler, [lang, *filters, tab.month], [tab.files, tab.bulk_msg], **private)

    def trends_of(site, lang_value, request: gr.Request = None):
        return show_trends(h, trends, site, lang_value, request)

    outputs = [trends.site, trends.tiles, trends.weekly, trends.flow, trends.repeated]
    trends.tab.select(trends_of, [trends.site, lang], outputs, **private)
    trends.show.click(trends_of, [trends.site, lang], outputs, **private)
