"""Files written whole (safety.files): the one way every output, cache and record is written."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from safety.files import replacing, write_atomic, write_together


def test_a_file_is_written_whole_and_nothing_is_left_beside_it(tmp_path):
    path = tmp_path / "deep" / "folder" / "out.json"
    write_atomic(path, "总结 {}")
    assert path.read_text(encoding="utf-8") == "总结 {}"
    write_atomic(path, b"second", durable=True)
    assert path.read_bytes() == b"second"
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.json"]


def test_a_failure_mid_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(path, "w") as f:
        f.write("half a fi")
        raise RuntimeError("the disk went away")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]


def test_private_files_are_the_owners_alone_and_others_follow_the_umask(tmp_path):
    write_atomic(tmp_path / "cache.json", "{}", private=True)
    write_atomic(tmp_path / "report.pdf", b"%PDF")
    assert stat.S_IMODE((tmp_path / "cache.json").stat().st_mode) == 0o600
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "report.pdf").stat().st_mode) == 0o666 & ~umask


def test_threads_writing_one_file_never_share_a_temporary(tmp_path):
    path = tmp_path / "calibration.json"
    texts = [str(n) * 5000 for n in range(10)]
    threads = [threading.Thread(target=write_atomic, args=(path, text)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert path.read_text(encoding="utf-8") in texts  # one writer's whole text, not a mix
    assert [p.name for p in tmp_path.iterdir()] == ["calibration.json"]


def test_several_files_are_written_all_or_none(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder is needed", encoding="utf-8")
    first, second = tmp_path / "report.pdf", blocked / "results.json"
    with pytest.raises(OSError) as caught:
        write_together([(first, b"%PDF"), (second, b"{}")])
    assert caught.value.filename == str(second)  # the file asked for, not a temporary
    assert not first.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked"]
    write_together([(first, b"%PDF"), (tmp_path / "results.json", b"{}")])
    assert first.read_bytes() == b"%PDF" and (tmp_path / "results.json").read_bytes() == b"{}"
