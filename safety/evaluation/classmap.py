"""What a data set's class names mean: ``--map NAME=CATEGORY[:STATUS]``.

Categories: ``fire``, ``smoke``, ``person`` (a whole-person box) and ``head`` (a person
labelled by their head, as hard-hat data sets do); ``ignore`` drops a class without a warning.
A status may follow: ``worn`` or ``missing`` for a person or head, ``minor``, ``moderate`` or
``severe`` for fire and smoke. Examples:

    GDUT-HWD   --map blue=head:worn --map yellow=head:worn --map white=head:worn
               --map red=head:worn --map none=head:missing
    SHWD       --map hat=head:worn --map person=head:missing
    D-Fire     classes "smoke" and "fire" need no map (names of our categories map themselves)

A class named like one of our categories (fire, smoke, person, head; any case) means that
category unless a ``--map`` says otherwise. Other classes are unmapped: their boxes are
ignored, and the user is told which and how many. A head counts as a person everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .truth import Box, Dataset, EvalError, Notice, Truth

MAP_CATEGORIES = ("fire", "smoke", "person", "head")
IGNORE = "ignore"
STATUSES = {
    "fire": ("minor", "moderate", "severe"),
    "smoke": ("minor", "moderate", "severe"),
    "person": ("worn", "missing"),
    "head": ("worn", "missing"),
}


@dataclass(frozen=True)
class Meaning:
    """What one class stands for: a category of ours, a status ("" when not labelled)."""

    category: str  # fire | smoke | person (a head is a person)
    status: str = ""
    head: bool = False

    def spelled(self) -> str:
        """As the user writes it on --map: "head:worn", "fire"."""
        name = "head" if self.head else self.category
        return f"{name}:{self.status}" if self.status else name


@dataclass(frozen=True)
class Target:
    """A labelled object as scored: its meaning, its box and the class it came from."""

    category: str
    status: str
    box: Box
    head: bool
    cls: str


def parse_map(items: Iterable[str]) -> dict[str, Meaning | None]:
    """{class name: Meaning, or None for ignore} from --map values; EvalError when malformed."""
    mapping: dict[str, Meaning | None] = {}
    for item in items:
        name, sep, meaning = item.partition("=")
        name, meaning = name.strip(), meaning.strip().lower()
        if not sep or not name or not meaning:
            raise EvalError("eval.error.map-form", item=item)
        category, _, status = meaning.partition(":")
        if category == IGNORE and not status:
            mapping[name] = None
            continue
        if category not in MAP_CATEGORIES:
            raise EvalError(
                "eval.error.map-category", item=item, categories=", ".join(MAP_CATEGORIES)
            )
        if status and status not in STATUSES[category]:
            allowed = ", ".join(STATUSES[category])
            raise EvalError("eval.error.map-status", item=item, category=category, allowed=allowed)
        head = category == "head"
        mapping[name] = Meaning("person" if head else category, status, head)
    return mapping


class ClassMap:
    """Every class of one data set resolved to a Meaning (or None: not scored)."""

    def __init__(self, dataset: Dataset, explicit: dict[str, Meaning | None]):
        self.dataset = dataset
        self.meanings: dict[str, Meaning | None] = {}
        lowered = {name.lower(): value for name, value in explicit.items()}
        for cls in dataset.classes:
            if cls in explicit:
                self.meanings[cls] = explicit[cls]
            elif cls.lower() in lowered:
                self.meanings[cls] = lowered[cls.lower()]
            elif cls.strip().lower() in MAP_CATEGORIES:
                name = cls.strip().lower()
                self.meanings[cls] = Meaning(
                    "person" if name == "head" else name, "", name == "head"
                )
        known = {c.lower() for c in dataset.classes}
        self.unknown_names = [name for name in explicit if name.lower() not in known]
        self.ignored = sorted(c for c, m in self.meanings.items() if m is None)
        # Unmapped classes that have boxes: the user is told (a class without boxes is moot).
        self.unmapped = Counter(
            {c: n for c, n in dataset.boxes.items() if c not in self.meanings and n}
        )

    @property
    def labelled(self) -> frozenset[str]:
        """The categories this data set labels: only these are scored."""
        return frozenset(m.category for m in self.meanings.values() if m is not None)

    @property
    def bare_heads_labelled(self) -> bool:
        """True when some class means a person without a hard hat: only then can a photo's
        labels say that such a person is there (or is not)."""
        return any(
            m and m.category == "person" and m.status == "missing" for m in self.meanings.values()
        )

    def targets(self, truth: Truth) -> list[Target]:
        out = []
        for obj in truth.objects:
            meaning = self.meanings.get(obj.cls)
            if meaning is not None:
                out.append(Target(meaning.category, meaning.status, obj.box, meaning.head, obj.cls))
        return out

    def notices(self) -> list[Notice]:
        out = []
        if self.unmapped:
            listed = ", ".join(f"{c} ({n})" for c, n in sorted(self.unmapped.items()))
            out.append(Notice("eval.notice.unmapped", {"classes": listed}))
        if self.unknown_names:
            classes = ", ".join(self.dataset.classes) or "-"
            names = ", ".join(self.unknown_names)
            out.append(Notice("eval.notice.map-unknown", {"names": names, "classes": classes}))
        return out

    def require_scored(self) -> None:
        """EvalError when no class of the data set means one of our categories."""
        if not self.labelled:
            listed = ", ".join(f"{c} ({n})" for c, n in self.dataset.boxes.most_common(12))
            raise EvalError("eval.error.nothing-mapped", classes=listed or "-")

    def table(self) -> list[tuple[str, int, str | None]]:
        """(class, boxes, meaning as spelled on --map, or None when not scored) per class."""
        rows = []
        for cls in self.dataset.classes:
            meaning = self.meanings.get(cls)
            spelled = meaning.spelled() if meaning else (IGNORE if cls in self.meanings else None)
            rows.append((cls, self.dataset.boxes.get(cls, 0), spelled))
        return rows
