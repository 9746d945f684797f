"""Labelled data sets in VOC, YOLO and COCO form read into the same truths; --map; and every
mistake a user can make with a data set is one clear error."""

from __future__ import annotations

import json
import shutil

import pytest

from safety.evaluation.classmap import ClassMap, Meaning, parse_map
from safety.evaluation.datasets import detect, load
from safety.evaluation.truth import EvalError
from tests.evaluation_sets import photo, write_coco, write_voc, write_yolo

CLASSES = ["fire", "smoke", "hat", "bare", "vest"]


def _photos():
    return [
        photo("a.jpg", 320, 240, [], [("fire", (10, 20, 110, 90)), ("smoke", (150, 5, 300, 60))]),
        photo("b.jpg", 240, 320, [], [("hat", (40, 30, 80, 70)), ("bare", (120, 40, 150, 75))]),
        photo("c.jpg", 200, 200, [], []),  # nothing to find
        photo("d.jpg", 300, 200, [], [("vest", (5, 5, 50, 50)), ("fire", (0, 0, 300, 200))]),
    ]


def _as_set(dataset):
    return {
        (t.path.name, tuple(sorted((o.cls, tuple(round(v, 6) for v in o.box)) for o in t.objects)))
        for t in dataset.photos
    }


@pytest.fixture
def three_forms(tmp_path):
    photos = _photos()
    return {
        "voc": write_voc(tmp_path / "voc", photos),
        "yolo": write_yolo(tmp_path / "yolo", photos, CLASSES),
        "coco": write_coco(tmp_path / "coco", photos, CLASSES),
    }


def test_the_three_forms_give_identical_truths(three_forms):
    loaded = {form: load(root) for form, root in three_forms.items()}
    assert {form: d.form for form, d in loaded.items()} == {f: f for f in loaded}
    expected = {
        (name, tuple(sorted((c, tuple(float(v) for v in b)) for c, b in labels)))
        for name, _data, labels in _photos()
    }
    for form, dataset in loaded.items():
        assert _as_set(dataset) == expected, form
        assert [t.name.rsplit("/", 1)[-1] for t in dataset.photos] == [
            "a.jpg",
            "b.jpg",
            "c.jpg",
            "d.jpg",
        ]
        assert dataset.boxes["fire"] == 2 and dataset.boxes["vest"] == 1


def test_yolo_names_from_classes_txt_from_a_mapping_and_by_number(tmp_path):
    photos = _photos()
    plain = load(write_yolo(tmp_path / "txt", photos, CLASSES, names="classes.txt"))
    assert plain.classes == tuple(CLASSES)
    root = write_yolo(tmp_path / "map", photos, CLASSES)
    (root / "data.yaml").write_text(
        "names:\n" + "".join(f"  {i}: {c}\n" for i, c in enumerate(CLASSES)), encoding="utf-8"
    )
    assert load(root).classes == tuple(CLASSES)
    numbered = load(write_yolo(tmp_path / "none", photos, CLASSES, names=""))
    assert set(numbered.classes) == {"0", "1", "2", "3", "4"}
    assert any(n.key == "eval.notice.yolo-numbers" for n in numbered.notices)


def test_yolo_splits_polygons_and_photos_without_label_files(tmp_path):
    root = tmp_path / "rf"
    for split in ("train", "test"):
        (root / split / "images").mkdir(parents=True)
        (root / split / "labels").mkdir()
    (root / "data.yaml").write_text("names: ['Fire', 'default', 'smoke']\n", encoding="utf-8")
    name, data, _ = photo("x.jpg", 200, 100)
    (root / "test" / "images" / name).write_bytes(data)
    (root / "test" / "labels" / "x.txt").write_text("2 0.1 0.2 0.3 0.2 0.3 0.6 0.1 0.6\n")
    (root / "train" / "images" / "y.jpg").write_bytes(data)  # no label file: nothing to find
    dataset = load(root)
    assert dataset.form == "yolo"
    by_name = {t.name: t for t in dataset.photos}
    assert by_name["test/images/x.jpg"].objects[0].cls == "smoke"
    assert by_name["test/images/x.jpg"].objects[0].box == pytest.approx((20, 20, 60, 60))
    assert by_name["train/images/y.jpg"].objects == ()
    assert any(n.key == "eval.notice.yolo-no-label" for n in dataset.notices)


def test_coco_file_given_directly_and_crowd_left_out(tmp_path, three_forms):
    root = three_forms["coco"]
    doc = json.loads((root / "annotations.json").read_text())
    doc["annotations"][0]["iscrowd"] = 1
    (root / "annotations.json").write_text(json.dumps(doc))
    dataset = load(root / "annotations.json")
    assert sum(dataset.boxes.values()) == 5
    assert any(n.key == "eval.notice.coco-crowd" for n in dataset.notices)


@pytest.mark.parametrize(
    "breaks, key",
    [
        (lambda r: None, "eval.error.no-dir"),
        (lambda r: r.mkdir(), "eval.error.no-photos"),
        (
            lambda r: (
                (r / "images").mkdir(parents=True)
                or (r / "images" / "a.jpg").write_bytes(_photos()[0][1])
            ),
            "eval.error.no-labels",
        ),
    ],
    ids=["no folder", "empty folder", "photos without labels"],
)
def test_folders_without_a_data_set_are_clear_errors(tmp_path, breaks, key):
    root = tmp_path / "data"
    breaks(root)
    with pytest.raises(EvalError) as err:
        load(root)
    assert err.value.key == key
    assert str(root) in err.value.text("en") and str(root) in err.value.text("zh")


def test_unknown_form_and_ambiguous_folders(tmp_path, three_forms):
    with pytest.raises(EvalError) as err:
        load(three_forms["voc"], "pascal")
    assert err.value.key == "eval.error.form"
    both = three_forms["voc"]
    shutil.copytree(three_forms["yolo"] / "labels", both / "labels")
    shutil.copytree(three_forms["yolo"] / "images", both / "images")
    with pytest.raises(EvalError) as err:
        detect(both)
    assert err.value.key == "eval.error.ambiguous"
    assert load(both, "voc").form == "voc" and load(both, "yolo").form == "yolo"


@pytest.mark.parametrize(
    "form, damage, key",
    [
        ("voc", ("Annotations/a.xml", "<annotation><object>"), "eval.error.label-bad"),
        ("voc", ("Annotations/a.xml", "<annotation><object><name>fire</name><bndbox>"
                 "<xmin>x</xmin></bndbox></object></annotation>"), "eval.error.voc-box"),
        ("voc", ("Annotations/a.xml", b"\xff\xfe\x00bad"), "eval.error.label-unreadable"),
        ("yolo", ("labels/a.txt", "0 0.5 0.5 0.1\n"), "eval.error.yolo-line"),
        ("yolo", ("labels/a.txt", "0 0.5 0.5 0.1 zero\n"), "eval.error.yolo-line"),
        ("yolo", ("labels/a.txt", "0 50 50 10 10\n"), "eval.error.yolo-range"),
        ("yolo", ("labels/a.txt", "9 0.5 0.5 0.1 0.1\n"), "eval.error.yolo-class"),
        ("yolo", ("data.yaml", "names: 3\n"), "eval.error.yolo-names"),
        ("yolo", ("data.yaml", "names: [a, b\n"), "eval.error.label-bad"),
        ("coco", ("annotations.json", '{"images": [}'), "eval.error.label-bad"),
        ("coco", ("annotations.json", '{"images": [], "annotations": [{"image_id": 1}], '
                  '"categories": []}'), "eval.error.coco-annotation"),
    ],
)  # fmt: skip
def test_unreadable_label_files_name_the_file(three_forms, form, damage, key):
    root = three_forms[form]
    path, content = damage
    target = root / path
    target.write_bytes(content) if isinstance(content, bytes) else target.write_text(content)
    with pytest.raises(EvalError) as err:
        load(root, form)
    assert err.value.key == key
    assert path.split("/")[-1] in err.value.text("en")


# -- --map ---------------------------------------------------------------------------------------


def test_map_parses_categories_statuses_and_ignore():
    assert parse_map(["blue=head:worn", "none=head:missing", "Fire=fire:severe", "x=ignore"]) == {
        "blue": Meaning("person", "worn", True),
        "none": Meaning("person", "missing", True),
        "Fire": Meaning("fire", "severe", False),
        "x": None,
    }


@pytest.mark.parametrize(
    "item, key",
    [
        ("blue", "eval.error.map-form"),
        ("=head", "eval.error.map-form"),
        ("blue=helmet", "eval.error.map-category"),
        ("blue=head:severe", "eval.error.map-status"),
        ("f=fire:missing", "eval.error.map-status"),
        ("x=ignore:worn", "eval.error.map-category"),
    ],
)
def test_bad_map_values_are_clear_errors(item, key):
    with pytest.raises(EvalError) as err:
        parse_map([item])
    assert err.value.key == key and item in err.value.text("en")


def test_names_of_our_categories_map_themselves_and_the_rest_is_listed(three_forms):
    dataset = load(three_forms["yolo"])
    cmap = ClassMap(dataset, parse_map(["hat=head:worn", "bare=head:missing", "helmet=head"]))
    assert cmap.labelled == {"fire", "smoke", "person"}
    assert dict(cmap.unmapped) == {"vest": 1}
    notices = {n.key: n for n in cmap.notices()}
    assert "vest (1)" in notices["eval.notice.unmapped"].text("en")
    assert "helmet" in notices["eval.notice.map-unknown"].text("zh")
    targets = cmap.targets(dataset.photos[1])
    assert [(t.category, t.status, t.head) for t in targets] == [
        ("person", "worn", True),
        ("person", "missing", True),
    ]
    # An explicit --map wins over a name that matches a category (SHWD's "person" is a head).
    shwd = ClassMap(dataset, parse_map(["fire=ignore"]))
    assert "fire" not in shwd.labelled and shwd.ignored == ["fire"]


def test_a_data_set_whose_classes_mean_nothing_is_an_error(three_forms):
    dataset = load(three_forms["voc"])
    cmap = ClassMap(dataset, parse_map(["fire=ignore", "smoke=ignore"]))
    with pytest.raises(EvalError) as err:
        cmap.require_scored()
    assert err.value.key == "eval.error.nothing-mapped" and "vest (1)" in str(err.value)
