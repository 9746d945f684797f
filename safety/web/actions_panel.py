"""The corrective action of the finding chosen in the review panel: its text,
owner, due date and status (open or closed), edited and saved like any other decision."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import gradio as gr

from ..detections import Action
from ..errors import InputError
from ..i18n import lang_or_default, t
from ..review import Review
from .state import RunState, has_photo
from .words import user_error, user_errors

MAX_ACTION_CHARS = 400
# In a run's folder: faces are blurred in this run, so a person a reviewer adds is too.
BLUR_MARK = "blur-faces"
MAX_OWNER_CHARS = 80


@dataclass
class ActionFields:
    text: gr.Textbox
    owner: gr.Textbox
    due: gr.Textbox
    status: gr.Radio
    save: gr.Button


def build_action_fields(i18n: gr.I18n) -> ActionFields:
    """The fields, inside the review panel (an open gr.Group)."""
    with gr.Accordion(i18n("page.action-panel"), open=False, elem_id="review-action-panel"):
        text = gr.Textbox(
            label=i18n("page.action-text"), max_length=MAX_ACTION_CHARS, elem_id="action-text"
        )
        with gr.Row():
            owner = gr.Textbox(
                label=i18n("page.action-owner"), max_length=MAX_OWNER_CHARS, elem_id="action-owner"
            )
            due = gr.Textbox(
                label=i18n("page.action-due"), placeholder="YYYY-MM-DD", max_length=10,
                elem_id="action-due",
            )  # fmt: skip
            status = gr.Radio(
                [(i18n("page.action-open"), "open"), (i18n("page.action-closed"), "closed")],
                value="open",
                label=i18n("page.action-status"),
                elem_id="action-status",
            )
        save = gr.Button(i18n("page.action-save"), elem_id="action-save", min_width=80)
    return ActionFields(text, owner, due, status, save)


def _chosen(state: RunState):
    return state.store(), state.photo, state.selected


def show_action(state, row) -> tuple:
    """The action of finding ``row`` in the fields (empty fields when it has none)."""
    if not has_photo(state) or row is None:
        return "", "", "", "open"
    store, photo, _ = _chosen(state)
    try:
        found = store.load().results[photo].detections
    except InputError:  # the run has gone: the next decision says so
        return "", "", "", "open"
    action = found[row].action if 0 <= row < len(found) else None
    if action is None:
        return "", "", "", "open"
    return action.text, action.owner, action.due, action.status


def save_action(rh, state, lang, reviewer, inspector, text, owner, due, status) -> dict:
    """Save the chosen finding's action; the run is shown again, its downloads marked stale."""
    lang = lang_or_default(lang)
    if not has_photo(state):
        return {rh.page.state: gr.skip()}
    store, photo, row = _chosen(state)
    due = (due or "").strip()
    try:
        if due:
            date.fromisoformat(due)
    except ValueError:
        raise user_error(t("page.action-bad-due", lang), lang) from None
    with store.lock, user_errors(lang):
        run = store.load()
        found = list(run.results[photo].detections)
        if row is None or not 0 <= row < len(found):
            raise user_error(t("page.review-pick", lang), lang)
        action = Action(
            (text or "").strip()[:MAX_ACTION_CHARS],
            (owner or "").strip()[:MAX_OWNER_CHARS],
            due,
            status if status in ("open", "closed") else "open",
        )
        found[row] = replace(found[row], action=action)
        run.results[photo].detections = found
        store.save(run.results, run.meta, Review.now((reviewer or inspector or "").strip()),
                   run.token)  # fmt: skip
    return {**rh.show_run(state, run.results, run.meta, lang), **rh._stale_downloads()}


def wire_actions(page, rh, outputs: list) -> None:
    """Choosing a row shows its action; saving it is one more decision."""
    private = {"api_visibility": "private"}
    a = page.review.action
    fields = [a.text, a.owner, a.due, a.status]

    def show(state, evt: gr.SelectData):
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        return show_action(state, row)

    def save(state, lang, reviewer, inspector, text, owner, due, status):
        return save_action(rh, state, lang, reviewer, inspector, text, owner, due, status)

    page.table.select(show, [page.state], fields, **private)
    inputs = [page.state, page.lang, page.review.reviewer, page.inspector, *fields]
    a.save.click(save, inputs, outputs, **private)
