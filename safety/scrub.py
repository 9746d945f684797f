"""Keeping API keys out of every output.

Keys live only in Settings.api_key (hidden from repr) and in the SDK's Authorization header.
Anything that quotes a server's words passes through ``scrub`` first, because some servers
echo the key back, whole or in part, and not always as it was typed:

  * in another case ("SK-TEST-SECRET-1234") or without its "sk-" prefix;
  * cut short or masked ("Incorrect API key provided: sk-ab***cd", "...ending in 5b1a9c");
  * base64-encoded, on its own or inside a longer run: an HTTP Basic header
    (base64 of "user:" + key), base64 of "Bearer " + key, standard or URL-safe alphabet,
    with or without padding.

So ``scrub`` removes, for each key: any run of at least MIN_FRAGMENT characters of it, in any
case (this covers the whole key, the key without its prefix, and truncated echoes), and any
base64 run that encodes the key or the key without its prefix at any byte offset. Besides the
given keys it removes anything shaped like a key ("sk-...", "Bearer ...").

A key shorter than MIN_SECRET characters, or a placeholder such as vLLM's "EMPTY", is no
secret: scrubbing it would take ordinary words out of messages ("empty", "none").
"""

from __future__ import annotations

import base64
import functools
import logging
import re
from urllib.parse import parse_qsl, quote, urlsplit

# Shorter keys are placeholders or test values; scrubbing them would damage ordinary text.
MIN_SECRET = 8
# The shortest run of a key's characters that is removed wherever it appears.
MIN_FRAGMENT = 8
# Placeholder keys that servers without authentication accept (vLLM's documented "EMPTY").
PLACEHOLDERS = frozenset({"empty"})
REDACTED = "[redacted]"

_KEYLIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{4,}|Bearer\s+\S+)")
_B64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")
_URLSAFE = str.maketrans("+/", "-_")


def is_secret(secret: str | None) -> bool:
    """Whether this value is worth scrubbing (not empty, not a placeholder, not tiny)."""
    if not secret:
        return False
    secret = secret.strip()
    return len(secret) >= MIN_SECRET and secret.lower() not in PLACEHOLDERS


def _core(secret: str) -> str:
    """The key without its "sk-" prefix (DashScope, OpenAI and most proxies use one)."""
    return secret[3:] if secret[:3].lower() == "sk-" else secret


def _base64_needles(data: bytes) -> set[str]:
    """What base64 of ``data`` looks like wherever it sits inside a longer base64 run.

    Base64 turns 3 bytes into 4 characters, so data at byte offset 0, 1 or 2 (mod 3) of the
    encoded bytes gives three different encodings. In each, the characters at the edges also
    hold bits of the neighbouring bytes, which are unknown: only the characters made of the
    data's bits alone are kept. Both alphabets, standard and URL-safe.
    """
    needles = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data).decode("ascii")
        first = -(-8 * offset // 6)  # the first character with no bit of the padding
        stop = 8 * (offset + len(data)) // 6  # past the last with no bit of what follows
        stable = encoded[first:stop]
        if stable:
            needles.update((stable, stable.translate(_URLSAFE)))
    return needles


@functools.lru_cache(maxsize=32)
def _patterns(secret: str) -> tuple[re.Pattern, re.Pattern]:
    """(fragments of the key in any case, base64 forms of the key) as compiled patterns."""
    forms = {secret, quote(secret, safe="")}
    grams = sorted(
        {form[i : i + MIN_FRAGMENT] for form in forms for i in range(len(form) - MIN_FRAGMENT + 1)}
    )
    # A lookahead finds overlapping runs; each hit covers MIN_FRAGMENT characters.
    fragments = re.compile(
        "(?=(" + "|".join(map(re.escape, grams)) + "))", re.IGNORECASE | re.DOTALL
    )
    encodings = _base64_needles(secret.encode("utf-8"))
    core = _core(secret)
    if core != secret and is_secret(core):
        encodings |= _base64_needles(core.encode("utf-8"))
    # Longest first, so that the alternation prefers the fullest match.
    alternatives = sorted(encodings, key=lambda s: (-len(s), s))
    encoded = re.compile("|".join(map(re.escape, alternatives)))
    return fragments, encoded


def _spans(text: str, secret: str) -> list[tuple[int, int]]:
    """Where the key, a run of it, or a base64 run holding it appears in text."""
    fragments, encoded = _patterns(secret)
    spans = [(m.start(), m.start() + MIN_FRAGMENT) for m in fragments.finditer(text)]
    for m in encoded.finditer(text):
        start, end = m.span()
        # The whole base64 run goes: its edges hold bits of the key too.
        while start > 0 and text[start - 1] in _B64_CHARS:
            start -= 1
        while end < len(text) and text[end] in _B64_CHARS:
            end += 1
        while end < len(text) and text[end] == "=":
            end += 1
        spans.append((start, end))
    return spans


def scrub(text: str, *secrets: str | None) -> str:
    """Remove the given secrets (in every form above) and anything shaped like a key."""
    spans = []
    for secret in secrets:
        if is_secret(secret):
            spans.extend(_spans(text, secret.strip()))
    if spans:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:  # overlapping or touching: one redaction
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        pieces, done = [], 0
        for start, end in merged:
            pieces += [text[done:start], REDACTED]
            done = end
        pieces.append(text[done:])
        text = "".join(pieces)
    return _KEYLIKE.sub(REDACTED, text)


class ScrubFilter(logging.Filter):
    """A logging filter that scrubs secrets from every record it sees, tracebacks included."""

    def __init__(self, *secrets: str | None):
        super().__init__()
        self.secrets = [s for s in secrets if is_secret(s)]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message, *self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # What a formatter would append, scrubbed now (the formatter reuses exc_text).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, *self.secrets)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, *self.secrets)
        return True


def url_secrets(url: str) -> tuple[str, ...]:
    """The parts of a webhook address that work as a password: every query value (DingTalk's
    access_token, WeCom's key) and every long path segment (Slack's and Feishu's hook
    tokens). Scrubbed wherever the address could be quoted back."""
    parts = urlsplit(url)
    values = [v for _, v in parse_qsl(parts.query)]
    values += [segment for segment in parts.path.split("/") if len(segment) >= 16]
    return tuple(v for v in values if is_secret(v))
