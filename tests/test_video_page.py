"""Videos on the page, without a browser: a public page's bounds (length, size, frames per
video) and the frames a visitor is charged against the hour, the estimate shown before
Inspect in both languages, and the timeline's HTML (lanes, times, nothing of the model's
words, escaped). The browser test is tests/test_video_browser.py."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from safety.config import load_config
from safety.detections import Detection
from safety.errors import InputError
from safety.source import Source
from safety.video.result import EventRecord, VideoResult
from safety.web.form import RunForm
from safety.web.job import start_run
from safety.web.video_bounds import estimate_html, plan_videos
from safety.web.video_timeline import timeline_html
from safety.web.visitors import ClientLimits, Visitor
from tests import scenes, videos

W, H = 320, 240


def _still(t_s: float):
    return [("fire", (20, 20, 120, 120))]


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    """A 12-second clip at 5 frames a second."""
    folder = tmp_path_factory.mktemp("clip")
    return videos.write_video(folder / "clip.mp4", videos.steady(5, 12),
                              videos.moving(W, H, _still), rate=5)  # fmt: skip


def _public(**extra):
    return load_config({"SAFETY_PUBLIC": "1", **extra})


def test_a_public_page_caps_each_video_by_its_length_and_charges_that(clip):
    config = _public()
    assert (config.max_video_mb, config.max_video_s, config.video_frames) == (200, 300, 60)
    plan = plan_videos([Source("clip.mp4", path=str(clip))], config, "en")
    options = plan.options_for(Source("clip.mp4", path=str(clip)))
    # 12 s at 1 a second, and room for scene changes: 12 + 3 frames, charged before the run.
    assert options.max_frames == 15 and plan.charged == 15
    # Frames per video never pass the page's cap, however long the video.
    plan = plan_videos([Source("clip.mp4", path=str(clip))], _public(SAFETY_VIDEO_FRAMES="5"), "en")
    assert plan.charged == 5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_video_past_the_bounds_is_its_own_error_and_says_the_fix(clip, lang):
    src = Source("clip.mp4", path=str(clip))
    long_plan = plan_videos([src], _public(SAFETY_MAX_VIDEO_S="10"), lang)
    with pytest.raises(InputError) as info:
        long_plan.options_for(src)
    said = str(info.value)
    assert "0:12" in said and "0:10" in said
    assert ("Cut it shorter" in said) if lang == "en" else ("剪短" in said)
    assert long_plan.charged == 0  # nothing of it is sent, nothing charged
    big_plan = plan_videos([src], replace(_public(), max_video_mb=0), lang)
    with pytest.raises(InputError, match="MB"):
        big_plan.options_for(src)
    # A photo larger than the page's photo size is refused before anything is sent.
    photo = clip.parent / "big.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(2 * 1024 * 1024))
    with pytest.raises(InputError, match="big.jpg"):
        plan_videos([Source("big.jpg", path=str(photo))], _public(SAFETY_MAX_FILE_MB="1"), lang)


def test_every_frame_counts_against_the_visitors_hour(clip):
    config = _public(SAFETY_PHOTOS_PER_HOUR="20")
    limits = ClientLimits(config.photos_per_hour, 0)
    visitor = Visitor("203.0.113.9", "s1", trusted=False)
    form = RunForm(files=[str(clip)], lang="en")
    with start_run(config, limits, form, visitor) as run:
        assert run.videos.charged == 15
    assert limits._used("ip:203.0.113.9", limits.clock()) == 15
    # A second run of the same clip would pass 20 frames in the hour: refused, saying when.
    with pytest.raises(InputError, match="per hour"):
        with start_run(config, limits, form, visitor):
            pass


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_estimate_before_inspect(clip, lang):
    photo = clip.parent / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(320, 240, [])))
    paths = [(str(clip), "clip.mp4"), (str(photo), "site.jpg")]
    config = _public(QWEN_VL_BASE_URL="https://dashscope.aliyuncs.com/compatible-mode/v1",
                     DASHSCOPE_API_KEY="sk-test-not-real", QWEN_VL_MODEL="qwen-vl-max")  # fmt: skip
    html = estimate_html(paths, config, None, lang, trusted=False)
    # A private page prices the videos at its model's prices (a public one never says it).
    own = load_config({"SAFETY_PUBLIC": "0", "DASHSCOPE_API_KEY": "sk-test-not-real"})
    priced = re.sub(r"<[^>]+>", " ", estimate_html(paths, own, None, lang, trusted=True))
    assert "CNY" in priced and "qwen-vl-max" not in priced
    text = re.sub(r"<[^>]+>", " ", html)
    assert "clip.mp4" in text and "0:12" in text
    if lang == "en":
        assert "about 12 frames to send" in text and "Photos: 1; requests: about 1." in text
        assert "CNY" not in text and "qwen-vl-max" not in text  # the owner's model: no price
        assert "up to 5:00 and 200 MB" in text and "photos an hour: 16" in text
    else:
        assert "约发送 12 帧" in text and "照片 1 张" in text and "CNY" not in text
        assert "不超过 5:00" in text and "16 张" in text
        # No English sentence: only the file's name, units and "token" (as Chinese says it).
        rest = re.sub(r"clip\.mp4|CNY|token|MB|KB", "", text)
        assert not re.search(r"[A-Za-z]{3,}", rest), rest
    assert "sk-test-not-real" not in html
    assert estimate_html([(str(photo), "site.jpg")], config, None, lang, trusted=False) == ""


def _result(events) -> VideoResult:
    r = VideoResult(source="walk.mp4", index=0, width=640, height=480, duration_s=20.0, fps=1.0)
    for n, (category, status, first, last) in enumerate(events, start=1):
        label = '<img src=x onerror="alert(1)">'  # the model's words: never shown here
        r.detections.append(Detection(category, status, label, label, (10, 10, 50, 50)))
        r.events.append(EventRecord(n, first, last, (first + last) / 2, [first, last]))
    return r


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_timeline(lang):
    r = _result([("person", "missing", 0.0, 10.0), ("person", "worn", 5.0, 15.0),
                 ("fire", "severe", 2.0, 2.0), ("person", "worn", 12.0, 20.0)])  # fmt: skip
    html = timeline_html(r, lang, selected=1, frame_t=5.0)
    assert "<img" not in html and "alert" not in html
    bars = re.findall(r'<button[^>]*data-event="(\d)"[^>]*style="left:([\d.]+)%;width:([\d.]+)%"',
                      html)  # fmt: skip
    assert [b[0] for b in bars] == ["2", "0", "3", "1"]  # fire, then persons on lanes
    spans = {int(n): (float(a), float(w)) for n, a, w in bars}
    assert spans[0] == (0.0, 50.0) and spans[1] == (25.0, 50.0)
    assert spans[2][1] > 0  # one frame is still a bar to click
    # Two persons overlapping in time go on two lanes; the third follows the first.
    assert html.count('class="tl-lane"') == 3
    assert 'chosen" data-event="1" aria-pressed="true"' in html and html.count("chosen") == 1
    assert 'class="tl-cursor" style="left:25.00%"' in html
    assert ("Person" in html) if lang == "en" else ("人员" in html)
    assert timeline_html(_result([]), lang).count("tl-empty") == 1


def test_the_ledger_receives_a_videos_events_as_findings_with_their_best_frames(tmp_path):
    from safety.ledger import Ledger, LedgerSettings

    r = _result([("person", "missing", 0.0, 10.0), ("fire", "severe", 2.0, 4.0),
                 ("person", "worn", 5.0, 15.0)])  # fmt: skip
    r.sha256 = "cd" * 32
    fire_frame = scenes.scene(320, 240, [("fire", (5, 5, 25, 25))])
    r.best_frames = {1: scenes.jpeg_bytes(scenes.scene(320, 240, [])),
                     2: scenes.jpeg_bytes(fire_frame)}  # fmt: skip
    settings = LedgerSettings(data_dir=tmp_path / "data")
    with Ledger.open(settings) as ledger:
        done = ledger.record_run([r], "Block B", "Wang")
        found = sorted(ledger.list(), key=lambda f: f.source)
        again = ledger.record_run([r], "Block B", "Wang")
    # The hazards among the events (a person with a hard hat is none), one finding each,
    # its best frame as its photo and the video and the time as its source.
    assert len(done.finding_ids) == 2 and again.already
    assert [f.source for f in found] == ["walk.mp4 @ 0:03 (event 2)",
                                         "walk.mp4 @ 0:05 (event 1)"]  # fmt: skip
    assert all(f.photo_sha for f in found) and found[0].photo_sha != found[1].photo_sha
    assert found[0].photo_size == (640, 480)
