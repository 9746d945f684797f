"""Which coordinate convention does this endpoint's model use? Ask it once and remember.

The probe is a light image with one saturated red rectangle at a known place, three times as
wide as it is tall and as large as the frames we will send. The model is asked for "the red
rectangle". Its box then tells:
  * relative 0..1000: the box matches the rectangle's place in thousandths; because the
    probe is 3:1, the x and y scale factors differ threefold from absolute pixels;
  * absolute pixels: the box matches the rectangle in pixels of the frame the model saw.
    If that frame is smaller than ours (the server was started with a lower max_pixels), the
    box comes back uniformly shrunk, which tells us the server's limit: we then send frames
    inside it, so they are kept unchanged, and check again.
The answer is remembered on disk per endpoint, model and max_pixels (never the key).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

from . import geometry
from .config import Settings, fallback_convention
from .errors import ConfigurationError, ModelOutputError
from .images import encode_jpeg
from .model import Model, Question
from .parsing import parse_answer
from .presets import AUTO, model_convention
from .prompts import PROBE_PROMPT

# Where the rectangle sits, as fractions of the probe's width and height. Off-centre and
# asymmetric, so that swapped axes or a mirrored answer would not fit by accident.
RECT = (0.55, 0.25, 0.80, 0.75)
PROBE_ASPECT = 3
MIN_IOU = 0.5
# Scale factors within 3% of 1 are model noise, not a server resize.
SCALE_TOLERANCE = 0.03
# When the server shrinks frames, stay this far under the limit we measured.
SAFETY_MARGIN = 0.95


@dataclass(frozen=True)
class Plan:
    """How photos are sent and read for one endpoint and model."""

    convention: str
    grid: int
    max_pixels: int
    how: str  # configured | model name | calibrated | remembered calibration | fallback
    notes: tuple[str, ...] = field(default=())


def probe(grid: int, max_pixels: int) -> tuple[Image.Image, tuple[float, float, float, float]]:
    """The probe image (already a frame on ``grid``) and the rectangle's box in its pixels."""
    width, height = geometry.choose_frame(PROBE_ASPECT * 1000, 1000, grid, max_pixels)
    img = Image.new("RGB", (width, height), (244, 244, 238))
    box = (RECT[0] * width, RECT[1] * height, RECT[2] * width, RECT[3] * height)
    ImageDraw.Draw(img).rectangle(
        (round(box[0]), round(box[1]), round(box[2]) - 1, round(box[3]) - 1), fill=(230, 20, 20)
    )
    return img, box


def iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


@dataclass(frozen=True)
class Reading:
    convention: str
    scale: float  # for absolute: frame the model saw / frame we sent (1.0 = kept)


def interpret(answer_box, truth, frame: tuple[int, int]) -> Reading | None:
    """Decide the convention from one answer box; None when the answer fits neither."""
    width, height = frame
    relative_truth = tuple(v * 1000 / s for v, s in zip(truth, (width, height) * 2))
    rel_fit = iou(answer_box, relative_truth)
    # Absolute: per-axis scale from the centres; a server resize keeps both about equal.
    sx = (answer_box[0] + answer_box[2]) / (truth[0] + truth[2])
    sy = (answer_box[1] + answer_box[3]) / (truth[1] + truth[3])
    abs_fit = 0.0
    scale = 1.0
    if sx > 0 and sy > 0 and abs(math.log(sx / sy)) < 0.15:
        scale = math.sqrt(sx * sy)
        abs_fit = iou(answer_box, tuple(v * scale for v in truth))
    if rel_fit >= MIN_IOU and abs_fit < MIN_IOU:
        return Reading(geometry.RELATIVE_1000, 1.0)
    if abs_fit >= MIN_IOU and rel_fit < MIN_IOU:
        if abs(scale - 1.0) <= SCALE_TOLERANCE:
            scale = 1.0
        return Reading(geometry.ABSOLUTE, scale)
    return None


class CalibrationStore:
    """A small JSON file of calibration results, keyed by endpoint, model and max_pixels."""

    def __init__(self, directory: Path):
        self.path = Path(directory) / "calibration.json"
        self._lock = threading.Lock()

    @staticmethod
    def key(settings: Settings) -> str:
        return f"{settings.base_url}|{settings.model}|{settings.max_pixels}"

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def get(self, settings: Settings) -> dict | None:
        with self._lock:
            entry = self._load().get(self.key(settings))
        return entry if isinstance(entry, dict) else None

    def remember(self, settings: Settings, plan: Plan) -> None:
        """Store a calibrated plan (never the key: the entry holds the plan and a time)."""
        entry = asdict(plan)
        entry["notes"] = list(plan.notes)
        entry["probed_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        self.put(settings, entry)

    def put(self, settings: Settings, entry: dict) -> None:
        with self._lock:
            data = self._load()
            data[self.key(settings)] = entry
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(data, f, indent=1)
                os.replace(tmp, self.path)  # atomic: a crash never leaves half a file
            except OSError:
                pass  # an unwritable cache only costs a probe next time


def _ask_probe(model: Model, grid: int, max_pixels: int) -> tuple[Reading | None, str]:
    img, truth = probe(grid, max_pixels)
    answer = model.ask(Question(encode_jpeg(img, 92), PROBE_PROMPT, max_tokens=200))
    try:
        parsed = parse_answer(answer.text)
    except ModelOutputError:
        return None, answer.text
    if not parsed.objects:
        return None, answer.text
    coords = parsed.objects[0].coords
    if parsed.form != "json":  # the tag forms are always 0..1000
        return Reading(geometry.RELATIVE_1000, 1.0), answer.text
    return interpret(coords, truth, img.size), answer.text


def calibrate(model: Model, settings: Settings, *, max_rounds: int = 3) -> Plan:
    """Probe the endpoint; raise ConfigurationError when the answer fits no convention."""
    grid = geometry.UNIVERSAL_GRID
    max_pixels = settings.max_pixels
    notes: list[str] = []
    for _ in range(max_rounds):
        reading, raw = _ask_probe(model, grid, max_pixels)
        if reading is None:
            excerpt = " ".join(raw.split())[:160]
            raise ConfigurationError(
                f"Calibration could not tell which coordinates {settings.model!r} at "
                f"{settings.host} uses: asked for a red rectangle, it answered {excerpt!r}. "
                "Choose the convention yourself: --coords absolute (Qwen2.5-VL, qwen-vl-max) "
                "or --coords relative-1000 (Qwen3-VL)."
            )
        if reading.convention == geometry.RELATIVE_1000 or reading.scale >= 1.0:
            return Plan(reading.convention, grid, max_pixels, "calibrated", tuple(notes))
        # The server shrank our frame: send smaller frames, inside its limit, and re-check.
        frame_w, frame_h = geometry.choose_frame(PROBE_ASPECT * 1000, 1000, grid, max_pixels)
        measured = frame_w * frame_h * reading.scale**2
        max_pixels = max(grid * grid, int(measured * SAFETY_MARGIN))
        notes.append(
            f"The server shrinks frames larger than about {int(measured):,} pixels; frames are "
            f"sent at most {max_pixels:,} pixels so that it keeps them."
        )
    return Plan(geometry.ABSOLUTE, grid, max_pixels, "calibrated", tuple(notes))


def plan_for(settings: Settings, model: Model, store: CalibrationStore | None) -> Plan:
    """The sending plan: configured convention, or a (remembered) calibration in auto mode."""
    if settings.coords != AUTO:
        how = "configured"
        implied = model_convention(settings.model)
        if implied and implied[0] == settings.coords:
            how = "model name"
        return Plan(settings.coords, settings.grid, settings.max_pixels, how)
    if store is not None:
        entry = store.get(settings)
        if entry and entry.get("convention") in geometry.CONVENTIONS:
            return Plan(
                entry["convention"],
                int(entry.get("grid", geometry.UNIVERSAL_GRID)),
                int(entry.get("max_pixels", settings.max_pixels)),
                "remembered calibration",
                tuple(entry.get("notes", ())),
            )
    try:
        plan = calibrate(model, settings)
    except ConfigurationError as exc:
        # Tell the user on every photo, and carry on with the best-founded guess.
        convention, why = fallback_convention(settings)
        note = f"{exc} Meanwhile using {convention} coordinates, {why}."
        return Plan(convention, geometry.UNIVERSAL_GRID, settings.max_pixels, "fallback", (note,))
    if store is not None:
        store.remember(settings, plan)
    return plan
