"""The web app's protections, each by behaviour: login, upload size, queue limit, and
per-run files that do not pile up."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AuthenticationError

from safety.web import build_app, launch_kwargs
from safety.web.runfolders import sweep_runs
from tests import scenes
from tests.test_app_api import demo_env, free_port, live_env, running_app


@pytest.mark.slow
def test_login_from_the_environment_is_required(tmp_path):
    env = demo_env(SAFETY_AUTH="officer:pa55word")
    with running_app(env) as url:
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(url + "/config", timeout=10)
        assert info.value.code in (401, 403)
        with pytest.raises(AuthenticationError, match="credentials were not provided"):
            Client(url + "/", verbose=False)
        client = Client(url + "/", auth=("officer", "pa55word"), verbose=False)
        assert client.view_api(print_info=False, return_format="dict")


@pytest.mark.slow
def test_upload_over_the_size_limit_is_refused(tmp_path):
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8" + os.urandom(2 * 1024 * 1024))
    with running_app(demo_env(SAFETY_MAX_FILE_MB="1")) as url:
        # gradio_client reads the limit from the app and refuses before sending...
        client = Client(url + "/", verbose=False)
        with pytest.raises(ValueError, match="exceeds the maximum file size of 1048576"):
            client.predict(files=[handle_file(str(big))], api_name="/inspect")
        # ...and a client that ignores it is refused by the server itself.
        with big.open("rb") as f:
            r = httpx.post(url + "/gradio_api/upload", files={"files": ("big.jpg", f)})
        assert r.status_code == 413
        r = httpx.post(url + "/gradio_api/upload", files={"files": ("ok.jpg", b"\xff\xd8")})
        assert r.status_code == 200


@pytest.mark.slow
def test_queue_limit_refuses_runs_beyond_it_without_failing_the_others(simulator, tmp_path):
    server = simulator(convention="absolute", base_latency=1.5)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(640, 480, scenes.layout(640, 480))))
    env = live_env(server)
    app = build_app(env)
    app.queue(default_concurrency_limit=1, max_size=1).launch(
        prevent_thread_lock=True,
        server_name="127.0.0.1",
        server_port=free_port(),
        quiet=True,
        **launch_kwargs(env),
    )
    try:
        clients = [Client(app.local_url, verbose=False) for _ in range(4)]
        jobs = [c.submit(files=[handle_file(str(photo))], api_name="/inspect") for c in clients]
        outcomes = []
        for job in jobs:
            try:
                outcomes.append(job.result(timeout=60)["images"][0]["error"] is None)
            except Exception as exc:  # the refused ones
                outcomes.append(type(exc).__name__ + str(exc))
        assert outcomes.count(True) >= 1
        refused = [o for o in outcomes if o is not True]
        assert refused and all("Queue is full" in o for o in refused)
    finally:
        app.close()


def test_run_folders_are_swept(tmp_path):
    root = tmp_path / "runs"
    root.mkdir()
    old = root / "run-old"
    old.mkdir()
    (old / "report.pdf").write_bytes(b"%PDF")
    past = time.time() - 10_000
    os.utime(old, (past, past))
    recent = []
    for i in range(5):
        d = root / f"run-{i}"
        d.mkdir()
        os.utime(d, (time.time() - 100 + i, time.time() - 100 + i))
        recent.append(d)
    keep_me = root / "not-a-run"
    keep_me.mkdir()
    sweep_runs(root, ttl=3600, keep=3)  # folders of before have no owner: the operator's
    left = sorted(p.name for p in root.iterdir())
    assert left == ["not-a-run", "run-2", "run-3", "run-4"]
    assert not Path(old).exists()
