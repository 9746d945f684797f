"""The Trends tab: are our sites getting better? Per site or overall, from the ledger's
trends (safety.ledger.trends): findings per week by category, found against closed per
week, and as they stand today open, closed, overdue, mean days to close, and the sites where
the same hazard keeps coming back. Charts are Gradio's own plots; words from the catalogue.
"""

from __future__ import annotations

import gradio as gr
import pandas as pd

from ..i18n import category_name, lang_or_default, t
from ..ledger import LedgerError
from .ledger_handlers import Refused
from .ledger_tab import TrendsTab
from .ledger_views import message_html
from .views import esc

SERIES = ("fire", "smoke", "person")
COLOURS = {"fire": "#d62728", "smoke": "#7f7f7f", "person": "#ff9f1c"}  # as the marked photos


def weekly_frame(data: dict, lang: str) -> pd.DataFrame:
    """Long form for a stacked bar chart: week, category (in words), n. The category's column
    is named in the reader's words: the legend's title is that name."""
    name = t("page.ledger.category", lang)
    rows = [
        {"week": w["week"], name: category_name(c, lang), "n": int(w.get(c, 0))}
        for w in data["weeks"]
        for c in SERIES
    ]
    return pd.DataFrame(rows, columns=["week", name, "n"])


def flow_frame(data: dict, lang: str) -> pd.DataFrame:
    found, closed = t("page.trends.found", lang), t("page.trends.closed", lang)
    name = t("page.trends.series", lang)
    rows = []
    for w in data["flow"]:
        rows.append({"week": w["week"], name: found, "n": int(w["found"])})
        rows.append({"week": w["week"], name: closed, "n": int(w["closed"])})
    return pd.DataFrame(rows, columns=["week", name, "n"])


def tiles_html(data: dict, lang: str) -> str:
    mean = data["mean_days_to_close"]
    tiles = (
        ("open", data["open"], ""),
        ("closed", data["closed"], ""),
        ("overdue", data["overdue"], "lg-tile-bad" if data["overdue"] else ""),
        ("mean", t("page.trends.days", lang, n=mean) if mean is not None else "—", ""),
        ("major", data["by_level"].get("major", 0), ""),
    )
    cells = "".join(
        f'<div class="lg-tile {cls}"><b>{esc(value)}</b>'
        f"<span>{esc(t(f'page.trends.tile.{key}', lang))}</span></div>"
        for key, value, cls in tiles
    )
    where = data["site"] or t("page.trends.all-sites", lang)
    return f'<p class="lg-count">{esc(where)}</p><div class="lg-tiles">{cells}</div>'


def repeated_html(data: dict, lang: str) -> str:
    head = f"<h4>{esc(t('page.trends.repeated', lang))}</h4>"
    if not data["repeated"]:
        return head + f'<p class="lg-empty">{esc(t("page.trends.no-repeated", lang))}</p>'
    rows = "".join(
        f"<li>{esc(t('ledger.trends.repeated', lang, site=r['site'], category=category_name(r['category'], lang), n=r['visits']))}</li>"  # noqa: E501
        for r in data["repeated"]
    )
    return head + f'<ul class="lg-repeated">{rows}</ul>'


def show_trends(handlers, tab: TrendsTab, site, lang, request: gr.Request = None) -> dict:
    """The Trends tab for ``site`` ('' or None: every site)."""
    lang = lang_or_default(lang)
    try:
        ledger = handlers._open(request, lang)
        data = ledger.trends((site or "").strip() or None)
        sites = ledger.sites()
    except Refused as exc:
        return {tab.tiles: message_html("warn", exc.text)}
    except LedgerError as exc:
        return {tab.tiles: message_html("bad", exc.message(lang))}
    return {
        tab.site: gr.Dropdown(
            choices=[(t("page.trends.all-sites", lang), "")] + [(s, s) for s in sites]
        ),
        tab.tiles: tiles_html(data, lang),
        tab.weekly: gr.BarPlot(
            value=weekly_frame(data, lang),
            x="week",
            y="n",
            height=340,
            color=t("page.ledger.category", lang),
            color_map={category_name(c, lang): COLOURS[c] for c in SERIES},
            x_title=t("page.trends.week", lang),
            y_title=t("page.trends.count", lang),
        ),  # fmt: skip
        tab.flow: gr.LinePlot(
            value=flow_frame(data, lang),
            x="week",
            y="n",
            height=340,
            color=t("page.trends.series", lang),
            color_map={
                t("page.trends.found", lang): "#d62728",
                t("page.trends.closed", lang): "#2ca02c",
            },
            x_title=t("page.trends.week", lang),
            y_title=t("page.trends.count", lang),
        ),  # fmt: skip
        tab.repeated: repeated_html(data, lang),
    }
