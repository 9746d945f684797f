"""Shared helpers for the benchmark scripts: realistic photos and a simulated endpoint
running in its own process (so its work does not compete with ours for the GIL)."""

from __future__ import annotations

import io
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.0f} GiB"
    except ImportError:
        mem = "?"
    return f"{os.cpu_count()} cores ({cpu}), {mem}, Python {platform.python_version()}"


def photo_jpeg(seed: int, width: int = 4000, height: int = 3000, quality: int = 92) -> bytes:
    """A 12-megapixel JPEG that compresses like a photo (smooth shading, texture, noise)
    with a few coloured objects the simulator recognises."""
    rng = np.random.default_rng(seed)
    small = rng.uniform(40, 215, (6, 8, 3)).astype(np.uint8)
    base = Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC)
    texture = rng.normal(0, 9, (height // 4, width // 4, 3))
    texture = np.asarray(
        Image.fromarray(np.clip(texture + 128, 0, 255).astype(np.uint8)).resize(
            (width, height), Image.Resampling.BILINEAR
        ),
        dtype=np.int16,
    )
    arr = np.asarray(base, dtype=np.int16) + texture - 128
    arr += rng.normal(0, 4, arr.shape).astype(np.int16)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    colours = [(235, 25, 20), (20, 40, 225), (20, 200, 40), (245, 235, 20)]
    for i, colour in enumerate(colours):
        x = int(rng.uniform(0.05, 0.7) * width)
        y = int(rng.uniform(0.05, 0.7) * height)
        draw.rectangle((x, y, x + width // 8 + i * 40, y + height // 6), fill=colour)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def write_photos(directory: Path, count: int, unique: int = 6) -> list[Path]:
    """``count`` photo paths on disk (``unique`` distinct photos, reused): sources are read
    lazily by the pipeline, as real batches are."""
    directory.mkdir(parents=True, exist_ok=True)
    originals = []
    for i in range(unique):
        path = directory / f"photo_{i}.jpg"
        if not path.exists():
            path.write_bytes(photo_jpeg(i))
        originals.append(path)
    return [originals[i % unique] for i in range(count)]


class SimulatorProcess:
    """python -m tests.simulator in a child process; .base_url once it listens."""

    def __init__(self, *args: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.simulator", "--port", "0", "--quiet", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline()
        self.base_url = line.split(" on ", 1)[1].split(" ", 1)[0]

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class PeakMemory:
    """Samples this process's resident memory every 20 ms; .peak_mb after the block."""

    def __init__(self):
        import psutil

        self._proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(0.02)

    def __enter__(self):
        self.start_rss = self._proc.memory_info().rss
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start_rss) / 2**20
