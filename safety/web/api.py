"""The "/inspect" API: the Inspect button's run, as one call that returns the results
document. Same path as the button (``start_run`` with a ``RunForm``, ``finish_run``): the
same checks, site profile, privacy and rules; it only makes no pictures, since it returns
none.
"""

from __future__ import annotations

import gradio as gr
from gradio import FileData

from ..cost import run_cost
from ..i18n import lang_or_default
from .form import RunForm
from .job import finish_run, report_details, start_run
from .ledger_access import record_page_run
from .runs import results_json
from .visitors import visitor_of
from .words import user_errors


def api_inspect(
    self,
    files: list[FileData] | None = None,
    urls: str = "",
    lang: str = "en",
    site: str = "",
    inspector: str = "",
    notes: str = "",
    prompt: str = "",
    base_url: str = "",
    model: str = "",
    api_key: str = "",
    coords: str = "default",
    max_pixels: int = 0,
    concurrency: int = 0,
    detail: str = "",
    recheck: str = "",
    blur_faces: bool = False,
    blur_before_send: bool = False,
    site_profile: FileData | None = None,
    site_name: str = "",
    jurisdiction: str = "",
    site_context: str = "",
    concerns: str = "",
    request: gr.Request = None,
) -> dict:
    """Inspect photos (uploaded files and/or http(s) URLs, one per line) for fire,
    smoke and persons with hard-hat status. Uploaded videos (mp4, m4v, mov, mkv, webm, avi)
    are sampled into frames and each is one entry of "images" with "kind": "video", its
    "frames" and "events" (docs/video.md), within the page's bounds of size, length and
    frames. Returns the results document: "summary"
    (counts and level), "verdict" (one line), "mode" ("live" or "demo") and per photo
    in "images" its "detections" (category, severity or helmet, the model's label and
    sub_label, box [x1, y1, x2, y2] in pixels of the upright original; with a site's rules,
    each standing finding's "clauses" and corrective "action"), "notes" and "error" (null
    when the photo was read). Endpoint fields are optional: empty means the server's
    configured endpoint. Without one (demo mode) only the example photos are answered, from
    stored reference labels, not a live model. "detail" (standard, high or tiles) and
    "recheck" (off, auto or all) set how closely photos and doubtful persons are looked at;
    each costs more requests (python -m safety inspect --help).

    Privacy and site, as the page's "Privacy and site" section: "blur_faces" blurs faces
    and heads in what is kept, "blur_before_send" also in what is sent to the model (a
    public server always blurs); "site_profile" is a site profile TOML file, or
    "site_name", "jurisdiction" ("cn" or "us"), "site_context" and "concerns" type one in.
    The profile's context is added to the prompt as a bounded block; with a jurisdiction,
    every finding is read against its rules and gets their clauses and default corrective
    action."""
    lang = lang_or_default(lang)
    form = RunForm(
        files=files, urls=urls, lang=lang, site=site, inspector=inspector, notes=notes,
        prompt=prompt, base_url=base_url, model=model, api_key=api_key, coords=coords,
        max_pixels=max_pixels, concurrency=concurrency, detail=detail, recheck=recheck,
        blur_faces=blur_faces, blur_before_send=blur_before_send, profile_file=site_profile,
        site_name=site_name, jurisdiction=jurisdiction, site_context=site_context,
        concerns=concerns,
    )  # fmt: skip
    visitor = visitor_of(request, self.config)
    with (
        user_errors(lang),
        # No marked photos: the document carries none, and drawing them would hold up
        # every photo after the model answers.
        start_run(
            self.config, self.limits, form, visitor, self.decode_budget, keep_images=False
        ) as run,  # fmt: skip
    ):
        results = list(run.results())
        meta = finish_run(run, results)
        record_page_run(self.ledger, run, results, report_details(run))
        self.alerts.after_run(results, report_details(run).site, lang, visitor.trusted)
        doc = results_json(results, meta, lang)
        doc["cost"] = run_cost(results, results[0].model if results else None, lang)
        note = run.endpoint.ignored_note(lang)
        if note:
            doc["notes"] = [note]
        return doc
