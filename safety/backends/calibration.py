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
import stat
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw

from .. import geometry
from ..config import Settings, fallback_convention
from ..errors import ConfigurationError, ModelOutputError
from ..files import write_atomic
from ..i18n import Phrase
from ..images import encode_jpeg
from ..parsing import parse_answer
from ..prompts import PROBE_PROMPT
from .model import Model, Question
from .presets import AUTO, PRESETS, model_convention

# Where the rectangle sits, as fractions of the probe's width and height. Off-centre and
# asymmetric, so that swapped axes or a mirrored answer would not fit by accident.
RECT = (0.55, 0.25, 0.80, 0.75)
PROBE_ASPECT = 3
MIN_IOU = 0.5
# Scale factors within 3% of 1 are model noise, not a server resize.
SCALE_TOLERANCE = 0.03
# When the server shrinks frames, stay this far under the limit we measured.
SAFETY_MARGIN = 0.95
# The remembered calibrations: a visitor may vary endpoint, model and max_pixels at will.
MAX_ENTRIES = 64
MAX_FILE_BYTES = 1024 * 1024
# Grids a remembered plan may use (calibration itself always uses the universal one).
STORED_GRIDS = (28, 32, geometry.UNIVERSAL_GRID)


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


@dataclass(frozen=True)
class Reading:
    convention: str
    scale: float  # for absolute: frame the model saw / frame we sent (1.0 = kept)


def interpret(answer_box, truth, frame: tuple[int, int]) -> Reading | None:
    """Decide the convention from one answer box; None when the answer fits neither."""
    width, height = frame
    relative_truth = tuple(v * 1000 / s for v, s in zip(truth, (width, height) * 2))
    rel_fit = geometry.iou(answer_box, relative_truth)
    # Absolute: per-axis scale from the centres; a server resize keeps both about equal.
    sx = (answer_box[0] + answer_box[2]) / (truth[0] + truth[2])
    sy = (answer_box[1] + answer_box[3]) / (truth[1] + truth[3])
    abs_fit = 0.0
    scale = 1.0
    if sx > 0 and sy > 0 and abs(math.log(sx / sy)) < 0.15:
        scale = math.sqrt(sx * sy)
        abs_fit = geometry.iou(answer_box, tuple(v * scale for v in truth))
    if rel_fit >= MIN_IOU and abs_fit < MIN_IOU:
        return Reading(geometry.RELATIVE_1000, 1.0)
    if abs_fit >= MIN_IOU and rel_fit < MIN_IOU:
        if abs(scale - 1.0) <= SCALE_TOLERANCE:
            scale = 1.0
        return Reading(geometry.ABSOLUTE, scale)
    return None


class CalibrationStore:
    """A small JSON file of calibration results, keyed by endpoint, model and max_pixels.

    A visitor chooses the endpoint, the model and max_pixels, so the file is bounded: at most
    MAX_ENTRIES entries (the least recently probed go first) and MAX_FILE_BYTES on disk. A
    file that is larger, not JSON, or holds entries of the wrong shape is read as empty (or
    without those entries): the cost is a probe, never an error or a wrong plan.
    """

    _locks: dict[Path, threading.Lock] = {}
    _locks_guard = threading.Lock()

    def __init__(self, directory: Path):
        self.path = Path(directory) / "calibration.json"
        # One lock per file, shared by every store of this process, so no update is lost.
        with self._locks_guard:
            self._lock = self._locks.setdefault(self.path.absolute(), threading.Lock())

    @staticmethod
    def key(settings: Settings) -> str:
        return f"{settings.base_url}|{settings.model}|{settings.max_pixels}"

    def _load(self) -> dict:
        """The entries on disk that are objects, in the file's order; {} for a bad file."""
        try:
            if not stat.S_ISREG(self.path.stat().st_mode):
                return {}
            with open(self.path, "rb") as f:
                raw = f.read(MAX_FILE_BYTES + 1)
        except OSError:
            return {}
        if len(raw) > MAX_FILE_BYTES:
            return {}
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
            return {}
        if not isinstance(data, dict):
            return {}
        return {key: entry for key, entry in data.items() if isinstance(entry, dict)}

    def get(self, settings: Settings) -> dict | None:
        with self._lock:
            entry = self._load().get(self.key(settings))
        return entry if entry is not None and _usable(entry, settings) else None

    def remember(self, settings: Settings, plan: Plan) -> None:
        """Store a calibrated plan (never the key: the entry holds the plan and a time)."""
        entry = asdict(plan)
        entry["notes"] = list(plan.notes)
        # Each note's catalogue words, so that a remembered plan is said in any language.
        entry["note_words"] = [_words_of(n) for n in plan.notes]
        entry["probed_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        self.put(settings, entry)

    def put(self, settings: Settings, entry: dict) -> None:
        key = self.key(settings)
        with self._lock:
            data = self._load()
            data.pop(key, None)  # stored again last: the file's order is the order of probes
            # Oldest first: by probe time, entries without one before any with one, then in
            # the file's order. The entry being stored always stays.
            position = {k: i for i, k in enumerate(data)}
            by_age = sorted(data, key=lambda k: _age(data[k], position[k]))
            drop = max(len(data) + 1 - MAX_ENTRIES, 0)
            while True:
                gone = set(by_age[:drop])
                kept = {k: v for k, v in data.items() if k not in gone}
                kept[key] = entry
                text = json.dumps(kept, indent=1)
                if len(text.encode("utf-8")) <= MAX_FILE_BYTES:
                    break
                if drop >= len(by_age):
                    return  # too large to keep even alone: it only costs a probe next time
                drop += 1
            self._write(text)

    def _write(self, text: str) -> None:
        try:
            write_atomic(self.path, text, private=True)  # a crash never leaves half a file
        except OSError:
            pass  # an unwritable cache only costs a probe next time


def _age(entry: dict, position: int) -> tuple:
    """Sort key, oldest first: (has a probe time, the time, position in the file)."""
    probed = entry.get("probed_at")
    when = None
    if isinstance(probed, str):
        for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"):
            try:
                when = datetime.strptime(probed, fmt).timestamp()
                break
            except (ValueError, OverflowError, OSError):
                continue
    return (when is not None, when or 0.0, position)


def _usable(entry: dict, settings: Settings) -> bool:
    """A remembered plan that could have come from calibrate() for these settings."""
    grid = entry.get("grid", geometry.UNIVERSAL_GRID)
    max_pixels = entry.get("max_pixels", settings.max_pixels)
    notes = entry.get("notes", [])
    return (
        isinstance(entry.get("convention"), str)
        and entry["convention"] in geometry.CONVENTIONS
        and type(grid) is int
        and grid in STORED_GRIDS
        and type(max_pixels) is int
        and grid * grid <= max_pixels <= settings.max_pixels  # calibration only lowers it
        and isinstance(notes, list)
        and all(isinstance(note, str) for note in notes)
    )


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
                Phrase(
                    "calibration.unclear",
                    model=repr(settings.model),
                    host=settings.host,
                    answer=repr(excerpt),
                )  # fmt: skip
            )
        if reading.convention == geometry.RELATIVE_1000 or reading.scale >= 1.0:
            return Plan(reading.convention, grid, max_pixels, "calibrated", tuple(notes))
        # The server shrank our frame: send smaller frames, inside its limit, and re-check.
        frame_w, frame_h = geometry.choose_frame(PROBE_ASPECT * 1000, 1000, grid, max_pixels)
        measured = frame_w * frame_h * reading.scale**2
        max_pixels = max(grid * grid, int(measured * SAFETY_MARGIN))
        notes.append(Phrase("calibration.shrinks", measured=int(measured), max_pixels=max_pixels))
    return Plan(geometry.ABSOLUTE, grid, max_pixels, "calibrated", tuple(notes))


def plan_for(
    settings: Settings, model: Model, store: CalibrationStore | None, *, fallback: bool = True
) -> Plan:
    """The sending plan: configured convention, or a (remembered) calibration in auto mode.

    When the probe's answer fits no convention: the fallback plan, or with ``fallback=False``
    the ConfigurationError (safety.backends.pool then lets the other endpoints serve)."""
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
                _remembered_notes(entry),
            )
    try:
        plan = calibrate(model, settings)
    except ConfigurationError as exc:
        if not fallback:
            raise
        return fallback_plan(settings, exc)
    if store is not None:
        store.remember(settings, plan)
    return plan


def _fallback_why(settings: Settings) -> Phrase:
    """Why the fallback convention is the one (the reason ``fallback_convention`` gives)."""
    preset = PRESETS.get(settings.preset)
    if model_convention(settings.model):
        return Phrase("calibration.why.model")
    if preset and preset.coords != AUTO:
        return Phrase("batch.why.preset", preset=preset.title)
    return Phrase("batch.why.default")


def _words_of(note: str) -> list | None:
    """[key, values] of a note whose values are plain numbers and text, else None."""
    plain = (int, float)
    if isinstance(note, Phrase) and all(
        isinstance(v, plain) or type(v) is str for v in note.values.values()
    ):
        return [note.key, dict(note.values)]
    return None


def _remembered_notes(entry: dict) -> tuple[str, ...]:
    """A remembered plan's notes: in catalogue words where they were kept, else as stored."""
    notes = list(entry.get("notes", ()))
    words = entry.get("note_words")
    if not isinstance(words, list) or len(words) != len(notes):
        return tuple(notes)
    said = []
    for note, word in zip(notes, words):
        try:
            key, values = word
            said.append(Phrase(key, **values))
        except (TypeError, ValueError, KeyError):  # None, or words from another version
            said.append(note)
    return tuple(said)


def fallback_plan(settings: Settings, failure: ConfigurationError) -> Plan:
    """When calibration cannot tell: the best-founded guess, said on every photo."""
    convention, _ = fallback_convention(settings)
    note = Phrase("calibration.fallback", failure=failure.phrase or str(failure),
                  convention=convention, why=_fallback_why(settings))  # fmt: skip
    return Plan(convention, geometry.UNIVERSAL_GRID, settings.max_pixels, "fallback", (note,))


def combined(plans: list[Plan], hosts: list[str], notes: list[str] = ()) -> Plan:
    """Several endpoints (safety.backends.pool): the plan frames are made by, so that every server
    keeps them as sent (the common grid, else the universal one; the smallest max_pixels).
    Each note is said with its endpoint's ``hosts``; ``notes`` are added as they are."""
    grids = {p.grid for p in plans}
    hows = {p.how for p in plans}
    return Plan(
        plans[0].convention,  # each endpoint's own convention travels with its answers
        grids.pop() if len(grids) == 1 else geometry.UNIVERSAL_GRID,
        min(p.max_pixels for p in plans),
        hows.pop() if len(hows) == 1 else "per endpoint",
        tuple(
            Phrase("calibration.host-note", host=host, note=note)
            for p, host in zip(plans, hosts)
            for note in p.notes
        )
        + tuple(notes),
    )


def fits(plan: Plan, frames: Plan) -> bool:
    """Frames made by ``frames`` are kept as sent by a server that ``plan`` describes."""
    return frames.grid % plan.grid == 0 and frames.max_pixels <= plan.max_pixels
