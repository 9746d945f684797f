"""What a run is asked with, by name: the page's fields or the API's parameters, read into one
``RunForm``.

The page's inputs are a mapping from field name to component, built once (``form_fields``);
Gradio hands a handler whose inputs are a set of components a dict keyed by component, and
``read_form`` turns it into a RunForm. Nothing depends on the order of the inputs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from gradio import FileData

from .endpoint import COORD_DEFAULT, EndpointForm

# The Endpoint settings panel's fields, in EndpointForm's names (prompt aside).
ENDPOINT_FIELDS = ("preset", "base_url", "model", "api_key", "coords", "max_pixels",
                   "concurrency", "detail", "recheck")  # fmt: skip


def file_path(item: Any) -> tuple[str, str]:
    """(path, display name) of an uploaded file as Gradio hands it over."""
    if isinstance(item, Mapping):
        path = item.get("path") or ""
        name = item.get("orig_name") or os.path.basename(path)
    elif isinstance(item, FileData):
        path, name = item.path, item.orig_name or os.path.basename(item.path)
    else:
        path = str(getattr(item, "name", item))
        name = os.path.basename(path)
    return path, name


@dataclass(frozen=True)
class RunForm:
    """One run's request: photos, report details, endpoint, privacy and site."""

    files: Any = None  # uploaded files as Gradio hands them over (paths or FileData)
    urls: str = ""
    lang: str = "en"
    site: str = ""  # the report's site line
    inspector: str = ""
    notes: str = ""
    prompt: str = ""
    preset: str | None = None
    base_url: str = ""
    model: str = ""
    api_key: str = ""
    coords: str = COORD_DEFAULT
    max_pixels: float | int | None = None
    concurrency: float | int | None = None
    detail: str | None = None
    recheck: str | None = None
    # Privacy and site (safety.web.site_panel)
    blur_faces: bool = False
    blur_before_send: bool = False
    profile_file: Any = None  # a site profile TOML, uploaded
    site_name: str = ""
    jurisdiction: str = ""
    site_context: str = ""
    concerns: str = ""

    def endpoint(self) -> EndpointForm:
        """The endpoint part; empty values mean "the configured one"."""
        return EndpointForm(
            preset=self.preset or None,
            base_url=self.base_url or "",
            model=self.model or "",
            api_key=self.api_key or "",
            coords=self.coords or COORD_DEFAULT,
            max_pixels=self.max_pixels or None,
            concurrency=self.concurrency or None,
            prompt=self.prompt or "",
            detail=self.detail or None,
            recheck=self.recheck or None,
        )


NAMES = tuple(f.name for f in fields(RunForm))


def form_fields(page) -> dict[str, Any]:
    """Every input of a run, by RunForm field name: the one place that maps names to the
    page's components."""
    sp = page.site_panel
    found = {
        "files": page.files, "urls": page.urls, "lang": page.lang, "site": page.site,
        "inspector": page.inspector, "notes": page.notes, "prompt": page.prompt,
        **{name: getattr(page, name) for name in ENDPOINT_FIELDS},
        "blur_faces": sp.blur_faces, "blur_before_send": sp.blur_before_send,
        "profile_file": sp.profile_file, "site_name": sp.name,
        "jurisdiction": sp.jurisdiction, "site_context": sp.context, "concerns": sp.concerns,
    }  # fmt: skip
    assert set(found) == set(NAMES), "every RunForm field has its component"
    return found


def read_form(components: dict[str, Any], values: dict) -> RunForm:
    """The RunForm of the values Gradio passed (a dict keyed by component); fields whose
    component was not among the inputs keep their defaults."""
    return RunForm(**{name: values[c] for name, c in components.items() if c in values})
