"""Counting what was found and saying what it means: the verdict at a glance.

Levels, most serious first:
  immediate-action  fire or smoke rated severe or moderate
  violation         a person without a hard hat
  review            fire or smoke rated minor/unknown, or a person whose hard hat is unclear
  no-hazard         nothing of the above in photos whose answers were read
                    (when some of them are of low quality, safety.quality, nothing found
                    there proves little: the level is review, "nothing found, not confirmed")
  no-result         no photo could be read at all
"No hazard found" is only ever said of photos whose answers were read; failures are counted
and named beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .detections import ImageResult
from .i18n import lang_or_default, status_name, t, t_n

LEVELS = ("immediate-action", "violation", "review", "no-hazard", "no-result")


@dataclass
class Summary:
    photos: int = 0
    failed: int = 0
    counts: Counter = field(default_factory=Counter)  # (category, status) -> n, standing
    unreviewed: int = 0  # standing findings no reviewer has decided on
    rejected: int = 0  # findings a reviewer rejected: counted nowhere else
    levels: list[str] = field(default_factory=list)  # every level that applies, worst first
    low_quality: int = 0  # photos read whose quality is low (dark, blurred, ...)
    videos: int = 0  # of the photos, videos (safety.video): each counts its events, not frames
    events: int = 0  # the videos' standing findings (one per event)

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
            "unreviewed": self.unreviewed,
            "rejected": self.rejected,
            "low_quality": self.low_quality,
        } | ({"videos": self.videos, "events": self.events} if self.videos else {})


def summarize(results: Iterable[ImageResult]) -> Summary:
    s = Summary()
    for r in results:
        s.photos += 1
        video = getattr(r, "kind", "photo") == "video"
        s.videos += video
        if not r.ok:
            s.failed += 1
            continue
        s.low_quality += r.low_quality
        for d in r.detections:
            if not d.stands:
                s.rejected += 1
                continue
            s.counts[(d.category, d.status)] += 1
            s.events += video
            s.unreviewed += d.review == "unreviewed"
    hazards = sum(s.n(c, st) for c in ("fire", "smoke") for st in ("severe", "moderate"))
    if hazards:
        s.levels.append("immediate-action")
    if s.n("person", "missing"):
        s.levels.append("violation")
    minor = sum(s.n(c, st) for c in ("fire", "smoke") for st in ("minor", "unknown"))
    if minor or s.n("person", "unknown"):
        s.levels.append("review")
    if not s.levels and s.low_quality:
        s.levels.append("review")  # "nothing found, NOT CONFIRMED" (verdict_parts)
    if not s.levels:
        s.levels.append("no-hazard" if s.read else "no-result")
    return s


def level_name(level: str, lang: str = "en") -> str:
    return t(f"level.{level}", lang)


def _by_severity(s: Summary, category: str, lang: str) -> str:
    parts = [
        t(
            "verdict.severity-part",
            lang,
            n=s.n(category, st),
            status=status_name(category, st, lang),
        )
        for st in ("severe", "moderate", "minor", "unknown")
        if s.n(category, st)
    ]
    return (
        t("verdict.by-severity", lang, parts=t("list.separator", lang).join(parts)) if parts else ""
    )


def verdict_parts(s: Summary, lang: str = "en") -> tuple[str, str]:
    """(head, body): the level(s), qualified when photos failed; the counts and the failures."""
    lang = lang_or_default(lang)
    head = t("level.joiner", lang).join(level_name(level, lang) for level in s.levels)
    if s.level == "no-hazard" and s.failed:
        head = t_n("level.no-hazard-in-read", s.read, lang)
    if s.levels == ["review"] and s.low_quality and not _findings_to_review(s):
        head = t_n("level.unconfirmed", s.low_quality, lang)
    persons = s.total("person")
    body = t(
        "verdict.body",
        lang,
        fire=s.total("fire"),
        fire_sev=_by_severity(s, "fire", lang),
        smoke=s.total("smoke"),
        smoke_sev=_by_severity(s, "smoke", lang),
        persons=t_n("verdict.persons", persons, lang),
        missing=s.n("person", "missing"),
    )
    if s.n("person", "unknown"):
        body += t("verdict.unclear", lang, n=s.n("person", "unknown"))
    if s.videos:  # "; 2 photos; 1 video (3 events)"
        if s.photos > s.videos:
            body += t_n("verdict.photos", s.photos - s.videos, lang)
        body += t_n("verdict.videos", s.videos, lang, events=s.events)
    else:
        body += t_n("verdict.photos", s.photos, lang)
    if s.failed:
        body += t("verdict.failed", lang, n=s.failed)
    if s.low_quality:
        body += t_n("verdict.low-quality", s.low_quality, lang)
    return head, body


def _findings_to_review(s: Summary) -> bool:
    """Findings (not photo quality) put the batch at the review level."""
    minor = sum(s.n(c, st) for c in ("fire", "smoke") for st in ("minor", "unknown"))
    return bool(minor or s.n("person", "unknown"))


def verdict_text(s: Summary, lang: str = "en") -> str:
    """One line: the level(s), the counts, and the failures."""
    head, body = verdict_parts(s, lang)
    return t("verdict.line", lang, head=head, body=body, tail="")
