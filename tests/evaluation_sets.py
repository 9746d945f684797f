"""Small labelled data sets written into a test's tmp_path, in each of the three forms, and a
fake model whose answers are derived from the labels in a known way.

A photo is (file name, JPEG bytes, [(class name, (x1, y1, x2, y2)), ...]) with boxes in
pixels; the writers put the same photos and labels in VOC, YOLO or COCO form.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

from safety.backends.model import Answer, Question
from tests import scenes
from tests.fakes import FakeModel, frame_size

Box = tuple[float, float, float, float]
Photo = tuple[str, bytes, list[tuple[str, Box]]]


def photo(name: str, width: int, height: int, rects=(), labels=()) -> Photo:
    """A JPEG of saturated rectangles (scenes' colour code) and the labels given. The
    background's tint comes from the name, so that no two photos are the same file."""
    h = hashlib.sha256(name.encode()).digest()
    background = (200 + h[0] % 50, 200 + h[1] % 50, 200 + h[2] % 50)
    img = scenes.scene(width, height, list(rects), background=background)
    return name, scenes.jpeg_bytes(img), list(labels)


def _size(data: bytes) -> tuple[int, int]:
    import io

    with Image.open(io.BytesIO(data)) as img:
        return img.size


def write_voc(root: Path, photos: Sequence[Photo]) -> Path:
    (root / "Annotations").mkdir(parents=True)
    (root / "JPEGImages").mkdir()
    for name, data, labels in photos:
        (root / "JPEGImages" / name).write_bytes(data)
        w, h = _size(data)
        objects = "".join(
            f"<object><name>{cls}</name><difficult>0</difficult><bndbox><xmin>{x1:g}</xmin>"
            f"<ymin>{y1:g}</ymin><xmax>{x2:g}</xmax><ymax>{y2:g}</ymax></bndbox></object>"
            for cls, (x1, y1, x2, y2) in labels
        )
        xml = (
            f"<annotation><folder>JPEGImages</folder><filename>{name}</filename><size>"
            f"<width>{w}</width><height>{h}</height><depth>3</depth></size>{objects}</annotation>"
        )
        (root / "Annotations" / (Path(name).stem + ".xml")).write_text(xml, encoding="utf-8")
    return root


def write_yolo(
    root: Path, photos: Sequence[Photo], classes: Sequence[str], names: str = "data.yaml"
) -> Path:
    (root / "images").mkdir(parents=True)
    (root / "labels").mkdir()
    if names == "data.yaml":
        listed = ", ".join(f"'{c}'" for c in classes)
        text = f"path: .\ntest: images\nnc: {len(classes)}\nnames: [{listed}]\n"
        (root / "data.yaml").write_text(text, encoding="utf-8")
    elif names == "classes.txt":
        (root / "classes.txt").write_text("\n".join(classes) + "\n", encoding="utf-8")
    for name, data, labels in photos:
        (root / "images" / name).write_bytes(data)
        w, h = _size(data)
        lines = [
            f"{classes.index(cls)} {(x1 + x2) / 2 / w!r} {(y1 + y2) / 2 / h!r} "
            f"{(x2 - x1) / w!r} {(y2 - y1) / h!r}"
            for cls, (x1, y1, x2, y2) in labels
        ]
        (root / "labels" / (Path(name).stem + ".txt")).write_text("\n".join(lines) + "\n")
    return root


def write_coco(root: Path, photos: Sequence[Photo], classes: Sequence[str]) -> Path:
    (root / "images").mkdir(parents=True)
    images, annotations = [], []
    for image_id, (name, data, labels) in enumerate(photos, start=1):
        (root / "images" / name).write_bytes(data)
        w, h = _size(data)
        images.append({"id": image_id, "file_name": name, "width": w, "height": h})
        for cls, (x1, y1, x2, y2) in labels:
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": image_id,
                    "category_id": classes.index(cls) + 1,
                    "bbox": [x1, y1, x2 - x1, y2 - y1],
                    "area": (x2 - x1) * (y2 - y1),
                    "iscrowd": 0,
                }
            )
    categories = [{"id": i + 1, "name": c, "supercategory": "x"} for i, c in enumerate(classes)]
    doc = {"images": images, "annotations": annotations, "categories": categories}
    (root / "annotations.json").write_text(json.dumps(doc), encoding="utf-8")
    return root


# -- a model that answers from the labels -------------------------------------------------------

# What the fake "model" says for each category, in the words a Qwen model would use.
WORDS = {
    "fire": ("fire", "severe"),
    "smoke": ("smoke", "moderate"),
    "worn": ("person", "wearing helmet"),
    "missing": ("person", "no helmet"),
    "unknown": ("person", "uncertain"),
}

Said = tuple[str, Box]  # (one of WORDS' keys, box in original pixels)


def answer_text(said: Sequence[Said], scale_x: float, scale_y: float) -> str:
    items = []
    for kind, (x1, y1, x2, y2) in said:
        label, sub = WORDS[kind]
        box = [round(x1 * scale_x), round(y1 * scale_y), round(x2 * scale_x), round(y2 * scale_y)]
        items.append({"bbox_2d": box, "label": label, "sub_label": sub})
    return "```json\n" + json.dumps(items) + "\n```"


def scripted_model(
    answers: dict[str, Sequence[Said] | str | BaseException],
    sizes: dict[str, tuple[int, int]],
) -> FakeModel:
    """A FakeModel answering by photo hash: a list of findings (in original pixels, scaled
    to the frame it was sent), a raw text, or an exception to raise."""

    def answer(q: Question) -> object:
        scripted = answers[q.photo_sha256]
        if isinstance(scripted, (str, BaseException)):
            return scripted
        fw, fh = frame_size(q)
        w, h = sizes[q.photo_sha256]
        return Answer(answer_text(scripted, fw / w, fh / h), "stop", _usage(), 0.25, "fake-model")

    return FakeModel(answer)


def _usage() -> dict[str, int]:
    return {"prompt_tokens": 1000, "completion_tokens": 50, "total_tokens": 1050}


def by_hash(photos: Sequence[Photo], script: Callable[[str], object]) -> tuple[dict, dict]:
    """({sha256: script(name)}, {sha256: size}) for photos written to disk by a writer."""
    answers, sizes = {}, {}
    for name, data, _labels in photos:
        sha = hashlib.sha256(data).hexdigest()
        answers[sha] = script(name)
        sizes[sha] = _size(data)
    return answers, sizes
