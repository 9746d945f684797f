"""The ledger's other steps on the command line: recheck, export, trends, report, import,
backup, and the rectification notices (notice, notices, revoke); ``show``'s lines."""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime, timezone
from pathlib import Path

from ..errors import InputError
from ..i18n import category_name, t
from ..ledger.describe import day, level_word, status_word, text_or_dash, what
from ..ledger.model import CATEGORIES_KEPT, LEVELS, STATUSES, Filter, FindingDetail
from ..report.text import one_line
from .args import EndpointOptions, add_endpoint_args


def filter_from(args, **more) -> Filter:
    """The findings the list and export flags choose."""
    return Filter(
        site=args.site,
        status=tuple(args.status or ()),
        category=tuple(args.category or ()),
        level=args.level,
        overdue=args.overdue,
        **more,
    )


def filter_args(p, lang: str) -> None:
    p.add_argument("--site", help=t("ledger.cli.site", lang))
    p.add_argument("--status", action="append", choices=STATUSES, help=t("ledger.cli.status", lang))
    p.add_argument(
        "--category", action="append", choices=CATEGORIES_KEPT, help=t("ledger.cli.category", lang)
    )
    p.add_argument("--level", choices=LEVELS, help=t("ledger.cli.level", lang))
    p.add_argument("--overdue", action="store_true", help=t("ledger.cli.overdue", lang))


def more_parsers(steps, common, lang: str) -> None:
    re_ = steps.add_parser("recheck", parents=common, help=t("ledger.cli.recheck", lang))
    re_.add_argument("id", type=int, metavar="ID", help=t("ledger.cli.id", lang))
    re_.add_argument("photo", metavar="PHOTO", help=t("ledger.cli.photo", lang))
    re_.add_argument("--by", default="", help=t("ledger.cli.by", lang))
    re_.add_argument("--json", action="store_true", help=t("ledger.cli.json", lang))
    add_endpoint_args(re_, lang)
    ex = steps.add_parser("export", parents=common, help=t("ledger.cli.export", lang))
    ex.add_argument("--xlsx", metavar="FILE", help=t("ledger.cli.xlsx", lang))
    ex.add_argument("--csv", metavar="FILE", help=t("ledger.cli.csv", lang))
    filter_args(ex, lang)
    tr = steps.add_parser("trends", parents=common, help=t("ledger.cli.trends", lang))
    tr.add_argument("--site", help=t("ledger.cli.site", lang))
    tr.add_argument("--weeks", type=int, default=12, help=t("ledger.cli.weeks", lang))
    tr.add_argument("--json", action="store_true", help=t("ledger.cli.json", lang))
    rp = steps.add_parser("report", parents=common, help=t("ledger.cli.report", lang))
    rp.add_argument("--site", required=True, help=t("ledger.cli.site", lang))
    when = rp.add_mutually_exclusive_group(required=True)
    when.add_argument("--month", metavar="YYYY-MM", help=t("ledger.cli.month", lang))
    when.add_argument("--quarter", metavar="YYYY-QN", help=t("ledger.cli.quarter", lang))
    rp.add_argument(
        "--report", required=True, metavar="FILE.pdf", help=t("ledger.cli.report-file", lang)
    )
    im = steps.add_parser("import", parents=common, help=t("ledger.cli.import", lang))
    im.add_argument("results", metavar="RESULTS.json", help=t("ledger.cli.results", lang))
    im.add_argument("--site-name", default="", help=t("ledger.cli.site-name", lang))
    im.add_argument("--inspector", default="", help=t("ledger.cli.inspector", lang))
    im.add_argument("--rules", metavar="FILE_OR_NAME", help=t("cli.rules", lang))
    bk = steps.add_parser("backup", parents=common, help=t("ledger.cli.backup", lang))
    bk.add_argument("file", metavar="FILE", help=t("ledger.cli.backup-file", lang))
    no = steps.add_parser("notice", parents=common, help=t("ledger.cli.notice", lang))
    no.add_argument("--site", required=True, help=t("ledger.cli.site", lang))
    no.add_argument("--id", type=int, action="append", help=t("ledger.cli.id", lang))
    no.add_argument("--days", type=int, default=14, help=t("ledger.cli.days", lang))
    no.add_argument("--by", default="", help=t("ledger.cli.by", lang))
    no.add_argument(
        "--report", required=True, metavar="FILE.pdf", help=t("ledger.cli.report-file", lang)
    )
    ns = steps.add_parser("notices", parents=common, help=t("ledger.cli.notices", lang))
    ns.add_argument("--site", help=t("ledger.cli.site", lang))
    rv = steps.add_parser("revoke", parents=common, help=t("ledger.cli.revoke", lang))
    rv.add_argument("notice", type=int, metavar="NOTICE", help=t("ledger.cli.notice-id", lang))


def show_lines(detail: FindingDetail, lang: str) -> list[str]:
    f = detail.finding
    lines = [
        t(
            "ledger.show.head",
            lang,
            number=f.number,
            site=text_or_dash(f.site, lang),
            found=day(f.found_on, lang),
            inspector=text_or_dash(f.inspector, lang),
            version=f.version,
        )
    ]
    status = status_word(f.status, lang) + (f" {t('ledger.overdue', lang)}" if f.overdue else "")
    rows = [
        ("category", what(f, lang)),
        ("level", level_word(f.level, lang)),
        ("status", status),
        ("label", text_or_dash(f.label, lang)),
        ("box", ", ".join(str(round(v)) for v in f.box)),
        ("photo", one_line(f.source, 200)),
        ("clauses", "; ".join(f.clauses) or "-"),
        ("measure", text_or_dash(f.measure, lang, 400)),
        ("owner", text_or_dash(f.owner, lang)),
        ("due", day(f.due, lang)),
        ("funds", text_or_dash(f.funds, lang)),
        ("rechecker", text_or_dash(f.rechecker, lang)),
        ("rechecked_on", day(f.rechecked_on, lang)),
        ("closed_at", day(f.closed_at, lang)),
    ]
    for key, value in rows:
        lines.append(t("ledger.show.field", lang, name=t(f"ledger.field.{key}", lang), value=value))
    lines.append(t("ledger.show.history", lang))
    for h in detail.history:
        changes = ", ".join(
            f"{t(f'ledger.field.{k}', lang) if f'ledger.field.{k}' in _FIELDS else k}: "
            f"{_shown(v[0], lang)} → {_shown(v[1], lang)}"
            for k, v in h.changes.items()
        )
        note = f" — {one_line(h.note, 300)}" if h.note else ""
        lines.append(
            t(
                "ledger.show.history-line",
                lang,
                at=day(h.at, lang),
                actor=text_or_dash(h.actor, lang, 60),
                action=t(f"ledger.action.{h.action}", lang),
                changes=changes,
                note=note,
            )
        )
    lines.append(t("ledger.show.evidence", lang))
    for e in detail.evidence:
        bits = [
            x
            for x in (
                e.photo_sha and e.photo_sha[:12],
                e.verdict and t(f"ledger.verdict.{e.verdict}", lang),
                one_line(e.note, 300),
            )
            if x
        ]
        lines.append(
            t(
                "ledger.show.evidence-line",
                lang,
                at=day(e.at, lang),
                actor=text_or_dash(e.actor, lang, 60),
                kind=t(f"ledger.evidence.{e.kind}", lang),
                detail=" · ".join(bits),
            )
        )
    if not detail.evidence:
        lines.append(t("ledger.show.no-evidence", lang))
    return lines


def _fields() -> set[str]:
    from ..i18n import WORDS

    return {k for k in WORDS if k.startswith("ledger.field.")}


_FIELDS = _fields()


def _shown(value, lang: str) -> str:
    if value is None or value == "":
        return t("ledger.dash", lang)
    if isinstance(value, str) and value in (
        "open",
        "notified",
        "rectified",
        "verified",
        "closed",
        "reopened",
    ):
        return status_word(value, lang)
    return one_line(value, 120)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_recheck(ledger, args, config) -> int:
    from ..ledger.recheck import recheck

    lang = args.lang
    try:
        photo = Path(args.photo).read_bytes()
    except OSError as exc:
        raise InputError(t("ledger.error.photo", lang, path=args.photo, why=exc.strerror)) from None
    settings = EndpointOptions.read(args).settings(config, lang)
    outcome = recheck(
        ledger, args.id, photo, settings, actor=args.by, lang=lang, fetch_policy=config.fetch
    )
    if args.json:
        _print_json(outcome.to_dict())
        return 0 if outcome.error is None else 1
    for line in outcome.lines(lang):
        print(line)
    return 0 if outcome.error is None else 1


def _writable(path: str, lang: str) -> Path:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(t("ledger.error.write", lang, path=path, why=exc.strerror)) from None
    return target


def cmd_export(ledger, args) -> int:
    from ..ledger.exports import write_csv, write_xlsx

    lang = args.lang
    if not (args.xlsx or args.csv):
        raise InputError(t("ledger.error.export", lang))
    f = filter_from(args)
    for path, write in ((args.xlsx, write_xlsx), (args.csv, write_csv)):
        if path:
            n = write(ledger, _writable(path, lang), f, lang)
            print(t("ledger.exported", lang, path=path, n=n))
    return 0


def cmd_trends(ledger, args) -> int:
    lang = args.lang
    data = ledger.trends(args.site, weeks=max(1, min(args.weeks, 520)))
    if args.json:
        _print_json(data)
        return 0
    where = t("ledger.trends.where", lang, site=args.site) if args.site else ""
    print(
        t(
            "ledger.trends.head",
            lang,
            where=where,
            total=data["total"],
            open=data["open"],
            closed=data["closed"],
            overdue=data["overdue"],
        )
    )
    for week, flow in zip(data["weeks"], data["flow"]):
        parts = ", ".join(
            f"{category_name(k, lang)} {week[k]}" for k in ("fire", "smoke", "person")
        )
        print(
            t(
                "ledger.trends.week",
                lang,
                week=week["week"],
                total=week["total"],
                parts=parts,
                closed=flow["closed"],
            )
        )
    mean = data["mean_days_to_close"]
    print(
        t("ledger.trends.mean", lang, days=mean)
        if mean is not None
        else t("ledger.trends.no-mean", lang)
    )
    for r in data["repeated"]:
        print(
            t(
                "ledger.trends.repeated",
                lang,
                site=r["site"],
                category=category_name(r["category"], lang),
                n=r["visits"],
            )
        )
    return 0


def period_of(month: str | None, quarter: str | None, lang: str) -> tuple[date, date]:
    """The first and last day of YYYY-MM or YYYY-QN."""
    text = (month or quarter or "").strip()
    m = (
        re.fullmatch(r"(\d{4})-(\d{2})", text)
        if month
        else re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text)
    )
    if not m or (month and not 1 <= int(m.group(2)) <= 12):
        raise InputError(t("ledger.error.month", lang, value=text))
    year, n = int(m.group(1)), int(m.group(2))
    first_month, months = (n, 1) if month else (3 * n - 2, 3)
    start = date(year, first_month, 1)
    end_month = first_month + months
    end = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def cmd_report(ledger, args) -> int:
    from ..ledger.sitereport import site_report

    start, end = period_of(args.month, args.quarter, args.lang)
    pdf = site_report(ledger, args.site, start, end, args.lang)
    _writable(args.report, args.lang).write_bytes(pdf)
    print(t("ledger.report-written", args.lang, path=args.report))
    return 0


def cmd_import(ledger, args) -> int:
    rules = None
    if args.rules:
        from ..rules import load_rules

        rules = load_rules(args.rules, os.environ.get("SAFETY_RULES_DIR") or None)
    done = ledger.import_results(
        args.results, args.site_name, args.inspector, rules=rules, lang=args.lang
    )
    if done.already:
        print(t("ledger.already", args.lang, visit=done.visit_id))
    else:
        print(
            t(
                "ledger.recorded",
                args.lang,
                site=args.site_name or "-",
                visit=done.visit_id,
                n=len(done.finding_ids),
            )
        )
    return 0


def cmd_backup(ledger, args) -> int:
    target = _writable(args.file, args.lang)
    n = ledger.backup(target)
    print(t("ledger.backed-up", args.lang, path=args.file, n=n, photos=f"{args.file}.photos"))
    return 0


def cmd_notice(ledger, args) -> int:
    from ..ledger.noticepdf import notice_pdf
    from ..ledger.notices import notice_link

    lang = args.lang
    ids = args.id or [
        f.id for f in ledger.list(Filter(site=args.site, status=("open", "reopened", "notified")))
    ]
    notice = ledger.create_notice(args.site, ids, days=max(1, min(args.days, 90)), actor=args.by)
    link = notice_link(os.environ.get("SAFETY_PUBLIC_URL"), notice.token)
    _writable(args.report, lang).write_bytes(notice_pdf(ledger, notice, link, lang))
    print(
        t(
            "ledger.notice.made",
            lang,
            id=notice.id,
            site=args.site,
            n=len(notice.finding_ids),
            until=notice.expires_at.strftime("%Y-%m-%d %H:%M"),
        )
    )
    print(t("ledger.notice.link", lang, link=link) if link else t("ledger.notice.no-link", lang))
    print(t("ledger.report-written", lang, path=args.report))
    return 0


def cmd_notices(ledger, args) -> int:
    lang = args.lang
    now = datetime.now(timezone.utc)
    for n in ledger.notices(args.site):
        if n.revoked_at is not None:
            state = t("ledger.notice.state.revoked", lang)
        elif now >= n.expires_at:
            state = t("ledger.notice.state.expired", lang)
        else:
            state = t("ledger.notice.state.valid", lang, until=day(n.expires_at, lang))
        print(
            t(
                "ledger.notice.line",
                lang,
                id=n.id,
                site=n.site,
                created=day(n.created_at, lang),
                n=len(n.finding_ids),
                state=state,
            )
        )
    return 0


def cmd_revoke(ledger, args) -> int:
    ledger.revoke_notice(args.notice)
    print(t("ledger.notice.revoked", args.lang, id=args.notice))
    return 0
