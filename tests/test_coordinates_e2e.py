"""Boxes land on the truth on every backend, through the real CLI, openai client and HTTP.

The simulated endpoints resize what they receive exactly as the real servers do (their own
smart_resize, grid and max_pixels) and answer in their model family's convention. The
photos have known objects; every reported box must be within 1% of the photo's size of the
truth, for small and large, portrait and landscape photos, with and without EXIF rotation.
"""

from __future__ import annotations

import json

import pytest

from safety.commands.cli import main
from tests import scenes

QWEN25 = "Qwen/Qwen2.5-VL-7B-Instruct"
QWEN3 = "Qwen/Qwen3-VL-8B-Instruct"

# (id, simulator settings, model name, extra CLI flags)
BACKENDS = [
    # vLLM + Qwen2.5-VL at its default limits: absolute pixels on a 28 grid.
    ("qwen25-vllm-default", dict(convention="absolute", grid=28), QWEN25, []),
    # The same server started with a reduced max_pixels: it shrinks our frame, and only the
    # calibration (default for self-hosted endpoints) reveals it.
    (
        "qwen25-vllm-reduced",
        dict(convention="absolute", grid=28, max_pixels=256 * 28 * 28),
        QWEN25,
        [],
    ),
    # A 32-grid absolute model (recent qwen-vl-max snapshots), named as on DashScope.
    (
        "absolute-grid32",
        dict(convention="absolute", grid=32, models=("qwen-vl-max",)),
        "qwen-vl-max",
        ["--preset", "vllm"],
    ),
    # Qwen3-VL: relative 0..1000 on a 32 grid.
    ("qwen3-relative", dict(convention="relative-1000", grid=32, models=(QWEN3,)), QWEN3, []),
    # Qwen2-VL's tag form, 0..1000.
    (
        "qwen2-tags",
        dict(convention="qwen2-tags", grid=28, models=("Qwen/Qwen2-VL-7B",)),
        "Qwen/Qwen2-VL-7B",
        [],
    ),
]

# (width, height, EXIF orientation) of the UPRIGHT photo.
PHOTOS = [
    (300, 200, 1),
    (640, 480, 6),
    (1920, 1080, 1),
    (1080, 1920, 8),
    (3000, 4000, 3),
    (4000, 3000, 1),
    (4000, 3000, 6),
]


def _run_cli(tmp_path, server, model, flags, photos):
    out = tmp_path / "out.json"
    argv = [
        "inspect",
        *map(str, photos),
        "--base-url",
        server.base_url,
        "--model",
        model,
        "--json",
        str(out),
        "--quiet",
        *flags,
    ]
    code = main(argv)
    return code, json.loads(out.read_text(encoding="utf-8"))


def _assert_matches(image_doc, truth, width, height):
    assert image_doc["error"] is None, image_doc["error"]
    assert (image_doc["width"], image_doc["height"]) == (width, height)
    found = image_doc["detections"]
    assert len(found) == len(truth), found
    tol_x, tol_y = 0.01 * width, 0.01 * height
    for kind, box in truth:
        category = scenes.CATEGORY[kind]
        candidates = [d for d in found if d["category"] == category]
        best = min(candidates, key=lambda d: sum(abs(a - b) for a, b in zip(d["box"], box)))
        dx = max(abs(best["box"][0] - box[0]), abs(best["box"][2] - box[2]))
        dy = max(abs(best["box"][1] - box[1]), abs(best["box"][3] - box[3]))
        assert dx <= tol_x and dy <= tol_y, (kind, best["box"], box)
        if kind == "person-missing":
            assert best["helmet"] == "missing"
        elif kind == "person":
            assert best["helmet"] == "worn"
        else:
            assert best["severity"] in ("severe", "moderate")


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS, ids=[b[0] for b in BACKENDS])
def test_boxes_land_on_truth(tmp_path, simulator, backend):
    _, sim_kwargs, model, flags = backend
    server = simulator(**sim_kwargs)
    photos, truths = [], []
    for n, (w, h, orientation) in enumerate(PHOTOS):
        objects = scenes.layout(w, h, seed=n)
        path = tmp_path / f"photo{n}_{w}x{h}_o{orientation}.jpg"
        path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, objects), orientation))
        photos.append(path)
        truths.append(objects)
    code, doc = _run_cli(tmp_path, server, model, flags, photos)
    assert code == 0
    for image_doc, objects, (w, h, _) in zip(doc["images"], truths, PHOTOS):
        _assert_matches(image_doc, objects, w, h)


def test_explicit_max_pixels_matches_a_reduced_server_without_calibration(tmp_path, simulator):
    """A user who knows the server's limit can say it; no probe is sent then."""
    server = simulator(convention="absolute", grid=28, max_pixels=256 * 28 * 28)
    w, h = 4000, 3000
    objects = scenes.layout(w, h, seed=3)
    path = tmp_path / "p.jpg"
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, objects)))
    code, doc = _run_cli(
        tmp_path,
        server,
        QWEN25,
        ["--coords", "absolute", "--max-pixels", str(256 * 28 * 28)],
        [path],
    )
    assert code == 0
    _assert_matches(doc["images"][0], objects, w, h)
    assert all("red rectangle" not in r.prompt for r in server.requests)


def test_reduced_server_with_explicit_absolute_is_wrong_and_that_is_why_auto_exists(
    tmp_path, simulator
):
    """Guard for the trap itself: sending frames the server shrinks misplaces boxes."""
    server = simulator(convention="absolute", grid=28, max_pixels=256 * 28 * 28)
    w, h = 4000, 3000
    objects = scenes.layout(w, h, seed=3)
    path = tmp_path / "p.jpg"
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, objects)))
    _, doc = _run_cli(tmp_path, server, QWEN25, ["--coords", "absolute"], [path])
    with pytest.raises(AssertionError):
        _assert_matches(doc["images"][0], objects, w, h)


def test_calibration_is_sent_once_and_remembered(tmp_path, simulator):
    server = simulator(convention="relative-1000", grid=32, models=(QWEN3,))
    w, h = 800, 600
    path = tmp_path / "p.jpg"
    path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, scenes.layout(w, h))))
    for _ in range(2):
        code, _ = _run_cli(tmp_path, server, QWEN3, ["--coords", "auto"], [path, path])
        assert code == 0
    probes = [r for r in server.requests if "red rectangle" in r.prompt]
    assert len(probes) == 1
    assert len(server.requests) == 5
