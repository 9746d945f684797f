"""The site in the report: its profile on page 1, the rectification notice (隐患整改通知单:
one page of corrective actions, owners and due dates, signed by the inspector and the site
manager) and the clauses cited, each with the wording checked and its source."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, Table

from .context import Context
from .styles import BODY_W, RULE, table_style
from .text import clean, esc

HEAD = ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.25, 0.25, 0.3))
ACTION_WORDS = {"open": "report.action.open", "closed": "report.action.closed"}
GRID = ("GRID", (0, 0), (-1, -1), 0.4, RULE)


def _lang_index(ctx: Context) -> int:
    return 1 if ctx.lang == "zh" else 0


def site_section(ctx: Context) -> list[Flowable]:
    """The site profile: name, rules, context and concerns (nothing when there is none)."""
    profile, rules, st = ctx.info.site_profile, ctx.info.rules, ctx.st
    if profile is None and rules is None:
        return []
    rows = []
    if profile is not None:
        rows.append(("report.site-name", profile.name))
    if rules is not None:
        rows.append(("report.rules", rules.title[_lang_index(ctx)]))
    if profile is not None:
        rows.append(("report.site-context", profile.context))
        rows.append(("report.site-concerns", "; ".join(profile.concerns)))
    table = Table(
        [
            [ctx.words(key, st.key), ctx.p(esc(clean(v), 1200) if v.strip() else "\u2014")]
            for key, v in rows
        ],
        colWidths=[38 * mm, BODY_W - 38 * mm],
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [ctx.words("report.site-profile", st.h2), table, Spacer(1, 3 * mm)]


def _actions(ctx: Context):
    """(photo number, finding number, detection) of every standing finding with an action."""
    for r in ctx.results:
        for n, d in enumerate(r.detections, start=1):
            if d.stands and d.action is not None:
                yield ctx.photo_no(r), n, d


def _finding_text(ctx: Context, d) -> str:
    status = ctx.status(d.category, d.status)
    return f"{ctx.cat(d.category)}" + (f" ({status})" if d.status else "")


def notice(ctx: Context) -> list[Flowable]:
    """The rectification notice: one page with every corrective action and two signatures."""
    st = ctx.st
    actions = list(_actions(ctx))
    if not actions and ctx.info.rules is None:
        return []
    out: list[Flowable] = [PageBreak(), ctx.words("report.notice.title", st.title)]
    site = clean(ctx.info.site or getattr(ctx.info.site_profile, "name", "") or "").strip()
    facts = ctx.t("report.notice.facts", site=site or "\u2014", date=ctx.created)
    out += [ctx.p(esc(facts, 400)), Spacer(1, 2 * mm), ctx.words("report.notice.intro", st.small)]
    out.append(Spacer(1, 3 * mm))
    if actions:
        head = [ctx.words(k, st.cell_head) for k in (
            "report.notice.no", "report.notice.finding", "report.notice.clauses",
            "report.notice.action", "report.notice.owner", "report.notice.due",
            "report.notice.status")]  # fmt: skip
        rows = [head]
        for photo, n, d in actions:
            a = d.action
            rows.append([
                ctx.p(f"{photo}.{n}", st.cell),
                ctx.p(_finding_text(ctx, d), st.cell),
                ctx.p(esc("; ".join(d.clauses), 300) or "\u2014", st.cell),
                ctx.p(esc(a.text, 400) or "\u2014", st.cell),
                ctx.p(esc(a.owner, 80) or "\u2014", st.cell),
                ctx.p(esc(a.due, 20) or "\u2014", st.cell),
                ctx.words(ACTION_WORDS[a.status], st.cell),
            ])  # fmt: skip
        widths = [12 * mm, 26 * mm, 34 * mm, BODY_W - 134 * mm, 24 * mm, 22 * mm, 16 * mm]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            table_style(
                [
                    HEAD,
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ]
            )
        )
        out.append(table)
    else:
        out.append(ctx.words("report.notice.none"))
    out += [Spacer(1, 10 * mm), CondPageBreak(40 * mm), _signatures(ctx)]
    return out


def _signatures(ctx: Context) -> Table:
    st = ctx.st
    line = "_" * 28
    rows = [
        [ctx.words("report.notice.inspector-sign", st.base), ctx.p(line),
         ctx.words("report.notice.date", st.base), ctx.p("_" * 14)],
        [Spacer(1, 8 * mm), "", "", ""],
        [ctx.words("report.notice.manager-sign", st.base), ctx.p(line),
         ctx.words("report.notice.date", st.base), ctx.p("_" * 14)],
        [Spacer(1, 4 * mm), "", "", ""],
        [ctx.words("report.notice.reply", st.small), "", "", ""],
    ]  # fmt: skip
    table = Table(rows, colWidths=[52 * mm, 62 * mm, 16 * mm, BODY_W - 130 * mm])
    table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                ("SPAN", (0, 4), (-1, 4))]))  # fmt: skip
    return table


def clauses_cited(ctx: Context) -> list[Flowable]:
    """Every clause the findings cite: reference, title, the wording checked, its source."""
    rules, st = ctx.info.rules, ctx.st
    if rules is None:
        return []
    refs: list[str] = []
    for _photo, _n, d in _actions(ctx):
        refs += [ref for ref in d.clauses if ref not in refs]
    cited = rules.cited(refs)
    if not cited:
        return []
    i = _lang_index(ctx)
    out: list[Flowable] = [ctx.words("report.clauses.title", st.h2)]
    out.append(ctx.words("report.clauses.intro", st.small))
    rows = [[ctx.words(k, st.cell_head) for k in ("report.clauses.ref", "report.clauses.text")]]
    for c in cited:
        text = (
            f"<b>{esc(c.title[i], 120)}</b><br/>{esc(c.checked, 900)}<br/>"
            f'<font size="7">{esc(ctx.t("report.clauses.source"), 40)} {esc(c.source, 200)}</font>'
        )
        rows.append([ctx.p(esc(c.ref, 80), st.cell), ctx.p(text, st.cell)])
    table = Table(rows, colWidths=[42 * mm, BODY_W - 42 * mm], repeatRows=1)
    table.setStyle(
        table_style(
            [HEAD, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.4, RULE)]
        )
    )
    out += [Spacer(1, 2 * mm), table]
    return out
