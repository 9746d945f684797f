"""Walkthrough videos and camera clips: frames sampled, inspected as photos, merged into
events (each hazard once, with when and where it was seen).

    sample_frames(path, fps, max_frames, ...) -> VideoFrames   iterate: (t, upright image)
    merge_events(frames, gap_s=...) -> list[Event]              pure, over per-frame findings
    inspect_mixed(inspector, items, options=...)                photos and videos in one run
    VideoResult                                                 kind "video": duration_s, fps,
                                                                frames, events
    is_video(name)                                              by the file's suffix

Modules: decode (PyAV: open, upright, bounded size, timestamps), sampling (which frames),
events (the tracker and the status rules), result (the result type, read back), pipeline
(videos through the Inspector), options (the command line's flags and the estimate), report
(the PDF's section).
"""

from .events import Event, Tracker, merge_events
from .pipeline import inspect_mixed, is_video
from .result import KIND, EventRecord, VideoResult
from .sampling import SamplingOptions, VideoFrames, sample_frames

__all__ = [
    "KIND",
    "Event",
    "EventRecord",
    "SamplingOptions",
    "Tracker",
    "VideoFrames",
    "VideoResult",
    "inspect_mixed",
    "is_video",
    "merge_events",
    "sample_frames",
]
