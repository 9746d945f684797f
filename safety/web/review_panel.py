"""Reviewing a run on the page: confirm, reject or correct each finding, add what the model
missed by drawing it, and every decision is saved as it is made (safety.web.store).

The photo and the table are linked: choosing a row highlights its box; the review shows on
both (rejected boxes dashed and faded, never removed). Counts and the verdict follow each
decision. The downloads are written again, with the review, when the reviewer asks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import gradio as gr
from gradio_image_annotation import image_annotator

from ..detections import STATUSES
from ..errors import InputError
from ..i18n import Phrase, detection_caption, lang_or_default, t
from ..privacy import blur_result
from ..review import Review, added, confirm_all, decide
from .actions_panel import BLUR_MARK, ActionFields, build_action_fields
from .state import RunState
from .views import PhotoView, esc, photo_caption, table, table_rows


def finding_choices(lang: str) -> list[tuple[str, str]]:
    """Every category and status a finding can have, as (words, "category:status")."""
    return [
        (detection_caption(category, status, lang), f"{category}:{status}")
        for category, statuses in STATUSES.items()
        for status in statuses
    ]


@dataclass
class ReviewPanel:
    group: gr.Group
    reviewer: gr.Textbox
    selected: gr.HTML
    confirm: gr.Button
    reject: gr.Button
    correct_to: gr.Dropdown
    correct: gr.Button
    note: gr.Textbox
    confirm_all: gr.Button
    next_photo: gr.Button
    annotator: image_annotator
    add_as: gr.Dropdown
    add: gr.Button
    write: gr.Button
    action: ActionFields | None = None  # the chosen finding's corrective action


def build_review_panel(i18n: gr.I18n) -> ReviewPanel:
    with gr.Group(visible=False, elem_id="review") as group:
        gr.Markdown(i18n("page.review"), elem_id="review-title")
        reviewer = gr.Textbox(
            label=i18n("page.reviewer"), placeholder=i18n("page.reviewer-hint"), elem_id="reviewer"
        )
        selected = gr.HTML("", elem_id="review-selected")
        with gr.Row():
            confirm = gr.Button(i18n("page.confirm"), elem_id="review-confirm", min_width=80)
            reject = gr.Button(i18n("page.reject"), elem_id="review-reject", min_width=80)
        with gr.Row(equal_height=True):
            correct_to = gr.Dropdown(
                finding_choices("en"), label=i18n("page.correct-to"), elem_id="review-correct-to",
                scale=3,
            )  # fmt: skip
            correct = gr.Button(i18n("page.correct"), elem_id="review-correct", min_width=80)
        note = gr.Textbox(label=i18n("page.review-note"), max_length=500, elem_id="review-note")
        action = build_action_fields(i18n)
        with gr.Row():
            confirm_all = gr.Button(i18n("page.confirm-all"), elem_id="review-confirm-all")
            next_photo = gr.Button(i18n("page.next-photo"), elem_id="review-next")
        with gr.Accordion(i18n("page.add-panel"), open=False, elem_id="review-add-panel"):
            gr.Markdown(i18n("page.add-hint"))
            annotator = image_annotator(
                value=None, label_list=["+"], use_default_label=True, single_box=True, sources=[],
                image_type="filepath",
                show_share_button=False, show_clear_button=False, show_remove_button=False,
                show_download_button=False, height=420, elem_id="annotator",
            )  # fmt: skip
            with gr.Row(equal_height=True):
                add_as = gr.Dropdown(
                    finding_choices("en"), value="person:missing", label=i18n("page.add-as"),
                    elem_id="review-add-as", scale=3,
                )  # fmt: skip
                add = gr.Button(i18n("page.add"), elem_id="review-add", min_width=80)
    write = gr.Button(
        i18n("page.write-report"), variant="primary", visible=False, elem_id="write-report"
    )
    return ReviewPanel(group, reviewer, selected, confirm, reject, correct_to, correct, note,
                       confirm_all, next_photo, annotator, add_as, add, write, action)  # fmt: skip


def _split(choice: str | None) -> tuple[str, str]:
    category, _, status = (choice or "").partition(":")
    return category, status


def apply_decision(
    state: RunState, action: str, lang: str, reviewer: str, *, choice=None, note=None, drawn=None
) -> tuple[RunState, PhotoView, list]:
    """Apply one decision to the run on disk; the new state, the photo's view and results."""
    lang = lang_or_default(lang)
    store = state.store()
    photo, row = state.photo, state.selected
    with store.lock:
        run = store.load()
        result = run.results[photo]
        found = list(result.detections)
        if action == "confirm-all":
            found = confirm_all(found)
        elif action == "add":
            box = box_drawn(drawn, state.views[photo].image, result.width, result.height)
            if box is None:
                raise InputError(t("page.add-none", lang))
            category, status = _split(choice)
            found.append(added(box, category, status, note or ""))
            row = len(found) - 1
            if category == "person" and (store.dir / BLUR_MARK).exists():
                result.detections = found  # the new head blurred before it is shown or saved
                blur_result(result, lang)
                store.photo_path(result.index).unlink(missing_ok=True)
        else:
            if row is None or not (0 <= row < len(found)):
                raise InputError(t("page.review-pick", lang))
            category, status = _split(choice)
            found[row] = decide(
                found[row], action, category=category or None,
                status=status if category else None, note=note,
            )  # fmt: skip
        result.detections = found
        review = Review.now(reviewer or "")
        store.save(run.results, run.meta, review, run.token)
        image = store.marked(result, lang, highlight=row)
    view = PhotoView(
        index=result.index, name=result.source, ok=result.ok, error=result.error, image=image,
        caption=photo_caption(result, len(run.results), lang), rows=table_rows(result, lang),
        standing=len(result.standing),
    )  # fmt: skip
    views = {**state.views, result.index: view}
    return state.with_(views=views, selected=row), view, run.results


def selected_html(view: PhotoView, row: int | None, lang: str) -> str:
    if row is None or row >= len(view.rows):
        return f'<div class="review-pick">{esc(t("page.review-pick", lang))}</div>'
    cells = view.rows[row]
    caption = " · ".join(c for c in (cells[1], cells[2], cells[3]) if c and c != "—")
    words = t("page.review-selected", lang, n=row + 1, caption=caption)
    return f'<div class="review-selected">{esc(words)}</div>'


def box_drawn(value, view_image: str | None, width: int, height: int) -> tuple | None:
    """The box a reviewer drew, in original pixels (the annotator works in the shown image's),
    cut to the photo; None when there is none. The value comes from the browser: a box that
    is not four finite numbers, or lies wholly outside the photo, is refused (InputError)."""
    boxes = value.get("boxes") if isinstance(value, dict) else None
    if not isinstance(boxes, list) or not boxes or not view_image:
        return None
    b = boxes[-1]
    try:
        corners = [float(b[k]) for k in ("xmin", "ymin", "xmax", "ymax")]
    except (TypeError, KeyError, ValueError):
        corners = [math.nan]
    from PIL import Image

    with Image.open(view_image) as img:
        scale = width / img.width
    x1, y1, x2, y2 = (v * scale for v in corners) if len(corners) == 4 else (math.nan,) * 4
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)):
        raise InputError(Phrase("page.add-outside"))
    x1, x2 = sorted((min(max(x1, 0.0), width), min(max(x2, 0.0), width)))
    y1, y2 = sorted((min(max(y1, 0.0), height), min(max(y2, 0.0), height)))
    if x2 - x1 < 1 or y2 - y1 < 1:  # nothing of it on the photo
        raise InputError(Phrase("page.add-outside"))
    return (x1, y1, x2, y2)


__all__ = [
    "ReviewPanel",
    "apply_decision",
    "box_drawn",
    "build_review_panel",
    "finding_choices",
    "selected_html",
    "table",
]
