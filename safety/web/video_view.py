"""Videos on the page: the cost shown beside the upload, and for a video's result the
timeline of its events and its frames to step through.

    build_video_panel(i18n) -> VideoPanel      (inside the results column)
    build_estimate() -> gr.HTML                (under the upload)
    video_outputs(page, state, results, lang)  what show_run adds for the photo shown
    VideoHandlers(page, config).wire(...)      the estimate, a click on an event, stepping

A click on an event chooses it as a row of the table would: its best frame is shown marked
in the main picture and the review panel acts on it (confirm, reject, correct), since a
video's findings are its events. The frames are the small copies kept in the run's folder
as the model's answers came back (safety.web.video_files); each is shown with the findings
the model gave for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from ..config import AppConfig
from ..i18n import counts_text, lang_or_default, t
from ..video.options import clock
from .form import file_path
from .review_panel import selected_html
from .state import RunState, has_photo
from .video_bounds import estimate_html
from .video_files import is_video_result, marked_frame
from .video_timeline import TIMELINE_CSS, TIMELINE_JS, timeline_html
from .views import esc
from .visitors import visitor_of
from .words import request_lang


@dataclass
class VideoPanel:
    group: gr.Group
    facts: gr.HTML
    timeline: gr.HTML
    frame_no: gr.Slider
    prev: gr.Button
    next: gr.Button
    frame: gr.Image
    frame_caption: gr.HTML

    def outputs(self) -> list:
        return [self.group, self.facts, self.timeline, self.frame_no, self.frame,
                self.frame_caption]  # fmt: skip


ESTIMATE_CSS = """
.video-estimate { font-size: 13px; padding: 6px 10px; border-left: 3px solid #1565c0;
  background: var(--background-fill-secondary); }
.video-estimate ul { margin: 4px 0 0 0; padding-left: 1.1em; }
.video-estimate li.bad { color: #b71c1c; font-weight: 600; }
"""
FACTS_CSS = """
.video-facts h3 { margin: 4px 0; font-size: 15px; }
.video-facts p { margin: 2px 0; font-size: 13px; }
.video-facts .hint { color: var(--body-text-color); }
"""


def build_estimate() -> gr.HTML:
    return gr.HTML("", css_template=ESTIMATE_CSS, elem_id="video-estimate")


def build_video_panel(i18n: gr.I18n) -> VideoPanel:
    with gr.Group(visible=False, elem_id="video-panel") as group:
        facts = gr.HTML("", css_template=FACTS_CSS, elem_id="video-facts")
        timeline = gr.HTML("", js_on_load=TIMELINE_JS, css_template=TIMELINE_CSS,
                           apply_default_css=False, elem_id="video-timeline")  # fmt: skip
        frame_no = gr.Slider(1, 2, value=1, step=1, label=i18n("page.video.frame-no"),
                             elem_id="video-frame-no")  # fmt: skip
        with gr.Row(elem_id="video-steps"):
            prev = gr.Button(i18n("page.video.prev"), size="sm", elem_id="video-prev",
                             min_width=100)  # fmt: skip
            nxt = gr.Button(i18n("page.video.next"), size="sm", elem_id="video-next",
                            min_width=100)  # fmt: skip
        frame = gr.Image(label=i18n("page.video.frames"), type="filepath", format="jpeg",
                         interactive=False, height="min(360px, 60vw)", buttons=["fullscreen"],
                         elem_id="video-frame")  # fmt: skip
        frame_caption = gr.HTML("", css_template=".failed { color: #b71c1c; }",
                                elem_id="video-frame-caption")  # fmt: skip
    return VideoPanel(group, facts, timeline, frame_no, prev, nxt, frame, frame_caption)


def _facts(result, lang: str) -> str:
    words = t("page.video.facts", lang, length=clock(result.duration_s or 0.0),
              frames=len(result.frames), fps=result.fps or 0.0,
              events=len(result.events))  # fmt: skip
    hint = t("page.video.hint", lang) if result.events else ""
    return (f'<div class="video-facts"><h3>{esc(t("page.video.title", lang))}</h3>'
            f"<p>{esc(words)}</p>" + (f'<p class="hint">{esc(hint)}</p>' if hint else "")
            + "</div>")  # fmt: skip


def _frame_of(result, when: float) -> int:
    """The sampled frame nearest a time (an event's best frame)."""
    times = [f.get("t", 0.0) for f in result.frames]
    return min(range(len(times)), key=lambda k: abs(times[k] - when)) if times else 0


def _frame_view(run_dir: Path, result, k: int, lang: str) -> tuple[str | None, str]:
    """(the k-th frame marked, on disk; its caption)."""
    n = len(result.frames)
    if not n:
        return None, ""
    k = min(max(k, 0), n - 1)
    frame = result.frames[k]
    when = clock(frame.get("t") or 0.0)
    if frame.get("error"):
        words = t("page.video.frame-failed", lang, k=k + 1, n=n, t=when, error=frame["error"])
        return None, f'<div class="frame-caption failed">{esc(words)}</div>'
    data = marked_frame(run_dir, result, k, lang)
    if data is None:
        words = t("page.video.frame-missing", lang, k=k + 1, n=n, t=when)
        return None, f'<div class="frame-caption">{esc(words)}</div>'
    path = Path(run_dir) / f"{result.index + 1:03d}_frame{k:04d}-{lang}.jpg"
    if not path.exists():
        path.write_bytes(data)
    found = [d.get("category") for d in frame.get("detections") or []]
    missing = sum(1 for d in frame.get("detections") or [] if d.get("helmet") == "missing")
    what = counts_text(lang, fire=found.count("fire"), smoke=found.count("smoke"),
                       persons=found.count("person"), missing=missing,
                       other=found.count("other"))  # fmt: skip
    words = t("page.video.frame", lang, k=k + 1, n=n, t=when, found=what)
    return str(path), f'<div class="frame-caption">{esc(words)}</div>'


def _shown(state: RunState, results):
    return next((r for r in results if r.index == state.photo), None)


def video_outputs(page, state: RunState, results, lang: str, k: int | None = None) -> dict:
    """The video panel for the photo shown: hidden unless it is a video."""
    v: VideoPanel = page.video
    result = _shown(state, results) if state.photo is not None else None
    if not is_video_result(result) or not result.ok:
        return {v.group: gr.Group(visible=False)}
    if k is None:
        chosen = result.event_of(state.selected) if state.selected is not None else None
        k = _frame_of(result, chosen.best_t) if chosen else 0
    image, caption = _frame_view(Path(state.dir), result, k, lang)
    frame_t = result.frames[k]["t"] if 0 <= k < len(result.frames) else None
    return {
        v.group: gr.Group(visible=True),
        v.facts: _facts(result, lang),
        v.timeline: timeline_html(result, lang, state.selected, frame_t),
        v.frame_no: gr.Slider(minimum=1, maximum=max(2, len(result.frames)), value=k + 1),
        v.frame: image,
        v.frame_caption: caption,
    }


class VideoHandlers:
    """The estimate beside the upload, a click on an event, and stepping through frames."""

    def __init__(self, page, config: AppConfig):
        self.page, self.config = page, config

    def wire(self) -> None:
        p, v, private = self.page, self.page.video, {"api_visibility": "private"}
        for event in (p.files.change, p.detail.change):
            event(self.estimate, [p.files, p.detail, p.lang], [p.estimate],
                  trigger_mode="always_last", **private)  # fmt: skip
        outputs = [p.state, p.marked, p.review.selected, p.review.note, *v.outputs()]
        v.timeline.click(self.pick_event, [p.state, p.lang], outputs, **private)
        v.prev.click(self.step(-1), [p.state, p.lang, v.frame_no], v.outputs(), **private)
        v.next.click(self.step(1), [p.state, p.lang, v.frame_no], v.outputs(), **private)
        v.frame_no.release(self.step(0), [p.state, p.lang, v.frame_no], v.outputs(), **private)

    def estimate(self, files, detail, lang, request: gr.Request) -> str:
        lang = lang_or_default(lang or request_lang(request))
        paths = [file_path(f) for f in files or []]
        trusted = visitor_of(request, self.config).trusted
        return estimate_html([p for p in paths if p[0]], self.config, detail, lang, trusted)

    def pick_event(self, state, lang, evt: gr.EventData) -> dict:
        lang = lang_or_default(lang)
        n = (getattr(evt, "_data", None) or {}).get("event")
        if not has_photo(state) or not state.finished or not isinstance(n, int):
            return {self.page.state: gr.skip()}
        store = state.store()
        run = store.load()
        result = _shown(state, run.results)
        if not is_video_result(result) or not 0 <= n < len(result.events):
            return {self.page.state: gr.skip()}
        state = state.with_(selected=n)
        return {
            self.page.state: state,
            self.page.marked: store.marked(result, lang, highlight=n),
            self.page.review.selected: selected_html(state.shown, n, lang),
            self.page.review.note: result.detections[n].review_note,
            **video_outputs(self.page, state, run.results, lang),
        }

    def step(self, delta: int):
        def handler(state, lang, shown) -> dict:
            lang = lang_or_default(lang)
            if not has_photo(state) or not state.finished:
                return {self.page.video.group: gr.skip()}
            run = state.store().load()
            k = int(shown or 1) - 1 + delta
            result = _shown(state, run.results)
            if is_video_result(result) and result.frames:
                k = min(max(k, 0), len(result.frames) - 1)
            return video_outputs(self.page, state, run.results, lang, k=k)

        return handler


__all__ = ["VideoHandlers", "VideoPanel", "build_estimate", "build_video_panel", "video_outputs"]
