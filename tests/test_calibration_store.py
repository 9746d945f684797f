"""The calibration cache stays small and is never trusted blindly: at most MAX_ENTRIES entries
(the least recently probed go first), and a corrupt, hostile or huge file reads as empty."""

from __future__ import annotations

import json
import os
import threading

import pytest

from safety import geometry
from safety.backends import calibration
from safety.backends.calibration import MAX_ENTRIES, CalibrationStore, Plan, plan_for
from safety.config import Settings

BASE = "http://vllm.internal:8000/v1"


def settings(tmp_path, max_pixels=1_003_520, model="Qwen/Qwen2.5-VL-7B-Instruct", base=BASE):
    return Settings(
        base_url=base, model=model, api_key="sk-x", max_pixels=max_pixels, cache_dir=tmp_path
    )


def entry(probed_at: str | None = "2025-01-01T00:00:00+0000", **extra) -> dict:
    out = {"convention": "absolute", "grid": 224, "max_pixels": 50176, "how": "calibrated"}
    out["notes"] = []
    if probed_at is not None:
        out["probed_at"] = probed_at
    return {**out, **extra}


def stamp(i: int) -> str:
    """Distinct probe times, one minute apart, in order of i."""
    return f"2025-03-{1 + i // 1440:02d}T{i // 60 % 24:02d}:{i % 60:02d}:00+0000"


def on_disk(store: CalibrationStore) -> dict:
    return json.loads(store.path.read_text(encoding="utf-8"))


# -- bounded ---------------------------------------------------------------------------------


def test_a_visitor_varying_max_pixels_cannot_grow_the_file(tmp_path):
    store = CalibrationStore(tmp_path)
    plan = Plan("absolute", 224, 50176, "calibrated")
    for i in range(MAX_ENTRIES * 3):
        store.remember(settings(tmp_path, max_pixels=50176 + i), plan)
    stored = on_disk(store)
    assert len(stored) == MAX_ENTRIES
    # The newest are kept; probes within one second keep the order they were made in.
    assert list(stored) == [
        CalibrationStore.key(settings(tmp_path, max_pixels=50176 + i))
        for i in range(MAX_ENTRIES * 2, MAX_ENTRIES * 3)
    ]
    assert store.get(settings(tmp_path, max_pixels=50176 + MAX_ENTRIES * 3 - 1)) is not None
    assert store.get(settings(tmp_path, max_pixels=50176)) is None


def test_the_least_recently_probed_entry_goes_first(tmp_path):
    store = CalibrationStore(tmp_path)
    sets = [settings(tmp_path, max_pixels=100_000 + i) for i in range(MAX_ENTRIES)]
    # Put in an order unlike the probe times: the oldest probe (index 5) sits in the middle.
    times = {i: stamp(i + 10) for i in range(MAX_ENTRIES)}
    times[5] = stamp(0)
    times[0] = stamp(MAX_ENTRIES + 50)
    for i, s in enumerate(sets):
        store.put(s, entry(times[i]))
    store.put(settings(tmp_path, max_pixels=999_999), entry(stamp(MAX_ENTRIES + 60)))
    stored = on_disk(store)
    assert len(stored) == MAX_ENTRIES
    assert CalibrationStore.key(sets[5]) not in stored
    assert CalibrationStore.key(sets[0]) in stored


def test_probe_times_in_other_time_zones_compare_as_instants(tmp_path):
    store = CalibrationStore(tmp_path)
    sets = [settings(tmp_path, max_pixels=100_000 + i) for i in range(MAX_ENTRIES)]
    for i, s in enumerate(sets):
        store.put(s, entry(f"2025-03-01T{10 + i // 60}:{i % 60:02d}:00+0000"))
    # 08:30 at UTC-5 is 13:30 UTC: newer than every other entry, though smaller as text.
    store.put(sets[0], entry("2025-03-01T08:30:00-0500"))
    store.put(settings(tmp_path, max_pixels=999_999), entry("2025-03-01T14:00:00+0000"))
    stored = on_disk(store)
    assert CalibrationStore.key(sets[0]) in stored
    assert CalibrationStore.key(sets[1]) not in stored


def test_entries_without_a_probe_time_go_first_in_file_order(tmp_path):
    store = CalibrationStore(tmp_path)
    sets = [settings(tmp_path, max_pixels=100_000 + i) for i in range(MAX_ENTRIES)]
    for i, s in enumerate(sets):
        undated = i in (3, 7, 9)
        store.put(s, entry(None if undated else stamp(i)))
    for n, gone in enumerate((3, 7, 9, 0)):
        store.put(settings(tmp_path, max_pixels=900_000 + n), entry(stamp(1000 + n)))
        stored = on_disk(store)
        assert len(stored) == MAX_ENTRIES
        assert CalibrationStore.key(sets[gone]) not in stored


def test_the_entry_being_stored_always_stays(tmp_path):
    """Even when every other entry claims a later probe (a clock that went back, or a file
    written elsewhere), the new calibration is kept."""
    store = CalibrationStore(tmp_path)
    for i in range(MAX_ENTRIES):
        store.put(settings(tmp_path, max_pixels=100_000 + i), entry("2099-01-01T00:00:00+0000"))
    newest = settings(tmp_path, max_pixels=999_999)
    store.put(newest, entry(None))
    assert store.get(newest) is not None and len(on_disk(store)) == MAX_ENTRIES


def test_an_entry_stored_again_moves_to_the_end(tmp_path):
    store = CalibrationStore(tmp_path)
    first, second = settings(tmp_path, max_pixels=100_000), settings(tmp_path, max_pixels=100_001)
    store.put(first, entry(stamp(1)))
    store.put(second, entry(stamp(2)))
    store.put(first, entry(stamp(3)))
    assert list(on_disk(store)) == [CalibrationStore.key(second), CalibrationStore.key(first)]


def test_the_file_never_exceeds_its_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(calibration, "MAX_FILE_BYTES", 4000)
    store = CalibrationStore(tmp_path)
    for i in range(MAX_ENTRIES):
        store.put(settings(tmp_path, model="m" * 300 + str(i)), entry(stamp(i)))
        assert store.path.stat().st_size <= 4000
    last = settings(tmp_path, model="m" * 300 + str(MAX_ENTRIES - 1))
    assert store.get(last) is not None  # the newest survives the trimming
    huge = settings(tmp_path, model="m" * 5000)
    store.put(huge, entry(stamp(999)))  # too large even alone: not stored, nothing broken
    assert store.get(huge) is None and store.get(last) is not None


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path):
    store = CalibrationStore(tmp_path)
    threads = [
        threading.Thread(
            target=lambda i=i: CalibrationStore(tmp_path).put(
                settings(tmp_path, max_pixels=100_000 + i), entry(stamp(i))
            )
        )
        for i in range(MAX_ENTRIES + 16)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Stores of one file share a lock: no update is lost to a concurrent one.
    assert len(on_disk(store)) == MAX_ENTRIES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calibration.json"]


def test_an_unwritable_directory_costs_nothing_but_the_cache(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    store = CalibrationStore(blocker)
    store.put(settings(tmp_path), entry())  # no error
    assert store.get(settings(tmp_path)) is None


# -- robust to what is on disk ---------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'"a string"',
        b"null",
        b"{" * 100_000,
        b"[" * 100_000 + b"]" * 100_000,
        b'{"key": ' * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=["empty", "text", "binary", "list", "string", "null", "unclosed", "deep", "deep-obj"],
)
def test_a_corrupt_file_reads_as_empty_and_is_replaced(tmp_path, content):
    store = CalibrationStore(tmp_path)
    store.path.write_bytes(content)
    s = settings(tmp_path)
    assert store.get(s) is None
    store.put(s, entry())
    assert store.get(s) is not None and len(on_disk(store)) == 1


def test_entries_that_are_not_objects_are_ignored_and_dropped(tmp_path):
    s = settings(tmp_path)
    good = settings(tmp_path, max_pixels=200_704)
    store = CalibrationStore(tmp_path)
    store.path.write_text(
        json.dumps(
            {
                CalibrationStore.key(s): ["absolute", 224],
                "junk|1": "absolute",
                "junk|2": 42,
                "junk|3": None,
                CalibrationStore.key(good): entry(),
            }
        )
    )
    assert store.get(s) is None
    assert store.get(good) == entry()
    store.put(settings(tmp_path, max_pixels=300_000), entry())
    assert set(on_disk(store)) == {
        CalibrationStore.key(good),
        CalibrationStore.key(settings(tmp_path, max_pixels=300_000)),
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"convention": "sideways"},
        {"convention": ["absolute"]},
        {"convention": None},
        {"grid": 0},
        {"grid": 7},
        {"grid": "224"},
        {"grid": True},
        {"grid": 224.0},
        {"max_pixels": 10**12},  # more than these settings allow: calibration only lowers it
        {"max_pixels": 100},  # smaller than one grid cell
        {"max_pixels": "50176"},
        {"max_pixels": -1},
        {"notes": "a string, not a list"},
        {"notes": [1, 2]},
        {"notes": {"a": 1}},
    ],
)
def test_entries_of_the_wrong_shape_are_not_used(tmp_path, bad):
    s = settings(tmp_path)
    store = CalibrationStore(tmp_path)
    store.path.write_text(json.dumps({CalibrationStore.key(s): entry(**bad)}))
    assert store.get(s) is None


def test_a_remembered_plan_missing_optional_fields_is_still_used(tmp_path):
    """Entries written before every field existed fall back as plan_for expects."""
    s = settings(tmp_path)
    store = CalibrationStore(tmp_path)
    store.path.write_text(json.dumps({CalibrationStore.key(s): {"convention": "relative-1000"}}))
    assert store.get(s) == {"convention": "relative-1000"}


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    s = settings(tmp_path)
    store = CalibrationStore(tmp_path)
    data = {CalibrationStore.key(s): entry(), "padding": {"x": "y" * calibration.MAX_FILE_BYTES}}
    store.path.write_text(json.dumps(data))
    assert store.path.stat().st_size > calibration.MAX_FILE_BYTES
    assert store.get(s) is None
    store.put(s, entry())  # and the next calibration replaces it with a small file
    assert store.path.stat().st_size < 10_000 and store.get(s) is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_special_file_is_not_read(tmp_path):
    """A named pipe in the cache's place would block a read forever."""
    store = CalibrationStore(tmp_path)
    os.mkfifo(store.path)
    assert store.get(settings(tmp_path)) is None


def test_a_directory_in_the_files_place_is_harmless(tmp_path):
    store = CalibrationStore(tmp_path)
    store.path.mkdir()
    assert store.get(settings(tmp_path)) is None
    store.put(settings(tmp_path), entry())  # cannot replace a directory: no error


class _NoModel:
    def ask(self, question):  # pragma: no cover - must not be called
        raise AssertionError("a remembered plan must not probe again")

    def close(self):
        pass


def test_plan_for_uses_a_good_entry_and_survives_a_hostile_one(tmp_path):
    s = settings(tmp_path)
    store = CalibrationStore(tmp_path)
    store.put(s, entry(grid=224, max_pixels=200_704, notes=["shrinks frames"]))
    plan = plan_for(s, _NoModel(), store)
    assert plan == Plan("absolute", 224, 200_704, "remembered calibration", ("shrinks frames",))
    # A hostile entry is not remembered, so the endpoint is probed again.
    store.path.write_text(json.dumps({CalibrationStore.key(s): entry(grid=0)}))
    with pytest.raises(AssertionError, match="must not probe"):
        plan_for(s, _NoModel(), store)
    assert geometry.UNIVERSAL_GRID in calibration.STORED_GRIDS
