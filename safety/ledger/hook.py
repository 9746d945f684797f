"""The inspect command's two calls into the ledger (safety/archive/run.py):

    ledger = open_for_run(opts)                 at the start: a bad DATABASE_URL stops the
                                                run before a request is paid for (exit 2)
    record_inspect(ledger, opts, journal, ...)  at the end: the run's results recorded

``--no-ledger`` skips both. A failure to record is one line on stderr: the run's own
outputs are written already and stay.
"""

from __future__ import annotations

import sys

from ..errors import SafetyError
from ..i18n import t
from .errors import LedgerError


def open_for_run(opts):
    """The ledger to record this run in, or None (``--no-ledger``); ``opts``: the run's
    options (safety.archive.run.RunOptions)."""
    if opts.no_ledger:
        return None
    from .store import Ledger

    return Ledger.open()


def site_name(opts, profile) -> str:
    """--site-name, else the site profile's name, else --site (the report's cover)."""
    wanted = opts.site_name or (profile.name if profile else "")
    return wanted or opts.outputs.site or ""


def record_inspect(
    ledger, opts, journal, settings, lang: str, *, rules=None, profile=None, out=sys.stdout
) -> bool:
    """Record the run whose results are in ``journal``; True when it is in the ledger."""
    if ledger is None:
        return True
    from ..results_io import load_jsonl

    try:
        results = load_jsonl(journal).images
        done = ledger.record_run(
            results,
            site_name(opts, profile),
            opts.outputs.inspector or "",
            endpoint=settings.host or "",
            model=settings.model or "",
            prompt=settings.prompt,
            origin="cli",
            rules=rules,
            lang=lang,
        )
    except LedgerError as exc:
        print(t("ledger.not-recorded", lang, error=exc.message(lang)), file=sys.stderr)
        return False
    except SafetyError as exc:
        print(t("ledger.not-recorded", lang, error=exc), file=sys.stderr)
        return False
    finally:
        ledger.close()
    if not opts.quiet:
        site = site_name(opts, profile) or "-"
        print(
            t("ledger.recorded", lang, site=site, visit=done.visit_id, n=len(done.finding_ids)),
            file=out,
        )
    return True
