"""Two attackers hold the worst-case runs a public page allows; a real visitor is timed.

    python benchmarks/attack_load.py [--duration 60] [--latency 1.0] [--visitor-timeout 180]

Starts the real app (safety.web.build_app + launch_kwargs, queued as app.py does with the
config's runs_at_once and queue_size) in this process in public mode (SAFETY_PUBLIC=1, as on
a Space), on the owner's endpoint: the simulated Qwen server in its own process. The clients
run in a third process, so this process's memory is the app's own. Then:

* two attackers, each from its own loopback address (127.0.0.2, 127.0.0.3: the app sees the
  socket's peer as the client when not on a Space), each keeping one worst-case run going
  and more submitted at once (from other sessions of the same address), resubmitting as
  soon as one ends. A worst-case run is the most photos a run takes, each just under the
  public page's 50 MP cap and in the formats that cost the most memory to decode while
  staying small files (grey+alpha PNG, 32-bit TIFF), or large (a noisy progressive JPEG
  of about 14 MB), with a hostile prompt, model, key, max_pixels, concurrency and
  coordinates (the owner's terms ignore them);
* a third attacker (127.0.0.5) on the review surfaces (benchmarks/review_attack.py): it
  reopens a run of 50 photos (those 50 MP photos, one of each kind, each named 10 or 20
  times, 100 findings each), then asks for the report and for redraws until refused, and
  again;
* one real visitor (127.0.0.4, its own session) who, once the attackers are busy, sends one
  normal 12 MP JPEG and waits for the result, a few times.

Prints the visitor's latency (each, p50, max); the attackers' runs accepted and refused, by
message, as the clients saw them and as the app took them (the handlers' one way into a run,
start_run, is wrapped to note each admission and refusal; it changes nothing); what one such
photo costs through the pipeline alone; peak resident memory (the app's process, and the
simulator's and the clients' processes); and the machine. Every setting is public mode's
default, except SAFETY_PHOTOS_PER_HOUR, raised so that the attackers can keep the server
busy for the whole duration (the output says so); SAFETY_* variables already in the
environment are honoured.
Every loop is bounded in count and time, and the script ends by itself; only 127.0.0.0/8 is
contacted.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
import psutil
from common import SimulatorProcess, machine, photo_jpeg
from PIL import Image
from review_attack import REVIEW_ADDRESS, ReviewTally, review_attacker, worst_results

# Just under the public page's 50 MP cap (safety.limits.PUBLIC_MAX_IMAGE_PIXELS).
WIDTH, HEIGHT = 8660, 5773
ATTACKER_ADDRESSES = ("127.0.0.2", "127.0.0.3")
VISITOR_ADDRESS = "127.0.0.4"
OWNER_KEY = "sk-owner-bench-0000"
MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
HOSTILE = {
    "prompt": "Describe everything in exhaustive detail. " * 25_000,  # about 1 MB
    "model": "qwen-vl-max-latest",
    "api_key": "sk-attacker-own-key",
    "max_pixels": 10**10,
    "coords": "relative-1000",
    "concurrency": 1000,
}
RUNNING = {"PROCESSING", "PROGRESS", "ITERATING"}
MAX_SUBMITS = 200  # per attacker, whatever the duration
MAX_VISITS = 20
SPAWN = multiprocessing.get_context("spawn")  # children that share nothing with the app

# -- photos (made in child processes: their big buffers never touch the app's memory) --------

RUN_KINDS = ("la-png", "i32-tiff", "la-png", "i32-tiff", "noisy-jpeg")  # repeated to a run
KIND_NAMES = {
    "la-png": "grey+alpha PNG",
    "i32-tiff": "32-bit grey TIFF",
    "noisy-jpeg": "noisy progressive JPEG",
}
EXTENSIONS = {"la-png": "png", "i32-tiff": "tif", "noisy-jpeg": "jpg"}


def make_photo(kind: str, path: str, seed: int) -> tuple[str, str, int]:
    """One photo file of ``kind``; returns (kind, path, bytes)."""
    value = 40 + 37 * seed % 170
    if kind == "la-png":  # decoded at 4 bytes a pixel, then RGBA, then RGB
        Image.new("LA", (WIDTH, HEIGHT), (value, 200)).save(path, "PNG", optimize=True)
    elif kind == "i32-tiff":  # 32-bit grey: copied, rescaled, then L and RGB
        Image.new("I", (WIDTH, HEIGHT), value * 1000).save(
            path, "TIFF", compression="tiff_adobe_deflate"
        )
    elif kind == "noisy-jpeg":  # progressive: libjpeg buffers every coefficient
        rng = np.random.default_rng(seed)
        small = rng.uniform(40, 215, (HEIGHT // 8, WIDTH // 8, 3)).astype(np.uint8)
        base = Image.fromarray(small).resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
        arr = np.asarray(base, dtype=np.float32)
        arr += rng.standard_normal(arr.shape, dtype=np.float32) * 6
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        del arr, base
        for quality in (80, 70, 60):  # as large as the 20 MB cap lets through
            out = io.BytesIO()
            img.save(out, "JPEG", quality=quality, progressive=True, subsampling=0)
            if out.tell() < 19.5 * 2**20:
                break
        Path(path).write_bytes(out.getvalue())
    elif kind == "visitor-jpeg":  # a normal 12 MP site photo
        Path(path).write_bytes(photo_jpeg(seed))
    else:
        raise ValueError(kind)
    return kind, path, os.path.getsize(path)


def make_photos(work: Path, run_size: int) -> tuple[list[list[str]], str, dict[str, float]]:
    """Each attacker's run (``run_size`` paths) and the visitor's photo."""
    jobs = []
    for a in range(len(ATTACKER_ADDRESSES)):
        for kind, copies in (("la-png", 2), ("i32-tiff", 2), ("noisy-jpeg", 1)):
            for c in range(copies):
                path = work / f"attacker{a}_{kind}_{c}.{EXTENSIONS[kind]}"
                jobs.append((kind, str(path), 10 * a + c + 1))
    jobs.append(("visitor-jpeg", str(work / "visitor.jpg"), 7))
    with ProcessPoolExecutor(max_workers=2, mp_context=SPAWN) as pool:
        made = list(pool.map(make_photo, *zip(*jobs)))
    runs: list[list[str]] = []
    for a in range(len(ATTACKER_ADDRESSES)):
        mine = {k: [p for k2, p, _ in made if k2 == k and f"attacker{a}_" in p] for k in KIND_NAMES}
        used: Counter = Counter()
        run = []
        for i in range(run_size):
            kind = RUN_KINDS[i % len(RUN_KINDS)]
            run.append(mine[kind][used[kind] % len(mine[kind])])
            used[kind] += 1
        runs.append(run)
    sizes: dict[str, float] = {}
    for kind, _path, size in made:
        sizes[kind] = max(sizes.get(kind, 0.0), size / 1e6)
    return runs, str(work / "visitor.jpg"), sizes


def photo_cost(path: str) -> tuple[float, float, str | None]:
    """One photo through the pipeline alone, as an anonymous visitor's run takes it (the
    decode budget, public size cap; a model that answers at once), in a fresh process:
    (seconds, peak resident MB over the process's own before, error)."""
    from safety.config import load_settings
    from safety.images import DecodeBudget
    from safety.inspection import Inspector
    from safety.limits import DECODE_BUDGET_BYTES, PUBLIC_MAX_IMAGE_PIXELS
    from safety.source import Source
    from tests.fakes import FakeModel

    settings = load_settings(
        {"QWEN_VL_BASE_URL": "http://127.0.0.1:9/v1", "QWEN_VL_MODEL": MODEL,
         "QWEN_VL_COORDS": "absolute"}
    )  # fmt: skip
    inspector = Inspector(
        settings,
        model=FakeModel(),
        decode_budget=DecodeBudget(DECODE_BUDGET_BYTES),
        max_image_pixels=PUBLIC_MAX_IMAGE_PIXELS,
    )
    proc, peak, stop = psutil.Process(), [0], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.005)

    before = proc.memory_info().rss
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    result = inspector.inspect_one(Source(os.path.basename(path), path=path))
    took = time.perf_counter() - started
    stop.set()
    sampler.join()
    return took, (peak[0] - before) / 2**20, result.error


def photo_costs(paths: dict[str, str]) -> dict[str, tuple[float, float, str | None]]:
    with ProcessPoolExecutor(max_workers=1, mp_context=SPAWN, max_tasks_per_child=1) as pool:
        return dict(zip(paths, pool.map(photo_cost, paths.values())))


# -- the clients' process: attackers and the visitor -----------------------------------------

SOURCE_HEADER = "x-benchmark-source-address"


def bind_clients_by_header() -> None:
    """gradio_client makes its requests through httpx's module functions, which take no
    transport, but every one carries the client's headers: a request with SOURCE_HEADER
    leaves from that loopback address (one connection pool per address)."""
    original = httpx.HTTPTransport.handle_request
    transports: dict[str, httpx.HTTPTransport] = {}
    lock = threading.Lock()

    def handle_request(self, request):
        source = request.headers.get(SOURCE_HEADER)
        if not source:
            return original(self, request)
        with lock:
            if source not in transports:
                transports[source] = httpx.HTTPTransport(local_address=source)
        return original(transports[source], request)

    httpx.HTTPTransport.handle_request = handle_request


def can_bind(address: str) -> bool:
    try:
        with socket.socket() as s:
            s.bind((address, 0))
        return True
    except OSError:
        return False


@dataclass
class Tally:
    """What became of the attackers' runs, as the attackers saw it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    completed: list[float] = field(default_factory=list)  # run seconds, submit to result
    outcomes: Counter = field(default_factory=Counter)  # completed, refused, still ...
    refused: Counter = field(default_factory=Counter)  # message
    photos: Counter = field(default_factory=Counter)  # error kind, or "ok"
    notes: Counter = field(default_factory=Counter)
    submits: int = 0

    def plain(self) -> dict:
        return {k: v for k, v in vars(self).items() if k != "lock"}


def message_of(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return (text[:110] + "…") if len(text) > 110 else text


def status_of(job) -> str:
    try:
        return job.status().code.name
    except Exception:  # a job whose stream broke
        return "UNKNOWN"


def attacker(
    url: str, run: list[str], headers: dict, extra: int, window_end: float, hard_end: float,
    stop: threading.Event, tally: Tally, busy: threading.Event,
) -> None:  # fmt: skip
    """Keep 1 + ``extra`` worst-case runs submitted from one address, each slot from its own
    session (with several jobs of one gradio_client session at once, a run the app had
    refused was once never finished on the client's side)."""
    from gradio_client import Client, handle_file

    sessions = [
        Client(url, verbose=False, headers=headers, download_files=False) for _ in range(1 + extra)
    ]
    slots: list = [None] * (1 + extra)
    started = [0.0] * len(slots)
    not_before = [0.0] * len(slots)

    def record(i: int, job, at_end: bool = False) -> bool:
        """Count a finished job; False if it was refused."""
        if at_end and not job.done():
            state = "still running" if status_of(job) in RUNNING else "still queued"
            with tally.lock:
                tally.outcomes[state] += 1
            job.cancel()
            return True
        try:
            doc = job.result(timeout=0)
        except Exception as exc:  # refused (or failed): counted by message
            with tally.lock:
                tally.outcomes["refused"] += 1
                tally.refused[message_of(exc)] += 1
            return False
        with tally.lock:
            tally.outcomes["completed"] += 1
            tally.completed.append(time.perf_counter() - started[i])
            for img in doc.get("images", []):
                tally.photos[img.get("error_kind") or "ok"] += 1
            for note in doc.get("notes", []):
                tally.notes[note] += 1
        return True

    try:
        while time.perf_counter() < hard_end and not stop.is_set():
            now = time.perf_counter()
            for i, job in enumerate(slots):
                if job is not None and job.done():
                    if not record(i, job):
                        not_before[i] = now + 1.0  # refused: again a second later
                    slots[i] = None
                if slots[i] is not None or now >= window_end or now < not_before[i]:
                    continue
                with tally.lock:
                    if tally.submits >= MAX_SUBMITS * len(ATTACKER_ADDRESSES):
                        continue
                    tally.submits += 1
                client = sessions[i]
                started[i] = time.perf_counter()
                slots[i] = client.submit(
                    files=[handle_file(p) for p in run], api_name="/inspect", **HOSTILE
                )
            if any(job is not None and status_of(job) in RUNNING for job in slots):
                busy.set()
            if all(job is None for job in slots) and time.perf_counter() >= window_end:
                break
            time.sleep(0.1)
    finally:
        for i, job in enumerate(slots):
            if job is not None:
                record(i, job, at_end=True)
        for client in sessions:
            client.close()


@dataclass
class Visit:
    latency: float | None  # None: not served before the visitor gave up
    queued: float | None  # from submit until the app started on it
    error: str | None = None


def visitor(
    url: str, photo: str, headers: dict, visits: int, timeout: float, window_end: float,
    busy: list[threading.Event], out: list[Visit],
) -> None:  # fmt: skip
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False, headers=headers, download_files=False)
    try:
        until = time.perf_counter() + 120
        for event in busy:  # the attackers' runs are going ...
            event.wait(max(0.0, until - time.perf_counter()))
        time.sleep(5)  # ... and well into their photos
        for n in range(min(visits, MAX_VISITS)):
            if n and time.perf_counter() >= window_end:  # at least one visit, however short
                break
            started = time.perf_counter()
            job = client.submit(files=[handle_file(photo)], api_name="/inspect")
            queued = None
            while not job.done() and time.perf_counter() < started + timeout:
                if queued is None and status_of(job) in RUNNING:
                    queued = time.perf_counter() - started
                time.sleep(0.05)
            if not job.done():
                out.append(Visit(None, queued))
                job.cancel()
                continue
            latency = time.perf_counter() - started
            try:
                doc = job.result(timeout=0)
                error = next((i["error"] for i in doc["images"] if i["error"]), None)
            except Exception as exc:
                error = message_of(exc)
            out.append(Visit(latency, queued, error))
            time.sleep(2)
    finally:
        client.close()


def clients_main(conn, url: str, params: dict) -> None:
    """The clients' process: attackers and the visitor; sends back what happened."""
    if params["bound"]:
        bind_clients_by_header()

    def headers(address: str) -> dict:
        return {SOURCE_HEADER: address} if params["bound"] else {}

    tally, visits = Tally(), []
    stop = threading.Event()
    busy = [threading.Event() for _ in ATTACKER_ADDRESSES]
    started = time.perf_counter()
    window_end = started + params["duration"]
    hard_end = window_end + params["visitor_timeout"] + 10
    threads = [
        threading.Thread(
            target=attacker,
            args=(
                url,
                params["runs"][n],
                headers(address),
                params["extra"],
                window_end,
                hard_end,
                stop,
                tally,
                busy[n],
            ),
            daemon=True,
        )
        for n, address in enumerate(ATTACKER_ADDRESSES)
    ]
    for thread in threads:
        thread.start()
    visit = threading.Thread(
        target=visitor,
        args=(url, params["photo"], headers(VISITOR_ADDRESS), params["visits"],
              params["visitor_timeout"], window_end, busy, visits),
        daemon=True,
    )  # fmt: skip
    visit.start()
    review = ReviewTally()
    reviewer = threading.Thread(
        target=review_attacker,
        args=(url, REVIEW_ADDRESS if params["bound"] else None, params["review_photos"],
              params["review_results"], window_end, stop, review, busy),
        daemon=True,
    )  # fmt: skip
    reviewer.start()
    # The attack lasts the whole duration, and as long as the visitor still waits.
    visit.join(max(0.0, hard_end - time.perf_counter()))
    while time.perf_counter() < window_end:
        time.sleep(0.2)
    stop.set()
    for thread in [*threads, reviewer]:
        thread.join(max(5.0, hard_end + 10 - time.perf_counter()))
    conn.send(
        {
            "tally": tally.plain(),
            "review": review.plain(),
            "visits": [vars(v) for v in visits],
            "elapsed": time.perf_counter() - started,
        }
    )
    conn.close()


# -- memory ----------------------------------------------------------------------------------


class Memory:
    """Resident memory of this process every 20 ms, of the others every 100 ms."""

    def __init__(self):
        self.proc = psutil.Process()
        self.others: dict[str, psutil.Process] = {}
        self.peak = Counter()  # name -> bytes; "app", each other's name, "all"
        self.peak_app_at = 0.0
        self.trace: list[float] = []  # the app's MB every 10 s
        self._latest: Counter = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.started = time.perf_counter()

    def watch(self, name: str, pid: int) -> None:
        self.others[name] = psutil.Process(pid)

    def _run(self):
        tick = 0
        while not self._stop.is_set():
            rss = self.proc.memory_info().rss
            if tick % 5 == 0:
                for name, proc in list(self.others.items()):
                    try:
                        self._latest[name] = proc.memory_info().rss
                    except psutil.Error:
                        self._latest[name] = 0
                    self.peak[name] = max(self.peak[name], self._latest[name])
            if tick % 500 == 0:
                self.trace.append(rss / 2**20)
            if rss > self.peak["app"]:
                self.peak["app"], self.peak_app_at = rss, time.perf_counter() - self.started
            self.peak["all"] = max(self.peak["all"], rss + sum(self._latest.values()))
            tick += 1
            time.sleep(0.02)

    def start(self) -> Memory:
        self.started = time.perf_counter()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def now_mb(self) -> float:
        return self.proc.memory_info().rss / 2**20


def disk_mb(folder: str) -> float:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total / 1e6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the benchmark ---------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of attack")
    ap.add_argument("--latency", type=float, default=1.0, help="simulated model seconds")
    ap.add_argument("--capacity", type=int, default=8, help="simulated server slots")
    ap.add_argument("--visits", type=int, default=5, help="visitor attempts (at most)")
    ap.add_argument("--visitor-timeout", type=float, default=180.0, help="a visitor's wait, s")
    ap.add_argument("--extra", type=int, default=2, help="runs more an attacker keeps submitted")
    ap.add_argument("--photos-per-hour", type=int, default=100_000)
    args = ap.parse_args()
    if not 5 <= args.duration <= 3600 or not 1 <= args.visitor_timeout <= 3600:
        ap.error("--duration: 5..3600 s; --visitor-timeout: 1..3600 s")
    args.extra = max(0, min(args.extra, 4))
    args.visits = max(1, min(args.visits, MAX_VISITS))

    from safety import limits

    work = Path(tempfile.mkdtemp(prefix="safety-attack-"))
    try:
        run_size = int(os.environ.get("SAFETY_MAX_PHOTOS", limits.DEFAULT_MAX_PHOTOS))
        runs, photo, sizes = make_photos(work, run_size)
        costs = photo_costs({**{k: next(p for p in runs[0] if k in p) for k in KIND_NAMES},
                             "visitor-jpeg": photo})  # fmt: skip
        bound = all(can_bind(a) for a in (*ATTACKER_ADDRESSES, VISITOR_ADDRESS, REVIEW_ADDRESS))
        # One 50 MP photo of each costly kind, named 50 times: each decoded once (a reopen
        # decodes each upload once), each entry blurred and drawn with its findings.
        review_photos = [next(p for p in runs[0] if k in p) for k in KIND_NAMES]
        review_results = worst_results(review_photos, run_size, limits.REOPEN_MAX_FINDINGS, work)
        sim_args = ("--latency", str(args.latency), "--capacity", str(args.capacity))
        with SimulatorProcess(*sim_args, "--api-key", OWNER_KEY, "--model", MODEL) as sim:
            os.environ.update(
                {
                    "SAFETY_PUBLIC": "1",
                    "SAFETY_PHOTOS_PER_HOUR": str(args.photos_per_hour),
                    "QWEN_VL_BASE_URL": sim.base_url,
                    "QWEN_VL_MODEL": MODEL,
                    "QWEN_VL_COORDS": "absolute",
                    "QWEN_VL_API_KEY": OWNER_KEY,
                }
            )
            params = {
                "bound": bound,
                "runs": runs,
                "photo": photo,
                "duration": args.duration,
                "visitor_timeout": args.visitor_timeout,
                "visits": args.visits,
                "extra": args.extra,
                "review_photos": review_photos,
                "review_results": str(review_results),
            }
            report = serve_and_attack(sim, params)
        print_report(args, report, runs, sizes, costs, bound)
        status = 0
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
        sys.stdout.flush()
        sys.stderr.flush()
    # Attackers' runs may still be going in the app's threads, and an API run cannot be
    # cancelled: end the process now rather than wait up to the run deadline for them.
    os._exit(status)


class AppSide:
    """The runs as the app took them: each address's runs admitted, how many at once, how
    long each held its place, and the refusals (by message)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.admitted: Counter = Counter()
        self.running: Counter = Counter()
        self.most: Counter = Counter()
        self.refused: Counter = Counter()  # (address, message)
        self.held: dict[str, list[float]] = {}
        self.sessions: dict[str, set] = {}

    def recording(self, start_run):
        """``start_run`` as it is, with each admission, release and refusal noted."""
        from safety.errors import SafetyError

        @contextmanager
        def recorded(*args, **kwargs):
            # start_run(config, limits, form, visitor, decode_budget, keep_images=...)
            visitor, entered = args[3], False
            with self.lock:
                self.sessions.setdefault(visitor.address, set()).add(visitor.session)
            try:
                with start_run(*args, **kwargs) as run:
                    entered, started = True, time.perf_counter()
                    with self.lock:
                        self.admitted[visitor.address] += 1
                        self.running[visitor.address] += 1
                        self.most[visitor.address] = max(
                            self.most[visitor.address], self.running[visitor.address]
                        )
                    try:
                        yield run
                    finally:
                        with self.lock:
                            self.running[visitor.address] -= 1
                            self.held.setdefault(visitor.address, []).append(
                                time.perf_counter() - started
                            )
            except SafetyError as exc:
                if not entered:
                    with self.lock:
                        self.refused[(visitor.address, message_of(exc))] += 1
                raise

        return recorded


@dataclass
class Report:
    config: object
    result: dict
    side: AppSide
    memory: Memory
    baseline_mb: float
    end_mb: float
    cache_mb: float


def serve_and_attack(sim: SimulatorProcess, params: dict) -> Report:
    import gradio.utils

    from safety.config import load_config
    from safety.web import api as web_api
    from safety.web import build_app, launch_kwargs
    from safety.web import handlers as web_handlers

    config = load_config()
    assert config.public and config.endpoint is not None

    side = AppSide()  # observes the handlers' one way into a run; changes nothing
    real_start_run = web_handlers.start_run
    web_handlers.start_run = web_api.start_run = side.recording(real_start_run)
    memory = Memory()
    memory.watch("simulator", sim.proc.pid)
    memory.start()
    app = build_app(config)
    app.queue(default_concurrency_limit=config.runs_at_once, max_size=config.queue_size)
    port = free_port()
    app.launch(
        server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
        **launch_kwargs(config),
    )  # fmt: skip
    try:
        time.sleep(1)
        baseline_mb = memory.now_mb()
        receive, send = SPAWN.Pipe(duplex=False)
        clients = SPAWN.Process(
            target=clients_main, args=(send, f"http://127.0.0.1:{port}/", params), daemon=True
        )
        clients.start()
        memory.watch("clients", clients.pid)
        limit = 60 + params["duration"] + 2 * params["visitor_timeout"]
        result = receive.recv() if receive.poll(limit) else {}
        clients.join(10)
        if clients.is_alive():
            clients.terminate()
        end_mb = memory.now_mb()
        cache_mb = disk_mb(str(gradio.utils.get_upload_folder()))
        memory.stop()
    finally:
        app.close()
        web_handlers.start_run = web_api.start_run = real_start_run
    return Report(config, result, side, memory, baseline_mb, end_mb, cache_mb)


def seconds(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}-{high:.0f}"


def print_report(args, r: Report, runs, sizes, costs, bound) -> None:
    from safety import limits

    c, mb = r.config, 2**20
    print(f"machine: {machine()}")
    print(
        f"app: public mode (SAFETY_PUBLIC=1), {c.runs_at_once} runs at once, queue size "
        f"{c.queue_size}; per client (address and session): {c.runs_per_client} run at once, "
        f"{c.max_photos} photos per run, run deadline {c.run_deadline_s:g} s"
    )
    print(
        f"  photos up to {limits.PUBLIC_MAX_IMAGE_PIXELS / 1e6:g} MP and {c.max_file_mb} MB; "
        f"{limits.DECODE_BUDGET_BYTES / 2**20:g} MB of decoding at once for the whole app; "
        "SAFETY_PHOTOS_PER_HOUR "
        f"raised from {limits.DEFAULT_PHOTOS_PER_HOUR} to {c.photos_per_hour} for this "
        "benchmark, so that the attackers keep the server busy the whole time"
    )
    own = c.endpoint
    print(
        f"endpoint: the owner's, simulated in its own process: {args.latency:g} s per photo, "
        f"{args.capacity} at once; owner's concurrency {own.concurrency}, max_pixels "
        f"{own.max_pixels}"
    )
    where = (
        f"attackers from {' and '.join(ATTACKER_ADDRESSES)}, visitor from {VISITOR_ADDRESS}"
        if bound
        else "one address (127.0.0.1), distinct sessions (binding a source address failed)"
    )
    print(f"clients (own process): {where}")
    if not r.result:
        print("the clients' process sent no result (stopped at its time limit)")
        return
    t = r.result["tally"]
    kinds = Counter(RUN_KINDS[i % len(RUN_KINDS)] for i in range(len(runs[0])))
    shape = ", ".join(
        f"{n} x {KIND_NAMES[k]} ({sizes[k]:.1f} MB)" for k, n in sorted(kinds.items())
    )
    print(
        f"attack: {args.duration:g} s (and while the visitor still waited; "
        f"{r.result['elapsed']:.0f} s in all); each run {len(runs[0])} photos of "
        f"{WIDTH}x{HEIGHT} ({WIDTH * HEIGHT / 1e6:.2f} MP): {shape}"
    )
    print(
        f"  hostile prompt ({len(HOSTILE['prompt']) / 1e6:.1f} MB), model, key, max_pixels "
        f"{HOSTILE['max_pixels']:g}, concurrency {HOSTILE['concurrency']}, coords; each "
        f"attacker keeps 1 + {args.extra} runs submitted, one a session, a refused one again "
        "after 1 s"
    )
    names = {**KIND_NAMES, "visitor-jpeg": "the visitor's 12 MP JPEG"}
    print(
        "one photo alone through the pipeline (fresh process, public caps): "
        + "; ".join(
            f"{names[k]} +{peak:.0f} MB, {took:.1f} s" + (f" (REFUSED: {err})" if err else "")
            for k, (took, peak, err) in costs.items()
        )
    )
    side = r.side

    def as_admitted(address: str) -> str:
        held = side.held.get(address, [])
        refused = sum(n for (a, _), n in side.refused.items() if a == address)
        return (
            f"{address} ({len(side.sessions.get(address, ()))} sessions): "
            f"{side.admitted[address]} admitted, at most {side.most[address]} at once, "
            f"{refused} refused" + (f", each held {seconds(held)} s" if held else "")
        )

    print("attacker runs, as the app took them: " + "; ".join(map(as_admitted, ATTACKER_ADDRESSES)))
    for (address, message), n in side.refused.most_common():
        print(f"  {address} refused {n} x {message}")
    out, done = Counter(t["outcomes"]), t["completed"]
    print(
        f"attacker runs, as the attackers saw them: {t['submits']} submitted; "
        f"{out['completed']} completed"
        + (f" ({seconds(done)} s after submitting)" if done else "")
        + f", {out['refused']} refused; at the end {out['still running']} still running, "
        f"{out['still queued']} still queued"
    )  # fmt: skip
    for message, n in t["refused"].most_common():
        print(f"  refused {n} x {message}")
    if t["photos"]:
        print(
            "  photos of completed runs: " + ", ".join(f"{n} {k}" for k, n in t["photos"].items())
        )
    for note, n in t["notes"].most_common(1):
        print(f"  told {n} x: {note[:100]}…")
    review = r.result.get("review") or {}
    took = ", ".join(
        f"{n} {what}" + (f" ({seconds(review['seconds'][what])} s each)" if what in
                         review.get("seconds", {}) else "")
        for what, n in review.get("done", {}).items()
    )  # fmt: skip
    print(f"review attacker ({REVIEW_ADDRESS}, the page's own events): {took or 'nothing done'}")
    for message, n in sorted(review.get("refused", {}).items(), key=lambda x: -x[1]):
        print(f"  refused {n} x {message}")
    visits = r.result["visits"]
    each = ", ".join(
        (f"{v['latency']:.1f} s" if v["latency"] is not None else f">{args.visitor_timeout:g} s")
        + (f" (queued {v['queued']:.1f} s)" if v["queued"] is not None else " (never started)")
        + (f" ERROR {v['error']}" if v["error"] else "")
        for v in visits
    )
    print(f"visitor (one 12 MP JPEG a run): {len(visits)} attempts: {each or 'none'}")
    if visits:
        waits = [v["latency"] if v["latency"] is not None else float("inf") for v in visits]
        served = [w for w in waits if w != float("inf")]

        def fmt(x: float) -> str:
            return f"{x:.1f} s" if x != float("inf") else f">{args.visitor_timeout:g} s"

        print(
            f"  latency p50 {fmt(statistics.median_low(waits))}, max {fmt(max(waits))}; served "
            f"{len(served)} of {len(waits)}, within 10 s: {sum(1 for w in served if w <= 10)}"
        )
        print(f"  as the app took them: {as_admitted(VISITOR_ADDRESS)}")
    m = r.memory
    trace = ", ".join(f"{x:.0f}" for x in m.trace)
    print(
        f"memory: app process peak RSS {m.peak['app'] / mb:.0f} MB at {m.peak_app_at:.0f} s "
        f"(up and idle {r.baseline_mb:.0f} MB, at the end {r.end_mb:.0f} MB; every 10 s: "
        f"{trace} MB)"
    )
    print(
        f"  simulator process peak {m.peak['simulator'] / mb:.0f} MB, clients process peak "
        f"{m.peak['clients'] / mb:.0f} MB; all three together peak {m.peak['all'] / mb:.0f} MB"
    )
    print(f"  uploads in the app's cache folder at the end: {r.cache_mb:.0f} MB on disk")
    quick = sum(1 for v in visits if v["latency"] is not None and v["latency"] <= 10)
    target = 1.5 * 2**30
    print(
        f"verdict: the visitor was served within 10 s in {quick} of {len(visits)} attempts; "
        f"app peak {m.peak['app'] / mb:.0f} MB, {'within' if m.peak['app'] <= target else 'over'}"
        " the target of two worst-case runs under about 1.5 GB with the app (safety/limits.py)"
    )


if __name__ == "__main__":
    main()
