"""What the review does to every output: the JSON and CSV keep every decision, the COCO
export holds what stands, and the PDF report counts what stands, lists the rejected findings
with the model's own words, and is a DRAFT until every finding is reviewed."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from safety.annotate import redraw
from safety.detections import Detection, ImageResult
from safety.exports import COCO_CATEGORIES, CSV_COLUMNS, to_coco, to_csv
from safety.i18n import t, t_n
from safety.report import ReportInfo, build_report
from safety.report.photos import marked_photo
from safety.report.text import format_iso
from safety.results_io import results_document
from safety.review import Review, added, decide
from safety.summary import summarize, verdict_parts
from tests.test_report import CREATED, fit, jpeg, pdf_text, photo, squash

REVIEW = Review("王强 Wang Qiang", "2026-11-30T15:20:00+08:00")
FIRE = Detection("fire", "severe", "fire", "severe", (300, 500, 700, 900))
MANNEQUIN = Detection("person", "missing", "person", "no hard hat", (900, 400, 1050, 800))
WORKER = Detection("person", "missing", "人员", "未佩戴安全帽", (1150, 420, 1300, 820))
STEAM = Detection("smoke", "moderate", "steam?", "moderate", (100, 100, 400, 300))


def results(*, done: bool) -> list[ImageResult]:
    """Photo 1: fire confirmed, a mannequin rejected, a worker corrected to hard hat worn,
    a smoke the model missed added. Photo 2: steam rejected; the fire unreviewed unless done.
    Photo 3 failed."""
    first = [
        decide(FIRE, "confirm", note="Hot work without a permit."),
        decide(MANNEQUIN, "reject", note="A mannequin in the window, not a worker."),
        decide(WORKER, "correct", status="worn", note="=HYPERLINK(hat visible)"),
        added((100, 900, 300, 1150), "smoke", "minor", note="Light smoke behind the skip."),
    ]
    second = [decide(STEAM, "reject", note="Steam from the curing tent."), FIRE]
    if done:
        second = [second[0], decide(FIRE, "confirm")]
    out = []
    for index, detections in enumerate((first, second)):
        img = photo(seed=index)
        out.append(
            ImageResult(
                source=f"/data/site/{'north' if index == 0 else 'south'}_{index}.jpg",
                index=index,
                width=img.width,
                height=img.height,
                detections=detections,
                photo_jpeg=jpeg(fit(img, 2048)),
                preview_jpeg=jpeg(fit(img, 800)),
                sha256=f"{index:02d}" + "cd" * 31,
                model="qwen2.5-vl-72b-instruct",
            )
        )
    out.append(ImageResult("broken.jpg", 2, error="The image data is truncated or corrupt."))
    return out


# --------------------------------------------------------------------------- JSON, CSV


def test_json_keeps_every_decision_and_counts_what_stands():
    doc = results_document(results(done=False), review=REVIEW)
    s = doc["summary"]
    assert (s["fire"], s["smoke"], s["persons"], s["persons_without_hard_hat"]) == (2, 1, 1, 0)
    assert (s["unreviewed"], s["rejected"], s["failed"]) == (1, 2, 1)
    assert s["levels"] == ["immediate-action", "review"]
    first = doc["images"][0]["detections"]
    assert [d["review"] for d in first] == ["confirmed", "rejected", "corrected", "added"]
    assert first[1]["review_note"] == "A mannequin in the window, not a worker."
    assert first[2]["helmet"] == "worn"
    assert first[2]["model_said"] == {"category": "person", "helmet": "missing", "severity": None}
    assert doc["review"] == {"by": REVIEW.by, "at": REVIEW.at}


def test_csv_has_the_review_columns_and_stays_spreadsheet_safe():
    rows = list(csv.DictReader(io.StringIO(to_csv(results(done=False)))))
    assert tuple(rows[0]) == CSV_COLUMNS
    review_columns = ("review", "model_said_category", "model_said_status", "review_note")
    at = CSV_COLUMNS.index("review")
    assert CSV_COLUMNS[at : at + 4] == review_columns
    assert len(rows) == 4 + 2 + 1  # every finding, rejected ones too, and the failed photo
    corrected = rows[2]
    assert (corrected["review"], corrected["helmet"]) == ("corrected", "worn")
    assert (corrected["model_said_category"], corrected["model_said_status"]) == (
        "person",
        "missing",
    )
    assert corrected["review_note"] == "'=HYPERLINK(hat visible)"  # text, not a formula
    assert rows[1]["review"] == "rejected" and rows[3]["review"] == "added"
    assert rows[5]["review"] == "unreviewed" and rows[5]["model_said_category"] == ""
    failed = rows[6]
    assert failed["error"].startswith("The image data") and failed["review"] == ""


# --------------------------------------------------------------------------- COCO


def test_coco_holds_the_findings_as_they_stand_after_review():
    coco = to_coco(results(done=False))
    names = [c["name"] for c in coco["categories"]]
    assert names == [name for name, _ in COCO_CATEGORIES]
    assert names == [
        "fire",
        "smoke",
        "person-hard-hat",
        "person-no-hard-hat",
        "person-hard-hat-unknown",
        "other",
    ]
    ids = {c["name"]: c["id"] for c in coco["categories"]}
    # The failed photo is left out; file names carry no folders.
    assert [(i["id"], i["file_name"], i["width"], i["height"]) for i in coco["images"]] == [
        (1, "north_0.jpg", 1600, 1200),
        (2, "south_1.jpg", 1600, 1200),
    ]
    assert coco["images"][0]["sha256"] == "00" + "cd" * 31
    assert [i["unreviewed"] for i in coco["images"]] == [0, 1]
    anns = coco["annotations"]
    # Rejected findings (the mannequin, the steam) left out; the added smoke in.
    assert [(a["image_id"], a["category_id"]) for a in anns] == [
        (1, ids["fire"]),
        (1, ids["person-hard-hat"]),
        (1, ids["smoke"]),
        (2, ids["fire"]),
    ]
    fire, worker, smoke, _ = anns
    assert fire["bbox"] == [300, 500, 400, 400] and fire["area"] == 160000
    assert all(a["iscrowd"] == 0 for a in anns)
    assert len({a["id"] for a in anns}) == len(anns)
    assert fire["attributes"] == {"review": "confirmed", "severity": "severe"}
    assert worker["attributes"] == {"review": "corrected", "model_said": "person-no-hard-hat"}
    assert smoke["attributes"] == {"review": "added", "severity": "minor"}
    json.dumps(coco)  # plain JSON


def test_coco_file_names_of_urls_and_windows_paths():
    url = ImageResult("https://example.com/photos/a%20b.jpg?size=big", 0, 10, 10)
    windows = ImageResult("C:\\Users\\li\\site.png", 1, 10, 10)
    assert [i["file_name"] for i in to_coco([url, windows])["images"]] == [
        "a%20b.jpg",
        "site.png",
    ]


# --------------------------------------------------------------------------- the PDF


def report(lang: str, *, done: bool) -> tuple[list[ImageResult], list[str]]:
    rs = results(done=done)
    info = ReportInfo(
        site="North yard", inspector="Li Wei", lang=lang, created=CREATED,
        review=REVIEW if done else None,
    )  # fmt: skip
    return rs, pdf_text(build_report(rs, info))


@pytest.fixture(scope="module", params=["en", "zh"])
def draft(request):
    return request.param, *report(request.param, done=False)


@pytest.fixture(scope="module", params=["en", "zh"])
def final(request):
    return request.param, *report(request.param, done=True)


@pytest.mark.slow
def test_a_draft_says_so_on_page_one_and_on_every_page(draft):
    lang, rs, pages = draft
    first = squash(pages[0])
    assert squash(t_n("report.draft", 1, lang)) in first
    assert squash(t("report.draft.explain", lang)) in first
    footer = squash(t("report.draft.footer", lang, n=1))
    assert all(footer in squash(page) for page in pages)
    assert squash(REVIEW.by) not in first  # nobody has finished the review


def test_rejected_findings_count_nowhere(draft):
    lang, rs, pages = draft
    s = summarize(rs)
    assert (s.total("fire"), s.total("smoke"), s.total("person"), s.rejected) == (2, 1, 1, 2)
    first = squash(pages[0])
    head, body = verdict_parts(s, lang)
    assert squash(head) in first and squash(body) in first
    # Had the rejected findings counted, page 1 would say so.
    counted = [replace(r, detections=[replace(d, review="confirmed") for d in r.detections])
               for r in rs]  # fmt: skip
    assert squash(verdict_parts(summarize(counted), lang)[1]) not in first
    tally = t("report.review-tally", lang, confirmed=1, corrected=1, added=1, unreviewed=1,
              rejected=2)  # fmt: skip
    assert squash(tally) in first


def test_the_rejected_section_keeps_the_models_words_and_the_note(draft):
    lang, rs, pages = draft
    text = squash("\n".join(pages))
    start = text.rindex(squash(t("report.rejected", lang)))
    section = text[start : text.index(squash(t("report.appendix", lang)), start)]
    assert squash(t("report.rejected-explain", lang)) in section
    for needle in (
        "A mannequin in the window, not a worker.",
        "Steam from the curing tent.",
        "person / no hard hat",  # the model's label and sub-label
        "steam? / moderate",
        t("caption", lang, name=t("category.person", lang), status=t("helmet.missing", lang)),
        t("caption", lang, name=t("category.smoke", lang), status=t("severity.moderate", lang)),
        "[900, 400, 1050, 800]",
    ):
        assert squash(needle) in section, needle
    assert squash("Light smoke behind the skip.") not in section  # added: not rejected


def test_each_photos_table_shows_the_review_and_what_the_model_said(draft):
    lang, rs, pages = draft
    text = squash("\n".join(pages))
    said = t("report.model-said", lang, said=t("helmet.missing", lang))
    assert squash(said) in text
    for state in ("confirmed", "rejected", "corrected", "added", "unreviewed"):
        assert squash(t(f"review.{state}", lang)) in text, state
    assert squash(t("review.added-label", lang)) in text
    assert squash(t("report.note", lang, note="Hot work without a permit.")) in text
    assert squash(t("report.marked-reviewed", lang)) in text


@pytest.mark.slow
def test_once_reviewed_page_one_names_the_reviewer_and_the_time(final):
    lang, rs, pages = final
    first = squash(pages[0])
    when = format_iso(REVIEW.at)
    assert when == "2026-11-30 15:20:00 UTC+08:00"
    assert squash(t("report.reviewed-by", lang, by=REVIEW.by, time=when)) in first
    everything = squash("\n".join(pages))
    assert squash(t_n("report.draft", 1, lang)) not in everything
    assert squash(t("report.draft.footer", lang, n=1)) not in everything
    assert squash(verdict_parts(summarize(rs), lang)[1]) in first


@pytest.mark.slow
def test_photos_are_marked_again_as_reviewed_and_stamped_while_unreviewed():
    draft_rs, done_rs = results(done=False), results(done=True)
    # Photo 2 has an unreviewed finding: stamped; photo 1 is reviewed: drawn without it.
    assert marked_photo(draft_rs[1], "en") == redraw(draft_rs[1], "en", stamp=True)
    assert redraw(draft_rs[1], "en", stamp=True) != redraw(draft_rs[1], "en")
    assert marked_photo(done_rs[1], "en") == redraw(done_rs[1], "en")
    # Without an unmarked copy the photo marked at inspection is used as it is.
    old = ImageResult("x.jpg", 0, 100, 100, [FIRE], marked_jpeg=b"old marks")
    assert marked_photo(old, "en") == b"old marks"


@pytest.mark.slow
def test_without_a_recorded_reviewer_page_one_still_says_reviewed():
    rs = results(done=True)
    pages = pdf_text(build_report(rs, ReportInfo(created=CREATED)))
    assert squash(t("report.reviewed-unnamed", "en")) in squash(pages[0])
    nothing = pdf_text(build_report([ImageResult("a.jpg", 0, 10, 10)], ReportInfo()))
    assert squash(t("report.not-reviewed", "en")) in squash(nothing[0])


@pytest.mark.slow
def test_without_an_unmarked_copy_the_report_says_its_marks_are_from_before_review():
    rs = [replace(r, photo_jpeg=None, marked_jpeg=r.preview_jpeg) for r in results(done=True)]
    text = squash("\n".join(pdf_text(build_report(rs, ReportInfo(created=CREATED)))))
    assert squash(t("report.marked-before-review", "en")) in text
    assert squash(t("report.marked-reviewed", "en")) not in text
