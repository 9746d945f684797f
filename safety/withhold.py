"""What an anonymous visitor of a public page is not given: the owner's endpoint, the model's
name and the model's verbatim answers (they would make the page a free proxy to the owner's
model, and tell where it runs).

Every copy goes: the fields that hold them (``raw_text``, ``model``, ``endpoint``) are emptied
at any depth of a photo's record, the second-look passes included, and any text anywhere in
it that quotes one of them (an endpoint's error naming its host, a note naming the model)
has it replaced. Working on the record's values rather than on a list of fields, a field
added later is covered too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from .detections import ImageResult

# Fields whose value is the owner's or the model's own words: emptied wherever they appear.
DROPPED = frozenset({"raw_text", "model", "endpoint"})
HIDDEN = "…"  # what stands where a withheld value was quoted
MIN_QUOTED = 6  # shorter answers ("[]") are no one's secret, and would mangle any text


def hidden_values(
    results: Iterable[ImageResult], endpoint: str | None = None, model: str | None = None
) -> list[str]:
    """Every text to keep from the visitor: endpoints (as URLs and as host:port), model
    names and raw answers; longest first, so a URL goes before the host inside it."""
    results = list(results)
    found: set[str] = set()
    endpoints = [endpoint, *(r.endpoint for r in results)]
    for each in (e.strip() for text in endpoints if text for e in text.split(",")):
        if each:
            found.add(each)
            netloc = urlsplit(each).netloc if "://" in each else ""
            found.update(v for v in (netloc, netloc.rpartition("@")[2]) if v)
    found.update(m for m in (model, *(r.model for r in results)) if m)
    for r in results:
        answers = [r.raw_text, *(p.get("raw_text") for p in r.passes)]
        found.update(a for a in answers if isinstance(a, str) and len(a.strip()) >= MIN_QUOTED)
    return sorted(found, key=len, reverse=True)


def scrub(value: Any, hidden: list[str]) -> Any:
    """``value`` (a photo's record, or any part of it) without what ``hidden`` lists."""
    if isinstance(value, dict):
        return {k: None if k in DROPPED else scrub(v, hidden) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v, hidden) for v in value]
    if isinstance(value, str):
        for text in hidden:
            if text in value:
                value = value.replace(text, HIDDEN)
        return value
    return value


def withheld(
    results: Iterable[ImageResult], endpoint: str | None = None, model: str | None = None
) -> list[ImageResult]:
    """Copies of the results without the owner's endpoint, model or the raw answers, for
    what is drawn from them (the PDF); their records (``to_dict``) are scrubbed again."""
    results = list(results)
    hidden = hidden_values(results, endpoint, model)
    return [
        replace(
            r,
            raw_text=None,
            model=None,
            endpoint=None,
            error=scrub(r.error, hidden),
            notes=scrub(list(r.notes), hidden),
            passes=scrub(list(r.passes), hidden),
        )
        for r in results
    ]


def withheld_record(r: ImageResult, hidden: list[str]) -> dict:
    """A photo's record as an anonymous visitor receives it."""
    return scrub(r.to_dict(), hidden)
