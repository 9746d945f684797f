"""A TOML file a person wrote (a site profile, a rules file), read with every failure said
through the catalogue: the line and column of a mistake, and nesting thousands deep refused
instead of crashing the parser."""

from __future__ import annotations

import re
import sys

from .errors import InputError
from .i18n import Phrase

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def read_toml(text: str, name: str) -> dict:
    """A TOML file's tables, or InputError naming the line (and never a server path: ``name``
    is the file as its owner calls it). Nesting thousands deep is refused, not a crash."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = at.groups() if at else ("?", "?")
        raise InputError(Phrase("site.error.toml", name=name, line=line, column=column)) from None
    except RecursionError:
        raise InputError(Phrase("site.error.too-deep", name=name)) from None
