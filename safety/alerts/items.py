"""What an alert is about: a finding of one photo, in words the robots can be sent.

One Alert per kind of finding in a photo ("2 persons without a hard hat" is one alert, not
two), with the site, the level, the clauses, the corrective action's owner and due date
where the rules gave one, a link back where the app knows its public address, and the
marked photo (for the robots that can show one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..detections import Detection, ImageResult


def level_of(category: str, status: str) -> str | None:
    """The verdict level a finding raises (safety.summary's), or None: nothing to alert."""
    if category in ("fire", "smoke"):
        return "immediate-action" if status in ("severe", "moderate") else "review"
    if category == "person":
        return {"missing": "violation", "unknown": "review"}.get(status)
    return None


@dataclass(frozen=True)
class Alert:
    site: str
    source: str  # the photo's name, a camera's address, a folder's file
    category: str
    status: str
    level: str
    count: int = 1
    clauses: tuple[str, ...] = ()
    owner: str = ""
    due: str = ""
    link: str = ""
    overdue: bool = False  # a ledger item past its due date, not a new sighting
    when: datetime = field(default_factory=lambda: datetime.now().astimezone())
    photo: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """The same hazard: same site, same source, same kind of finding."""
        return (self.site, self.source, self.category, self.status)


def alerts_of(results: Iterable[ImageResult], site: str = "", link: str = "") -> list[Alert]:
    """The alerts a run's results raise (failed photos and rejected findings raise none)."""
    out: list[Alert] = []
    for r in results:
        if not r.ok:
            continue
        groups: dict[tuple[str, str], list[Detection]] = {}
        for d in r.standing:
            if level_of(d.category, d.status):
                groups.setdefault((d.category, d.status), []).append(d)
        for (category, status), found in groups.items():
            clauses = tuple(dict.fromkeys(c for d in found for c in d.clauses))
            action = next((d.action for d in found if d.action is not None), None)
            out.append(
                Alert(
                    site=site,
                    source=r.source,
                    category=category,
                    status=status,
                    level=level_of(category, status) or "review",
                    count=len(found),
                    clauses=clauses,
                    owner=action.owner if action else "",
                    due=action.due if action else "",
                    link=link,
                    photo=r.marked_jpeg,
                )
            )
    return out
