"""Faces unrecognisable in every image we write or show.

The face is NASA's public-domain portrait of Eileen Collins that scikit-image ships
(``skimage.data.astronaut``). A face region is "unrecognisable" when its sharpness (the
variance of the Laplacian) falls below SHARP_MAX and no face detector finds it any more;
the unblurred photo is checked against the same measures, so the test can fail.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from safety import privacy
from safety.config import load_settings
from safety.inspection import Inspector
from safety.report import ReportInfo, build_report
from tests.fakes import FakeModel, frame_size

cv2 = pytest.importorskip("cv2")
skdata = pytest.importorskip("skimage.data")

SIZE = 1024
FACE = (353, 130, 546, 323)  # the face in the photo at SIZE, as the cascade finds it
SHARP_MAX = 15.0  # the unblurred face scores about 90 at this size, the blurred one about 2


def _face_photo() -> bytes:
    img = Image.fromarray(skdata.astronaut()).resize((SIZE, SIZE), Image.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92)
    return out.getvalue()


def _sharpness(image: Image.Image, box) -> float:
    k = image.width / SIZE
    x1, y1, x2, y2 = (round(v * k) for v in box)
    gray = np.asarray(image.convert("L"))[y1:y2, x1:x2]
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def _open(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as img:
        return img.convert("RGB")


def _unrecognisable(image: Image.Image) -> bool:
    k = image.width / SIZE
    cx, cy = (FACE[0] + FACE[2]) / 2 * k, (FACE[1] + FACE[3]) / 2 * k
    on_face = [b for b in privacy.detect_faces(image) if b[0] < cx < b[2] and b[1] < cy < b[3]]
    return _sharpness(image, FACE) < SHARP_MAX and not on_face


def _person_answer(question):
    """One person boxed around the astronaut (head and shoulders), in the frame's pixels."""
    w, h = frame_size(question)
    box = [round(0.05 * w), round(0.03 * h), round(0.7 * w), round(0.99 * h)]
    item = {"bbox_2d": box, "label": "person", "sub_label": "no hard hat"}
    return "```json\n" + json.dumps([item])


def _inspect(hook):
    settings = load_settings({}, base_url="http://fake.invalid/v1", model="m", coords="absolute")
    model = FakeModel(_person_answer)
    result = Inspector(settings, model=model, privacy=hook).inspect_one(("a.jpg", _face_photo()))
    assert result.ok, result.error
    return result, model


@pytest.mark.slow
def test_the_unblurred_face_is_sharp_and_found():
    photo = _open(_face_photo())
    assert _sharpness(photo, FACE) > 4 * SHARP_MAX
    assert not _unrecognisable(photo)


@pytest.mark.slow
def test_every_image_the_pipeline_keeps_has_the_face_blurred_and_findings_unchanged():
    plain, _ = _inspect(None)
    blurred, model = _inspect(privacy.make_privacy(True))
    assert not _unrecognisable(_open(plain.photo_jpeg))  # the measure can fail
    for data in (blurred.marked_jpeg, blurred.preview_jpeg, blurred.photo_jpeg):
        assert _unrecognisable(_open(data))
    assert [d.to_dict() for d in blurred.detections] == [d.to_dict() for d in plain.detections]
    # Not before sending unless asked: the model saw the face.
    assert not _unrecognisable(_open(model.questions[0].jpeg))


@pytest.mark.slow
def test_blur_before_send_blurs_the_frame_sent():
    _, model = _inspect(privacy.make_privacy(False, before_send=True))
    assert _unrecognisable(_open(model.questions[0].jpeg))


def test_the_head_of_a_person_box_is_blurred_when_the_detector_misses(monkeypatch):
    monkeypatch.setattr(privacy, "detect_faces", lambda image: [])
    result, _ = _inspect(privacy.make_privacy(True))
    assert _sharpness(_open(result.photo_jpeg), FACE) < SHARP_MAX


@pytest.mark.slow
def test_no_unblurred_face_reaches_the_report_or_the_gallery(tmp_path):
    from pypdf import PdfReader

    from safety.web.runs import make_view

    def pdf_images(result) -> list[Image.Image]:
        pdf = build_report([result], ReportInfo(lang="en"))
        return [_open(img.data) for page in PdfReader(io.BytesIO(pdf)).pages for img in page.images]

    plain, _ = _inspect(None)
    assert any(not _unrecognisable(img) for img in pdf_images(plain) if img.width > 200)
    blurred, _ = _inspect(privacy.make_privacy(True))
    images = [img for img in pdf_images(blurred) if img.width > 200]
    assert images and all(_unrecognisable(img) for img in images)
    view = make_view(blurred, tmp_path, 1, "en")
    assert _unrecognisable(Image.open(view.image).convert("RGB"))


@pytest.mark.slow
def test_report_command_blurs_the_photos_it_reads_again(tmp_path):
    from safety.commands.cli import main
    from safety.results_io import to_json

    photo = tmp_path / "a.jpg"
    photo.write_bytes(_face_photo())
    result, _ = _inspect(None)
    result.source = str(photo)
    (tmp_path / "r.json").write_text(to_json([result]), encoding="utf-8")
    out = tmp_path / "out.pdf"
    argv = ["report", str(tmp_path / "r.json"), "--report", str(out), "--blur-faces"]
    assert main(argv) == 0

    from pypdf import PdfReader

    pages = PdfReader(str(out)).pages
    images = [_open(i.data) for page in pages for i in page.images]
    images = [img for img in images if img.width > 200]
    assert images and all(_unrecognisable(img) for img in images)


def test_a_person_a_reviewer_adds_has_the_head_blurred_when_the_run_blurs(tmp_path, monkeypatch):
    from safety.web.actions_panel import BLUR_MARK
    from safety.web.review_panel import apply_decision
    from safety.web.runs import RunMeta
    from safety.web.state import RunState
    from safety.web.store import RunStore
    from safety.web.views import PhotoView

    monkeypatch.setattr(privacy, "detect_faces", lambda image: [])  # only the added box counts
    result, _ = _inspect(None)
    result.detections = []  # the model found nobody
    shown = tmp_path / "shown.jpg"
    shown.write_bytes(result.photo_jpeg)
    store = RunStore(tmp_path)
    (tmp_path / BLUR_MARK).touch()
    store.save([result], RunMeta(None, None, True))
    view = PhotoView(0, result.source, True, None, str(shown), "", [])
    state = RunState(str(tmp_path), {0: view}, [0], photo=0)
    drawn = {"boxes": [{"xmin": 50, "ymin": 30, "xmax": 720, "ymax": 1010}]}
    assert _sharpness(_open(result.photo_jpeg), FACE) > SHARP_MAX
    apply_decision(state, "add", "en", "Li", choice="person:missing", drawn=drawn)
    saved = store.load().results[0]
    assert saved.detections[0].review == "added"
    assert _sharpness(_open(saved.photo_jpeg), FACE) < SHARP_MAX
