"""What the page says outside its components: error popups, warnings, the browser's
language, and the choices of the settings in that language."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import gradio as gr

from ..backends.presets import AUTO
from ..cost import RECHECK_TOKENS, per_photo
from ..errors import SafetyError
from ..geometry import ABSOLUTE, RELATIVE_1000
from ..i18n import lang_from_header, t
from ..limits import DETAILS, RECHECKS
from .endpoint import COORD_DEFAULT

log = logging.getLogger(__name__)


def user_error(message: str, lang: str = "en") -> gr.Error:
    """THE one place a popup error is made, for every handler of the page and the API.

    Gradio renders a popup's message as HTML, and ours may quote what a stranger typed (a
    host name, a URL) or what the model wrote: escaped, it is shown as text and never
    fetched or run. The title is the catalogue's, in the page's language.
    """
    return gr.Error(html.escape(message), title=t("page.cannot", lang), print_exception=False)


@contextmanager
def user_errors(lang: str = "en") -> Iterator[None]:
    """Our errors (SafetyError: each says the fix) become popups through ``user_error``.
    Anything else is logged for the operator and the visitor reads one line that names
    nothing of the server's (Gradio would show the exception's own text: a path, a key)."""
    try:
        yield
    except SafetyError as exc:
        raise user_error(exc.text(lang), lang) from None
    except gr.Error:
        raise
    except Exception:
        log.exception("a page event failed")
        raise user_error(t("page.error-unexpected", lang), lang) from None


def warn(message: str) -> None:
    gr.Warning(html.escape(message))


def request_lang(request: gr.Request | None) -> str:
    headers = getattr(request, "headers", None) or {}
    return lang_from_header(headers.get("accept-language"))


def detail_choices(lang: str) -> list[tuple[str, str]]:
    """The detail settings, each with its requests and tokens per photo (safety.cost)."""
    return [
        (t("cost.setting", lang, name=t(f"page.detail.{d}", lang), requests=n, tokens=k), d)
        for d, (n, k) in ((d, per_photo(d)) for d in DETAILS)
    ]


def recheck_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(f"page.recheck.{r}", lang, tokens=RECHECK_TOKENS), r) for r in RECHECKS]


def coord_choices(lang: str) -> list[tuple[str, str]]:
    values = (COORD_DEFAULT, AUTO, ABSOLUTE, RELATIVE_1000)
    keys = ("default", "auto", "absolute", "relative-1000")
    return [(t(f"page.coords.{k}", lang), v) for k, v in zip(keys, values)]
