"""The command line, as a user runs it: a subprocess, real files, a real local endpoint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from safety.backends.presets import DASHSCOPE_CN
from safety.config import load_settings
from tests import scenes
from tests.simulator import Fault

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-cli-SECRET-42424242"


def run(*args, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASHSCOPE"))}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "safety", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=120,
    )


@pytest.mark.slow
def test_help_explains_every_option():
    top = run("--help")
    assert top.returncode == 0 and "inspect" in top.stdout and "calibrate" in top.stdout
    sub = run("inspect", "--help")
    assert sub.returncode == 0
    for option in (
        "--base-url",
        "--model",
        "--api-key",
        "--coords",
        "--max-pixels",
        "--out",
        "--json",
        "--csv",
        "--report",
        "--lang",
        "--concurrency",
        "--timeout",
        "QWEN_VL_BASE_URL",
        "DASHSCOPE_API_KEY",
    ):
        assert option in sub.stdout


def _photos(tmp_path, n=2):
    paths = []
    for i in range(n):
        objects = scenes.layout(900, 600, seed=i)
        p = tmp_path / f"site{i}.jpg"
        p.write_bytes(scenes.jpeg_bytes(scenes.scene(900, 600, objects)))
        paths.append(p)
    return paths


@pytest.mark.slow
def test_outputs_and_exit_status_with_one_failed_photo(tmp_path, simulator):
    server = simulator(convention="absolute", api_key=SECRET)
    good = _photos(tmp_path, 2)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"this is not a photo")
    out = tmp_path / "marked"
    result = run(
        "inspect",
        str(good[0]),
        str(broken),
        str(good[1]),
        "--base-url",
        server.base_url,
        "--model",
        "Qwen/Qwen2.5-VL-7B-Instruct",
        "--coords",
        "absolute",
        "--out",
        str(out),
        "--json",
        str(tmp_path / "r.json"),
        "--csv",
        str(tmp_path / "r.csv"),
        env_extra={"QWEN_VL_API_KEY": SECRET, "SAFETY_CACHE_DIR": str(tmp_path)},
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "broken.jpg" in errors[0] and "not an image" in errors[0]
    doc = json.loads((tmp_path / "r.json").read_text())
    assert [img["source"] for img in doc["images"]] == [str(good[0]), str(broken), str(good[1])]
    assert doc["images"][1]["error"] and doc["images"][1]["detections"] == []
    for img in (doc["images"][0], doc["images"][2]):
        assert img["error"] is None and len(img["detections"]) == 4
        assert (img["width"], img["height"]) == (900, 600)
        for d in img["detections"]:
            assert set(d) >= {"category", "severity", "helmet", "label", "sub_label", "box"}
    assert len(list(out.glob("*_marked.jpg"))) == 2
    csv_text = (tmp_path / "r.csv").read_text()
    assert csv_text.count("\n") == 1 + 4 + 1 + 4
    for text in (result.stdout, result.stderr, csv_text, json.dumps(doc)):
        assert SECRET not in text


@pytest.mark.slow
def test_unreadable_answer_is_an_error_not_no_hazards(tmp_path, simulator):
    server = simulator(convention="absolute", faults=[Fault(content="Sorry, I can't help.")])
    photo = _photos(tmp_path, 1)[0]
    result = run(
        "inspect",
        str(photo),
        "--base-url",
        server.base_url,
        "--model",
        "Qwen/Qwen2.5-VL-7B-Instruct",
        "--coords",
        "absolute",
        "--json",
        str(tmp_path / "r.json"),
        env_extra={"SAFETY_CACHE_DIR": str(tmp_path)},
    )
    assert result.returncode == 1
    assert "could not be read" in result.stderr
    assert "No hazard found" not in result.stdout
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["images"][0]["error"] and doc["summary"]["level"] == "no-result"


@pytest.mark.slow
def test_truncated_answer_keeps_complete_objects_and_says_so(tmp_path, simulator):
    cut = (
        '```json\n[\n\t{"bbox_2d": [10, 10, 200, 200], "label": "火灾", "sub_label": "严重"},'
        '\n\t{"bbox_2d": [300, 300, 40'
    )
    server = simulator(convention="absolute", faults=[Fault(content=cut, finish_reason="length")])
    photo = _photos(tmp_path, 1)[0]
    result = run(
        "inspect",
        str(photo),
        "--base-url",
        server.base_url,
        "--model",
        "Qwen/Qwen2.5-VL-7B-Instruct",
        "--coords",
        "absolute",
        "--json",
        str(tmp_path / "r.json"),
        env_extra={"SAFETY_CACHE_DIR": str(tmp_path)},
    )
    assert result.returncode == 0
    doc = json.loads((tmp_path / "r.json").read_text())
    image = doc["images"][0]
    assert len(image["detections"]) == 1 and image["detections"][0]["severity"] == "severe"
    assert image["finish_reason"] == "length"
    assert any("max_tokens" in note for note in image["notes"])
    assert "max_tokens" in result.stderr


def test_dashscope_key_alone_selects_dashscope_qwen_vl_max():
    settings = load_settings({"DASHSCOPE_API_KEY": "sk-ds-0000"})
    assert settings.preset == "dashscope"
    assert settings.base_url == DASHSCOPE_CN and settings.model == "qwen-vl-max"
    assert settings.api_key == "sk-ds-0000" and "sk-ds-0000" not in repr(settings)


def test_flags_win_over_environment():
    env = {
        "QWEN_VL_BASE_URL": "http://a:8000/v1",
        "QWEN_VL_MODEL": "env-model",
        "QWEN_VL_API_KEY": "env-key",
    }
    settings = load_settings(env, base_url="http://b:9000/v1", model="flag-model")
    assert (settings.base_url, settings.model, settings.api_key) == (
        "http://b:9000/v1",
        "flag-model",
        "env-key",
    )
    assert settings.host == "http://b:9000"


@pytest.mark.parametrize(
    "model, coords",
    [
        ("Qwen/Qwen3-VL-8B-Instruct", "relative-1000"),  # Qwen3-VL answers 0..1000
        ("qwen3-vl-plus", "relative-1000"),
        ("qwen2.5-vl-72b-instruct", "absolute"),  # Qwen2.5-VL answers absolute pixels
        ("qwen-vl-max-latest", "absolute"),
    ],
)
def test_dashscope_models_imply_their_convention(model, coords):
    assert load_settings({"DASHSCOPE_API_KEY": "k"}, model=model).coords == coords


def test_self_hosted_endpoints_calibrate_unless_told():
    assert load_settings({"QWEN_VL_BASE_URL": "http://gpu:8000/v1"}).coords == "auto"
    assert (
        load_settings({"QWEN_VL_BASE_URL": "http://gpu:8000/v1"}, coords="absolute").coords
        == "absolute"
    )


@pytest.mark.slow
def test_missing_key_for_dashscope_preset_is_a_clear_error():
    result = run("inspect", "x.jpg", "--preset", "dashscope")
    assert result.returncode == 2
    assert "DASHSCOPE_API_KEY" in result.stderr


@pytest.mark.parametrize(
    "sim, words",
    [
        # Qwen3-VL: thousandths.
        (dict(convention="relative-1000", grid=32, models=("m",)), ["relative-1000"]),
        # Qwen2.5-VL behind a server started with a lower max_pixels: found and respected.
        (
            dict(convention="absolute", grid=28, max_pixels=256 * 28 * 28, models=("m",)),
            ["absolute", "shrinks frames"],
        ),
    ],
)
@pytest.mark.slow
def test_calibrate_command_reports_the_convention(tmp_path, simulator, sim, words):
    server = simulator(**sim)
    result = run(
        "calibrate",
        "--base-url",
        server.base_url,
        "--model",
        "m",
        env_extra={"SAFETY_CACHE_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    for word in words:
        assert word in result.stdout
    stored = json.loads((tmp_path / "calibration.json").read_text())
    assert len(stored) == 1 and "convention" in next(iter(stored.values()))
