"""The page's "Privacy and site" section: blurred faces, and the site profile
(uploaded as TOML or typed in) whose context goes into the prompt and whose jurisdiction
picks the rules each finding is read against.

On a public page faces are always blurred (the checkbox is shown ticked and locked), and a
visitor's site context is only ever appended as the bounded, delimited block of
``safety.site_profile.with_site``: it cannot replace or edit the owner's prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from ..config import AppConfig
from ..privacy import Privacy, make_privacy
from ..rules import JURISDICTIONS, Rules, load_rules
from ..site_profile import SiteProfile, load_profile, make_profile
from .form import RunForm, file_path


@dataclass
class SitePanel:
    blur_faces: gr.Checkbox
    blur_before_send: gr.Checkbox
    profile_file: gr.File
    name: gr.Textbox
    jurisdiction: gr.Dropdown
    context: gr.Textbox
    concerns: gr.Textbox


def build_site_panel(config: AppConfig, i18n: gr.I18n) -> SitePanel:
    with gr.Accordion(i18n("page.privacy-site"), open=False, elem_id="privacy-site"):
        blur = gr.Checkbox(
            value=config.public,
            interactive=not config.public,
            label=i18n("page.blur-faces"),
            info=i18n("page.blur-faces-public") if config.public else None,
            elem_id="blur-faces",
        )
        before = gr.Checkbox(
            value=False, label=i18n("page.blur-before-send"), elem_id="blur-before-send"
        )
        profile = gr.File(
            label=i18n("page.site-profile-file"),
            file_types=[".toml"],
            file_count="single",
            elem_id="site-profile-file",
        )
        with gr.Row():
            name = gr.Textbox(label=i18n("page.site-name"), elem_id="site-name")
            jurisdiction = gr.Dropdown(
                [(code, code) for code in JURISDICTIONS] + [("—", "")],
                value="",
                label=i18n("page.jurisdiction"),
                elem_id="jurisdiction",
            )
        context = gr.Textbox(
            label=i18n("page.site-context"), lines=2, max_lines=6, elem_id="site-context"
        )
        concerns = gr.Textbox(
            label=i18n("page.site-concerns"), lines=2, max_lines=6, elem_id="site-concerns"
        )
    return SitePanel(blur, before, profile, name, jurisdiction, context, concerns)


@dataclass(frozen=True)
class SiteOptions:
    privacy: Privacy | None
    profile: SiteProfile | None
    rules: Rules | None


def site_options(config: AppConfig, form: RunForm) -> SiteOptions:
    """What a run's "Privacy and site" fields ask for. An uploaded profile wins over the
    typed fields; rules apply when a jurisdiction is given. Raises InputError."""
    privacy = make_privacy(bool(form.blur_faces) or config.public, bool(form.blur_before_send))
    profile = None
    typed = any(str(v or "").strip() for v in (form.site_name, form.site_context, form.concerns))
    if form.profile_file:
        path, name = file_path(form.profile_file)
        profile = load_profile(Path(path), name=name)  # errors name the file, not the server's
    elif typed or form.jurisdiction:
        profile = make_profile(form.site_name or "", form.jurisdiction or "cn",
                               form.site_context or "", form.concerns or "")  # fmt: skip
    code = profile.jurisdiction if profile and (form.profile_file or form.jurisdiction) else None
    return SiteOptions(privacy, profile, load_rules(code, config.rules_dir) if code else None)
