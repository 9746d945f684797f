"""The tree stays tidy: ruff's lint and formatter agree with every file, no module of the
package grows past the size a reader can hold (none over 500 lines), and no two modules
import each other, even through an import inside a function."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
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


def _modules(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (a package's own name for
    its __init__.py)."""
    mods = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods[".".join(parts)] = path
    return mods


def _imported(name: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The names an import statement may bring in: a module, or a name inside a module (which
    may itself be a module: ``from . import b``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = name.split(".") if is_package else name.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return [target] + [f"{target}.{alias.name}" for alias in node.names]


def import_cycles(package: Path) -> list[list[str]]:
    """Groups of modules that import one another, counting every import statement anywhere
    in a file: an import inside a function only postpones the cycle, it does not remove it.
    A package's __init__ importing its own modules (and they it) is not counted."""
    mods = _modules(package)
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        is_package = path.name == "__init__.py"
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            for target in _imported(name, is_package, node):
                if target not in mods or target == name:
                    continue
                inits = mods[target].name == "__init__.py" and name.startswith(target + ".")
                own = is_package and target.startswith(name + ".")
                if not (inits or own):
                    edges.add(target)
        graph[name] = edges
    # Tarjan's strongly connected components, without recursion.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return cycles


def test_no_import_cycles_in_the_package():
    cycles = import_cycles(ROOT / "safety")
    assert cycles == [], "\n".join(" <-> ".join(group) for group in cycles)


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "pkg"


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function(tmp_path):
    pkg = _package(
        tmp_path,
        {
            "pkg/__init__.py": "from .a import go\n",
            "pkg/a.py": "from .sub.b import helper\n\ndef go():\n    return helper()\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/b.py": """
                def helper():
                    from ..a import go  # hidden from the import at start-up
                    return go
            """,
            "pkg/c.py": "import pkg.d\n",
            "pkg/d.py": "def f():\n    import pkg.e\n",
            "pkg/e.py": "from pkg import c\n",
        },
    )
    assert sorted(import_cycles(pkg)) == [["pkg.a", "pkg.sub.b"], ["pkg.c", "pkg.d", "pkg.e"]]


def test_the_cycle_check_passes_a_package_without_one(tmp_path):
    pkg = _package(
        tmp_path,
        {
            "pkg/__init__.py": "from .a import go\nfrom . import b\n",
            "pkg/a.py": "from __future__ import annotations\nfrom . import b\n",
            "pkg/b.py": "def f():\n    from .c import x\n",
            "pkg/c.py": "import pkg\nx = 1\n",
        },
    )
    assert import_cycles(pkg) == []
