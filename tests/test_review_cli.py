"""python -m safety report: every output drawn again from a reviewed results JSON.

The round trip a reviewer makes: inspect against the simulator, edit the JSON (reject one
finding, correct a person to hard hat worn, add one), re-render; then the problems a hand
edit can have, each one line on stderr, exit status 2 and nothing written."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from safety.archive.photos import PhotoFinder
from safety.commands.cli import main
from safety.i18n import t, t_n
from safety.results_io import read_results
from safety.review import added, decide
from safety.summary import summarize, verdict_parts, verdict_text
from tests.test_cli import _photos, run

REVIEWER = {"by": "Zhang Min", "at": "2026-11-30T15:20:00+08:00"}


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_pages(path: Path) -> list[str]:
    return [squash(p.extract_text() or "") for p in PdfReader(io.BytesIO(path.read_bytes())).pages]


@pytest.fixture(scope="module")
def inspected(tmp_path_factory):
    """Two photos inspected by the CLI against the simulator: their results JSON."""
    from tests.simulator import SimulatedModel, serve

    tmp = tmp_path_factory.mktemp("inspected")
    server = serve(SimulatedModel(convention="absolute"))
    try:
        photos = _photos(tmp, 2)
        done = run(
            "inspect", *map(str, photos), "--base-url", server.base_url,
            "--model", "Qwen/Qwen2.5-VL-7B-Instruct", "--coords", "absolute",
            "--json", str(tmp / "results.json"), env_extra={"SAFETY_CACHE_DIR": str(tmp)},
        )  # fmt: skip
    finally:
        server.close()
    assert done.returncode == 0, done.stderr
    return tmp, json.loads((tmp / "results.json").read_text(encoding="utf-8"))


def edit(doc: dict) -> dict:
    """What a reviewer does by hand: on photo 1, reject the smoke, correct the person
    without a hard hat to hard hat worn, confirm the rest and add a person they saw."""
    doc = json.loads(json.dumps(doc))
    for item in doc["images"][0]["detections"]:
        if item["category"] == "smoke":
            item.update(review="rejected", review_note="Steam from the curing tent.")
        elif item["helmet"] == "missing":
            item["model_said"] = {"category": "person", "helmet": "missing"}
            item.update(helmet="worn", review="corrected", review_note="Hat seen zoomed in.")
        else:
            item["review"] = "confirmed"
    doc["images"][0]["detections"].append(
        {"category": "person", "helmet": "unknown", "label": "added by the reviewer",
         "box": [400, 300, 480, 420], "review": "added", "review_note": "Behind the scaffold."}
    )  # fmt: skip
    return doc


def applied(doc: dict) -> list:
    """The same decisions made with safety.review on the results read back."""
    images = read_results(doc).images
    first = images[0]
    decided = []
    for d in first.detections:
        if d.category == "smoke":
            decided.append(decide(d, "reject", note="Steam from the curing tent."))
        elif d.status == "missing":
            decided.append(decide(d, "correct", status="worn", note="Hat seen zoomed in."))
        else:
            decided.append(decide(d, "confirm"))
    decided.append(added((400, 300, 480, 420), "person", "unknown", "Behind the scaffold."))
    first.detections = decided
    return images


@pytest.mark.slow
def test_round_trip_through_a_hand_edited_json(inspected, tmp_path):
    folder, doc = inspected
    edited = edit(doc)
    source = tmp_path / "reviewed.json"
    source.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    done = run(
        "report", str(source), "--report", str(out / "r.pdf"), "--json", str(out / "r.json"),
        "--csv", str(out / "r.csv"), "--coco", str(out / "coco.json"), "--site", "Block 7",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    expected = summarize(applied(doc))
    verdict = verdict_text(expected, "en")
    # Photo 1: no smoke (rejected), its person wears a hat now, one added with the hat unclear.
    counts = (expected.total("smoke"), expected.n("person", "missing"), expected.total("person"))
    assert counts == (1, 1, 5)
    assert expected.levels == ["immediate-action", "violation", "review"]
    assert (expected.unreviewed, expected.rejected) == (4, 1)  # photo 2 is not reviewed yet
    assert done.stdout.splitlines() == [verdict, t_n("cli.draft", 4, "en")]

    pages = pdf_pages(out / "r.pdf")
    head, body = verdict_parts(expected, "en")
    assert squash(head) in pages[0] and squash(body) in pages[0]
    assert squash(t_n("report.draft", 4, "en")) in pages[0]
    assert squash("Steam from the curing tent.") in "".join(pages)

    back = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert back["summary"] == expected.to_dict()
    assert [d["review"] for d in back["images"][0]["detections"]] == [
        d.review for d in applied(doc)[0].detections
    ]
    assert back["images"][0]["sha256"] == doc["images"][0]["sha256"]
    rows = (out / "r.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 5 + 4 and ("review,model_said_category,"
                                       "model_said_status,review_note") in rows[0]  # fmt: skip
    coco = json.loads((out / "coco.json").read_text(encoding="utf-8"))
    assert len(coco["annotations"]) == 5 - 1 + 4  # the rejected smoke left out
    assert [i["file_name"] for i in coco["images"]] == ["site0.jpg", "site1.jpg"]


@pytest.mark.slow
def test_a_finished_review_names_the_reviewer_in_chinese(inspected, tmp_path):
    folder, doc = inspected
    edited = edit(doc)
    for item in edited["images"][1]["detections"]:
        item["review"] = "confirmed"
    edited["review"] = REVIEWER
    source = tmp_path / "reviewed.json"
    source.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    done = run("report", str(source), "--report", str(pdf), "--lang", "zh")
    assert done.returncode == 0, done.stderr
    images = read_results(edited).images
    assert done.stdout.splitlines()[0] == verdict_text(summarize(images), "zh")
    when = "2026-11-30 15:20:00 UTC+08:00"
    assert done.stdout.splitlines()[1] == t("cli.reviewed-by", "zh", by="Zhang Min", time=when)
    first = pdf_pages(pdf)[0]
    assert squash(t("report.reviewed-by", "zh", by="Zhang Min", time=when)) in first
    assert squash(verdict_text(summarize(images), "zh").split("：", 1)[1]) in first


@pytest.mark.slow
def test_photos_are_found_in_a_folder_by_sha256_before_their_name(inspected, tmp_path, capsys):
    folder, doc = inspected
    elsewhere = tmp_path / "moved" / "deeper"
    elsewhere.mkdir(parents=True)
    # The photos moved and were renamed; a different photo now has photo 1's name.
    shutil.copy(folder / "site0.jpg", elsewhere / "renamed-a.jpg")
    shutil.copy(folder / "site1.jpg", elsewhere / "site0.jpg")
    shutil.copy(folder / "site1.jpg", elsewhere / "b.jpg")
    moved = json.loads(json.dumps(doc))
    for item in moved["images"]:
        item["source"] = "/nowhere/" + Path(item["source"]).name
    source = tmp_path / "moved.json"
    source.write_text(json.dumps(moved), encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    args = ["report", str(source), "--report", str(pdf), "--photos", str(tmp_path / "moved")]
    assert main(args) == 0 and pdf.exists()
    finder = PhotoFinder(tmp_path / "moved", tmp_path)
    first, second = read_results(moved).images
    assert finder.find(first, "photo 1", "en") == elsewhere / "renamed-a.jpg"  # not site0.jpg
    assert finder.find(second, "photo 2", "en") in (elsewhere / "b.jpg", elsewhere / "site0.jpg")

    # Without the SHA-256 only the name can tell: photo 2's is nowhere in the folder.
    for item in moved["images"]:
        item.pop("sha256")
    source.write_text(json.dumps(moved), encoding="utf-8")
    pdf.unlink()
    assert main(args) == 2 and not pdf.exists()
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("error: photo 2 (/nowhere/site1.jpg): source:")


def outputs_of(tmp_path: Path) -> set[str]:
    return {p.name for p in tmp_path.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_problems_in_the_json_are_one_line_each_and_nothing_is_written(inspected, tmp_path, capsys):
    folder, doc = inspected
    bad = edit(doc)
    bad["images"][0]["detections"][0]["review"] = "maybe"
    bad["images"][1]["detections"][1]["box"] = [800, 500, 950, 650]  # the photo is 900 x 600
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(bad), encoding="utf-8")
    before = outputs_of(tmp_path)
    code = main(["report", str(source), "--report", str(tmp_path / "r.pdf"),
                 "--json", str(tmp_path / "r.json")])  # fmt: skip
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 2 and all(line.startswith("error: ") for line in err)
    assert "photo 1" in err[0] and "finding 1" in err[0] and "'maybe'" in err[0]
    assert "photo 2" in err[1] and "finding 2" in err[1] and "not inside the 900x600" in err[1]
    assert outputs_of(tmp_path) == before


@pytest.mark.slow
def test_missing_and_changed_photos_are_named_and_nothing_is_written(inspected, tmp_path, capsys):
    folder, doc = inspected
    moved = json.loads(json.dumps(doc))
    moved["images"][0]["source"] = str(tmp_path / "gone.jpg")
    changed = tmp_path / "changed.jpg"
    changed.write_bytes((folder / "site0.jpg").read_bytes() + b"\0")  # not the same photo
    moved["images"][1]["source"] = str(changed)
    source = tmp_path / "moved.json"
    source.write_text(json.dumps(moved), encoding="utf-8")
    before = outputs_of(tmp_path)
    code = main(["report", str(source), "--report", str(tmp_path / "r.pdf"),
                 "--coco", str(tmp_path / "c.json")])  # fmt: skip
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 2, err
    assert err[0].startswith("error: photo 1 (") and "gone.jpg): source:" in err[0]
    assert "--photos DIR" in err[0]
    assert err[1].startswith("error: photo 2 (") and "sha256:" in err[1]
    assert "SHA-256 differs" in err[1]
    assert outputs_of(tmp_path) == before

    code = main(["report", str(source), "--report", str(tmp_path / "r.pdf"),
                 "--photos", str(tmp_path / "empty")])  # fmt: skip
    assert code == 2 and "--photos" in capsys.readouterr().err


@pytest.mark.slow
def test_an_output_that_cannot_be_written_leaves_no_other_behind(inspected, tmp_path, capsys):
    folder, doc = inspected
    source = tmp_path / "r.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    before = outputs_of(tmp_path)
    code = main(["report", str(source), "--json", str(tmp_path / "out.json"),
                 "--report", str(blocker / "r.pdf")])  # fmt: skip
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1 and "r.pdf: cannot be written" in err[0]
    assert outputs_of(tmp_path) == before  # no out.json, no temporary file

    code = main(["report", str(source), "--json", str(tmp_path / "same"),
                 "--report", str(tmp_path / "same")])  # fmt: skip
    assert code == 2 and "named for two outputs" in capsys.readouterr().err
    assert outputs_of(tmp_path) == before


def test_a_file_that_is_not_results_is_one_clear_line(tmp_path, capsys):
    source = tmp_path / "x.json"
    source.write_text("{not json", encoding="utf-8")
    assert main(["report", str(source), "--report", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "not JSON" in err[0]
    assert main(["report", str(tmp_path / "none.json"), "--report", str(tmp_path / "r.pdf")]) == 2
    assert "cannot be read" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()
