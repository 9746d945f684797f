"""Decoding and sampling videos (safety.video.decode, safety.video.sampling) on videos made
here with PyAV: a phone's rotation flag, a variable frame rate, a damaged tail, scene cuts,
a still camera, the cap, a huge frame, and files that only look like videos."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from safety import limits
from safety.errors import InputError
from safety.i18n import t
from safety.video import sample_frames
from safety.video.decode import open_video
from safety.video.sampling import SCENE_CHECK_S
from tests import scenes, videos

W, H = 320, 240


def _centre_of(img, colour) -> tuple[float, float]:
    """Centre of the pixels near ``colour`` (the drawn object), in the image as given."""
    rgb = np.asarray(img.convert("RGB")).astype(int)
    near = (np.abs(rgb - np.array(colour)).sum(axis=2) < 90).nonzero()
    assert near[0].size, "the object is not in the frame"
    return float(near[1].mean()), float(near[0].mean())


def _fire_at(x: int, y: int):
    return lambda _t: [("fire", (x, y, x + 60, y + 40))]


@pytest.mark.parametrize("rotation", [0, 90, -90, 180])
def test_frames_come_upright_whatever_the_rotation_flag(tmp_path, rotation):
    """A phone stores its pixels turned and flags the turn: frames come out as shown."""
    path = videos.write_video(
        tmp_path / "phone.mp4",
        videos.steady(5, 2),
        videos.moving(W, H, _fire_at(30, 150)),
        rotation=rotation,
    )
    frames = sample_frames(path, fps=1, dedupe=False)
    got = list(frames)
    assert [round(t_s, 3) for t_s, _ in got] == [0.0, 1.0]
    for _t, img in got:
        assert img.size == (W, H)
        cx, cy = _centre_of(img, scenes.COLOURS["fire"])
        assert abs(cx - 60) < 3 and abs(cy - 170) < 3
    assert frames.size == (W, H)
    assert frames.rotation == rotation


def test_variable_frame_rate_times_come_from_timestamps(tmp_path):
    """Bursts and pauses: a frame is due one second after the last one sent, by its time."""
    times = [0.0, 0.1, 0.2, 1.7, 1.75, 1.8, 3.2, 3.9, 4.6, 6.5]
    path = videos.write_video(
        tmp_path / "vfr.mp4",
        times,
        videos.moving(
            W, H, lambda t_s: [("fire", (int(10 + 20 * t_s), 20, int(70 + 20 * t_s), 80))]
        ),
    )
    frames = sample_frames(path, fps=1, scene=False, dedupe=False)
    sent = [round(t_s, 3) for t_s, _ in frames]
    assert sent == [0.0, 1.7, 3.2, 4.6, 6.5]
    assert frames.decoded == len(times)


DAMAGED = [
    # (file, container options, how it is damaged)
    ("walk.mkv", {}, videos.cut_tail),  # a copy that stopped mid-way
    ("walk.mp4", {"movflags": "faststart"}, videos.garbage_tail),  # index first, tail broken
]


@pytest.mark.parametrize("name, container, damage", DAMAGED, ids=[d[0] for d in DAMAGED])
def test_a_damaged_tail_keeps_the_frames_before_it_with_a_note(tmp_path, name, container, damage):
    path = videos.write_video(
        tmp_path / name,
        videos.steady(10, 6),
        videos.moving(
            W, H, lambda t_s: [("fire", (int(10 + 30 * t_s), 20, int(70 + 30 * t_s), 80))]
        ),
        options={"g": "10"},
        container_options=container,
    )
    damage(path)
    frames = sample_frames(path, fps=1)
    sent = [t_s for t_s, _ in frames]
    assert 1 <= len(sent) < 6
    assert len(frames.notes) == 1 and "cut short" in frames.notes[0]


def test_an_mp4_cut_before_its_index_is_unreadable_with_the_fix(tmp_path):
    """A phone's recording stopped before it wrote the index (at the end): nothing to read."""
    path = videos.write_video(
        tmp_path / "stopped.mp4", videos.steady(10, 3), videos.moving(W, H, _fire_at(10, 10))
    )
    videos.cut_tail(path, keep=0.6)
    with pytest.raises(InputError, match="export it again"):
        sample_frames(path)


def test_scene_cuts_are_sent_between_rate_frames(tmp_path):
    """A cut at 1.5 s to a different scene is sent at once (at the next comparison), not
    at 2.0 s."""

    def draw(t_s):
        if t_s < 1.5:
            return scenes.scene(W, H, [("fire", (20, 20, 80, 80))])
        return scenes.scene(W, H, [("smoke", (0, 0, W, H))])

    path = videos.write_video(tmp_path / "cut.mp4", videos.steady(10, 4), draw)
    frames = sample_frames(path, dedupe=False)
    sent = [round(t_s, 2) for t_s, _ in frames]
    cut = sent[2]  # frames are compared every SCENE_CHECK_S, not all of them
    assert sent[:2] == [0.0, 1.0] and 1.5 <= cut <= 1.5 + SCENE_CHECK_S
    assert sent[3:] == [round(cut + 1, 2), round(cut + 2, 2)]  # the rate goes on from it
    assert frames.sampler.scenes == 1


def test_a_still_camera_sends_a_frame_now_and_then(tmp_path):
    """Near-duplicates are skipped, but a still scene is looked at every keep-alive period."""
    path = videos.write_video(
        tmp_path / "still.mp4", videos.steady(2, 25), videos.moving(W, H, _fire_at(100, 100))
    )
    frames = sample_frames(path, fps=1)
    sent = [round(t_s) for t_s, _ in frames]
    keep = int(limits.VIDEO_KEEPALIVE_S)
    assert sent == [0, keep, 2 * keep]
    assert frames.duplicates == 25 - len(sent)


def test_the_cap_spreads_frames_over_the_whole_video(tmp_path):
    path = videos.write_video(
        tmp_path / "long.mp4",
        videos.steady(5, 20),
        videos.moving(
            W, H, lambda t_s: [("fire", (int(5 + 10 * t_s), 20, int(40 + 10 * t_s), 60))]
        ),
    )
    frames = sample_frames(path, fps=1, max_frames=5)
    assert [round(t_s) for t_s, _ in frames] == [0, 4, 8, 12, 16]
    assert any("--max-frames" in note for note in frames.notes)


def test_a_huge_frame_is_decoded_at_a_bounded_size(tmp_path):
    big_w, big_h = 5120, 2880
    path = videos.write_video(
        tmp_path / "8k.mp4",
        [0.0, 0.5],
        lambda _t: scenes.scene(big_w, big_h, [("fire", (100, 100, 900, 700))]),
        options={"preset": "ultrafast"},
    )
    frames = sample_frames(path, fps=1)
    [(_t, img)] = list(frames)
    assert max(img.size) == limits.VIDEO_MAX_SIDE
    assert frames.size == (big_w, big_h)  # boxes are reported in these pixels


def _image_renamed(path: Path) -> Path:
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(W, H, [])))
    return path


def _unknown_codec(path: Path) -> Path:
    """An AVI whose codec tag names no codec FFmpeg knows."""
    src = videos.write_video(
        path.with_suffix(".tmp.avi"),
        videos.steady(5, 1),
        videos.moving(W, H, _fire_at(10, 10)),
        codec="mpeg4",
    )
    path.write_bytes(src.read_bytes().replace(b"FMP4", b"ZQZQ"))
    return path


def _audio_only(path: Path) -> Path:
    videos.audio_only(path.with_suffix(".m4a"))
    shutil.move(path.with_suffix(".m4a"), path)
    return path


BAD = [
    # (file name, how it is made, the catalogue key of its error)
    ("empty.mp4", lambda p: p.write_bytes(b"") and p, "video.empty"),
    ("photo.mp4", _image_renamed, "video.is-image"),
    ("song.mp4", _audio_only, "video.audio-only"),
    ("noise.mkv", lambda p: p.write_bytes(b"\x00\x17garbage" * 999) and p, "video.unreadable"),
    ("odd.avi", _unknown_codec, "video.codec"),
]


@pytest.mark.parametrize("name, make, key", BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_files_get_a_catalogue_error_that_says_the_fix(tmp_path, name, make, key, lang):
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError) as caught:
        sample_frames(path, lang=lang)
    # The catalogue's words, in the language asked for (a {placeholder} part aside).
    head = t(key, lang, why="\x00", codec="\x00").split("\x00")[0]
    assert str(caught.value).startswith(head)
    assert str(tmp_path) not in str(caught.value)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(InputError, match="No such video file"):
        open_video(tmp_path / "gone.mp4")
