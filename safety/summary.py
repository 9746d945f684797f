"""Counting what was found and saying what it means: the verdict at a glance.

Levels, most serious first:
  immediate-action  fire or smoke rated severe or moderate
  violation         a person without a hard hat
  review            fire or smoke rated minor/unknown, or a person whose hard hat is unclear
  no-hazard         nothing of the above in photos whose answers were read
  no-result         no photo could be read at all
"No hazard found" is only ever said of photos whose answers were read; failures are counted
and named beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .detections import ImageResult
from .i18n import lang_or_default, status_name

LEVELS = ("immediate-action", "violation", "review", "no-hazard", "no-result")


@dataclass
class Summary:
    photos: int = 0
    failed: int = 0
    counts: Counter = field(default_factory=Counter)  # (category, status) -> n
    levels: list[str] = field(default_factory=list)  # every level that applies, worst first

    @property
    def read(self) -> int:
        return self.photos - self.failed

    @property
    def level(self) -> str:
        return self.levels[0] if self.levels else "no-result"

    def total(self, category: str) -> int:
        return sum(n for (c, _), n in self.counts.items() if c == category)

    def n(self, category: str, status: str) -> int:
        return self.counts[(category, status)]

    def to_dict(self) -> dict:
        return {
            "photos": self.photos,
            "failed": self.failed,
            "level": self.level,
            "levels": list(self.levels),
            "fire": self.total("fire"),
            "smoke": self.total("smoke"),
            "persons": self.total("person"),
            "persons_without_hard_hat": self.n("person", "missing"),
            "persons_hard_hat_unknown": self.n("person", "unknown"),
            "other": self.total("other"),
            "by_status": {f"{c}:{s}": n for (c, s), n in sorted(self.counts.items())},
        }


def summarize(results: Iterable[ImageResult]) -> Summary:
    s = Summary()
    for r in results:
        s.photos += 1
        if not r.ok:
            s.failed += 1
            continue
        for d in r.detections:
            s.counts[(d.category, d.status)] += 1
    hazards = sum(s.n(c, st) for c in ("fire", "smoke") for st in ("severe", "moderate"))
    if hazards:
        s.levels.append("immediate-action")
    if s.n("person", "missing"):
        s.levels.append("violation")
    minor = sum(s.n(c, st) for c in ("fire", "smoke") for st in ("minor", "unknown"))
    if minor or s.n("person", "unknown"):
        s.levels.append("review")
    if not s.levels:
        s.levels.append("no-hazard" if s.read else "no-result")
    return s


LEVEL_WORDS = {
    "en": {
        "immediate-action": "IMMEDIATE ACTION",
        "violation": "HARD-HAT VIOLATION",
        "review": "REVIEW",
        "no-hazard": "No hazard found",
        "no-result": "NO RESULT",
    },
    "zh": {
        "immediate-action": "需立即处置",
        "violation": "未戴安全帽违规",
        "review": "需复核",
        "no-hazard": "未发现隐患",
        "no-result": "无结果",
    },
}


def _sev(s: Summary, category: str, lang: str) -> str:
    parts = []
    for status in ("severe", "moderate", "minor", "unknown"):
        if s.n(category, status):
            parts.append(f"{s.n(category, status)} {status_name(category, status, lang)}")
    return f" ({', '.join(parts)})" if parts else ""


def verdict_text(s: Summary, lang: str = "en") -> str:
    """One line: the level(s), the counts, and the failures."""
    lang = lang_or_default(lang)
    words = LEVEL_WORDS[lang]
    head = " + ".join(words[level] for level in s.levels)
    fire, smoke, persons = s.total("fire"), s.total("smoke"), s.total("person")
    missing, unknown = s.n("person", "missing"), s.n("person", "unknown")
    if lang == "zh":
        body = (
            f"火灾 {fire}{_sev(s, 'fire', lang)}；烟雾 {smoke}{_sev(s, 'smoke', lang)}；"
            f"人员 {persons}，其中未戴安全帽 {missing}"
            + (f"，安全帽不确定 {unknown}" if unknown else "")
        )
        tail = f"；照片 {s.photos} 张" + (f"，{s.failed} 张失败（未检查）" if s.failed else "")
        if s.level == "no-hazard" and s.failed:
            head = f"已读取的 {s.read} 张照片{words['no-hazard']}"
        return f"{head}：{body}{tail}"
    body = (
        f"{fire} fire{_sev(s, 'fire', lang)}, {smoke} smoke{_sev(s, 'smoke', lang)}, "
        f"{persons} person{'s' if persons != 1 else ''}, {missing} without hard hat"
        + (f", {unknown} hard hat unclear" if unknown else "")
    )
    tail = f"; {s.photos} photo{'s' if s.photos != 1 else ''}" + (
        f", {s.failed} FAILED (not inspected)" if s.failed else ""
    )
    if s.level == "no-hazard" and s.failed:
        head = f"No hazard found in the {s.read} photo{'s' if s.read != 1 else ''} read"
    return f"{head}: {body}{tail}"
