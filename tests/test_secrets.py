"""The API key appears nowhere: outputs, report, logs, stdout/stderr, error messages.
(The web page, its config and API description are checked in tests/test_app_api.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests import scenes
from tests.simulator import Fault

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-leak-canary-7f3a9c1e5b"
MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"


def _run(args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASHSCOPE"))}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "safety", "-v", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def _everything(tmp_path: Path, result) -> str:
    """All text a user could see or keep from this run."""
    parts = [result.stdout, result.stderr]
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            parts.append(data.decode("utf-8", "replace"))
            if path.suffix == ".pdf":
                parts.extend(page.extract_text() or "" for page in PdfReader(path).pages)
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["flag", "env", "dashscope-env"])
@pytest.mark.parametrize(
    "server_case",
    [
        "accepts",  # a normal run: outputs, report, logs
        "refuses",  # 401: the error message must not quote the key
        "echoes",  # a server that echoes the key back in its error text
    ],
)
def test_key_never_appears(tmp_path, simulator, how, server_case):
    out = tmp_path / "out"
    out.mkdir()
    if server_case == "accepts":
        server = simulator(convention="absolute", api_key=SECRET)
    elif server_case == "refuses":
        server = simulator(convention="absolute", api_key="another-key")
    else:
        body = json.dumps(
            {"error": {"message": f"Incorrect API key provided: {SECRET}. Bearer {SECRET}"}}
        )
        server = simulator(convention="absolute", faults=[Fault(status=400, body=body)] * 3)
    photo = out / "site.jpg"
    photo.write_bytes(scenes.jpeg_bytes(scenes.scene(800, 600, scenes.layout(800, 600))))
    args = [
        "inspect",
        str(photo),
        "--base-url",
        server.base_url,
        "--model",
        MODEL,
        "--coords",
        "absolute",
        "--out",
        str(out / "marked"),
        "--json",
        str(out / "r.json"),
        "--csv",
        str(out / "r.csv"),
        "--report",
        str(out / "r.pdf"),
    ]
    env = {"SAFETY_CACHE_DIR": str(out / "cache")}
    if how == "flag":
        args += ["--api-key", SECRET]
    elif how == "env":
        env["QWEN_VL_API_KEY"] = SECRET
    else:
        env["DASHSCOPE_API_KEY"] = SECRET
        args += ["--preset", "dashscope"]
    result = _run(args, env)
    assert result.returncode == (0 if server_case == "accepts" else 1), result.stderr
    seen = _everything(out, result)
    assert "site.jpg" in seen  # the run really produced outputs to search
    assert SECRET not in seen
    assert SECRET[3:15] not in seen  # no fragment of it either


def test_settings_repr_and_errors_hide_the_key():
    from safety.config import load_settings

    settings = load_settings({"QWEN_VL_API_KEY": SECRET, "QWEN_VL_BASE_URL": "http://h:1/v1"})
    assert SECRET not in repr(settings) and SECRET not in str(settings)
