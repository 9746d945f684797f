"""Readers of the three forms (see datasets.py): Pascal VOC, YOLO and COCO JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from .truth import (
    Dataset,
    EvalError,
    Labelled,
    Loader,
    Notice,
    Truth,
    make_box,
    photos_under,
    read_label,
    relative,
    upright_size,
)

# -- Pascal VOC -------------------------------------------------------------------------------


def _voc_number(node: ET.Element | None, tag: str, where: str) -> float:
    text = node.findtext(tag) if node is not None else None
    try:
        return float((text or "").strip())
    except ValueError:
        raise EvalError("eval.error.voc-box", file=where, tag=tag) from None


def load_voc(root: Path) -> Dataset:
    loader = Loader(root)
    notes_dir, photos_dir = root / "Annotations", root / "JPEGImages"
    photos: list[Truth] = []
    lost = 0
    for xml in sorted(notes_dir.glob("*.xml")):
        where = relative(xml, root)
        try:
            tree = ET.fromstring(read_label(xml, root))
        except ET.ParseError as exc:
            raise EvalError("eval.error.label-bad", file=where, why=str(exc)) from None
        filename = (tree.findtext("filename") or "").strip()
        candidates = [photos_dir / Path(filename).name] if filename else []
        candidates += [photos_dir / (xml.stem + s) for s in (".jpg", ".jpeg", ".png", ".JPG")]
        photo = next((c for c in candidates if c.is_file()), None)
        if photo is None:
            lost += 1
            continue
        objects: list[Labelled] = []
        for obj in tree.iter("object"):
            cls = (obj.findtext("name") or "").strip()
            bb = obj.find("bndbox")
            if not cls or bb is None:
                raise EvalError("eval.error.voc-object", file=where)
            corners = (_voc_number(bb, tag, where) for tag in ("xmin", "ymin", "xmax", "ymax"))
            loader.add(objects, cls, make_box(*corners))
        photos.append(Truth(relative(photo, root), photo, tuple(objects)))
    if lost:
        loader.notices.append(Notice("eval.notice.labels-without-photo", {"n": lost}))
    unlabelled = len(photos_under(photos_dir)) - len(photos) if photos_dir.is_dir() else 0
    if unlabelled > 0:
        loader.notices.append(Notice("eval.notice.voc-unlabelled", {"n": unlabelled}))
    return loader.finish("voc", photos, sorted(loader.boxes))


# -- YOLO -------------------------------------------------------------------------------------


def _yolo_names_from_yaml(path: Path, root: Path) -> list[str]:
    import yaml  # PyYAML (see requirements.txt)

    try:
        data = yaml.safe_load(read_label(path, root))
    except yaml.YAMLError as exc:
        why = " ".join(str(exc).split())[:120]
        raise EvalError("eval.error.label-bad", file=relative(path, root), why=why) from None
    names = data.get("names") if isinstance(data, dict) else None
    if isinstance(names, dict):
        try:
            ordered = sorted((int(k), str(v)) for k, v in names.items())
        except (TypeError, ValueError):
            ordered = []
        if ordered and [k for k, _ in ordered] == list(range(len(ordered))):
            return [v for _, v in ordered]
    elif isinstance(names, list) and names:
        return [str(n) for n in names]
    raise EvalError("eval.error.yolo-names", file=relative(path, root))


def _yolo_names(root: Path) -> list[str] | None:
    for folder in (root, root.parent):
        for name in ("data.yaml", "data.yml", "dataset.yaml"):
            if (folder / name).is_file():
                return _yolo_names_from_yaml(folder / name, root)
    for path in (root / "classes.txt", root / "labels" / "classes.txt", root / "obj.names"):
        if path.is_file():
            names = [line.strip() for line in read_label(path, root).splitlines()]
            return [n for n in names if n]
    return None


def _label_path(photo: Path, root: Path) -> Path | None:
    """labels/<same path>.txt for images/<path>: the last "images" folder becomes "labels"."""
    parts = photo.relative_to(root).parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "images":
            swapped = (*parts[:i], "labels", *parts[i + 1 :])
            return root.joinpath(*swapped).with_suffix(".txt")
    return None


def yolo_photos(root: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for photo in photos_under(root):
        label = _label_path(photo, root)
        if label is not None:
            pairs.append((photo, label))
    return pairs


def load_yolo(root: Path) -> Dataset:
    loader = Loader(root)
    names = _yolo_names(root)
    if names is None:
        loader.notices.append(Notice("eval.notice.yolo-numbers"))
    photos: list[Truth] = []
    no_label = 0
    for photo, label in yolo_photos(root):
        objects: list[Labelled] = []
        if not label.is_file():
            no_label += 1
            photos.append(Truth(relative(photo, root), photo))
            continue
        lines = read_label(label, root).splitlines()
        size = upright_size(photo) if any(line.strip() for line in lines) else None
        for number, line in enumerate(lines, start=1):
            fields = line.split()
            if not fields:
                continue
            where = f"{relative(label, root)}:{number}"
            cls = _yolo_class(fields[0], names, where)
            try:
                values = [float(v) for v in fields[1:]]
            except ValueError:
                raise EvalError("eval.error.yolo-line", file=where) from None
            if len(values) < 4 or (len(values) > 4 and len(values) % 2):
                raise EvalError("eval.error.yolo-line", file=where)
            if not all(-0.01 <= v <= 1.01 for v in values):
                raise EvalError("eval.error.yolo-range", file=where)
            if size is None:
                continue  # the photo cannot be read: it fails in the inspection
            w, h = size
            if len(values) == 4:
                cx, cy, bw, bh = values
                corners = (
                    (cx - bw / 2) * w,
                    (cy - bh / 2) * h,
                    (cx + bw / 2) * w,
                    (cy + bh / 2) * h,
                )
            else:  # a polygon: its bounding box
                xs, ys = values[0::2], values[1::2]
                corners = (min(xs) * w, min(ys) * h, max(xs) * w, max(ys) * h)
            loader.add(objects, cls, make_box(*corners))
        photos.append(Truth(relative(photo, root), photo, tuple(objects)))
    if photos and no_label == len(photos):
        raise EvalError("eval.error.no-labels", path=str(root))
    if no_label:
        loader.notices.append(Notice("eval.notice.yolo-no-label", {"n": no_label}))
    classes = names if names is not None else sorted(loader.boxes, key=int)
    return loader.finish("yolo", photos, classes)


def _yolo_class(field_text: str, names: list[str] | None, where: str) -> str:
    try:
        index = int(field_text)
    except ValueError:
        index = -1
    if index < 0 or (names is not None and index >= len(names)):
        count = len(names) if names is not None else 0
        raise EvalError("eval.error.yolo-class", file=where, cls=field_text, n=count)
    return names[index] if names is not None else str(index)


# -- COCO -------------------------------------------------------------------------------------


def coco_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    found = []
    for folder in (root, root / "annotations"):
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                with open(path, "rb") as f:
                    head = f.read(1 << 16)
            except OSError:
                continue
            if b'"images"' in head or b'"annotations"' in head or b'"categories"' in head:
                found.append(path)
    return found


def load_coco(root: Path) -> Dataset:
    files = coco_files(root)
    if len(files) != 1:
        key = "eval.error.coco-none" if not files else "eval.error.coco-several"
        raise EvalError(key, files=", ".join(relative(f, root) for f in files))
    source = files[0]
    base = root if root.is_dir() else source.parent
    loader = Loader(base)
    where = relative(source, base)
    try:
        data = json.loads(read_label(source, base))
        categories = {int(c["id"]): str(c["name"]) for c in data["categories"]}
        images = {int(i["id"]): str(i["file_name"]) for i in data["images"]}
        annotations = list(data["annotations"])
    except (ValueError, KeyError, TypeError) as exc:
        why = f"{type(exc).__name__}: {str(exc)[:80]}"
        raise EvalError("eval.error.label-bad", file=where, why=why) from None
    per_image: dict[int, list[Labelled]] = {image_id: [] for image_id in images}
    crowd = 0
    for number, ann in enumerate(annotations):
        try:
            image_id, cls = int(ann["image_id"]), categories[int(ann["category_id"])]
            x, y, w, h = (float(v) for v in ann["bbox"])
        except (KeyError, TypeError, ValueError):
            raise EvalError("eval.error.coco-annotation", file=where, n=number) from None
        if image_id not in per_image:
            raise EvalError("eval.error.coco-annotation", file=where, n=number)
        if ann.get("iscrowd"):
            crowd += 1
            continue
        loader.add(per_image[image_id], cls, make_box(x, y, x + w, y + h))
    folders = [source.parent, base, base / "images"]
    folders += [d for d in sorted(base.iterdir()) if d.is_dir() and d not in folders]
    photos, lost = [], 0
    for image_id, file_name in images.items():
        photo = next((d / file_name for d in folders if (d / file_name).is_file()), None)
        if photo is None:
            lost += 1
            continue
        photos.append(Truth(relative(photo, base), photo, tuple(per_image[image_id])))
    if crowd:
        loader.notices.append(Notice("eval.notice.coco-crowd", {"n": crowd}))
    if lost:
        loader.notices.append(Notice("eval.notice.coco-missing", {"n": lost}))
    return loader.finish("coco", photos, categories.values())
