"""The project's exception tree.

Every failure a user can meet is one of these, and every message says what to do.
The web app turns them into gr.Error in one place; the command line prints one line each.
Messages never contain an API key: they are built from our own words and from values we
have already scrubbed (see ``safety.scrub``).

An error raised where the reader's language is unknown (the client, the pool, the answer
reader) carries its words as a catalogue phrase (``safety.i18n.Phrase``): ``str(exc)`` is
the English, ``exc.text(lang)`` the reader's language. Whoever shows it calls ``text``.
"""

from __future__ import annotations

from .i18n import Phrase


class SafetyError(Exception):
    """Base of every error this project raises on purpose."""

    kind = "error"

    def __init__(self, message: str | Phrase = ""):
        self.phrase = message if isinstance(message, Phrase) else None
        super().__init__(str(message))

    def text(self, lang: str | None) -> str:
        """The message in ``lang`` (an error built from plain text has only its own)."""
        return self.phrase.say(lang) if self.phrase is not None else str(self)


def error_text(exc: BaseException, lang: str | None) -> str:
    """What to show of any error: a SafetyError in ``lang``, anything else as it says."""
    return exc.text(lang) if isinstance(exc, SafetyError) else str(exc)


class ConfigurationError(SafetyError):
    """A setting is missing or wrong (base URL, model, key, option values)."""

    kind = "configuration"


class InputError(SafetyError):
    """A photo or URL cannot be used: not an image, too large, refused address..."""

    kind = "input"


class EndpointError(SafetyError):
    """The model endpoint failed: unreachable, refused, timed out, rate limited..."""

    kind = "endpoint"

    def __init__(
        self, message: str | Phrase, *, status: int | None = None, retryable: bool = False
    ):
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class ModelOutputError(SafetyError):
    """The model answered, but its answer could not be read as detections.

    This is never turned into "no detections": an unreadable answer is an error.
    """

    kind = "model output"
