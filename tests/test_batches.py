"""Batches: concurrent, streaming, lazy, cancellable and frugal. Behaviour, not wall-clock."""

from __future__ import annotations

import threading
import time

import pytest

from safety.config import load_settings
from safety.inspection import Inspector
from tests import scenes
from tests.simulator import Fault

MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"


def _inspector(server, concurrency=4, **kw) -> Inspector:
    settings = load_settings(
        {},
        base_url=server.base_url,
        model=MODEL,
        coords="absolute",
        concurrency=concurrency,
        max_retries=0,
        timeout=20,
    )
    return Inspector(settings, **kw)


def _photo(seed=0, w=640, h=480) -> bytes:
    return scenes.jpeg_bytes(scenes.scene(w, h, scenes.layout(w, h, seed)))


@pytest.mark.slow
def test_requests_are_concurrent_up_to_the_setting(simulator):
    server = simulator(convention="absolute", base_latency=0.3)
    photos = [(f"p{i}.jpg", _photo(i)) for i in range(12)]
    results = list(_inspector(server, concurrency=4).inspect_many(photos))
    assert len(results) == 12 and all(r.ok for r in results)
    assert server.in_flight_peak == 4
    assert sorted(r.index for r in results) == list(range(12))


@pytest.mark.slow
def test_results_stream_out_before_the_batch_ends(simulator):
    server = simulator(convention="absolute", base_latency=0.2)
    # The first photo answers at once, the rest after a delay: it must come out first,
    # while the others are still at the server.
    server.model.faults.extend([Fault()] + [Fault(delay=1.0) for _ in range(5)])
    inspector = _inspector(server, concurrency=6)
    stream = inspector.inspect_many([(f"p{i}.jpg", _photo(i)) for i in range(6)])
    first = next(stream)
    assert first.ok
    # The log gets a record when a request arrives and its status when it is answered: the
    # first result is out while other requests are still unanswered at the server.
    assert any(r.status is None for r in server.requests)
    rest = list(stream)
    assert len(rest) == 5


@pytest.mark.slow
def test_sources_are_read_lazily_so_memory_does_not_grow_with_the_batch(simulator):
    server = simulator(convention="absolute", base_latency=0.2)
    consumed = 0

    def photos():
        nonlocal consumed
        for i in range(40):
            consumed += 1
            yield (f"p{i}.jpg", _photo(i % 3))

    stream = _inspector(server, concurrency=2).inspect_many(photos())
    next(stream)
    # Only the photos in flight and a bounded read-ahead have been taken from the source.
    assert consumed <= 2 * 2 + 2
    assert sum(1 for _ in stream) == 39


def test_one_bad_photo_never_sinks_the_batch(simulator):
    server = simulator(convention="absolute")
    items = [
        ("a.jpg", _photo(1)),
        ("broken.jpg", b"GIF89a broken"),
        ("c.jpg", _photo(2)),
        "/no/such/file.jpg",
    ]
    results = sorted(_inspector(server).inspect_many(items), key=lambda r: r.index)
    assert [r.ok for r in results] == [True, False, True, False]
    assert "not an image" in results[1].error or "damaged" in results[1].error
    assert "No such file" in results[3].error


def test_cancel_stops_submitting_and_aborts_requests_in_flight(simulator):
    server = simulator(convention="absolute", base_latency=5.0)
    cancel = threading.Event()
    inspector = _inspector(server, concurrency=2)
    got = []

    def run():
        got.extend(
            inspector.inspect_many([(f"p{i}.jpg", _photo(i)) for i in range(10)], cancel=cancel)
        )

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 5
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    cancel.set()
    worker.join(timeout=10)
    assert not worker.is_alive()
    # Did not wait for the 5 s answers: when the run was over, every request it had sent
    # was still unanswered at the server (the log gets a status only once one is sent).
    sent = server.requests
    assert sent, "the run was cancelled before any request reached the server"
    assert all(r.status is None for r in sent)
    # Stopped submitting: nothing beyond the first wave of 2 ever reached the server.
    assert len(sent) <= 2 and server.in_flight_peak <= 2
    assert got == []  # nothing half-done is reported as a result


def test_twelve_megapixel_photo_costs_few_tokens_and_a_small_upload(simulator):
    server = simulator(convention="absolute", grid=28)
    big = scenes.jpeg_bytes(scenes.scene(4000, 3000, scenes.layout(4000, 3000)), quality=95)
    result = _inspector(server).inspect_one(("big.jpg", big))
    assert result.ok
    request = server.requests[-1]
    assert request.visual_tokens <= 1300  # a raw upload costs ~15,300 on a default server
    assert result.upload_bytes <= 500_000
    assert request.frame_size == result.frame  # the server kept the frame we sent


@pytest.mark.parametrize("keep_images", [True, False])
def test_results_hold_no_full_resolution_image(simulator, keep_images):
    server = simulator(convention="absolute")
    big = scenes.jpeg_bytes(scenes.scene(4000, 3000, scenes.layout(4000, 3000)))
    result = _inspector(server, keep_images=keep_images).inspect_one(("big.jpg", big))
    held = len(result.marked_jpeg or b"") + len(result.preview_jpeg or b"")
    assert held < 1_500_000
    assert (result.marked_jpeg is not None) == keep_images
