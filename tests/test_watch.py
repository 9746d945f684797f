"""Watch mode: a folder and a loopback camera snapshot URL, against the simulated model, with
alerts to a loopback robot."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from safety.config import load_config, load_settings
from safety.inspection import Inspector
from safety.watch.loop import Watcher
from safety.watch.phash import dhash, distance
from safety.watch.sources import FolderSource, SnapshotSource, display_name, make_source
from tests import scenes
from tests.loopback import LoopbackServer
from tests.robots import RobotServer

ROOT = Path(__file__).resolve().parent.parent
MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"


def scene_jpeg(seed: int, kinds=None) -> bytes:
    objects = scenes.layout(640, 480, seed=seed)
    if kinds is not None:
        objects = [o for o in objects if o[0] in kinds]
    return scenes.jpeg_bytes(scenes.scene(640, 480, objects))


class _Camera(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        cam = self.server
        cam.requests.append(self.path)
        if cam.stall:
            time.sleep(cam.stall)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(cam.picture)))
        self.end_headers()
        self.wfile.write(cam.picture)


class Camera(LoopbackServer):
    handler = _Camera

    def __init__(self):
        self.picture, self.stall = b"", 0.0
        super().__init__("127.0.0.1")


def test_perceptual_hash_tells_a_new_scene_from_jpeg_noise():
    a = scene_jpeg(1)
    again = scenes.jpeg_bytes(scenes.scene(640, 480, scenes.layout(640, 480, seed=1)), quality=60)
    other = scene_jpeg(2)
    assert distance(dhash(a), dhash(again)) <= 6 < distance(dhash(a), dhash(other))


def test_names_never_show_a_cameras_password_or_token():
    url = "http://admin:pw123456@cam.example:8080/snap.jpg?token=abcdef0123456789"
    assert display_name(url) == "http://cam.example:8080/snap.jpg"


def test_folder_source_sees_new_and_changed_files_not_the_ones_already_there(tmp_path):
    (tmp_path / "old.jpg").write_bytes(scene_jpeg(1))
    (tmp_path / "notes.txt").write_text("not a photo")
    source = FolderSource(str(tmp_path))
    assert source.poll() == []  # the baseline
    new = tmp_path / "sub" / "new.jpg"
    new.parent.mkdir()
    new.write_bytes(scene_jpeg(2))
    os.utime(new, (time.time() - 5, time.time() - 5))  # settled: the sync finished
    assert [f.path for f in source.poll()] == [str(new)]
    assert source.poll() == []
    (tmp_path / "old.jpg").write_bytes(scene_jpeg(3))  # just written: waits one poll
    assert source.poll() == []
    assert [Path(f.path).name for f in source.poll()] == ["old.jpg"]


@pytest.mark.slow
def test_snapshot_camera_that_changes_and_stalls(tmp_path, simulator):
    model = simulator(convention="absolute")
    camera = Camera()
    robot = RobotServer("webhook")
    alerts = tmp_path / "alerts.toml"
    alerts.write_text(f'digest_seconds = 0\n[[robot]]\nkind = "webhook"\nurl = "{robot.address}"\n')
    alerts.chmod(0o600)
    lines: list[str] = []
    try:
        config = load_config({"SAFETY_ALLOWED_NETWORKS": "127.0.0.1/32"})
        settings = load_settings(
            {}, base_url=model.base_url, model=MODEL, coords="absolute", recheck="off"
        )
        url = camera.url("/snap.jpg?token=cam-secret-0123456789")
        source = make_source(url, config.fetch, every=1.0)
        assert isinstance(source, SnapshotSource)
        from safety.alerts.hooks import finish, open_alerter

        alerter = open_alerter(str(alerts), "en", lines.append)
        inspector = Inspector(settings, fetch_policy=config.fetch)
        watcher = Watcher([source], inspector, 1.0, "en", lines.append, site="Gate 3",
                          alerter=alerter)  # fmt: skip
        camera.picture = scene_jpeg(1)
        watcher.round()
        assert len(model.requests) == 1 and watcher.tally.inspected == 1
        camera.picture = scenes.jpeg_bytes(
            scenes.scene(640, 480, scenes.layout(640, 480, seed=1)), quality=70
        )
        watcher.round()  # the same scene, newly encoded: not sent again
        assert len(model.requests) == 1 and source.unchanged == 1
        camera.picture = scene_jpeg(2)
        watcher.round()
        assert len(model.requests) == 2
        camera.stall = 3.0  # longer than the interval: the download gives up
        started = time.monotonic()
        watcher.round()
        watcher.round()
        assert time.monotonic() - started < 6
        down = [line for line in lines if "is down" in line]
        assert len(down) == 1 and "127.0.0.1" in down[0]
        camera.stall = 0.0
        camera.picture = scene_jpeg(3)
        watcher.round()
        assert any(line.endswith("is back.") for line in lines)
        assert len(model.requests) == 3
        inspector.close()
        finish(alerter, lines.append, "en")
        arrivals = robot.wait_for(2, timeout=3)
        # Each scene shows the same kinds of hazard to the same camera: alerted once, the
        # later scenes fall within the dedupe window.
        assert len(arrivals) == 1
        kinds = {(f["category"], f["status"]) for f in arrivals[0].body["findings"]}
        assert ("person", "missing") in kinds
        assert arrivals[0].body["findings"][0]["site"] == "Gate 3"
        text = "\n".join(lines) + str([a.body for a in arrivals])
        assert "cam-secret-0123456789" not in text
    finally:
        camera.stop()
        robot.stop()


@pytest.mark.slow
def test_watch_command_on_a_folder_until_sigterm(tmp_path, simulator):
    model = simulator(convention="absolute")
    robot = RobotServer("dingtalk", "SECwatch0123456789abcdef")
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "before.jpg").write_bytes(scene_jpeg(1))
    alerts = tmp_path / "alerts.toml"
    alerts.write_text(
        "digest_seconds = 0\n[[robot]]\n"
        f'kind = "dingtalk"\nurl = "{robot.address}"\nsecret = "{robot.secret}"\nlang = "zh"\n'
    )
    alerts.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASHSCOPE"))}
    env["SAFETY_CACHE_DIR"] = str(tmp_path / "cache")
    proc = subprocess.Popen(
        [sys.executable, "-m", "safety", "watch", str(folder), "--every", "1",
         "--site", "Block B", "--alerts", str(alerts), "--base-url", model.base_url,
         "--model", MODEL, "--coords", "absolute", "--recheck", "off", "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 30
        while not any("Watching 1 source" in line for line in out):
            assert time.monotonic() < deadline and proc.poll() is None, out
            time.sleep(0.1)
        time.sleep(1.5)  # past the baseline round
        photo = folder / "after.jpg"
        photo.write_bytes(scene_jpeg(2))
        os.utime(photo, (time.time() - 5, time.time() - 5))
        arrivals = robot.wait_for(1, timeout=30)
        assert arrivals and not arrivals[0].problems
        assert "Block B" in arrivals[0].body["markdown"]["text"]
        assert "未戴安全帽" in arrivals[0].body["markdown"]["text"]
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
        reader.join(5)
        stderr = proc.stderr.read()
        robot.stop()
    assert code == 0, stderr
    assert len(model.requests) == 1  # before.jpg was the baseline
    assert any("after.jpg" in line for line in out)
    assert "Stopped after" in out[-1]
    assert "Traceback" not in stderr


def test_watch_and_inspect_read_every_flag_into_its_field():
    from safety.commands.cli import InspectOptions
    from safety.commands.watch import WatchOptions
    from tests.test_options import (
        ENDPOINT,
        ENDPOINT_FLAGS,
        REQUEST_FLAGS,
        SENDING_FLAGS,
        no_namespace_inside,
        parse,
    )

    args = parse("watch", "drop", "http://cam.example/snap.jpg", "--every", "30", "--site", "B",
                 "--alerts", "a.toml", "--out", "kept", "--threshold", "4", "--lang", "zh",
                 *ENDPOINT_FLAGS, *SENDING_FLAGS, *REQUEST_FLAGS, "--blur-faces",
                 "--blur-before-send", "--site-profile", "s.toml", "--rules", "cn")  # fmt: skip
    opts = WatchOptions.read(args)
    assert opts == WatchOptions(
        sources=("drop", "http://cam.example/snap.jpg"), every=30.0, endpoint=ENDPOINT,
        site="B", alerts="a.toml", out="kept", threshold=4, lang="zh", blur_faces=True,
        blur_before_send=True, site_profile="s.toml", rules="cn",
    )  # fmt: skip
    no_namespace_inside(opts)
    assert InspectOptions.read(parse("inspect", "a.jpg", "--alerts", "b.toml")).alerts == "b.toml"


def flv_video(colour, right=True) -> bytes:
    import io

    import av
    import numpy as np

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="flv") as out:
        stream = out.add_stream("flv", rate=5)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        picture = np.zeros((120, 160, 3), np.uint8)
        if right:
            picture[:, 80:] = colour
        else:
            picture[:, :80] = colour
        for _ in range(3):
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buffer.getvalue()


def test_stream_source_takes_one_frame_through_pyav_and_skips_an_unchanged_one():
    from safety.watch.sources import SourceDown, StreamSource

    camera = Camera()
    try:
        camera.picture = flv_video((220, 30, 30))
        source = make_source(camera.url("/live/cam.flv"), load_config({}).fetch, every=2.0)
        assert isinstance(source, StreamSource)
        first = source.poll()
        assert len(first) == 1 and first[0].data[:2] == b"\xff\xd8"  # a JPEG of the frame
        assert first[0].name == camera.url("/live/cam.flv")
        assert source.poll() == [] and source.unchanged == 1
        camera.picture = flv_video((30, 30, 220), right=False)  # the scene changed
        assert len(source.poll()) == 1
    finally:
        camera.stop()
    try:
        source.poll()
    except SourceDown:
        pass
    else:
        raise AssertionError("a stream that is gone must be reported down")
