"""The fast tier (python -m pytest -m "not browser and not slow") leaves out every browser
test: a module that launches Chromium is marked ``browser`` as a whole, so a new browser test
cannot slip into the tier a developer runs while working."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def _launches_chromium(tree: ast.Module, source: str) -> bool:
    """Playwright or Chromium named, or a test that takes the ``browser`` fixture."""
    if "playwright" in source or "chromium" in source.lower():
        return True
    return any(
        isinstance(node, ast.FunctionDef)
        and node.name.startswith("test")
        and any(arg.arg == "browser" for arg in node.args.args)
        for node in ast.walk(tree)
    )


def _marked_browser(tree: ast.Module) -> bool:
    """A module-level ``pytestmark`` that holds ``pytest.mark.browser``."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            marks = (
                node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
            )
            if any(ast.unparse(m) == "pytest.mark.browser" for m in marks):
                return True
    return False


def _browser_modules() -> dict[str, bool]:
    found = {}
    for path in sorted(TESTS.glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        if path.name != Path(__file__).name and _launches_chromium(tree, source):
            found[path.name] = _marked_browser(tree)
    return found


def test_every_module_that_launches_chromium_is_marked_browser():
    modules = _browser_modules()
    assert "test_app_browser.py" in modules  # the check sees the modules it is for
    assert not [name for name, marked in modules.items() if not marked]


def test_the_check_tells_a_marked_module_from_an_unmarked_one():
    bare = "def test_page(browser):\n    browser.new_page()\n"
    marked = "import pytest\npytestmark = pytest.mark.browser\n" + bare
    assert _launches_chromium(ast.parse(bare), bare)
    assert not _marked_browser(ast.parse(bare)) and _marked_browser(ast.parse(marked))
    plain = "def test_sum():\n    assert 1 + 1 == 2\n"
    assert not _launches_chromium(ast.parse(plain), plain)


def test_no_collected_test_uses_the_browser_without_the_mark(request):
    """Whatever was collected in this session: a test that takes the browser fixture is
    marked, so ``-m "not browser"`` deselects it."""
    unmarked = [
        item.nodeid
        for item in request.session.items
        if "browser" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser")
    ]
    assert not unmarked


@pytest.mark.parametrize("marker", ["browser", "slow"])
def test_the_tiers_markers_are_registered(request, marker):
    registered = [line.split(":")[0] for line in request.config.getini("markers")]
    assert marker in registered
