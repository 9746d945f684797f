"""Archive runs: folders, a results journal that survives kill -9, --resume,
--shard, the progress bar. The command line runs in a real process against the simulator
over real HTTP; the kill is a real SIGKILL."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import random
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections import Counter
from pathlib import Path

import pytest

from safety.archive.journal import Journal, read_entries
from safety.archive.sources import Shard, count_photos, photo_names
from safety.commands.cli import main
from safety.detections import ImageResult
from safety.errors import ConfigurationError
from tests import scenes

QWEN25 = "Qwen/Qwen2.5-VL-7B-Instruct"
ROOT = Path(__file__).resolve().parent.parent
GRID = 28


def _archive(folder: Path, n: int, *, nested: bool = True) -> dict[str, int]:
    """n photos of distinct widths (multiples of the grid, so the frame the server sees is
    the photo itself and its width names the photo); {path: width}."""
    widths = {}
    for i in range(n):
        w, h = GRID * (10 + i), GRID * 12
        sub = folder / (f"site-{i % 3}" if nested else "")
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"p{i:03d}.jpg"
        path.write_bytes(scenes.jpeg_bytes(scenes.scene(w, h, scenes.layout(w, h, seed=i))))
        widths[str(path)] = w
    return widths


def _cli(server, *args) -> list[str]:
    return [
        sys.executable, "-m", "safety", "inspect", *map(str, args), "--base-url",
        server.base_url, "--model", QWEN25, "--coords", "absolute", "--recheck", "off",
    ]  # fmt: skip


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QWEN_VL_", "DASHSCOPE"))}
    return env | {"SAFETY_CACHE_DIR": str(tmp_path / "cache"), "SAFETY_LANG": "en"}


def _lines(path: Path) -> list[dict]:
    """The file's whole lines (a last line cut short is left out)."""
    if not path.exists():
        return []
    raw = path.read_bytes()
    whole = raw[: raw.rfind(b"\n") + 1]
    return [json.loads(line) for line in whole.splitlines()]


def _terminal(cmd, env) -> str:
    """Run ``cmd`` on a pseudo-terminal of 120 x 30 characters; all it printed."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdin=secondary, stdout=secondary,
                            stderr=secondary)  # fmt: skip
    os.close(secondary)
    seen = b""
    while select.select([primary], [], [], 30)[0]:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(30)
    os.close(primary)
    return seen.decode("utf-8", "replace")


def _sent_widths(server, start: int) -> list[int]:
    return [r.image_size[0] for r in server.requests[start:] if r.image_size]


@pytest.mark.slow
def test_killed_runs_resume_with_every_photo_exactly_once(tmp_path, simulator):
    """SIGKILL a run twice while it writes, cut its last line as a kill mid-write would,
    resume: every photo once in the file, and no photo finished before is sent again."""
    n = 30
    widths = _archive(tmp_path / "archive", n)
    server = simulator(base_latency=0.04)
    results = tmp_path / "run" / "results.jsonl"
    cmd = _cli(server, tmp_path / "archive", "--results", results, "--concurrency", "2", "-q")
    rng = random.Random(14)

    for round_ in range(2):
        before = {line["source"] for line in _lines(results)}
        start = len(server.requests)
        proc = subprocess.Popen(
            cmd + (["--resume"] if round_ else []), env=_env(tmp_path), cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        target = len(before) + rng.randint(3, 8)
        deadline = time.monotonic() + 60
        while len(_lines(results)) < target and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        said = proc.stderr.read().decode()
        proc.stderr.close()
        if round_ == 1:
            assert "1 line was cut short" in said  # the torn line was repaired, and said so
        lines = _lines(results)
        sources = [line["source"] for line in lines]
        assert len(sources) == len(set(sources)), "a photo was written twice"
        # No photo done before this round was sent again in it.
        done_widths = {widths[s] for s in before}
        assert not done_widths & set(_sent_widths(server, start))
        if round_ == 0:
            # A kill that tears a write leaves part of a line: cut the last one in half.
            raw = results.read_bytes()
            last = raw.rstrip(b"\n").rfind(b"\n") + 1
            results.write_bytes(raw[: last + (len(raw) - last) // 2])

    kept = {line["source"] for line in _lines(results)}
    start = len(server.requests)
    proc = subprocess.run(
        cmd + ["--resume", "--json", tmp_path / "all.json"], env=_env(tmp_path), cwd=ROOT,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    sent = _sent_widths(server, start)
    # Exactly the photos not finished before were sent, each once.
    assert sorted(sent) == sorted(widths[s] for s in widths if s not in kept)
    lines = _lines(results)
    assert Counter(line["source"] for line in lines) == Counter(list(widths))
    assert all(line["error"] is None and len(line["detections"]) == 4 for line in lines)
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert [i["source"] for i in doc["images"]] == sorted(widths)  # input order
    assert doc["summary"]["photos"] == n and doc["summary"]["failed"] == 0


def test_resume_retries_failures_and_reinspects_a_changed_photo(tmp_path, simulator):
    widths = _archive(tmp_path / "a", 4, nested=False)
    broken = tmp_path / "a" / "z-broken.jpg"
    broken.write_bytes(b"not a photo")
    server = simulator()
    results = tmp_path / "r.jsonl"
    argv = ["inspect", str(tmp_path / "a"), "--base-url", server.base_url, "--model", QWEN25,
            "--coords", "absolute", "--recheck", "off", "--results", str(results),
            "-q"]  # fmt: skip
    assert main(argv) == 1
    assert len(server.requests) == 4
    with pytest.raises(SystemExit):  # refuses to append to results without --resume
        raise SystemExit(main(argv))
    assert len(_lines(results)) == 5

    # Mend the broken photo, change another one: both are inspected again, the rest not.
    shutil.copy(next(iter(widths)), broken)
    changed = sorted(widths)[1]
    w = widths[changed]
    Path(changed).write_bytes(scenes.jpeg_bytes(scenes.scene(w, GRID * 12, [])))
    assert main(argv + ["--resume"]) == 0
    assert len(server.requests) == 6
    lines = _lines(results)
    assert sorted(line["source"] for line in lines) == sorted([*widths, str(broken)])
    by_source = {line["source"]: line for line in lines}
    assert by_source[changed]["detections"] == []
    assert by_source[str(broken)]["error"] is None


def test_results_file_is_refused_without_resume(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"source": "a.jpg"}\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="--resume"):
        Journal(path, resume=False)


@pytest.mark.parametrize("cut", [1, 2, 10, 40, -2, -1])
def test_a_line_cut_short_anywhere_is_repaired(tmp_path, cut):
    path = tmp_path / "r.jsonl"
    with Journal(path) as journal:
        for i in range(3):
            journal.write(ImageResult(source=f"p{i}.jpg", index=i, width=10, height=10,
                                      sha256=f"{i:064x}"))  # fmt: skip
    raw = path.read_bytes()
    last = raw.rstrip(b"\n").rfind(b"\n") + 1
    path.write_bytes(raw[: last + cut] if cut > 0 else raw[: len(raw) + cut])
    journal = Journal(path, resume=True)
    journal.close()
    assert journal.repaired == 1
    assert set(journal.done) == {"p0.jpg", "p1.jpg"}
    assert [e["source"] for e in read_entries(path)] == ["p0.jpg", "p1.jpg"]
    assert path.read_bytes() == raw[:last]


def test_folders_are_walked_in_order_with_glob_and_hidden_files_left_out(tmp_path):
    for rel in ("b/2.jpg", "b/1.PNG", "a/x.jpg", "a/.hidden.jpg", ".cache/c.jpg", "a/n.txt",
                "top.jpeg"):  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    names = [os.path.relpath(p, tmp_path) for p in photo_names([str(tmp_path)])]
    assert names == ["a/x.jpg", "b/1.PNG", "b/2.jpg", "top.jpeg"]
    assert len(list(photo_names([str(tmp_path)], glob="*.png"))) == 1
    assert [os.path.relpath(p, tmp_path) for p in photo_names([str(tmp_path)], glob="b/*")] == [
        "b/1.PNG",
        "b/2.jpg",
    ]
    # Names given on the command line are taken as they are (their problems come later).
    assert list(photo_names(["missing.jpg", "https://x.test/a.jpg"], glob="*.png")) == [
        "missing.jpg",
        "https://x.test/a.jpg",
    ]


def test_a_huge_folder_starts_at_once(tmp_path):
    """The walk is lazy: the first photo comes before the rest of the tree is listed."""
    for i in range(50):
        (tmp_path / f"d{i:02d}").mkdir()
        (tmp_path / f"d{i:02d}" / "p.jpg").write_bytes(b"x")
    walk = photo_names([str(tmp_path)])
    assert next(walk).endswith("d00/p.jpg")
    shutil.rmtree(tmp_path / "d49")  # not listed yet, so not missed: it was never seen
    assert sum(1 for _ in walk) == 48


def test_shards_are_disjoint_cover_the_input_and_do_not_depend_on_the_mount(tmp_path):
    for i in range(200):
        (tmp_path / "one" / f"s{i % 7}").mkdir(parents=True, exist_ok=True)
        (tmp_path / "one" / f"s{i % 7}" / f"{i}.jpg").write_bytes(b"x")
    shutil.copytree(tmp_path / "one", tmp_path / "elsewhere" / "mounted")
    parts = []
    for k in range(1, 5):
        here = [os.path.relpath(p, tmp_path / "one")
                for p in photo_names([str(tmp_path / "one")], shard=Shard(k, 4))]  # fmt: skip
        there = [os.path.relpath(p, tmp_path / "elsewhere" / "mounted")
                 for p in photo_names([str(tmp_path / "elsewhere" / "mounted")],
                                      shard=Shard(k, 4))]  # fmt: skip
        assert here == there
        assert 25 <= len(here) <= 75  # spread, not all in one part
        parts.append(set(here))
    assert sum(map(len, parts)) == len(set().union(*parts)) == 200
    assert count_photos([str(tmp_path / "one")], shard=Shard(2, 4)) == len(parts[1])


@pytest.mark.parametrize("bad", ["0/4", "5/4", "2", "a/b", "1/0"])
def test_a_bad_shard_says_the_fix(bad):
    with pytest.raises(ConfigurationError, match="K/N"):
        Shard.parse(bad)


@pytest.mark.slow
def test_progress_bar_on_a_terminal_and_plain_lines_elsewhere(tmp_path, simulator):
    _archive(tmp_path / "a", 5, nested=False)
    (tmp_path / "a" / "broken.jpg").write_bytes(b"no")
    server = simulator(base_latency=0.05)
    cmd = _cli(server, tmp_path / "a", "--concurrency", "1")
    text = _terminal(cmd, _env(tmp_path))
    assert "6/6 photos" in text and "photos/s" in text and " left" in text
    assert "1 failed" in text and "error: " in text  # the failure above the bar
    assert "[1/6]" not in text  # no plain lines on a terminal

    plain = subprocess.run(cmd, env=_env(tmp_path), cwd=ROOT, capture_output=True, text=True)
    assert "[6/6]" in plain.stdout and "photos/s" not in plain.stdout + plain.stderr

    piped = subprocess.run(cmd + ["--json", "-"], env=_env(tmp_path), cwd=ROOT,
                           capture_output=True, text=True)  # fmt: skip
    doc = json.loads(piped.stdout)  # nothing but the JSON on stdout
    assert doc["summary"]["photos"] == 6 and doc["summary"]["failed"] == 1


@pytest.mark.slow
def test_the_bar_speaks_chinese(tmp_path, simulator):
    _archive(tmp_path / "a", 2, nested=False)
    server = simulator()
    text = _terminal(_cli(server, tmp_path / "a", "--lang", "zh"), _env(tmp_path))
    assert "2/2 张" in text and "张/s" in text and "剩余" in text and "失败 0 张" in text


def test_report_and_json_from_a_results_jsonl(tmp_path, simulator):
    _archive(tmp_path / "a", 3, nested=False)
    server = simulator()
    results = tmp_path / "r.jsonl"
    argv = ["inspect", str(tmp_path / "a"), "--base-url", server.base_url, "--model", QWEN25,
            "--coords", "absolute", "--results", str(results), "-q"]  # fmt: skip
    assert main(argv) == 0
    out = tmp_path / "out"
    assert main(["report", str(results), "--report", str(out / "r.pdf"),
                 "--json", str(out / "r.json"), "--csv", str(out / "r.csv")]) == 0  # fmt: skip
    doc = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert doc["summary"]["photos"] == 3 and doc["summary"]["persons"] == 6
    assert (out / "r.pdf").read_bytes().startswith(b"%PDF")
    assert len((out / "r.csv").read_text(encoding="utf-8").splitlines()) == 1 + 3 * 4


def test_a_second_run_on_the_same_results_file_is_refused(tmp_path):
    path = tmp_path / "r.jsonl"
    with Journal(path):
        with pytest.raises(ConfigurationError, match="another run"):
            Journal(path, resume=True)
    with Journal(path, resume=True):  # free again once the first has ended
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.jsonl"]


def test_sharded_runs_joined_give_the_whole_archive_in_order(tmp_path, simulator):
    widths = _archive(tmp_path / "a", 9)
    server = simulator()
    parts = []
    for k in (1, 2, 3):
        part = tmp_path / f"part-{k}.jsonl"
        argv = ["inspect", str(tmp_path / "a"), "--base-url", server.base_url, "--model",
                QWEN25, "--coords", "absolute", "--recheck", "off", "--shard", f"{k}/3",
                "--results", str(part), "--resume", "-q"]  # fmt: skip
        assert main(argv) == 0  # --resume on a fresh file is a fresh start
        parts.append(part.read_bytes())
    assert len(server.requests) == 9  # each photo in one part only
    joined = tmp_path / "all.jsonl"
    joined.write_bytes(b"".join(parts))
    assert main(["report", str(joined), "--json", str(tmp_path / "all.json")]) == 0
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert [i["source"] for i in doc["images"]] == list(photo_names([str(tmp_path / "a")]))
    assert sorted(i["source"] for i in doc["images"]) == sorted(widths)


def test_when_every_endpoint_is_down_the_run_stops_and_resumes_later(tmp_path, simulator):
    widths = _archive(tmp_path / "a", 12, nested=False)
    results = tmp_path / "r.jsonl"
    dead = [f"http://127.0.0.1:{_closed_port()}/v1" for _ in range(2)]
    argv = ["inspect", str(tmp_path / "a"), "--model", QWEN25, "--coords", "absolute",
            "--recheck", "off", "--retries", "0", "--concurrency", "1",
            "--results", str(results), "-q"]  # fmt: skip
    code = main(argv + ["--base-url", dead[0], "--base-url", dead[1]])
    assert code == 1
    stopped = _lines(results)
    # The run stopped at the first photo every endpoint failed: the rest were not tried.
    assert 1 <= len(stopped) < len(widths)
    assert all("endpoint" in line["error"] for line in stopped)
    live = [simulator(), simulator()]
    argv += ["--base-url", live[0].base_url, "--base-url", live[1].base_url, "--resume"]
    assert main(argv) == 0
    lines = _lines(results)
    assert sorted(line["source"] for line in lines) == sorted(widths)
    assert all(line["error"] is None for line in lines)
    assert all(server.requests for server in live)  # both took a share


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_an_interrupted_run_says_how_to_carry_on(tmp_path, simulator):
    _archive(tmp_path / "a", 6, nested=False)
    server = simulator(base_latency=0.5)
    results = tmp_path / "r.jsonl"
    for extra, said in (([], "--results FILE.jsonl"), (["--results", results], "--resume")):
        start = len(server.requests)
        proc = subprocess.Popen(_cli(server, tmp_path / "a", "--concurrency", "1", *extra),
                                env=_env(tmp_path), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip
        deadline = time.monotonic() + 60
        while len(server.requests) == start and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)  # Ctrl+C while a request is in flight
        _out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert said in err and "Traceback" not in err
    assert len(_lines(results)) < 6


@pytest.mark.slow
def test_output_sent_to_a_log_keeps_its_plain_lines(tmp_path, simulator):
    _archive(tmp_path / "a", 2, nested=False)
    server = simulator()
    log = tmp_path / "run.log"
    cmd = " ".join(f"'{part}'" for part in _cli(server, tmp_path / "a")) + f" > '{log}'"
    text = _terminal(["sh", "-c", cmd], _env(tmp_path))  # stderr stays on the terminal
    lines = log.read_text(encoding="utf-8")
    assert "[2/2]" in lines and "photos/s" not in text
