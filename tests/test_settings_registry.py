"""One registry of settings (safety.settings): every variable read in safety/ is in it, the
configuration is checked by it, and docs/settings.md is generated from it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from safety.backends.presets import PRESETS
from safety.config import load_config
from safety.envvars import env_setting
from safety.errors import ConfigurationError
from safety.settings import SETTINGS, names, setting
from safety.settings_doc import PAGE, render

ROOT = Path(__file__).resolve().parents[1]
# What an environment variable's name looks like in our code: ours, and the platform's.
VARIABLE = re.compile(r"(QWEN_VL|SAFETY|DASHSCOPE|LC|XDG)_[A-Z0-9_]+|LANG|SPACE_ID")
READERS = {"env_setting", "env_text", "env_int", "env_float", "env_choice", "env_flag"}


def _reads_environment(node: ast.AST) -> str | None | bool:
    """The variable a node reads from the environment: its name when written as a literal,
    None when named otherwise (a variable); False when the node reads nothing."""
    key = None
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
        if name == "get" and "environ" in owner or name == "getenv":
            key = node.args[0] if node.args else None
        elif name in READERS:
            key = node.args[1] if len(node.args) > 1 else None
        else:
            return False
    elif isinstance(node, ast.Subscript) and "environ" in ast.unparse(node.value):
        if isinstance(node.ctx, ast.Load):
            key = node.slice
        else:
            return False
    else:
        return False
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


def unregistered(source: str) -> set[str]:
    """The variables ``source`` reads that the registry does not list: each literal read,
    and where a read names its variable otherwise, every variable-like text in the module."""
    tree = ast.parse(source)
    reads = [_reads_environment(node) for node in ast.walk(tree)]
    found = {r for r in reads if isinstance(r, str)}
    if any(r is None for r in reads):
        found |= {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and VARIABLE.fullmatch(n.value)
        }
    return found - names()


def test_the_scanner_finds_what_is_not_registered():
    assert unregistered('import os\nos.environ.get("SAFETY_NEW")') == {"SAFETY_NEW"}
    assert unregistered('import os\nos.getenv("OTHER_THING")') == {"OTHER_THING"}
    assert unregistered('def f(environ):\n    return environ["QWEN_VL_X"]') == {"QWEN_VL_X"}
    assert unregistered('env_setting(environ, "SAFETY_Y")') == {"SAFETY_Y"}
    looped = 'def f(environ):\n    for n in ("LANG", "LC_NEW"):\n        environ.get(n)'
    assert unregistered(looped) == {"LC_NEW"}
    assert unregistered('def f(environ):\n    return environ.get("SAFETY_DETAIL")') == set()


def test_every_variable_read_in_safety_is_in_the_registry():
    missing = {
        str(path.relative_to(ROOT)): sorted(found)
        for path in sorted((ROOT / "safety").rglob("*.py"))
        if (found := unregistered(path.read_text(encoding="utf-8")))
    }
    assert missing == {}, "add these to safety/settings.py"
    assert {p.key_env for p in PRESETS.values() if p.key_env} <= names()


def test_reading_a_variable_the_registry_does_not_list_fails_loudly():
    with pytest.raises(KeyError):
        env_setting({"SAFETY_UNLISTED": "1"}, "SAFETY_UNLISTED")


CHECKED = [s for s in SETTINGS if s.kind in ("int", "float", "choice", "flag")]


@pytest.mark.parametrize("entry", CHECKED, ids=[s.name for s in CHECKED])
def test_each_checked_variable_is_refused_as_its_entry_says(entry):
    with pytest.raises(ConfigurationError) as caught:
        load_config({entry.name: "lots"})
    message = str(caught.value)
    assert message.startswith(f"{entry.name}='lots' is not valid") and entry.accepted() in message


def test_defaults_come_from_the_registry():
    config = load_config({"QWEN_VL_BASE_URL": "http://127.0.0.1:9/v1"})
    assert config.max_photos == setting("SAFETY_MAX_PHOTOS").value
    assert config.endpoint.detail == setting("SAFETY_DETAIL").value
    assert config.endpoint.recheck == setting("SAFETY_RECHECK").value
    assert config.endpoint.max_tokens == setting("QWEN_VL_MAX_TOKENS").value
    assert config.run_deadline_s == setting("SAFETY_RUN_DEADLINE_S").value
    tiles = load_config({"SAFETY_DETAIL": "tiles", "QWEN_VL_BASE_URL": "http://127.0.0.1:9/v1"})
    assert tiles.endpoint.detail == "tiles"


def test_docs_settings_md_is_the_registry():
    assert PAGE == ROOT / "docs" / "settings.md"
    assert PAGE.read_text(encoding="utf-8") == render(), "run: python -m safety.settings_doc"
    page = PAGE.read_text(encoding="utf-8")
    for entry in SETTINGS:
        assert f"| `{entry.name}` |" in page
    assert "`SAFETY_DETAIL`" in page and "`SAFETY_RECHECK`" in page


def test_the_page_is_regenerated_and_checked_from_the_command_line():
    run = [sys.executable, "-m", "safety.settings_doc", "--check"]
    done = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
