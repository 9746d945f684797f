"""Where each finding's tag goes, so that no tag, leader line or box line covers a head.

On a crowded site the usual place for a label, just above its box, is exactly where the
head of the worker behind is, and the hard hat on that head is what the reviewer is judging.
So every person box has a head region (``head_region``: its upper part, where the head is),
and a tag tries, in order: above its box, below it, inside its bottom edge, beside it with a
short leader line, then further out with a leader line. The first spot that is inside the
photo and clear of every head region and of the tags already placed wins; among clear spots
a tag prefers covering as little of other boxes as it can. A tag that finds no clear spot
with its words tries again as a small number; one that finds none at all goes where it
covers the least head.

Box outlines cannot move, so they are interrupted where they would cross another person's
head region (``outline_pieces``): the box stays readable from its corners and edges, and the
head behind it stays visible.

Everything here is plain geometry on rectangles (x1, y1, x2, y2) in pixels of the drawn
image, x2 and y2 exclusive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Rect = tuple[float, float, float, float]

# A person's head region: the top of the box, (HEAD_DEPTH x the box's width) deep but at
# least HEAD_MIN and at most HEAD_MAX of its height, without HEAD_INSET of the width on
# each side. Standing workers are boxes about 3 widths tall with the head in the top fifth;
# a worker cut off at the waist by a crowd is about as tall as wide, head in the top half.
HEAD_DEPTH = 0.6
HEAD_MIN = 0.2
HEAD_MAX = 0.5
HEAD_INSET = 0.15

# Preference between kinds of spot (lower is better); overlap with other boxes and the
# length of the leader line are added to it.
RANK = {"above": 0.0, "inside": 1.0, "below": 1.5, "beside": 2.5, "away": 3.5}
BOX_COVER_WEIGHT = 3.0  # a tag covering another box entirely costs as much as this
LEAD_COST = 0.6  # per tag height of leader line


def head_region(box: Rect, room: tuple[int, int] | None = None) -> Rect:
    """The upper part of a person box where the head is (see HEAD_* above). A box cut off by
    the photo's edge (``room``: its width and height) says less: at a side edge the head may
    be anywhere up to that edge, at the bottom edge it may fill the box."""
    x1, y1, x2, y2 = box
    w, h = x2 - x1, y2 - y1
    cut_left = cut_right = cut_bottom = False
    if room is not None:
        cut_left, cut_right, cut_bottom = x1 <= 1, x2 >= room[0] - 1, y2 >= room[1] - 1
    depth = min(max(HEAD_DEPTH * w, HEAD_MIN * h), h if cut_bottom else HEAD_MAX * h)
    left = x1 if cut_left else x1 + HEAD_INSET * w
    right = x2 if cut_right else x2 - HEAD_INSET * w
    return (left, y1, right, y1 + depth)


def grow(rect: Rect, by: float) -> Rect:
    return (rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by)


def overlap_area(a: Rect, b: Rect) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


@dataclass(frozen=True)
class Spot:
    """Where one tag goes: its rectangle, the leader line to its box (or None), what kind of
    spot it is, which of the offered sizes it has (0 = the first), and whether it is clear
    of every head."""

    rect: Rect
    leader: tuple[float, float, float, float] | None
    kind: str
    size: int
    clear: bool


KINDS = ("above", "inside", "below", "beside", "away")


def _candidates(box: Rect, tw: float, th: float, head: Rect | None, near: _Near, far: bool):
    """Top-left corners (N x 2) and kinds (N, index into KINDS) for a tw x th tag around
    ``box``, best kinds first: the spots next to the box, or (``far``) a grid further out.
    A tag next to the box keeps ``near.gap`` from its edge (where the outline is drawn)."""
    x1, y1, x2, y2 = box
    w, h = x2 - x1, y2 - y1
    room, gap = near.room, near.gap
    if far:  # every half tag height, out to a few tag heights (or the box's size) around it
        step = max(2.0, th / 2)
        reach = max(4 * th, min(w, h, 8 * th))
        gx = np.arange(x1 - tw - reach, x2 + reach + step, step)
        gy = np.arange(y1 - th - reach, y2 + reach + step, step)
        xx, yy = np.meshgrid(gx, gy)
        xy = np.column_stack([xx.ravel(), yy.ravel()])
        kinds = np.full(len(xy), KINDS.index("away"))
    else:
        xs = (x1 - gap, x2 + gap - tw, (x1 + x2 - tw) / 2)
        out = [(x, y1 - gap - th, 0) for x in xs] + [(x, y2 + gap, 2) for x in xs]
        # Inside: along the bottom edge, and for a person anywhere below the head region
        # (on a crowded site the chest is often the only place no other head is).
        top = max(head[3], y1) + gap if head is not None else y1 + gap
        if tw <= w - 2 * gap and top + th <= y2 - gap:
            xs = (x1 + gap, x2 - gap - tw, (x1 + x2 - tw) / 2)
            ys = np.linspace(top, y2 - gap - th, 4)
            out += [(x, y, 1) for y in ys for x in xs]
        lead = max(th * 0.8, gap + 2)
        for frac in (0.5, 0.75, 0.3, 1.0):
            y = y1 + (h - th) * frac
            out += [(x2 + lead, y, 3), (x1 - lead - tw, y, 3)]
        arr = np.array(out, dtype=float)
        xy, kinds = arr[:, :2], arr[:, 2].astype(int)
    xy[:, 0] = np.clip(xy[:, 0], 0, room[0] - tw)
    xy[:, 1] = np.clip(xy[:, 1], 0, room[1] - th)
    return xy, kinds


def _leaders(box: Rect, rects: np.ndarray) -> np.ndarray:
    """For each tag rectangle, the segment from the nearest point of the box's edge to the
    nearest point of the tag (N x 4: x1, y1, x2, y2)."""
    bx1, by1, bx2, by2 = box
    cx = (rects[:, 0] + rects[:, 2]) / 2
    cy = (rects[:, 1] + rects[:, 3]) / 2
    ax = np.clip(cx, bx1, bx2)
    ay = np.clip(cy, by1, by2)
    tx = np.clip(ax, rects[:, 0], rects[:, 2])
    ty = np.clip(ay, rects[:, 1], rects[:, 3])
    return np.stack([ax, ay, tx, ty], axis=1)


def _covered(points_x: np.ndarray, points_y: np.ndarray, rects: np.ndarray) -> np.ndarray:
    """Per row, whether any of its points falls inside any rectangle (N x K points)."""
    if rects.size == 0:
        return np.zeros(points_x.shape[0], dtype=bool)
    px, py = points_x[:, :, None], points_y[:, :, None]
    inside = (px > rects[:, 0]) & (px < rects[:, 2]) & (py > rects[:, 1]) & (py < rects[:, 3])
    return inside.any(axis=(1, 2))


def _overlaps(cand: np.ndarray, rects: np.ndarray) -> np.ndarray:
    """Area of each candidate covered by each rectangle, summed (N)."""
    if rects.size == 0:
        return np.zeros(cand.shape[0])
    w = np.minimum(cand[:, None, 2], rects[None, :, 2]) - np.maximum(
        cand[:, None, 0], rects[None, :, 0]
    )
    h = np.minimum(cand[:, None, 3], rects[None, :, 3]) - np.maximum(
        cand[:, None, 1], rects[None, :, 1]
    )
    return (np.clip(w, 0, None) * np.clip(h, 0, None)).sum(axis=1)


@dataclass(frozen=True)
class _Near:
    """What a tag must keep clear of (N x 4 arrays), the photo's size and the gap between a
    box's edge and a tag next to it."""

    heads: np.ndarray
    others: np.ndarray
    taken: np.ndarray
    room: tuple[int, int]
    gap: float


def place_tags(
    boxes: Sequence[Rect],
    sizes: Sequence[Sequence[tuple[float, float]]],
    heads: Sequence[Rect | None],
    room: tuple[int, int],
    *,
    order: Sequence[int] | None = None,
    gap: float = 1.0,
) -> list[Spot]:
    """A spot for each box's tag. ``sizes[i]`` are the tag sizes to try for box i, best
    first (e.g. the words, then the number alone); ``heads[i]`` is box i's head region
    (None for what is not a person); ``room`` is the image's (width, height); ``order`` is
    the order in which tags choose (the most important first); ``gap``: a tag next to its
    box keeps that far from the box's edge, where the outline is. Tags keep a pixel from
    heads and from each other."""
    head_arr = np.array([grow(hd, 1) for hd in heads if hd is not None], dtype=float)
    head_arr = head_arr.reshape(-1, 4)
    all_boxes = np.array(boxes, dtype=float).reshape(-1, 4)
    taken: list[Rect] = []
    spots: list[Spot | None] = [None] * len(boxes)
    for i in order if order is not None else range(len(boxes)):
        taken_arr = np.array([grow(r, 1) for r in taken], dtype=float).reshape(-1, 4)
        near = _Near(head_arr, np.delete(all_boxes, i, axis=0), taken_arr, room, gap)
        fallback: tuple[float, Spot] | None = None
        for s, (tw, th) in enumerate(sizes[i]):
            tw, th = min(tw, room[0]), min(th, room[1])
            spot, spill = _best(boxes[i], tw, th, heads[i], near)
            if spot.clear:
                spots[i] = Spot(spot.rect, spot.leader, spot.kind, s, True)
                break
            if fallback is None or spill <= fallback[0]:
                fallback = (spill, Spot(spot.rect, spot.leader, spot.kind, s, False))
        else:
            spots[i] = fallback[1]
        taken.append(spots[i].rect)
    return spots


def _best(box, tw, th, head, near: _Near) -> tuple[Spot, float]:
    """The best spot of one size, and (when none is clear) how much head the best covers.
    The spots next to the box are tried first; the grid further out only when none of them
    is clear, or when a clear one costs more than any spot further out could."""
    close = _score(box, tw, th, head, near, far=False)
    if close[0] and close[1] <= RANK["away"]:
        return close[2], close[3]
    far = _score(box, tw, th, head, near, far=True)
    if close[0] or far[0]:
        return min((r for r in (close, far) if r[0]), key=lambda r: r[1])[2:]
    return min(close, far, key=lambda r: r[3])[2:]


def _score(box, tw, th, head, near: _Near, *, far: bool):
    """(clear?, cost, spot, head area covered) of the best candidate of one kind of spot."""
    xy, kinds = _candidates(box, tw, th, head, near, far)
    rects = np.column_stack([xy, xy[:, 0] + tw, xy[:, 1] + th])
    # Only what lies near the candidates can touch them.
    lo, hi = rects[:, :2].min(axis=0), rects[:, 2:].max(axis=0)
    heads, others, taken = (_near(a, lo, hi) for a in (near.heads, near.others, near.taken))
    leaders = _leaders(box, rects)
    length = np.hypot(leaders[:, 2] - leaders[:, 0], leaders[:, 3] - leaders[:, 1])
    has_leader = (kinds >= KINDS.index("beside")) & (length > 1)
    # The tag must not touch a head or another tag.
    spill = _overlaps(rects, heads)
    clash = _overlaps(rects, taken) > 0
    covered = _overlaps(rects, others) / max(1.0, tw * th)
    rank = np.array([RANK[k] for k in KINDS])[kinds]
    cost = rank + BOX_COVER_WEIGHT * np.minimum(covered, 1.0) + length / max(th, 1.0) * LEAD_COST
    clear = (spill == 0) & ~clash
    # The leader, sampled along its length, must not cross a head or another tag.
    check = np.flatnonzero(clear & has_leader)
    if check.size:
        k = np.linspace(0.0, 1.0, 12)
        seg = leaders[check]
        lx = seg[:, 0:1] + (seg[:, 2:3] - seg[:, 0:1]) * k
        ly = seg[:, 1:2] + (seg[:, 3:4] - seg[:, 1:2]) * k
        clear[check] &= ~_covered(lx, ly, np.vstack([heads, taken]))
    if clear.any():
        j = int(np.argmin(np.where(clear, cost, np.inf)))
    else:  # nothing clear: the least head covered, then no clash, then the cost
        j = int(np.lexsort((cost, clash, spill))[0])
    leader = tuple(leaders[j].tolist()) if has_leader[j] else None
    spot = Spot(tuple(rects[j].tolist()), leader, KINDS[kinds[j]], 0, bool(clear[j]))
    return bool(clear[j]), float(cost[j]), spot, float(spill[j])


def _near(rects: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The rectangles that reach into the window from ``lo`` to ``hi``."""
    return rects[(rects[:, 2:] > lo).all(axis=1) & (rects[:, :2] < hi).all(axis=1)]


def corner_spot(size: tuple[float, float], room: tuple[int, int], avoid: Sequence[Rect]) -> Rect:
    """The corner of the photo where a ``size`` mark covers the least of ``avoid``."""
    w, h = size
    corners = [(0, 0), (room[0] - w, 0), (0, room[1] - h), (room[0] - w, room[1] - h)]
    rects = [(x, y, x + w, y + h) for x, y in corners]
    return min(rects, key=lambda r: sum(overlap_area(r, a) for a in avoid))


def outline_pieces(box: Rect, width: float, holes: Sequence[Rect]) -> list[Rect]:
    """The box's outline as filled rectangles ``width`` thick just outside the box (so the
    box's own head stays clear), with gaps where it would cross one of ``holes`` (other
    persons' head regions). A piece left between two gaps shorter than a few line widths
    is dropped: a stray dash says nothing about the box and clutters the crowd."""
    x1, y1, x2, y2 = box
    stub = 4 * width
    edges = [
        (x1 - width, y1 - width, x2 + width, y1),
        (x1 - width, y2, x2 + width, y2 + width),
        (x1 - width, y1, x1, y2),
        (x2, y1, x2 + width, y2),
    ]
    pieces = []
    for ex1, ey1, ex2, ey2 in edges:
        horizontal = (ex2 - ex1) >= (ey2 - ey1)
        lo, hi = (ex1, ex2) if horizontal else (ey1, ey2)
        cuts = []
        for hx1, hy1, hx2, hy2 in holes:
            if min(ex2, hx2) > max(ex1, hx1) and min(ey2, hy2) > max(ey1, hy1):
                cuts.append((hx1, hx2) if horizontal else (hy1, hy2))
        for a, b in _subtract(lo, hi, cuts):
            if b - a < stub and a > lo and b < hi:
                continue
            pieces.append((a, ey1, b, ey2) if horizontal else (ex1, a, ex2, b))
    return pieces


def _subtract(lo: float, hi: float, cuts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """[lo, hi) without the ``cuts`` intervals."""
    out, start = [], lo
    for a, b in sorted(cuts):
        if a > start:
            out.append((start, min(a, hi)))
        start = max(start, b)
        if start >= hi:
            break
    if start < hi:
        out.append((start, hi))
    return [(a, b) for a, b in out if b - a >= 1]
