"""scrub and ScrubFilter: every form a server may echo a key in is removed, and nothing else.

Each case is a realistic text (mostly a server's error echoing the key), the key, the words
that must remain, and the forms of the key that must not."""

from __future__ import annotations

import base64
import logging
import sys

import pytest

from safety.scrub import MIN_FRAGMENT, REDACTED, ScrubFilter, _base64_needles, scrub

KEY = "sk-test-SECRET-1234"
CORE = "test-SECRET-1234"
# A DashScope-shaped key: "sk-" and 32 hex digits.
DASH = "sk-3f9a0c1e5b7d2468ace013579bdf8642"


def b64(data: str) -> str:
    return base64.b64encode(data.encode()).decode()


def b64url(data: str) -> str:
    return base64.urlsafe_b64encode(data.encode()).decode()


CASES = [
    # (id, text, key, must remain, must not remain)
    (
        "exact",
        f"Error code: 401 - Incorrect API key provided: {KEY}. You can find your key online.",
        KEY,
        ["Error code: 401", "Incorrect API key provided:", "You can find your key online."],
        [KEY],
    ),
    (
        "upper case",
        f'{{"error": {{"message": "invalid api key {KEY.upper()}", "code": "invalid_key"}}}}',
        KEY,
        ['"error"', "invalid api key", '"code": "invalid_key"'],
        [KEY.upper(), CORE.upper()],
    ),
    (
        "lower case",
        f"unauthorized: token {KEY.lower()} rejected",
        KEY,
        ["unauthorized: token", "rejected"],
        [KEY.lower()],
    ),
    (
        "without the sk- prefix",
        f"401 Unauthorized: key '{CORE}' is not valid for model qwen-vl-max",
        KEY,
        ["401 Unauthorized: key '", "' is not valid for model qwen-vl-max"],
        [CORE],
    ),
    (
        "without the prefix, other case",
        f"access denied for {CORE.lower()}",
        KEY,
        ["access denied for"],
        [CORE.lower()],
    ),
    (
        "truncated echo",
        f"Incorrect API key provided: {KEY[:12]}... (check your settings)",
        KEY,
        ["Incorrect API key provided:", "(check your settings)"],
        [KEY[:12], KEY[3:12]],
    ),
    (
        "tail of the key",
        f"The key ending in {DASH[-12:]} has expired.",
        DASH,
        ["The key ending in", "has expired."],
        [DASH[-12:]],
    ),
    (
        "middle of a DashScope key",
        f"InvalidApiKey: {DASH[9:27]} not found",
        DASH,
        ["InvalidApiKey:", "not found"],
        [DASH[9:27]],
    ),
    (
        "masked echo",
        "Incorrect API key provided: sk-te*********1234. Check it.",
        KEY,
        ["Incorrect API key provided:", "Check it."],
        ["sk-te", "*1234"],
    ),
    (
        "base64 of the key",
        f"upstream rejected credentials {b64(KEY)} (HTTP 403)",
        KEY,
        ["upstream rejected credentials", "(HTTP 403)"],
        [b64(KEY), b64(KEY).rstrip("=")],
    ),
    (
        "base64 without padding",
        f"token={b64(KEY).rstrip('=')}; retry later",
        KEY,
        ["token=", "; retry later"],
        [b64(KEY).rstrip("=")],
    ),
    (
        "URL-safe base64 of the key",
        f"https://proxy.example/v1?auth={b64url('??' + KEY)}&x=1",
        KEY,
        ["https://proxy.example/v1?auth=", "&x=1"],
        [b64url("??" + KEY).rstrip("=")[4:]],
    ),
    (
        "base64 of the key without its prefix",
        f"bad credential {b64(CORE)} for org acme",
        KEY,
        ["bad credential", "for org acme"],
        [b64(CORE).rstrip("=")],
    ),
    (
        "base64 of Bearer + key",
        f"echo header: {b64('Bearer ' + KEY)} end",
        KEY,
        ["echo header:", "end"],
        [b64("Bearer " + KEY)[12:]],
    ),
    (
        "HTTP Basic with a user",
        f"Authorization: Basic {b64('user:' + KEY)} was refused",
        KEY,
        ["Authorization: Basic", "was refused"],
        [b64("user:" + KEY)[8:]],
    ),
    (
        "HTTP Basic without a user",
        f"Authorization: Basic {b64(':' + KEY)}\nstatus 401",
        KEY,
        ["Authorization: Basic", "\nstatus 401"],
        [b64(":" + KEY)[4:]],
    ),
    (
        "HTTP Basic, URL-safe, DashScope key",
        f"proxy-auth {b64url('api:' + DASH).rstrip('=')} denied",
        DASH,
        ["proxy-auth", "denied"],
        [b64url("api:" + DASH).rstrip("=")[8:]],
    ),
    (
        "several forms at once",
        f"{KEY} / {CORE.upper()} / {b64(KEY)} / Bearer {KEY}",
        KEY,
        [" / "],
        [KEY, CORE.upper(), b64(KEY)],
    ),
    (
        "percent-encoded key",
        "GET /v1/models?key=sk-a%2Fb%2Bc0123456789 401",
        "sk-a/b+c0123456789",
        ["GET /v1/models?key=", " 401"],
        ["a%2Fb%2Bc0123456789"],
    ),
]


@pytest.mark.parametrize("text, key, keep, gone", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_scrub_removes_every_form_and_keeps_the_rest(text, key, keep, gone):
    cleaned = scrub(text, key)
    assert REDACTED in cleaned
    for piece in keep:
        assert piece in cleaned, (piece, cleaned)
    for piece in gone:
        assert piece not in cleaned, (piece, cleaned)
    assert key.lower() not in cleaned.lower()


# Keys that are no secret: placeholders and very short values. Ordinary words stay.
NOT_SECRETS = [
    ("EMPTY", "The response was empty: EMPTY body from the server. Empty answers are errors."),
    ("empty", "Model returned an empty answer."),
    ("abc", "abc abcdef: cabbage"),
    ("token", "max_tokens too large: the token limit is 8192"),
    ("1234567", "request 1234567 failed after 12345678 ms"),
    ("  EMPTY  ", "empty"),
    ("", "nothing to remove"),
    (None, "nothing to remove"),
]


@pytest.mark.parametrize("key, text", NOT_SECRETS)
def test_placeholders_and_short_keys_scrub_nothing(key, text):
    assert scrub(text, key) == text


def test_fragments_shorter_than_the_threshold_stay():
    """Seven characters of a key are as likely to be an ordinary word as a leak."""
    short_bit = CORE[5 : 5 + MIN_FRAGMENT - 1]
    text = f"retry {short_bit} later"
    assert scrub(text, KEY) == text
    longer = CORE[5 : 5 + MIN_FRAGMENT]
    assert scrub(f"retry {longer} later", KEY) == f"retry {REDACTED} later"


@pytest.mark.slow
@pytest.mark.parametrize("before", range(6))
@pytest.mark.parametrize("after", range(4))
@pytest.mark.parametrize("form", [KEY, CORE])
@pytest.mark.parametrize("urlsafe", [False, True])
@pytest.mark.parametrize("padding", [False, True])
def test_base64_at_every_offset_inside_a_longer_run(before, after, form, urlsafe, padding):
    """Inside a longer base64 run the key starts at byte offset 0, 1 or 2 (mod 3): each
    offset gives a different encoding, and all three are found."""
    data = b"\xfb\xff\x01<>?"[:before] + form.encode() + b"\xfe\x02\xff"[:after]
    encoded = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(data).decode()
    if not padding:
        encoded = encoded.rstrip("=")
    cleaned = scrub(f'{{"auth": "{encoded}", "status": 401}}', KEY)
    assert cleaned == f'{{"auth": "{REDACTED}", "status": 401}}'


def test_unrelated_base64_stays():
    text = f"image/jpeg;base64,{b64('a harmless photo header ' * 3)} ok"
    assert scrub(text, KEY) == text


def test_base64_needles_are_only_the_stable_characters():
    needles = _base64_needles(KEY.encode())
    assert b64(KEY).rstrip("=")[:-1] in needles  # offset 0: the last character is partial
    assert all(len(n) >= 4 * len(KEY) // 3 - 3 for n in needles)


def test_generic_key_shapes_are_still_removed_without_a_key():
    text = "proxy said: Bearer abc.def.ghi and sk-live-0000 were refused"
    assert scrub(text) == "proxy said: [redacted] and [redacted] were refused"


def test_several_keys():
    text = f"primary {KEY}, fallback {DASH.upper()}, placeholder EMPTY"
    assert scrub(text, KEY, None, DASH, "EMPTY") == (
        f"primary {REDACTED}, fallback {REDACTED}, placeholder EMPTY"
    )


def _record(msg, *args, exc_info=None):
    return logging.LogRecord("t", logging.WARNING, __file__, 1, msg, args, exc_info)


def test_filter_scrubs_messages_and_arguments():
    record = _record("server said %s (%d)", f"bad key {CORE.upper()}", 401)
    assert ScrubFilter(KEY, None).filter(record)
    assert record.getMessage() == f"server said bad key {REDACTED} (401)"


def test_filter_leaves_clean_records_alone():
    record = _record("sent %d photos", 3)
    ScrubFilter(KEY).filter(record)
    assert (record.msg, record.args) == ("sent %d photos", (3,))


def test_filter_scrubs_tracebacks():
    try:
        raise RuntimeError(f"Authorization: Basic {b64('u:' + KEY)} refused, key {KEY}")
    except RuntimeError:
        record = _record("request failed", exc_info=sys.exc_info())
    ScrubFilter(KEY).filter(record)
    formatted = logging.Formatter().format(record)
    assert "request failed" in formatted and "RuntimeError" in formatted
    assert KEY not in formatted and b64("u:" + KEY)[4:] not in formatted


def test_filter_ignores_placeholder_keys():
    record = _record("EMPTY reply: the answer was empty")
    ScrubFilter("EMPTY").filter(record)
    assert record.getMessage() == "EMPTY reply: the answer was empty"
