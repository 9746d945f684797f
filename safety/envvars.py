"""Reading one setting, under the one policy of ``safety.config``: a value that is given must
be valid, or ConfigurationError says, in one line, which setting and what it accepts.

    env_setting(environ, name, default)           a variable, by its entry in safety.settings
    env_int / env_float / env_choice / env_flag   what env_setting does for each kind
    explicit_number / explicit_choice             a flag or a field of the page
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .errors import ConfigurationError
from .settings import setting

_REGISTRY_DEFAULT = object()


def env_setting(environ: Mapping[str, str], name: str, default: Any = _REGISTRY_DEFAULT) -> Any:
    """The variable ``name`` read and checked as its registry entry says (kind, bounds); unset
    or empty, ``default`` (when given: a default that depends on other settings) or the
    entry's own. KeyError for a variable the registry does not list."""
    entry = setting(name)
    fallback = entry.value if default is _REGISTRY_DEFAULT else default
    if entry.kind == "int":
        top = None if entry.maximum is None else int(entry.maximum)
        return env_int(environ, name, fallback, int(entry.minimum or 0), top)
    if entry.kind == "float":
        return env_float(environ, name, fallback, entry.minimum or 0.0)
    if entry.kind == "choice":
        value = env_choice(environ, name, entry.choices)
    elif entry.kind == "flag":
        value = env_flag(environ, name)
    else:
        value = env_text(environ, name)
    return fallback if value is None else value


def env_text(environ: Mapping[str, str], name: str) -> str | None:
    raw = environ.get(name)
    return None if raw is None or raw.strip() == "" else raw.strip()


def env_int(
    environ: Mapping[str, str], name: str, default: int, minimum: int, maximum: int | None = None
) -> int:
    """A whole number within [minimum, maximum], or ConfigurationError naming the variable."""
    raw = env_text(environ, name)
    if raw is None:
        return default
    accepted = (
        f"a whole number from {minimum} to {maximum}"
        if maximum is not None
        else f"a whole number, {minimum} or more"
    )
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        raise ConfigurationError(f"{name}={raw!r} is not valid: use {accepted}.")
    return value


def env_float(environ: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    raw = env_text(environ, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= minimum):
        raise ConfigurationError(f"{name}={raw!r} is not valid: use a number, {minimum:g} or more.")
    return value


def env_choice(environ: Mapping[str, str], name: str, choices) -> str | None:
    raw = env_text(environ, name)
    if raw is not None and raw not in choices:
        raise ConfigurationError(f"{name}={raw!r} is not valid: use one of {', '.join(choices)}.")
    return raw


def explicit_number(name: str, value, minimum, maximum=None):
    """An explicit argument (a flag or a field of the page) gets the same bounds."""
    if value is None:
        return None
    if value < minimum or (maximum is not None and value > maximum):
        upto = f" to {maximum}" if maximum is not None else " or more"
        raise ConfigurationError(f"{name} {value} is not valid: use {minimum}{upto}.")
    return value


def explicit_choice(name: str, value: str | None, choices: tuple[str, ...]) -> str | None:
    """An explicit choice (a flag, a field of the page), checked like the variables."""
    if value is not None and value not in choices:
        raise ConfigurationError(f"{name} {value!r} is not valid: use one of {', '.join(choices)}.")
    return value


def env_flag(environ: Mapping[str, str], name: str) -> bool | None:
    value = env_choice(environ, name, ("0", "1"))
    return None if value is None else value == "1"
