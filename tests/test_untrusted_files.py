"""Files that may come from anyone: a results JSON read back, a site profile or rules TOML,
and the CSV a spreadsheet opens. Each failure is one line in the reader's language that
says what is wrong, never a crash deep inside; each cell a spreadsheet could run is text."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from PIL import Image

from safety.annotate import redraw
from safety.detections import Detection, ImageResult
from safety.errors import InputError
from safety.exports import to_csv
from safety.images import encode_jpeg
from safety.results_io import ReadLimits, ResultsError, load_results, read_results
from safety.rules import parse_rules
from safety.site_profile import load_profile, parse_profile


def _doc(**photo) -> dict:
    item = {"source": "a.jpg", "width": 400, "height": 300, "error": None, "detections": []}
    return {"images": [{**item, **photo}]}


def _finding(box=(10, 10, 50, 50)) -> dict:
    return {"category": "fire", "severity": "minor", "label": "fire", "box": list(box)}


# -- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "=HYPERLINK(1)",
        " =HYPERLINK(1)",  # a space first: spreadsheets skip it
        "\n=1+1",  # a line break first
        "\t@SUM(A1)",
        "＝HYPERLINK(1)",  # the full-width equals sign
        "\u3000＋1",  # a full-width space, then a full-width plus
        "－1",
        "\u200b=1",  # a zero-width space
    ],
)
def test_a_formula_behind_whitespace_or_in_full_width_is_text(label):
    r = ImageResult("a.jpg", width=400, height=300)
    r.detections = [Detection("fire", "minor", label, label, (10, 10, 50, 50))]
    rows = list(csv.reader(io.StringIO(to_csv([r]))))
    header, row = rows[0], rows[1]
    for column in ("label", "sub_label"):
        assert row[header.index(column)] == "'" + label
    assert row[header.index("x1")] == "10"  # numbers stay numbers


def test_ordinary_text_is_unchanged_in_the_csv():
    r = ImageResult("a.jpg", width=400, height=300)
    r.detections = [Detection("person", "missing", "工人 a=b", "no hat", (10, 10, 50, 50))]
    row = list(csv.reader(io.StringIO(to_csv([r]))))[1]
    assert "工人 a=b" in row and "no hat" in row


# -- the results reader -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, kind",
    [
        ("latency_s", "slow", "a number or null"),
        ("usage", {"prompt_tokens": "many"}, "an object of whole numbers or null"),
        ("usage", [1, 2], "an object of whole numbers or null"),
        ("notes", [1, {"a": 2}], "a list of texts"),
        ("passes", ["x"], "a list of objects"),
        ("model", ["m"], "text or null"),
        ("raw_text", 7, "text or null"),
        ("file_bytes", 1.5, "a whole number or null"),
    ],
)
def test_a_field_of_the_wrong_type_is_one_line_naming_it(field, value, kind):
    with pytest.raises(ResultsError) as caught:
        read_results(_doc(**{field: value}))
    assert caught.value.problems == [f"photo 1 (a.jpg): {field} must be {kind}"]
    assert "应为" in caught.value.text("zh") and "照片 1" in caught.value.text("zh")


def test_nesting_thousands_deep_is_one_line_not_a_recursion_error(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"images": [{"usage": ' + "[" * 3000 + "]" * 3000 + "}]}")
    with pytest.raises(ResultsError) as caught:
        load_results(deep, name="deep.json")
    assert caught.value.problems == [
        "deep.json: lists and objects nested more than 24 deep; a results file never is"
    ]
    assert "嵌套超过 24 层" in caught.value.text("zh")
    # Deep enough to pass the parser, too deep to keep.
    with pytest.raises(ResultsError) as caught:
        read_results(_doc(quality={"x": json.loads("[" * 100 + "]" * 100)}))
    assert "nested more than 24 deep" in caught.value.problems[0]


def test_sizes_photos_and_findings_are_bounded_before_any_work(tmp_path):
    many = _doc(detections=[_finding()] * 1001)
    with pytest.raises(ResultsError) as caught:
        read_results(many)
    assert caught.value.problems == [
        "photo 1 (a.jpg): detections: 1001 findings; a photo may have at most 1000"
    ]
    photos = {"images": _doc()["images"] * 51}
    with pytest.raises(ResultsError) as caught:
        read_results(photos, ReadLimits(max_images=50), name="run.json")
    assert "run.json: lists 51 photos; at most 50" in caught.value.problems[0]
    big = tmp_path / "big.json"
    big.write_text(json.dumps(_doc(raw_text="x" * 2_000_000)))
    with pytest.raises(ResultsError) as caught:
        load_results(big, ReadLimits(max_bytes=1024 * 1024), name="big.json")
    assert caught.value.problems[0].startswith("big.json: 2.0 MB; a results file opened here")


def test_problems_name_the_file_as_given_not_where_the_server_keeps_it(tmp_path):
    broken = tmp_path / "upload" / "mine.json"
    broken.parent.mkdir()
    broken.write_text('{"images": [')
    with pytest.raises(ResultsError) as caught:
        load_results(broken, name="mine.json")
    said = caught.value.text("en") + caught.value.text("zh")
    assert str(tmp_path) not in said and "mine.json" in said and "line 1" in said


def test_a_one_pixel_box_is_drawn():
    photo = Image.new("RGB", (4000, 3000), (90, 90, 90))
    for box in [(10, 10, 11, 11), (3999, 2999, 4000, 3000)]:
        read = read_results(_doc(width=4000, height=3000, detections=[_finding(box)])).images[0]
        read.photo_jpeg = encode_jpeg(photo.resize((1600, 1200)), 85)
        assert redraw(read, "en", highlight=0)
        read.detections = [replace(read.detections[0], review="rejected")]
        assert redraw(read, "en")


# -- TOML -------------------------------------------------------------------------------------


@pytest.mark.parametrize("parse", [parse_profile, parse_rules])
def test_toml_nested_thousands_deep_is_one_line(parse):
    for text in ("a = " + "[" * 3000 + "]" * 3000, "a = " + "{b = " * 3000 + "1" + "}" * 3000):
        with pytest.raises(InputError) as caught:
            parse(text)
        assert "nested too deep" in caught.value.text("en")
        assert "嵌套过深" in caught.value.text("zh")


def test_a_site_profile_error_says_the_line_and_the_given_name(tmp_path):
    path = tmp_path / "server" / "profile.toml"
    path.parent.mkdir()
    path.write_text('name = "Block 7"\ncontext = = 1\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(path, name="profile.toml")
    assert caught.value.text("en") == (
        "profile.toml: not valid TOML (line 2, column 11); mend it in a text editor."
    )
    assert caught.value.text("zh").startswith("profile.toml：不是有效的 TOML（第 2 行第 11 列）")
    path.write_text("x" * (65 * 1024), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(path, name="profile.toml")
    assert str(tmp_path) not in caught.value.text("zh") and "64 KB" in caught.value.text("zh")
