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

    def message(self, lang: str | None) -> str:
        """What changed meanwhile, in the reader's words: who, when, which fields."""
        said = []
        for _version, actor, at, fields in self.changes:
            parts = t("list.separator", lang).join(
                t(
                    "ledger.error.conflict-field",
                    lang,
                    field=_field(k, lang),
                    before=_value(v[0], lang),
                    after=_value(v[1], lang),
                )
                for k, v in fields.items()
            )
            said.append(
                t(
                    "ledger.error.conflict-change",
                    lang,
                    actor=actor or "?",
                    at=f"{at:%Y-%m-%d %H:%M}",
                    parts=parts,
                )
            )
        values = dict(self.values, what=t("list.separator", lang).join(said) or "?")
        return t(self.key, lang, **values)


def _field(name: str, lang: str | None) -> str:
    from ..i18n import WORDS

    key = f"ledger.field.{name}"
    return t(key, lang) if key in WORDS else name


def _value(value: object, lang: str | None) -> str:
    from ..i18n import WORDS

    if value is None or value == "":
        return t("ledger.dash", lang)
    key = f"ledger.status.{value}"
    if isinstance(value, str) and key in WORDS:
        return t(key, lang)
    return str(value)[:80]


class NotSaved(LedgerError):
    """The database could not take the change (disk full, connection lost): nothing of it
    was written; the caller may try again."""


class BadPhoto(LedgerError):
    """Bytes given as a photo that are not one (or too large)."""


class TokenRefused(LedgerError):
    """A notice link's token that is unknown, expired or revoked."""
