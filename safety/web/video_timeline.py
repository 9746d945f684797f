"""The timeline of a video's events, as HTML: time across, categories down, one bar per
event from when it was first seen to when it was last seen.

    timeline_html(result, lang, selected=None, frame_t=None) -> str

Each bar is a real <button> (keyboard and screen readers reach it) carrying its event's
number in ``data-event``; the page's script (``TIMELINE_JS``) turns a click into the
component's click event. Events of a category that overlap in time go on separate lanes so
that no bar hides another. Positions are percentages, so the plot fits any width; labels
are the catalogue's words and every value passes through ``esc`` (the model's words are
never shown here, only categories, statuses and times).
"""

from __future__ import annotations

from ..i18n import detection_caption, status_name, t
from ..video.options import clock
from ..video.result import VideoResult
from .views import esc

CATEGORIES = ("fire", "smoke", "person", "other")
MIN_SHARE = 0.025  # a bar is drawn at least this share of the video long (one frame is a dot)

# The page's script for the timeline: one listener on the component (its content is
# replaced on each update; the listener stays).
TIMELINE_JS = """
element.addEventListener('click', (e) => {
  const bar = e.target.closest('[data-event]');
  if (bar) trigger('click', {event: Number(bar.dataset.event)});
});
"""


# The timeline's look, scoped to its component by Gradio (no "$" or backticks: it is a
# template). The marked photo's hues (safety.annotate), darkened so that white text keeps a
# contrast of 4.5 or more.
TIMELINE_CSS = """
.tl { font-size: 13px; line-height: 1.3; }
.tl-row { display: flex; align-items: stretch;
  border-bottom: 1px solid var(--border-color-primary); }
.tl-cat { flex: 0 0 5.5em; padding: 6px 6px 4px 0; font-weight: 600; overflow-wrap: anywhere; }
.tl-track { position: relative; flex: 1 1 auto; min-width: 0; margin-right: 26px; }
.tl-lane { position: relative; height: 32px; }
.tl-ev { position: absolute; top: 4px; height: 24px; min-width: 24px; box-sizing: border-box;
  border-radius: 4px; border: 1px solid rgba(0, 0, 0, 0.35); color: #fff; font-size: 12px;
  font-weight: 700; padding: 0 5px; margin: 0; cursor: pointer; text-align: left;
  overflow: hidden; white-space: nowrap; }
.tl-ev span { position: relative; }
.tl-fire { background: #c62828; }
.tl-smoke { background: #1565c0; }
.tl-missing { background: #b0008e; }
.tl-worn { background: #2e7d32; }
.tl-unknown { background: #616161; }
.tl-rejected { background: repeating-linear-gradient(45deg, #c9c9c9 0 4px, #e6e6e6 4px 8px);
  color: #333; border-style: dashed; }
.tl-ev.chosen { outline: 3px solid #111; outline-offset: 1px; z-index: 2; }
.tl-ev:focus-visible { outline: 3px dashed #111; outline-offset: 1px; z-index: 3; }
.tl-best { position: absolute; top: 3px; bottom: 3px; width: 2px; margin-left: -1px;
  background: rgba(255, 255, 255, 0.85); }
.tl-axis-row { border-bottom: none; }
.tl-axis { height: 24px; border-top: 1px solid #888; }
.tl-tick { position: absolute; top: 3px; transform: translateX(-50%); font-size: 11px;
  color: var(--body-text-color-subdued); white-space: nowrap; }
.tl-tick:first-child { transform: none; }
.tl-cursor { position: absolute; top: -1px; width: 0; height: 0; transform: translateX(-50%);
  border-left: 6px solid transparent; border-right: 6px solid transparent;
  border-top: 9px solid #111; }
.tl-empty { padding: 8px 0; color: var(--body-text-color-subdued); }
"""


def _tone(category: str, status: str, review: str) -> str:
    if review == "rejected":
        return "rejected"
    if category in ("fire", "smoke"):
        return category
    if category == "person":
        return {"missing": "missing", "worn": "worn"}.get(status, "unknown")
    return "unknown"


def _ticks(duration: float) -> list[float]:
    """At most five round times along the axis, from 0."""
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if duration / step <= 4:
            break
    n = int(duration // step)
    return [i * step for i in range(n + 1)]


def _lanes(spans: list[tuple[float, float, int]]) -> list[list[tuple[float, float, int]]]:
    """Spans (start share, end share, event number) on as few lanes as none overlap."""
    lanes: list[list[tuple[float, float, int]]] = []
    for span in sorted(spans):
        for lane in lanes:
            if lane[-1][1] < span[0]:
                lane.append(span)
                break
        else:
            lanes.append([span])
    return lanes


def timeline_html(
    result: VideoResult, lang: str, selected: int | None = None, frame_t: float | None = None
) -> str:
    events = list(zip(result.events, result.detections, strict=False))
    if not events:
        return f'<div class="tl-empty">{esc(t("page.video.no-events", lang))}</div>'
    last = max([result.duration_s or 0.0] + [e.last_s for e, _ in events]) or 1.0
    rows = []
    for category in CATEGORIES:
        spans = []
        for n, (e, d) in enumerate(events):
            if d.category == category:
                start = min(e.first_s / last, 1.0 - MIN_SHARE)
                spans.append((start, max(e.last_s / last, start + MIN_SHARE), n))
        if not spans:
            continue
        lanes = "".join(
            '<div class="tl-lane">' + "".join(_bar(events[n], n, a, b, lang, selected)
                                              for a, b, n in lane) + "</div>"
            for lane in _lanes(spans)
        )  # fmt: skip
        name = detection_caption(category, "", lang)
        name = esc(name[:1].upper() + name[1:])
        rows.append(f'<div class="tl-row"><div class="tl-cat">{name}</div>'
                    f'<div class="tl-track">{lanes}</div></div>')  # fmt: skip
    ticks = "".join(
        f'<span class="tl-tick" style="left:{100 * s / last:.2f}%">{esc(clock(s))}</span>'
        for s in _ticks(last)
    )
    cursor = ""
    if frame_t is not None:
        cursor = f'<div class="tl-cursor" style="left:{100 * min(frame_t / last, 1):.2f}%"></div>'
    label = esc(t("page.video.timeline", lang))
    return (
        f'<div class="tl" role="group" aria-label="{label}">'
        + "".join(rows)
        + f'<div class="tl-row tl-axis-row"><div class="tl-cat"></div>'
        f'<div class="tl-track tl-axis">{ticks}{cursor}</div></div></div>'
    )


def _bar(pair, n: int, start: float, end: float, lang: str, selected: int | None) -> str:
    e, d = pair
    what = detection_caption(d.category, "", lang)
    if d.status:
        what += " · " + status_name(d.category, d.status, lang)
    if d.review != "unreviewed":
        what += " · " + t(f"review.{d.review}", lang)
    words = t("page.video.event", lang, id=e.id, what=what, first=clock(e.first_s),
              last=clock(e.last_s), best=clock(e.best_t))  # fmt: skip
    tone = _tone(d.category, d.status, d.review)
    chosen = " chosen" if n == selected else ""
    pressed = "true" if n == selected else "false"
    seen = e.last_s - e.first_s
    best = 100 * (e.best_t - e.first_s) / seen if seen > 0 else 50.0  # the best frame's mark
    return (
        f'<button type="button" class="tl-ev tl-{tone}{chosen}" data-event="{n}" '
        f'aria-pressed="{pressed}" title="{esc(words)}" aria-label="{esc(words)}" '
        f'style="left:{100 * start:.2f}%;width:{100 * (end - start):.2f}%">'
        f'<span class="tl-best" style="left:{min(max(best, 0.0), 100.0):.1f}%"></span>'
        f"<span>{e.id}</span></button>"
    )
