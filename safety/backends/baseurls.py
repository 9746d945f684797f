"""The base URLs of model endpoints: a list split, each checked, shown without secrets.

split_base_urls(value) -> tuple[str, ...]   "a, b" or ["a", "b c"] -> ("a", "b", "c")
check_base_url(url) -> url                  ConfigurationError naming it when unusable
host_of(url) -> "scheme://host:port"        safe to show: no path, user, key or query
guess_preset(base_url, environ)             the preset a URL (or DASHSCOPE_API_KEY) implies
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from ..errors import ConfigurationError


def split_base_urls(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """The base URLs in a value: a string may hold several, separated by commas and/or
    whitespace (no URL contains either unescaped); a list's items are split the same way."""
    if not value:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(url for item in items for url in re.split(r"[\s,]+", str(item)) if url)


def check_base_url(url: str) -> str:
    """One base URL, without its trailing slash; ConfigurationError naming it when unusable."""
    url = url.rstrip("/")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is no number or too large)
    except ValueError:
        raise ConfigurationError(
            f"The base URL {_shown(url)!r} is not a valid URL: use one like http://host:8000/v1."
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"The base URL {_shown(url)!r} must look like http://host:8000/v1 "
            f"(got scheme {parts.scheme!r})."
        )
    if parts.username or parts.password:
        raise ConfigurationError(
            f"Put the API key in QWEN_VL_API_KEY, not in the base URL ({_shown(url)})."
        )
    return url


def _shown(url: str) -> str:
    """A base URL as an error may show it: no user name, password, query or fragment."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2].split("?")[0]
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def host_of(url: str) -> str:
    """scheme://host:port of a base URL (no path, no user, no key)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def guess_preset(base_url: str | None, environ: Mapping[str, str]) -> str:
    if base_url:
        host = (urlsplit(base_url).hostname or "").lower()
        if host.startswith("dashscope-intl"):
            return "dashscope-intl"
        if host.startswith("dashscope"):
            return "dashscope"
        return "vllm"
    if environ.get("DASHSCOPE_API_KEY"):
        return "dashscope"
    return "vllm"
