"""Tiles: the whole frame plus overlapping parts of the photo, each sent at the standard size,
and the merge of what all those passes found into one finding per object.

Layout. A photo gains from tiles when its whole frame shrinks it by MIN_GAIN or more. It is
then cut into n x n tiles (n up to MAX_PER_SIDE) that overlap by OVERLAP of a tile's side,
n the smallest that sends each tile at no more than TARGET_SHRINK of its own pixels.

Merge (per category; in the spirit of supervision's sliced-inference NMM, written here):
  * two boxes of the SAME pass are never merged: the model told those objects apart;
  * a box joins a group when it overlaps the group's box with IoU >= SAME_IOU, or lies
    within it (intersection over the smaller box >= SAME_IOS): the same object seen twice;
  * a box cut by a tile edge inside the photo joins a box of the neighbouring tile that it
    meets across that edge (they overlap, and along the edge they share at least half the
    smaller extent): one person cut in two by the tile edge is one person;
  * the group's box is a complete (not cut) box from a tile, the finest view, taken as it is;
    when every tile box is cut, the union of the cut parts; else the whole frame's box.
    No box is averaged or moved;
  * status: the definite one (worn / missing, a severity) from the finest view that gave
    one: it saw the object with the most pixels; a coarser view only fills in "unknown".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .. import geometry
from ..detections import Box, Detection

MIN_GAIN = 1.5  # the whole frame shrinks the photo at least this much: tiles can help
TARGET_SHRINK = 1.5  # each tile is sent at no more than this shrink of its own pixels
MAX_PER_SIDE = 3  # at most 3 x 3 tiles (10 requests with the whole frame)
OVERLAP = 0.2  # of a tile's side
SAME_IOU = 0.5
SAME_IOS = 0.8
EDGE_TOLERANCE = 0.01  # of the tile's side: a box this close to a tile edge is cut by it


@dataclass(frozen=True)
class Tile:
    """A part of the photo (original upright pixels) and the frame it is sent as."""

    left: int
    top: int
    width: int
    height: int
    frame_w: int
    frame_h: int

    @property
    def box(self) -> Box:
        return (self.left, self.top, self.left + self.width, self.top + self.height)

    @property
    def frame(self) -> geometry.Frame:
        return geometry.Frame(self.width, self.height, self.frame_w, self.frame_h)

    @property
    def shrink(self) -> float:
        return max(self.width / self.frame_w, self.height / self.frame_h)


def per_side(width: int, height: int, grid: int, max_pixels: int) -> int:
    """Tiles per side for this photo: 0 when the whole frame already shows it well enough."""
    frame_w, frame_h = geometry.choose_frame(width, height, grid, max_pixels)
    shrink = max(width / frame_w, height / frame_h)
    if shrink < MIN_GAIN:
        return 0
    for n in range(2, MAX_PER_SIDE + 1):
        if shrink / (n - (n - 1) * OVERLAP) <= TARGET_SHRINK:
            return n
    return MAX_PER_SIDE


def layout(width: int, height: int, grid: int, max_pixels: int) -> list[Tile]:
    """The tiles of a photo (empty when it is too small to gain from them), row by row."""
    n = per_side(width, height, grid, max_pixels)
    if n < 2:
        return []
    tile_w = math.ceil(width / (n - (n - 1) * OVERLAP))
    tile_h = math.ceil(height / (n - (n - 1) * OVERLAP))
    tiles = []
    for row in range(n):
        top = round(row * (height - tile_h) / (n - 1))
        for col in range(n):
            left = round(col * (width - tile_w) / (n - 1))
            frame_w, frame_h = geometry.choose_frame(tile_w, tile_h, grid, max_pixels)
            tiles.append(Tile(left, top, tile_w, tile_h, frame_w, frame_h))
    return tiles


def needed_long_side(width: int, height: int, grid: int, max_pixels: int) -> int:
    """The long side a decoded copy needs so that every tile is cut at its frame's detail."""
    tiles = layout(width, height, grid, max_pixels)
    if not tiles:
        return 0
    return math.ceil(max(width, height) / min(t.shrink for t in tiles))


# --------------------------------------------------------------------------- the merge


@dataclass
class Seen:
    """One box from one pass: ``pass_id`` 0 is the whole frame, tiles count from 1."""

    detection: Detection
    pass_id: int
    shrink: float  # original pixels per frame pixel in that pass: smaller is finer
    cut: tuple[bool, bool, bool, bool] = (False, False, False, False)  # left, top, right, bottom

    @property
    def is_cut(self) -> bool:
        return any(self.cut)


@dataclass
class _Group:
    members: list[Seen] = field(default_factory=list)

    @property
    def passes(self) -> set[int]:
        return {m.pass_id for m in self.members}

    @property
    def box(self) -> Box:
        complete = [m for m in self.members if m.pass_id and not m.is_cut]
        if complete:
            return min(complete, key=lambda m: m.shrink).detection.box
        cut = [m.detection.box for m in self.members if m.pass_id]
        if cut:
            return union(cut)
        return self.members[0].detection.box


def cut_sides(box: Box, tile: Tile, width: int, height: int) -> tuple[bool, bool, bool, bool]:
    """Which sides of a box (original pixels) lie on an edge of its tile inside the photo."""
    x1, y1, x2, y2 = box
    tx1, ty1, tx2, ty2 = tile.box
    dx, dy = EDGE_TOLERANCE * tile.width + 1, EDGE_TOLERANCE * tile.height + 1
    return (
        tx1 > 0 and x1 - tx1 <= dx,
        ty1 > 0 and y1 - ty1 <= dy,
        tx2 < width and tx2 - x2 <= dx,
        ty2 < height and ty2 - y2 <= dy,
    )


def merge(seen: list[Seen]) -> list[Detection]:
    """One Detection per object from the boxes of all passes (see the module's rules)."""
    out: list[Detection] = []
    for category in dict.fromkeys(s.detection.category for s in seen):
        mine = [s for s in seen if s.detection.category == category]
        # Finest first: complete tile boxes, then cut ones, then the whole frame's.
        mine.sort(key=lambda s: (s.pass_id == 0, s.is_cut, s.shrink))
        groups: list[_Group] = []
        for s in mine:
            best, best_score = None, 0.0
            for group in groups:
                if s.pass_id in group.passes:
                    continue
                score = _match(s, group)
                if score > best_score:
                    best, best_score = group, score
            if best is None:
                groups.append(_Group([s]))
            else:
                best.members.append(s)
        out.extend(_finding(group) for group in groups)
    return out


def _match(s: Seen, group: _Group) -> float:
    """How well a box fits a group (0: not the same object)."""
    box, other = s.detection.box, group.box
    overlap = geometry.iou(box, other)
    if overlap >= SAME_IOU:
        return 1 + overlap
    if ios(box, other) >= SAME_IOS:
        return 1 + overlap
    if s.is_cut or any(m.is_cut for m in group.members):
        if _meet_across_edge(s, group):
            return 0.5 + overlap
    return 0.0


def _meet_across_edge(s: Seen, group: _Group) -> bool:
    """A cut box and a group's box from a neighbouring tile that continue each other."""
    a, b = s.detection.box, group.box
    ix = min(a[2], b[2]) - max(a[0], b[0])
    iy = min(a[3], b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return False
    left, top, right, bottom = s.cut
    for m in group.members:
        left, top = left or m.cut[0], top or m.cut[1]
        right, bottom = right or m.cut[2], bottom or m.cut[3]
    shorter_h = min(a[3] - a[1], b[3] - b[1])
    shorter_w = min(a[2] - a[0], b[2] - b[0])
    across_x = (left or right) and iy >= 0.5 * shorter_h
    across_y = (top or bottom) and ix >= 0.5 * shorter_w
    return bool(across_x or across_y)


def _finding(group: _Group) -> Detection:
    members = sorted(group.members, key=lambda m: m.shrink)
    first = members[0].detection
    definite = [m.detection for m in members if m.detection.status not in ("unknown", "")]
    chosen = definite[0] if definite else first
    return Detection(
        chosen.category,
        chosen.status,
        chosen.label,
        chosen.sub_label,
        group.box,
        confidence=chosen.confidence,
    )


def union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def ios(a: Box, b: Box) -> float:
    """Intersection over the smaller box: 1 when one lies inside the other."""
    inter = geometry.intersection(a, b)
    return inter / min(geometry.box_area(a), geometry.box_area(b)) if inter else 0.0
