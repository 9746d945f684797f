"""Labelled photos in the three common forms, read into one ``Truth`` per photo.

    Pascal VOC  Annotations/*.xml beside JPEGImages/ (GDUT-HWD, SHWD); one XML per photo,
                <object><name> and <bndbox> xmin ymin xmax ymax in pixels
    YOLO        images/ and labels/ side by side (also inside train/ valid/ test/), one
                labels/*.txt per photo, lines "class cx cy w h" normalised to 0..1 (a
                polygon "class x1 y1 x2 y2 ..." becomes its bounding box); class names from
                data.yaml (`names:` list or mapping) or classes.txt; a photo without a label
                file has nothing to find (the YOLO convention)
    COCO        one JSON with images, annotations (bbox [x, y, w, h]) and categories

``load(path, form)`` returns a ``Dataset``: the photos sorted by name, every class the data set
declares, boxes counted per class, and notices (things skipped) for the user. Boxes are in
pixels of the upright photo, [x1, y1, x2, y2], the same frame as the model's detections.
Anything wrong that the user can fix (no such folder, no labels, an unreadable label file) is
an ``EvalError``: one line naming the file and what is wrong.
"""

from __future__ import annotations

from pathlib import Path

from .formats import coco_files, load_coco, load_voc, load_yolo, yolo_photos
from .truth import Dataset, EvalError, Labelled, Notice, Truth, photos_under

FORMS = ("voc", "yolo", "coco")


# -- which form, and loading ------------------------------------------------------------------


def detect(root: Path) -> str:
    """The form of the data set at ``root``; EvalError when none or several fit."""
    if root.is_file():
        return "coco"
    found = []
    if (root / "Annotations").is_dir() and any((root / "Annotations").glob("*.xml")):
        found.append("voc")
    if any(label.is_file() for _photo, label in yolo_photos(root)):
        found.append("yolo")
    if coco_files(root):
        found.append("coco")
    if len(found) > 1:
        raise EvalError("eval.error.ambiguous", forms=", ".join(found))
    if found:
        return found[0]
    if photos_under(root):
        raise EvalError("eval.error.no-labels", path=str(root))
    raise EvalError("eval.error.no-photos", path=str(root))


LOADERS = {"voc": load_voc, "yolo": load_yolo, "coco": load_coco}


def load(path: str | Path, form: str = "auto") -> Dataset:
    root = Path(path)
    if not root.exists():
        raise EvalError("eval.error.no-dir", path=str(root))
    if form == "auto":
        form = detect(root)
    elif form not in LOADERS:
        raise EvalError("eval.error.form", form=form, forms=", ".join(("auto", *FORMS)))
    elif form != "coco" and not root.is_dir():
        raise EvalError("eval.error.no-dir", path=str(root))
    dataset = LOADERS[form](root)
    if not dataset.photos:
        key = "eval.error.no-labels" if photos_under(root) else "eval.error.form-empty"
        raise EvalError(key, path=str(root), form=form)
    return dataset


__all__ = ["FORMS", "Dataset", "EvalError", "Labelled", "Notice", "Truth", "detect", "load"]
