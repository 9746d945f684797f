"""Before and after, side by side on one slider (gr.ImageSlider): the unmarked photo and the
marked one for the photo shown, and the same helper for any other pair of photos of one
place (a finding's photo before and after its corrective action)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr


def build_compare(label, elem_id: str) -> gr.ImageSlider:
    """An empty, hidden slider; ``before_after`` fills and shows it."""
    return gr.ImageSlider(
        label=label,
        type="filepath",
        format="jpeg",
        interactive=False,
        visible=False,
        max_height=520,
        buttons=["fullscreen"],
        elem_id=elem_id,
    )


def before_after(before: str | Path | None, after: str | Path | None) -> gr.ImageSlider:
    """The slider's update: both photos when both exist on disk, hidden otherwise (a photo
    that failed, or a run still going, has nothing to compare)."""
    if before and after and Path(before).is_file() and Path(after).is_file():
        return gr.ImageSlider(value=(str(before), str(after)), visible=True)
    return gr.ImageSlider(value=None, visible=False)
