"""docs/settings.md, generated from the registry of settings (safety.settings).

    python -m safety.settings_doc           write docs/settings.md again
    python -m safety.settings_doc --check   exit 1 when docs/settings.md differs

Edit the registry, never the page: a test fails when the two differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .settings import SETTINGS, SYSTEM, Setting

PAGE = Path(__file__).resolve().parents[1] / "docs" / "settings.md"

_INTRO = """\
# Settings

Every environment variable the app (`python app.py`) and the command line
(`python -m safety ...`) read. They are read once, at start-up. A value that is set must be
valid: a bad one stops the program with one line naming the variable and what it accepts,
and exit status 2 (`SAFETY_RUNS_AT_ONCE=abc python app.py` prints
`error: SAFETY_RUNS_AT_ONCE='abc' is not valid: use a whole number from 1 to 64.`). An
unset or empty variable takes its default. On the command line a flag wins over its
variable.

<!-- Generated from safety/settings.py by `python -m safety.settings_doc`: edit the
registry there, not this page. -->
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(s: Setting) -> str:
    does = s.does + (" (a secret: never shown or logged)" if s.secret else "")
    accepts = s.accepted()
    if s.kind in ("choice", "flag"):
        accepts = ", ".join(f"`{c}`" for c in s.choices)
    cells = (f"`{s.name}`", does, accepts, s.shown_default())
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def render() -> str:
    lines = [_INTRO, "| Variable | What it does | Accepts | Default |", "|---|---|---|---|"]
    lines += [_row(s) for s in SETTINGS]
    lines += [
        "",
        "## Set by the platform",
        "",
        "Not yours to set; read to fit in with where the program runs.",
        "",
        "| Variable | What the program takes from it |",
        "|---|---|",
    ]
    lines += [f"| `{s.name}` | {_cell(s.does)} |" for s in SYSTEM]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE.name} differs from safety/settings.py: run python -m "
                  "safety.settings_doc", file=sys.stderr)  # fmt: skip
            return 1
        return 0
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
