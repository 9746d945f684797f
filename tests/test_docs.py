"""The documentation holds together: every link between README.md, ARCHITECTURE.md and docs/
reaches a file and a heading that exist, the README stays a newcomer's page, and the test
commands it gives are the ones CI and the fast tier run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchors(text: str) -> set[str]:
    """GitHub's anchors for the headings outside code blocks."""
    found, fence = set(), False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and line.startswith("#"):
            title = re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower())
            found.add(title.replace(" ", "-"))
    return found


def _broken_links(page: Path) -> list[str]:
    broken = []
    for link in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", link):
            continue
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.is_file():
            broken.append(f"{page.name}: {link} (no such file)")
        elif anchor and anchor not in _anchors(target.read_text(encoding="utf-8")):
            broken.append(f"{page.name}: {link} (no such heading)")
    return broken


def test_every_link_between_the_pages_reaches_a_file_and_heading():
    assert len(PAGES) > 3
    assert not [b for page in PAGES for b in _broken_links(page)]


def test_a_broken_link_is_seen(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Top\n\n[a](page.md#top) [b](gone.md) [c](#nowhere)\n", encoding="utf-8")
    assert _broken_links(page) == ["page.md: gone.md (no such file)",
                                   "page.md: #nowhere (no such heading)"]  # fmt: skip


def test_the_readme_is_short_and_every_reference_page_is_linked_from_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 250
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in readme, page.name
    assert "(docs/settings.md)" in readme


def test_the_readmes_test_command_is_what_ci_runs_and_the_fast_tier_is_given():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -r requirements-dev.txt && python -m pytest\n" in readme
    assert ci.rstrip().splitlines()[-1] == "python -m pytest"
    assert 'python -m pytest -m "not browser and not slow"' in readme
