"""``ledger report --site S --month YYYY-MM`` (or ``--quarter``): a site's periodic report
as PDF, in English or Chinese: what was found and closed in the period, a chart of hazards
per week by category, and the items still open and overdue today."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer, Table

from ..annotate import COLOURS
from ..i18n import category_name, t
from ..report.canvas import build_pdf
from ..report.styles import BODY_W, FONT, RULE, Styles, register_fonts, rgb, table_style
from .model import DONE, Filter, week_of
from .pdfparts import findings_table, footer_canvas, para

MAX_ITEMS = 60  # rows per table: the rest is in the ledger export
CATEGORY_COLOURS = {"fire": (220, 30, 30), "smoke": (40, 90, 200), "person": (200, 0, 150)}


def _colour(category: str) -> colors.Color:
    return rgb(COLOURS.get(category) or CATEGORY_COLOURS[category])


def period_words(start: date, end: date, lang: str) -> str:
    return t("ledger.report.period", lang, start=start.isoformat(), end=end.isoformat())


def _chart(weeks: list[dict], lang: str) -> Drawing:
    height = 62 * mm
    drawing = Drawing(BODY_W, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 12 * mm
    chart.width, chart.height = BODY_W - 50 * mm, height - 18 * mm
    kinds = ("fire", "smoke", "person")
    chart.data = [[w[k] for w in weeks] for k in kinds]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [w["week"][5:] for w in weeks]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([w["total"] for w in weeks] + [1])
    chart.valueAxis.valueStep = max(1, round(top / 5))
    chart.valueAxis.valueMax = max(top, chart.valueAxis.valueStep)
    for i, k in enumerate(kinds):
        chart.bars[i].fillColor = _colour(k)
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = BODY_W - 34 * mm, height - 10 * mm
    legend.fontName, legend.fontSize = FONT, 8
    legend.colorNamePairs = [(_colour(k), category_name(k, lang)) for k in kinds]
    drawing.add(legend)
    return drawing


def weekly(found, start: date, end: date) -> list[dict]:
    """Findings of the period per week (Monday first) by category: the chart's bars."""
    weeks = []
    monday = week_of(start)
    while monday <= end:
        weeks.append({"week": monday.isoformat(), "fire": 0, "smoke": 0, "person": 0, "total": 0})
        monday += timedelta(days=7)
    at = {w["week"]: w for w in weeks}
    for f in found:
        row = at[week_of(f.found_on).isoformat()]
        row[f.category] += 1
        row["total"] += 1
    return weeks


def site_report(ledger, site: str, start: date, end: date, lang: str) -> bytes:
    register_fonts()
    st = Styles(lang)
    today = ledger.today()
    period = period_words(start, end, lang)
    found = ledger.list(Filter(site=site, since=start, until=end))
    everything = ledger.list(Filter(site=site))
    closed = [f for f in everything if f.closed_at and start <= f.closed_at.date() <= end]
    open_now = [f for f in everything if f.status not in DONE]
    overdue = [f for f in open_now if f.overdue]
    spans = [(f.closed_at.date() - f.found_on).days for f in closed]
    data = ledger.trends(site, since=start, until=end, today=today)
    visits = len({f.visit_id for f in found})
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    story = [
        para(t("ledger.report.title", lang, site=site), st.title),
        para(period, st.h2),
        para(t("ledger.report.made", lang, at=made), st.small),
        Spacer(1, 4 * mm),
        para(t("ledger.report.counts", lang), st.h1),
    ]
    dash = t("ledger.dash", lang)
    counts = [
        ("ledger.report.visits", visits),
        ("ledger.report.found", len(found)),
        ("ledger.report.major", sum(f.level == "major" for f in found)),
        ("ledger.report.closed", len(closed)),
        ("ledger.report.open-now", len(open_now)),
        ("ledger.report.overdue-now", len(overdue)),
        ("ledger.report.mean", round(sum(spans) / len(spans), 1) if spans else dash),
    ]
    table = Table(
        [[para(t(k, lang), st.key), para(str(v), st.base)] for k, v in counts],
        colWidths=[70 * mm, 40 * mm],
        hAlign="LEFT",
    )
    table.setStyle(table_style([("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE)]))
    story += [table, Spacer(1, 3 * mm), para(t("ledger.report.chart", lang), st.h2)]
    if found:
        story.append(_chart(weekly(found, start, end), lang))
    else:
        story.append(para(t("ledger.report.chart-empty", lang), st.base))
    for key, items in (
        ("ledger.report.overdue-items", overdue),
        ("ledger.report.open-items", open_now),
    ):
        story += [CondPageBreak(45 * mm), para(t(key, lang), st.h1)]
        if not items:
            story.append(para(t("ledger.report.none", lang), st.base))
            continue
        story.append(findings_table(items[:MAX_ITEMS], lang, st))
        if len(items) > MAX_ITEMS:
            story.append(para(t("ledger.report.more", lang, n=len(items) - MAX_ITEMS), st.small))
    repeated = [r for r in data["repeated"] if r["site"] == site]
    if repeated:
        story.append(para(t("ledger.report.repeated", lang), st.h1))
        for r in repeated:
            line = t(
                "ledger.report.repeated-line",
                lang,
                category=category_name(r["category"], lang),
                n=r["visits"],
            )
            story.append(para(line, st.bullet))
    story += [Spacer(1, 4 * mm), para(t("ledger.report.untrusted", lang), st.small)]
    title = t("ledger.report.title", lang, site=site)
    return build_pdf(
        story,
        footer_canvas((site, period), lang),
        lang,
        title=title,
        author="safety-inspect",
        subject=period,
    )
