"""Rules files: which clauses a finding touches, what they require, and what to do about it.

One TOML file per jurisdiction beside this module (``cn.toml``, ``us.toml``; add one to add a
jurisdiction), or a file of the user's own (``--rules FILE``). A file has:

    jurisdiction, title = [english, chinese], not_cited (what was left out, and why)
    [clauses."REF"]     title, checked (the wording checked), source (URL), checked_at
    [findings."KEY"]    clauses = [REF...], requirement, action ([english, chinese]), days

KEY is ``category.status`` (``person.missing``) or a bare category (``fire``). A clause
without a source or a checked wording is refused: we cite only what was checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from ..detections import Action, ImageResult
from ..errors import InputError
from ..tomlfile import read_toml

RULES_DIR = Path(__file__).parent
JURISDICTIONS = tuple(sorted(p.stem for p in RULES_DIR.glob("*.toml")))


@dataclass(frozen=True)
class Clause:
    ref: str
    title: tuple[str, str]
    checked: str
    source: str
    checked_at: str = ""


@dataclass(frozen=True)
class Rule:
    clauses: tuple[str, ...]
    requirement: tuple[str, str]
    action: tuple[str, str]
    days: int


@dataclass(frozen=True)
class Rules:
    jurisdiction: str
    title: tuple[str, str]
    clauses: dict[str, Clause]
    findings: dict[str, Rule]
    not_cited: str = ""

    def rule_for(self, category: str, status: str) -> Rule | None:
        return self.findings.get(f"{category}.{status}") or self.findings.get(category)

    def cited(self, refs: Iterable[str]) -> list[Clause]:
        return [self.clauses[r] for r in refs if r in self.clauses]


def _pair(value, where: str) -> tuple[str, str]:
    if isinstance(value, str):
        value = [value, value]
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise InputError(f"{where}: needs [english, chinese] text")
    return (value[0].strip(), value[1].strip())


def parse_rules(text: str, where: str = "rules") -> Rules:
    data = read_toml(text, where)
    clauses: dict[str, Clause] = {}
    for ref, item in (data.get("clauses") or {}).items():
        at = f"{where}: clause {ref!r}"
        if not isinstance(item, dict):
            raise InputError(f"{at}: must be a table")
        checked, source = str(item.get("checked") or "").strip(), str(item.get("source") or "")
        if not checked or not source.startswith(("http://", "https://")):
            raise InputError(f"{at}: needs the wording checked and its source URL")
        title = _pair(item.get("title", [ref, ref]), f"{at} title")
        clauses[ref] = Clause(ref, title, " ".join(checked.split()), source.strip(),
                              str(item.get("checked_at") or "").strip())  # fmt: skip
    findings: dict[str, Rule] = {}
    for key, item in (data.get("findings") or {}).items():
        at = f"{where}: findings {key!r}"
        refs = tuple(item.get("clauses") or ())
        missing = [r for r in refs if r not in clauses]
        if missing:
            raise InputError(f"{at}: clause(s) {', '.join(missing)} not defined in [clauses]")
        days = item.get("days", 7)
        if not isinstance(days, int) or not 0 <= days <= 365:
            raise InputError(f"{at}: days must be a whole number from 0 to 365")
        findings[key] = Rule(refs, _pair(item.get("requirement", ""), f"{at} requirement"),
                             _pair(item.get("action", ""), f"{at} action"), days)  # fmt: skip
    code = str(data.get("jurisdiction") or Path(where).stem)
    title = _pair(data.get("title", [code, code]), f"{where}: title")
    return Rules(code, title, clauses, findings, str(data.get("not_cited") or "").strip())


def load_rules(name: str | Path, rules_dir: str | Path | None = None) -> Rules:
    """A jurisdiction's rules (``cn``, ``us``: a file in ``rules_dir``, else shipped here),
    or a rules file by path."""
    path = Path(name)
    if path.suffix != ".toml":
        folders = [Path(rules_dir)] if rules_dir else []
        candidates = [folder / f"{name}.toml" for folder in folders + [RULES_DIR]]
        found = [candidate for candidate in candidates if candidate.is_file()]
        if not found:
            known = ", ".join(JURISDICTIONS)
            raise InputError(f"No rules for jurisdiction {str(name)!r} (shipped: {known}).")
        path = found[0]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"rules file {path}: cannot be read ({exc}).") from None
    return parse_rules(text, str(path))


def default_action(rule: Rule, lang: str, today: date) -> Action:
    text = rule.action[1 if lang == "zh" else 0]
    return Action(text, due=(today + timedelta(days=rule.days)).isoformat())


def apply_rules(
    results: Iterable[ImageResult], rules: Rules, lang: str = "en", today: date | None = None
) -> None:
    """Give each standing finding without clauses or an action its rule's clauses and default
    corrective action (open, no owner, due ``days`` after ``today``). Findings that already
    carry them (read back, edited in review) are kept as they are."""
    today = today or date.today()
    for r in results:
        changed = []
        for d in r.detections:
            rule = rules.rule_for(d.category, d.status) if d.stands else None
            if rule is not None and d.action is None and not d.clauses:
                d = replace(d, clauses=rule.clauses, action=default_action(rule, lang, today))
            changed.append(d)
        r.detections = changed
