"""python -m safety report --photos DIR reads photos only inside DIR.

A results file may come from anyone: its ``source`` is their text. With ``--photos DIR``
an absolute path, a ``../`` or a link out of DIR is never opened, and the line printed is
the same whether such a path exists or not. A file is refused by its size before it is
read."""

from __future__ import annotations

import json
import os
import shutil
import tracemalloc
from pathlib import Path

from safety.archive.photos import PhotoFinder, attach_photo
from safety.commands.cli import main
from safety.results_io import read_results
from tests.test_review_cli import inspected  # noqa: F401  (the fixture)


def _write(tmp_path: Path, doc: dict, sources: list[str]) -> Path:
    doc = json.loads(json.dumps(doc))
    for item, source in zip(doc["images"], sources, strict=True):
        item["source"] = source
    path = tmp_path / "results.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _report(results: Path, photos: Path, pdf: Path) -> int:
    return main(["report", str(results), "--report", str(pdf), "--photos", str(photos)])


def test_a_source_outside_the_folder_is_not_read(inspected, tmp_path, capsys):  # noqa: F811
    folder, doc = inspected
    photos = tmp_path / "photos"
    photos.mkdir()
    pdf = tmp_path / "r.pdf"
    # The very photos inspected, named by absolute path and by ../: readable, the right
    # SHA-256, but outside DIR.
    outside = str(folder / "site0.jpg")
    climbing = os.path.relpath(folder / "site1.jpg", photos)
    assert climbing.startswith("..")
    results = _write(tmp_path, doc, [outside, climbing])
    assert _report(results, photos, pdf) == 2 and not pdf.exists()
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(f"not found in {photos}" in line for line in err), err

    # A path that does not exist gives the same line: nothing tells a path exists.
    results = _write(tmp_path, doc, [str(folder / "nothing.jpg"), climbing])
    assert _report(results, photos, pdf) == 2
    missing = capsys.readouterr().err.splitlines()
    assert missing[0].replace("nothing.jpg", "site0.jpg") == err[0]


def test_a_link_out_of_the_folder_is_not_followed(inspected, tmp_path, capsys):  # noqa: F811
    folder, doc = inspected
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "site0.jpg").symlink_to(folder / "site0.jpg")
    (photos / "sub").symlink_to(folder, target_is_directory=True)
    results = _write(tmp_path, doc, ["site0.jpg", "sub/site1.jpg"])
    pdf = tmp_path / "r.pdf"
    assert _report(results, photos, pdf) == 2 and not pdf.exists()
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all("not found in" in line for line in err), err


def test_photos_inside_the_folder_are_found_by_path_sha256_or_name(inspected, tmp_path, capsys):  # noqa: F811
    folder, doc = inspected
    photos = tmp_path / "photos"
    (photos / "a").mkdir(parents=True)
    shutil.copy(folder / "site0.jpg", photos / "a" / "first.jpg")
    shutil.copy(folder / "site1.jpg", photos / "renamed.jpg")
    results = _write(tmp_path, doc, ["a/first.jpg", "/elsewhere/site1.jpg"])
    pdf = tmp_path / "r.pdf"
    assert _report(results, photos, pdf) == 0, capsys.readouterr().err
    assert pdf.stat().st_size > 0


def test_a_file_too_large_for_a_photo_is_refused_before_it_is_read(inspected, tmp_path):  # noqa: F811
    folder, doc = inspected
    photos = tmp_path / "photos"
    photos.mkdir()
    huge = photos / "site0.jpg"
    with huge.open("wb") as f:  # sparse: 200 MB on paper, nothing on disk
        f.truncate(200 * 1024 * 1024)
    moved = json.loads(json.dumps(doc))
    moved["images"][0].pop("sha256")
    result = read_results(moved).images[0]
    found = PhotoFinder(photos, tmp_path).find(result, "photo 1", "en")
    assert found == huge
    tracemalloc.start()
    try:
        problem = attach_photo(result, huge, "photo 1", "en")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problem is not None and "the limit is 20 MB" in problem
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB read"
    zh = attach_photo(result, huge, "照片 1", "zh")
    assert zh is not None and "上限是 20 MB" in zh
