"""The tree stays tidy: ruff's lint and formatter agree with every file, and no module of the
package grows past the size a reader can hold (none over 500 lines)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "args", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"]
)
def test_ruff_is_clean(args):
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_module_of_the_package_is_over_500_lines():
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in (ROOT / "safety").rglob("*.py")
    }
    assert sizes and not {name: n for name, n in sizes.items() if n > 500}


def test_the_simulator_is_not_part_of_the_product():
    assert not list((ROOT / "safety").rglob("simulator*"))
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    # numpy was a test and benchmark dependency only; face blurring (safety/privacy.py) now
    # needs OpenCV, and OpenCV needs numpy at run time.
    assert "opencv-python-headless" in requirements and "simulator" not in requirements
