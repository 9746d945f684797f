"""Which answer found which labelled object: one-to-one, greedy by match quality.

The rule (the same for every category, and the one the report states):

1. A labelled box and an answer box of the same category are a candidate pair when
   * their IoU (intersection over union) is at least the threshold (``--iou``, 0.5), or
   * the label is a HEAD and the answer a whole PERSON whose box holds the head in its upper
     part (``head_fit`` > 0). A head and a person box never reach IoU 0.5, so IoU alone
     would call every correct person a miss.
2. A pair's quality is its IoU when that reaches the threshold, else its head fit (both in
   (0, 1]).
3. Pairs are taken highest quality first; a pair is kept when neither its label nor its
   answer is taken yet. Ties go to the earlier label, then the earlier answer, so the result
   never depends on anything but the boxes and their order.

Kept pairs are true positives; labels left over are misses (false negatives); answers left
over are false alarms (false positives). A duplicate answer for an object already found is
therefore a false positive, as in COCO and Pascal VOC. Unlike COCO, which lets answers choose
in the order of their confidence, the order here is the pair's quality: the model gives no
confidence to order by.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..geometry import box_area as area
from ..geometry import intersection, iou
from .truth import Box

# A head matches a person box when at least this share of the head lies inside the box...
HEAD_INSIDE = 0.5
# ...its centre lies between the box's left and right edges, and no lower than this share
# of the box's height from its top (the upper half: standing, bending or crouching).
HEAD_DEPTH = 0.5


def head_fit(head: Box, person: Box) -> float:
    """How well ``head`` sits in the upper part of ``person``: 0 (not at all) to 1.

    0 unless at least HEAD_INSIDE of the head's area is inside the person box, the head's
    centre is between the box's sides and in its upper HEAD_DEPTH. Otherwise the share
    inside, lowered the further the head sits from the box's top centre, so that of two
    overlapping persons in a crowd, the head goes to the one it tops.
    """
    head_area = area(head)
    pw, ph = person[2] - person[0], person[3] - person[1]
    if head_area <= 0 or pw <= 0 or ph <= 0:
        return 0.0
    inside = intersection(head, person) / head_area
    cx, cy = (head[0] + head[2]) / 2, (head[1] + head[3]) / 2
    depth = (cy - person[1]) / ph
    if inside < HEAD_INSIDE or not person[0] <= cx <= person[2] or depth > HEAD_DEPTH:
        return 0.0
    offset = abs(cx - (person[0] + person[2]) / 2) / (pw / 2)  # 0 at the centre, 1 at a side
    return inside * (1 - max(depth, 0.0)) * (1 - offset / 2)


def quality(truth: Box, answer: Box, threshold: float, *, head: bool = False) -> float:
    """The pair's match quality: > 0 when they may be matched (rule 1 above), else 0."""
    overlap = iou(truth, answer)
    if overlap >= threshold and overlap > 0:
        return overlap
    return head_fit(truth, answer) if head else 0.0


@dataclass(frozen=True)
class Matching:
    pairs: tuple[tuple[int, int], ...]  # (label index, answer index), best first
    missed: tuple[int, ...]  # label indices nobody found
    extra: tuple[int, ...]  # answer indices that found nothing


def greedy(candidates: Sequence[tuple[float, int, int]], n_truth: int, n_answer: int) -> Matching:
    """One-to-one pairs from (quality, label index, answer index), best quality first."""
    used_t: set[int] = set()
    used_a: set[int] = set()
    pairs = []
    for q, ti, ai in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if q > 0 and ti not in used_t and ai not in used_a:
            used_t.add(ti)
            used_a.add(ai)
            pairs.append((ti, ai))
    return Matching(
        tuple(pairs),
        tuple(i for i in range(n_truth) if i not in used_t),
        tuple(i for i in range(n_answer) if i not in used_a),
    )


def match(
    truths: Sequence[Box],
    answers: Sequence[Box],
    threshold: float,
    *,
    heads: Sequence[bool] | None = None,
) -> Matching:
    """Match labelled boxes to answer boxes of ONE category (rules above).

    ``heads[i]`` says that label i is a head (matched to person boxes by containment too).
    """
    heads = heads or [False] * len(truths)
    candidates = [
        (quality(t, a, threshold, head=heads[ti]), ti, ai)
        for ti, t in enumerate(truths)
        for ai, a in enumerate(answers)
    ]
    return greedy(candidates, len(truths), len(answers))
