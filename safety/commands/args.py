"""Command-line flags that several commands share, defined once (inspect, batch collect,
report): what to write and who the report names."""

from __future__ import annotations

from ..i18n import LANGS, t


def add_report_identity(group, lang: str) -> None:
    """--lang, --site, --inspector, --notes: the language and the report's cover."""
    group.add_argument("--lang", choices=LANGS, default=lang, help=t("cli.lang", lang, lang=lang))
    group.add_argument("--site", default="", help=t("cli.site", lang))
    group.add_argument("--inspector", default="", help=t("cli.inspector", lang))
    group.add_argument("--notes", default="", help=t("cli.notes", lang))


def add_outputs(group, lang: str) -> None:
    """--json (or - for standard output), --csv, --report, and the report's identity."""
    group.add_argument("--json", metavar="FILE", help=t("cli.json", lang))
    group.add_argument("--csv", metavar="FILE", help=t("cli.csv", lang))
    group.add_argument("--report", metavar="FILE.pdf", help=t("cli.report", lang))
    add_report_identity(group, lang)
