"""Keeping API keys out of every output.

Keys live only in Settings.api_key (hidden from repr) and in the SDK's Authorization header.
Anything that quotes a server's words passes through ``scrub`` first, because some servers
echo part of the key back ("Incorrect API key provided: sk-ab***cd").
"""

from __future__ import annotations

import logging
import re

_KEYLIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{4,}|Bearer\s+\S+)")


def scrub(text: str, *secrets: str | None) -> str:
    """Remove the given secrets (and anything shaped like a key) from text."""
    for secret in secrets:
        if secret and secret != "EMPTY" and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return _KEYLIKE.sub("[redacted]", text)


class ScrubFilter(logging.Filter):
    """A logging filter that scrubs secrets from every record it sees."""

    def __init__(self, *secrets: str | None):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message, *self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
