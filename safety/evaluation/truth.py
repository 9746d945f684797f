"""What a labelled data set holds, in one shape whatever its form: a ``Truth`` per photo.

Boxes are in pixels of the upright photo, [x1, y1, x2, y2], the same frame as the model's
detections. ``EvalError`` is a mistake the user can fix (one line, in their language);
a ``Notice`` is something skipped that they should know about.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from ..errors import ConfigurationError
from ..i18n import t

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
MAX_LABEL_BYTES = 64 * 1024 * 1024  # a COCO file of a large data set is tens of MB

Box = tuple[float, float, float, float]


class EvalError(ConfigurationError):
    """A mistake the user can fix, said in their language: a catalogue key and its values."""

    def __init__(self, key: str, /, **values: object):
        self.key, self.values = key, values
        super().__init__(t(key, "en", **values))

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True)
class Notice:
    """Something the user should know (a catalogue key and its values), not an error."""

    key: str
    values: dict = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True)
class Labelled:
    """One labelled box as the data set says it: its class name and its corners."""

    cls: str
    box: Box


@dataclass(frozen=True)
class Truth:
    """One photo and what is labelled in it."""

    name: str  # path relative to the data set's folder, with forward slashes
    path: Path
    objects: tuple[Labelled, ...] = ()


@dataclass
class Dataset:
    root: Path
    form: str
    photos: list[Truth]
    classes: tuple[str, ...]  # every class the data set declares, in its order
    boxes: Counter = field(default_factory=Counter)  # boxes per class
    notices: list[Notice] = field(default_factory=list)


# -- shared helpers ---------------------------------------------------------------------------


def photos_under(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES and p.is_file()
    )


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def read_label(path: Path, root: Path) -> str:
    try:
        if path.stat().st_size > MAX_LABEL_BYTES:
            raise EvalError("eval.error.label-too-big", file=relative(path, root))
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or type(exc).__name__
        raise EvalError("eval.error.label-unreadable", file=relative(path, root), why=why) from None


def upright_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of the photo put upright (EXIF orientation), from its header alone."""
    try:
        with Image.open(path) as img:
            w, h = img.size
            orientation = int(img.getexif().get(0x0112, 1) or 1)
    except Exception:  # an unreadable photo fails in the inspection, with its own message
        return None
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def make_box(x1: float, y1: float, x2: float, y2: float) -> Box | None:
    """The box, or None when it has no area (such boxes are skipped and counted)."""
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)) or x2 <= x1 or y2 <= y1:
        return None
    return (x1, y1, x2, y2)


class Loader:
    def __init__(self, root: Path):
        self.root = root
        self.boxes: Counter = Counter()
        self.empty_boxes = 0
        self.notices: list[Notice] = []

    def add(self, objects: list[Labelled], cls: str, box: Box | None) -> None:
        if box is None:
            self.empty_boxes += 1
            return
        objects.append(Labelled(cls, box))
        self.boxes[cls] += 1

    def finish(self, form: str, photos: list[Truth], classes) -> Dataset:
        if self.empty_boxes:
            self.notices.append(Notice("eval.notice.empty-boxes", {"n": self.empty_boxes}))
        declared = list(dict.fromkeys(classes))
        declared += [c for c in self.boxes if c not in declared]
        photos.sort(key=lambda p: p.name)
        return Dataset(self.root, form, photos, tuple(declared), self.boxes, self.notices)
