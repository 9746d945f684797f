"""What the simulated model "sees": the server's resize, colour masks and the XY-cut.

See the colour code table in the package docstring (tests/simulator/__init__.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from safety.geometry import smart_resize

from .model import SimulatedModel

# Share of the frame under which a region is taken for JPEG noise, not an object.
MIN_REGION_SHARE = 0.001


@dataclass(frozen=True)
class _Kind:
    """One colour class: what it means and how to recognise it."""

    name: str
    category: str
    status: str


KINDS = (
    _Kind("red", "fire", "severe"),
    _Kind("blue", "smoke", "moderate"),
    _Kind("green", "person", "worn"),
    _Kind("yellow", "person", "missing"),
    _Kind("magenta", "person", "unknown"),
)


@dataclass(frozen=True)
class SeenObject:
    """An object found in the resized frame; box edges x2, y2 exclusive."""

    kind: _Kind
    box: tuple[int, int, int, int]
    doubtful: bool = False  # its status was guessed (perception degraded by size)


def _colour_masks(rgb: np.ndarray) -> dict[str, np.ndarray]:
    """Boolean masks per colour name; the rules are disjoint (package docstring table)."""
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    return {
        "red": (r > 170) & (g < 80) & (b < 80),
        "blue": (b > 170) & (r < 80) & (g < 110),
        "green": (g > 150) & (r < 90) & (b < 90),
        "yellow": (r > 200) & (g > 200) & (b < 80),
        "magenta": (r > 170) & (b > 170) & (g < 80),
    }


def _open3(mask: np.ndarray) -> np.ndarray:
    """3x3 morphological opening: removes specks and lines under 3 px, keeps rectangles.

    Why: one stray pixel of the right colour (JPEG ringing) between two objects would fill
    the empty column run the XY-cut needs to separate them.
    """
    h, w = mask.shape
    padded = np.pad(mask, 1)
    eroded = np.ones_like(mask)
    for dy in range(3):
        for dx in range(3):
            eroded &= padded[dy : dy + h, dx : dx + w]
    padded = np.pad(eroded, 1)
    opened = np.zeros_like(mask)
    for dy in range(3):
        for dx in range(3):
            opened |= padded[dy : dy + h, dx : dx + w]
    return opened


def _runs(occupied: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in a 1-D boolean array."""
    edges = np.diff(np.concatenate(([0], occupied.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _xy_cut(mask: np.ndarray, x0: int = 0, y0: int = 0) -> list[tuple[int, int, int, int]]:
    """Recursive XY-cut of a mask into boxes (x1, y1, x2, y2), offsets x0, y0 added."""
    col_runs = _runs(mask.any(axis=0))
    if not col_runs:
        return []
    if len(col_runs) > 1:  # empty columns separate parts: cut there, look at each part
        boxes = []
        for a, b in col_runs:
            boxes += _xy_cut(mask[:, a:b], x0 + a, y0)
        return boxes
    row_runs = _runs(mask.any(axis=1))
    (xa, xb) = col_runs[0]
    if len(row_runs) > 1:
        boxes = []
        for a, b in row_runs:
            boxes += _xy_cut(mask[a:b, xa:xb], x0 + xa, y0 + a)
        return boxes
    (ya, yb) = row_runs[0]
    # Neither cut splits this part any more: it is one object, and this its tight box.
    return [(x0 + xa, y0 + ya, x0 + xb, y0 + yb)]


def find_objects(frame: Image.Image, min_share: float = MIN_REGION_SHARE) -> list[SeenObject]:
    """Objects in an RGB frame (already resized by the server), top-left first.
    ``min_share``: regions under this share of the frame are noise (SimulatedModel's size
    perception sets its own, smaller limit and misses by height instead)."""
    rgb = np.asarray(frame.convert("RGB"))
    min_pixels = max(4, min_share * rgb.shape[0] * rgb.shape[1])
    masks = _colour_masks(rgb)
    found = []
    for kind in KINDS:
        mask = _open3(masks[kind.name])
        for x1, y1, x2, y2 in _xy_cut(mask):
            if int(mask[y1:y2, x1:x2].sum()) >= min_pixels:
                found.append(SeenObject(kind, (x1, y1, x2, y2)))
    found.sort(key=lambda o: (o.box[1], o.box[0]))
    return found


def server_frame(image: Image.Image, model: SimulatedModel) -> Image.Image:
    """Resize exactly as the server's processor would (smart_resize, bicubic)."""
    h, w = smart_resize(image.height, image.width, model.grid, model.min_pixels, model.max_pixels)
    rgb = image.convert("RGB")
    if (w, h) == rgb.size:
        return rgb
    return rgb.resize((w, h), Image.Resampling.BICUBIC)


_SWAPPED = {"worn": "missing", "missing": "worn"}


# With a size perception on, only specks under this share of the frame are noise: what is
# missed is decided by height (SimulatedModel.miss_below_px).
PERCEPTION_MIN_SHARE = 0.00005


def perceives_size(model: SimulatedModel) -> bool:
    return bool(model.miss_below_px or model.status_below_px)


def perceive(objects: list[SeenObject], model: SimulatedModel) -> list[SeenObject]:
    """What a model that sees small things badly reports (SimulatedModel.miss_below_px...)."""
    if not perceives_size(model):
        return objects
    seen = []
    for obj in objects:
        height = obj.box[3] - obj.box[1]
        if height < model.miss_below_px:
            continue
        kind = obj.kind
        if kind.category == "person" and height < model.status_below_px:
            draw = random.Random(hash(obj.box) & 0xFFFFFFFF).random()
            wrong = draw < model.status_wrong_rate and kind.status in _SWAPPED
            status = _SWAPPED[kind.status] if wrong else "unknown"
            obj = replace(obj, kind=replace(kind, status=status), doubtful=True)
        seen.append(obj)
    return seen
