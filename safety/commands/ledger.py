"""python -m safety ledger list | show | update | recheck | export | trends | report |
import | backup | notice | notices | revoke: the hazard ledger on the command line.

Every word comes from the catalogue (``--lang``); ``--json`` prints data for a program. A
ledger error (a conflict, a step the loop does not allow, "not saved") is one line on stderr
and exit status 1; a bad setting (DATABASE_URL) exit status 2 through cli.main.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from ..config import AppConfig
from ..errors import InputError
from ..i18n import LANGS, t, t_n
from ..ledger import Ledger, LedgerError
from ..ledger.describe import day, level_word, status_word, text_or_dash, what
from ..ledger.model import LEVELS, STATUSES
from .ledger_more import (
    cmd_backup,
    cmd_export,
    cmd_import,
    cmd_notice,
    cmd_notices,
    cmd_recheck,
    cmd_report,
    cmd_revoke,
    cmd_trends,
    filter_args,
    filter_from,
    more_parsers,
)


def add_ledger_flags(parser, lang: str) -> None:
    """inspect's flags: --no-ledger, --site-name."""
    group = parser.add_argument_group(t("ledger.cli.help", lang))
    group.add_argument("--no-ledger", action="store_true", help=t("ledger.cli.no-ledger", lang))
    group.add_argument("--site-name", help=t("ledger.cli.site-name-inspect", lang))


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("ledger.error.date", None, value=text)) from None


def _common(lang: str) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGS, default=lang, help=t("cli.lang", lang, lang=lang))
    return common


def add_ledger_parser(sub, lang: str) -> None:
    ledger = sub.add_parser(
        "ledger", help=t("ledger.cli.help", lang), description=t("ledger.cli.description", lang)
    )
    steps = ledger.add_subparsers(dest="ledger_command", required=True, metavar="STEP")
    common = [_common(lang)]
    ls = steps.add_parser("list", parents=common, help=t("ledger.cli.list", lang))
    filter_args(ls, lang)
    ls.add_argument("--limit", type=int, metavar="N", help=t("ledger.cli.limit", lang))
    ls.add_argument("--json", action="store_true", help=t("ledger.cli.json", lang))
    show = steps.add_parser("show", parents=common, help=t("ledger.cli.show", lang))
    show.add_argument("id", type=int, metavar="ID", help=t("ledger.cli.id", lang))
    show.add_argument("--json", action="store_true", help=t("ledger.cli.json", lang))
    up = steps.add_parser("update", parents=common, help=t("ledger.cli.update", lang))
    up.add_argument("id", type=int, metavar="ID", help=t("ledger.cli.id", lang))
    up.add_argument("--owner", help=t("ledger.cli.owner", lang))
    up.add_argument("--due", type=parse_day, metavar="YYYY-MM-DD", help=t("ledger.cli.due", lang))
    up.add_argument("--measure", help=t("ledger.cli.measure", lang))
    up.add_argument("--funds", help=t("ledger.cli.funds", lang))
    up.add_argument("--rechecker", help=t("ledger.cli.rechecker", lang))
    up.add_argument("--level", choices=LEVELS, help=t("ledger.cli.set-level", lang))
    up.add_argument("--status", choices=STATUSES, help=t("ledger.cli.set-status", lang))
    up.add_argument("--note", default="", help=t("ledger.cli.note", lang))
    up.add_argument("--by", default="", help=t("ledger.cli.by", lang))
    up.add_argument("--version", type=int, help=t("ledger.cli.version", lang))
    up.add_argument("--json", action="store_true", help=t("ledger.cli.json", lang))
    more_parsers(steps, common, lang)


def finding_line(f, lang: str) -> str:
    return t(
        "ledger.line",
        lang,
        number=f.number,
        found=day(f.found_on, lang),
        site=text_or_dash(f.site, lang, 60),
        what=what(f, lang),
        level=level_word(f.level, lang),
        status=status_word(f.status, lang),
        overdue=f" {t('ledger.overdue', lang)}" if f.overdue else "",
        owner=text_or_dash(f.owner, lang, 60),
        due=day(f.due, lang),
    )


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_list(ledger: Ledger, args) -> int:
    f = filter_from(args, limit=args.limit)
    found = ledger.list(f)
    if args.json:
        print_json([x.to_dict() for x in found])
        return 0
    for x in found:
        print(finding_line(x, args.lang))
    print(t_n("ledger.count", len(found), args.lang) if found else t("ledger.none", args.lang))
    return 0


def cmd_show(ledger: Ledger, args) -> int:
    from .ledger_more import show_lines

    detail = ledger.get(args.id)
    if args.json:
        print_json(detail.to_dict())
    else:
        print("\n".join(show_lines(detail, args.lang)))
    return 0


def cmd_update(ledger: Ledger, args) -> int:
    lang = args.lang
    fields = {
        k: getattr(args, k)
        for k in ("owner", "due", "measure", "funds", "rechecker", "level")
        if getattr(args, k) is not None
    }
    if not fields and not args.status and not args.note:
        raise InputError(t("ledger.error.nothing-to-update", lang))
    version = args.version
    found = None
    if fields:
        found = ledger.update(
            args.id, version, actor=args.by, note="" if args.status else args.note, **fields
        )
        version = found.version
    if args.status:
        found = ledger.transition(
            args.id, args.status, expected_version=version, actor=args.by, note=args.note
        )
    elif not fields:
        ledger.add_evidence(args.id, note=args.note, actor=args.by)
        found = ledger.find(args.id)
    if args.json:
        print_json(found.to_dict())
    else:
        print(
            t(
                "ledger.saved",
                lang,
                number=found.number,
                status=status_word(found.status, lang),
                version=found.version,
            )
        )
    return 0


STEPS = {
    "list": cmd_list,
    "show": cmd_show,
    "update": cmd_update,
    "export": cmd_export,
    "trends": cmd_trends,
    "report": cmd_report,
    "import": cmd_import,
    "backup": cmd_backup,
    "notice": cmd_notice,
    "notices": cmd_notices,
    "revoke": cmd_revoke,
}


def cmd_ledger(args: argparse.Namespace, config: AppConfig) -> int:
    """Open the ledger (migrating it), run the step; a ledger error is one line, status 1."""
    lang = args.lang
    with Ledger.open() as ledger:
        try:
            if args.ledger_command == "recheck":
                return cmd_recheck(ledger, args, config)
            return STEPS[args.ledger_command](ledger, args)
        except LedgerError as exc:
            print(t("cli.fatal", lang, error=exc.message(lang)), file=sys.stderr)
            return 1
