"""A public Space, second round: what review added cannot be turned against the owner or
another visitor.

As in tests/test_public_space.py the app runs in public mode on an owner's endpoint (the
simulator on 127.0.0.1, the owner's key); an anonymous visitor reaches it through the
routes a browser uses: the API through gradio_client, the page's own events through the
queue, by their index in the page's config.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import time
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from PIL import Image
from pypdf import PdfReader

from safety.limits import KEEP_RUNS_PER_VISITOR
from safety.web import runfolders
from tests import scenes
from tests.page_events import PageSession, error_of
from tests.simulator import Fault
from tests.test_app_api import QWEN25, SECRET, demo_env, running_app
from tests.test_public_space import public_env


def walk(value, path="$"):
    """Every (path, text) in a JSON document, keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}#key", str(key)
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from walk(item, f"{path}[{n}]")
    elif value is not None:
        yield path, str(value)


def owners(doc, servers, answers) -> list[str]:
    """Where in ``doc`` anything of the owner's is: endpoint, model, key, a raw answer."""
    secrets = [SECRET, QWEN25, *answers]
    for server in servers:
        secrets += [server.base_url, server.base_url.split("//")[1].split("/")[0]]
    return [f"{path}: {text[:80]}" for path, text in walk(doc) for s in secrets if s in text]


def big_photos(tmp_path, n=2):
    """Photos large enough to be looked at in tiles."""
    out = []
    for i in range(n):
        path = tmp_path / f"big{i}.jpg"
        path.write_bytes(
            scenes.jpeg_bytes(scenes.scene(3000, 2000, scenes.layout(3000, 2000, seed=i)))
        )
        out.append(handle_file(str(path)))
    return out


def test_nothing_of_the_owners_reaches_an_anonymous_visitor(simulator, tmp_path, runs):
    first = simulator(convention="absolute", grid=28, api_key=SECRET)
    second = simulator(convention="absolute", grid=28, api_key=SECRET)
    echo = "```json\n[]\n``` the owner's model talking: " + SECRET
    for server in (first, second):
        server.model.faults.extend([Fault(content=echo), Fault(content=echo)])
    env = public_env(
        first, tmp_path, QWEN_VL_BASE_URL=f"{first.base_url},{second.base_url}",
        SAFETY_DETAIL="tiles",  # extra passes, each with its own raw answer
    )  # fmt: skip
    servers = [first, second]
    with running_app(env) as url:
        # The API, as gradio_client calls it.
        doc = Client(url, verbose=False).predict(files=big_photos(tmp_path), api_name="/inspect")
        # The page's Inspect button, through the queue, and the JSON and PDF it offers.
        page = PageSession(url)
        run = page.event("run")
        paths = [tmp_path / f"big{i}.jpg" for i in range(2)]
        done = page.call(run, page.inputs(run, photos=page.upload(paths), lang="en"))
        assert done["success"], error_of(done)
        download = page.output(done, run, page.ids["download-json"])
        document = json.loads(page._get("/gradio_api/file=" + download["value"]["path"]))
        pdf = page.output(done, run, page.ids["download-pdf"])
        pdf_bytes = page._get("/gradio_api/file=" + pdf["value"]["path"])
    assert any(img["passes"] for img in doc["images"])  # the passes are there, without answers
    for shown in (doc, document):
        assert owners(shown, servers, [echo]) == []
        assert "withheld" in shown
        # Every copy of an answer, the passes' included, is empty.
        kept = [p for p, _ in walk(shown) if p.endswith((".raw_text", ".model", ".endpoint"))]
        assert kept == [], kept
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert owners({"pdf": text}, servers, ["the owner's model talking"]) == []


# -- the page's own events: reopen, review, write, restore --------------------------------------

A, B = {"X-Forwarded-For": "203.0.113.1"}, {"X-Forwarded-For": "203.0.113.2"}
CONFIRM_ALL = [None, "en", "A", "", None, "", None, "person:missing"]


@pytest.fixture
def runs(tmp_path, monkeypatch):
    """The run folders of this test's app alone (other tests may run beside it)."""
    # The app puts them in its data folder (conftest gives each test its own).
    root = tmp_path / "data" / "runs"
    monkeypatch.setattr(runfolders, "_ROOT", [root])
    return root


def folders(root: Path) -> list[Path]:
    return sorted(root.glob("run-*")) if root.exists() else []


def site_photo(tmp_path: Path, name="p.jpg", size=(800, 600), seed=1) -> tuple[Path, str]:
    path = tmp_path / name
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(*size, scenes.layout(*size, seed=seed))))
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def finding(box=(10, 10, 100, 200)) -> dict:
    return {"category": "person", "helmet": "missing", "label": "worker", "box": list(box)}


def entry(name: str, sha: str | None, size=(800, 600), findings=None, **more) -> dict:
    item = {"source": name, "width": size[0], "height": size[1], "error": None,
            "detections": [finding()] if findings is None else findings, **more}  # fmt: skip
    return {**item, "sha256": sha} if sha else item


def failed(n: int) -> dict:
    return {"source": f"gone{n}.jpg", "width": 0, "height": 0, "error": "unreadable",
            "detections": []}  # fmt: skip


def results(tmp_path: Path, images: list, name="results.json", raw: str | None = None) -> Path:
    path = tmp_path / name
    path.write_text(raw if raw is not None else json.dumps({"images": images}), encoding="utf-8")
    return path


def reopen(page: PageSession, *paths: Path) -> dict:
    return page.call(page.event("reopen"), [page.upload(list(paths)), "en"])


def reopened(page: PageSession, *paths: Path) -> dict:
    done = reopen(page, *paths)
    assert done["success"], error_of(done)
    return done


def space(**extra) -> dict:
    """A public Space (the proxy's X-Forwarded-For names each visitor) in demo mode."""
    return demo_env(SPACE_ID="owner/space", **extra)


def test_a_flood_of_reopens_never_erases_another_visitors_review(tmp_path, runs):
    photo, sha = site_photo(tmp_path)
    mine = results(tmp_path, [entry("p.jpg", sha)], "mine.json")
    one_line = results(tmp_path, [failed(0)], "one-line.json")
    with running_app(space(SAFETY_PHOTOS_PER_HOUR="1000")) as url:
        alice, mallory = PageSession(url, A), PageSession(url, B)
        reopened(alice, mine, photo)
        (kept,) = folders(runs)
        for _ in range(201):  # each reopen a run folder of mallory's
            reopened(mallory, one_line)
        decided = alice.call(alice.event("review-confirm-all"), CONFIRM_ALL)
    assert decided["success"], error_of(decided)
    assert kept in folders(runs)
    assert len(folders(runs)) <= 1 + KEEP_RUNS_PER_VISITOR  # mallory's own oldest went


def test_a_reopened_run_counts_its_photos_and_itself_as_a_run(tmp_path, runs):
    two = results(tmp_path, [failed(0), failed(1)])
    with running_app(space(SAFETY_PHOTOS_PER_HOUR="3")) as url:
        mallory = PageSession(url, B)
        reopened(mallory, two)
        refused = reopen(mallory, two)
    assert "at most 3 photos per hour" in error_of(refused)
    assert len(folders(runs)) == 1


def _deep_json() -> str:
    return '{"images": [{"source": "a.jpg", "width": 8, "height": 8, "error": null, ' \
        '"detections": [], "usage": ' + "[" * 3000 + "]" * 3000 + "}]}"  # fmt: skip


def _bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.png"
    Image.new("L", (10_000, 10_000), 255).save(path, optimize=True)  # 100 MP in a few KB
    return path


@pytest.mark.parametrize(
    "case, said",
    [
        ("the photo listed 60 times", "at most 50 can be opened here"),
        ("2,000 findings on a photo", "a photo may have at most 100"),
        ("a file over 8 MB", "may be at most 8 MB"),
        ("a photo not uploaded", "Add the photos the results name: p.jpg"),
        ("latency_s is a word", "latency_s must be a number or null"),
        ("nested 3,000 deep", "nested more than 24 deep"),
        ("a 100-megapixel photo", "50"),
        ("a photo of another size", "the photo is 800×600 pixels, the results say 900×600"),
    ],
)
def test_a_reopen_that_cannot_be_used_is_one_line_and_leaves_no_folder(tmp_path, runs, case, said):
    photo, sha = site_photo(tmp_path)
    upload = [photo]
    if case == "the photo listed 60 times":
        doc = results(tmp_path, [entry("p.jpg", sha) for _ in range(60)])
    elif case == "2,000 findings on a photo":
        doc = results(tmp_path, [entry("p.jpg", sha, findings=[finding()] * 2000)])
    elif case == "a file over 8 MB":
        doc = results(tmp_path, [entry("p.jpg", sha, raw_text="x" * 9_000_000)])
    elif case == "a photo not uploaded":
        doc, upload = results(tmp_path, [entry("p.jpg", sha)]), []
    elif case == "latency_s is a word":
        doc = results(tmp_path, [entry("p.jpg", sha, latency_s="slow")])
    elif case == "nested 3,000 deep":
        doc = results(tmp_path, [], raw=_deep_json())
    elif case == "a 100-megapixel photo":
        bomb = _bomb(tmp_path)
        doc, upload = results(tmp_path, [entry("bomb.png", None, (10_000, 10_000))]), [bomb]
    else:
        doc = results(tmp_path, [entry("p.jpg", sha, (900, 600))])
    with running_app(space()) as url:
        page = PageSession(url, B)
        refused = reopen(page, doc, *upload)
    said_there = error_of(refused)
    assert said in said_there, said_there
    assert "\n" not in said_there.strip() and str(tmp_path) not in said_there
    assert "/tmp" not in said_there and "Errno" not in said_there
    assert folders(runs) == []


def test_a_one_pixel_box_reopens_and_is_reviewed(tmp_path, runs):
    photo, sha = site_photo(tmp_path)
    doc = results(tmp_path, [entry("p.jpg", sha, findings=[finding((5, 5, 6, 6))])])
    with running_app(space()) as url:
        page = PageSession(url, A)
        reopened(page, doc, photo)
        decided = page.call(page.event("review-confirm-all"), CONFIRM_ALL)
    assert decided["success"], error_of(decided)


def test_a_box_drawn_outside_the_photo_is_cut_to_it_and_the_run_still_opens(tmp_path, runs):
    photo, sha = site_photo(tmp_path)
    doc = results(tmp_path, [entry("p.jpg", sha)])
    with running_app(space()) as url:
        page = PageSession(url, A)
        done = reopened(page, doc, photo)
        drawn = dict(page.output(done, page.event("reopen"), page.ids["annotator"]))
        drawn["boxes"] = [{"xmin": -500, "ymin": -500, "xmax": 100_000, "ymax": 50,
                           "label": "+", "color": "#FF0000"}]  # fmt: skip
        add = page.event("review-add")
        added = page.call(add, [None, "en", "A", "", None, "", drawn, "person:missing"])
        assert added["success"], error_of(added)
        again = page.call(page.event("review-confirm-all"), CONFIRM_ALL)
        assert again["success"], error_of(again)
        drawn["boxes"] = [{"xmin": 5000, "ymin": 5000, "xmax": 6000, "ymax": 6000,
                           "label": "+", "color": "#FF0000"}]  # fmt: skip
        outside = page.call(add, [None, "en", "A", "", None, "", drawn, "person:missing"])
    assert "outside the photo" in error_of(outside)
    (folder,) = folders(runs)
    saved = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    boxes = [d["box"] for d in saved["images"][0]["detections"]]
    assert [0, 0, 800, 50] in boxes


@pytest.mark.parametrize(
    "remembered",
    [
        {"run": "run-abcdefgh", "token": ["a", "list"]},
        {"run": "run-abcdefgh", "token": "jeton-é-非ASCII"},
        {"run": ["run-abcdefgh"], "token": "x"},
        {"run": "../../etc", "token": "x"},
        "not even an object",
    ],
)
def test_a_remembered_run_of_any_shape_opens_nothing_and_says_nothing(runs, remembered):
    (runs / "run-abcdefgh").mkdir(parents=True)
    (runs / "run-abcdefgh" / "results.json").write_text('{"token": "right"}')
    with running_app(space()) as url:
        page = PageSession(url, A)
        browser = page.component("browserstate")
        restore = next(d["id"] for d in page.config["dependencies"] if d["inputs"] == [browser])
        done = page.call(restore, [remembered])
    assert done["success"], error_of(done)


def test_a_run_that_has_gone_says_so_without_a_server_path(tmp_path, runs):
    photo, sha = site_photo(tmp_path)
    doc = results(tmp_path, [entry("p.jpg", sha)])
    with running_app(space()) as url:
        page = PageSession(url, A)
        reopened(page, doc, photo)
        for folder in folders(runs):  # cleared, as a run idle past its time is
            shutil.rmtree(folder)
        decided = page.call(page.event("review-confirm-all"), CONFIRM_ALL)
        written = page.call(page.event("write-report"), [None, "en", "", "", ""])
    for done in (decided, written):
        said = error_of(done)
        assert "no longer on the server" in said, said
        assert "/" not in said.replace("results JSON", "") and "Errno" not in said


def test_writing_the_report_again_counts_per_visitor(tmp_path, runs):
    photo, sha = site_photo(tmp_path)
    doc = results(tmp_path, [entry("p.jpg", sha)])
    with running_app(space(SAFETY_REPORTS_PER_HOUR="2")) as url:
        page = PageSession(url, A)
        reopened(page, doc, photo)
        write = page.event("write-report")
        outcomes = [page.call(write, [None, "en", "", "", ""]) for _ in range(3)]
    assert [o["success"] for o in outcomes] == [True, True, False]
    assert "at most 2 reports per hour" in error_of(outcomes[2])


def test_redrawing_counts_per_visitor(tmp_path, runs):
    photo, sha = site_photo(tmp_path)
    doc = results(tmp_path, [entry("p.jpg", sha)])
    with running_app(space(SAFETY_REDRAWS_PER_HOUR="3")) as url:
        page = PageSession(url, A)
        reopened(page, doc, photo)
        confirm_all = page.event("review-confirm-all")
        outcomes = [page.call(confirm_all, CONFIRM_ALL) for _ in range(4)]
    assert [o["success"] for o in outcomes] == [True, True, True, False]
    assert "at most 3 photos per hour" in error_of(outcomes[3])


def test_a_reopen_stops_when_the_visitor_goes_away(tmp_path, runs):
    photos = [site_photo(tmp_path, f"p{n}.jpg", (3000, 2000), seed=n) for n in range(12)]
    doc = results(tmp_path, [entry(p.name, sha, (3000, 2000)) for p, sha in photos])
    with running_app(space()) as url:
        page = PageSession(url, A)
        page.leave(page.event("reopen"), [page.upload([doc, *(p for p, _ in photos)]), "en"])
        time.sleep(15)  # time enough for every photo, had the work gone on
        assert folders(runs) == []
        # And the visitor's run is over: they may reopen at once.
        small, sha = site_photo(tmp_path)
        reopened(PageSession(url, A), results(tmp_path, [entry("p.jpg", sha)], "b.json"), small)
