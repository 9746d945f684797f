"""The ledger's errors: each carries a catalogue key and its values, so the page and the
command line say it in the reader's language (``message(lang)``); ``str()`` is English."""

from __future__ import annotations

from ..errors import SafetyError
from ..i18n import t


class LedgerError(SafetyError):
    kind = "ledger"

    def __init__(self, key: str, **values: object):
        self.key, self.values = key, values
        super().__init__(self.message("en"))

    def message(self, lang: str | None) -> str:
        return t(self.key, lang, **self.values)


class NotFound(LedgerError):
    """No such finding (or notice)."""


class NotAllowed(LedgerError):
    """A status change the loop does not allow, or one that lacks its note or evidence."""


class Conflict(LedgerError):
    """Someone changed the finding since the caller read it: nothing was saved.
    ``changes``: [(version, actor, at, {field: [before, after]})] made meanwhile."""

    def __init__(self, key: str, changes: list, **values: object):
        self.changes = changes
        super().__init__(key, **values)


class NotSaved(LedgerError):
    """The database could not take the change (disk full, connection lost): nothing of it
    was written; the caller may try again."""


class TokenRefused(LedgerError):
    """A notice link's token that is unknown, expired or revoked."""
