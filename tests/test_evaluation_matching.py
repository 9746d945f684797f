"""The matching rule, checked against independent implementations: pycocotools (COCOeval at
one IoU, every score 1) where the rule and COCO's must agree, a brute-force greedy written
here from the rule's words, and the maximum one-to-one matching as a bound; plus hand-made
cases: duplicates, crowded heads, empty photos, class confusions, the IoU threshold."""

from __future__ import annotations

import contextlib
import io
import itertools
import random

import pytest

from safety.detections import Detection, ImageResult
from safety.evaluation.classmap import ClassMap, parse_map
from safety.evaluation.matching import head_fit, iou, match
from safety.evaluation.metrics import figures, score_photo
from safety.evaluation.truth import Dataset, Labelled, Truth

# -- references written independently of safety/evaluation/matching.py ------------------------


def ref_iou(a, b):
    """IoU from the corner coordinates, by the textbook formula."""
    left, top = max(a[0], b[0]), max(a[1], b[1])
    right, bottom = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, right - left) * max(0.0, bottom - top)
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    return inter / (area_a + area_b - inter)


def ref_greedy_tp(truths, answers, threshold):
    """The rule in its own words: while some unused pair reaches the threshold, take the
    pair with the highest IoU (earliest label, then answer, on a tie). O(n^3), on purpose."""
    free_t, free_a, tp = set(range(len(truths))), set(range(len(answers))), 0
    while True:
        best = None
        for ti in sorted(free_t):
            for ai in sorted(free_a):
                value = ref_iou(truths[ti], answers[ai])
                if value >= threshold and value > 0 and (best is None or value > best[0]):
                    best = (value, ti, ai)
        if best is None:
            return tp
        free_t.discard(best[1])
        free_a.discard(best[2])
        tp += 1


def max_matching(truths, answers, threshold):
    """The largest one-to-one matching at the threshold (brute force over assignments)."""
    if len(truths) > len(answers):
        truths, answers = answers, truths
    best = 0
    for perm in itertools.permutations(range(len(answers)), len(truths)):
        n = sum(ref_iou(truths[i], answers[j]) >= threshold for i, j in enumerate(perm))
        best = max(best, n)
    return best


def coco_counts(truths, answers, threshold):
    """(TP, FP, FN) from pycocotools' COCOeval at one IoU, every score 1, one class."""
    coco = pytest.importorskip("pycocotools.coco")
    cocoeval = pytest.importorskip("pycocotools.cocoeval")
    gt = coco.COCO()
    gt.dataset = {
        "images": [{"id": 1, "width": 1000, "height": 1000}],
        "categories": [{"id": 1, "name": "x"}],
        "annotations": [
            {"id": i + 1, "image_id": 1, "category_id": 1, "iscrowd": 0,
             "bbox": [b[0], b[1], b[2] - b[0], b[3] - b[1]], "area": (b[2] - b[0]) * (b[3] - b[1])}
            for i, b in enumerate(truths)
        ],
    }  # fmt: skip
    with contextlib.redirect_stdout(io.StringIO()):
        gt.createIndex()
        dt = (
            gt.loadRes(
                [
                    {
                        "image_id": 1,
                        "category_id": 1,
                        "score": 1.0,
                        "bbox": [b[0], b[1], b[2] - b[0], b[3] - b[1]],
                    }
                    for b in answers
                ]  # fmt: skip
            )
            if answers
            else coco.COCO()
        )
        if not answers:
            return 0, 0, len(truths)
        ev = cocoeval.COCOeval(gt, dt, "bbox")
        ev.params.iouThrs = [threshold]
        ev.params.areaRng, ev.params.areaRngLbl = [[0, 1e10]], ["all"]
        ev.params.maxDets = [1000]
        ev.evaluate()
    (img,) = [e for e in ev.evalImgs if e is not None]
    tp = int((img["dtMatches"][0] > 0).sum())
    return tp, len(answers) - tp, len(truths) - tp


def ours(truths, answers, threshold):
    m = match(truths, answers, threshold)
    return len(m.pairs), len(m.extra), len(m.missed)


# -- random scenes: found, dropped, invented, duplicated ----------------------------------------


def _jitter(rng, box, amount):
    w, h = box[2] - box[0], box[3] - box[1]
    return tuple(v + rng.uniform(-amount, amount) * s for v, s in zip(box, (w, h, w, h)))


def scene(rng, crowded: bool):
    truths = []
    for _ in range(rng.randint(0, 7)):
        x, y = rng.uniform(0, 800), rng.uniform(0, 800)
        size = rng.uniform(20, 150)
        truths.append((x, y, x + size * rng.uniform(0.5, 1.5), y + size))
    if crowded:  # heads in a row, overlapping: an answer can fit two labels
        step = rng.uniform(6, 20)
        truths += [(300 + step * i, 500, 330 + step * i, 540) for i in range(rng.randint(0, 5))]
    answers = []
    for box in truths:
        roll = rng.random()
        if roll < 0.2:
            continue  # dropped
        answers.append(_jitter(rng, box, 0.25))
        if roll > 0.85:
            answers.append(_jitter(rng, box, 0.3))  # a duplicate
    for _ in range(rng.randint(0, 3)):  # invented
        x, y = rng.uniform(0, 900), rng.uniform(0, 900)
        answers.append((x, y, x + rng.uniform(10, 100), y + rng.uniform(10, 100)))
    rng.shuffle(answers)
    return truths, answers


def _unambiguous(truths, answers, threshold):
    """Every answer reaches the threshold with at most one label: then any greedy order
    (ours by IoU, COCO's by answer) must find the same number of pairs."""
    return all(sum(ref_iou(t, a) >= threshold for t in truths) <= 1 for a in answers)


@pytest.mark.parametrize("threshold", [0.5, 0.3, 0.75])
def test_counts_agree_with_pycocotools(threshold):
    rng = random.Random(12)
    checked = 0
    for _ in range(400):
        truths, answers = scene(rng, crowded=False)
        if not _unambiguous(truths, answers, threshold):
            continue
        assert ours(truths, answers, threshold) == coco_counts(truths, answers, threshold)
        checked += 1
    assert checked > 150


@pytest.mark.slow
@pytest.mark.parametrize("threshold", [0.5, 0.3])
def test_greedy_agrees_with_a_brute_force_reference_and_stays_under_the_maximum(threshold):
    rng = random.Random(7)
    for _ in range(300):
        truths, answers = scene(rng, crowded=True)
        tp, fp, fn = ours(truths, answers, threshold)
        assert tp == ref_greedy_tp(truths, answers, threshold)
        assert tp + fp == len(answers) and tp + fn == len(truths)
        if len(truths) <= 6 and len(answers) <= 6:
            assert tp <= max_matching(truths, answers, threshold)


def test_where_coco_order_and_iou_order_differ_the_rule_finds_more():
    """COCO lets each answer, in the order given, take its best free label; the rule takes
    the best pair first. Answer 0 fits label 1 best (0.74) but label 0 too (0.6); answer 1
    fits label 1 at 0.9. COCO: answer 0 takes label 1, answer 1 finds nothing. The rule:
    (1, 1) first, then (0, 0)."""
    truths = [(0, 0, 10, 10), (4, 0, 14, 10)]
    answers = [(2.5, 0, 12.5, 10), (4.5, 0, 14.5, 10)]
    assert coco_counts(truths, answers, 0.5) == (1, 1, 1)
    assert ours(truths, answers, 0.5) == (2, 0, 0) == (ref_greedy_tp(truths, answers, 0.5), 0, 0)
    assert max_matching(truths, answers, 0.5) == 2


def test_iou_and_the_threshold_edge():
    a = (0, 0, 10, 10)
    b = (0, 0, 10, 20)  # IoU exactly 0.5
    assert iou(a, b) == pytest.approx(ref_iou(a, b)) == 0.5
    assert ours([a], [b], 0.5) == (1, 0, 0)
    assert ours([a], [b], 0.51) == (0, 1, 1)
    assert iou(a, (10, 10, 20, 20)) == 0.0  # touching corners


@pytest.mark.parametrize(
    "truths, answers, expected",
    [
        ([], [], (0, 0, 0)),  # an empty photo, answered empty
        ([], [(0, 0, 5, 5)], (0, 1, 0)),  # an empty photo, something invented
        ([(0, 0, 5, 5)], [], (0, 0, 1)),  # missed
        # a duplicate: the better answer is the TP, the other a false alarm
        ([(0, 0, 10, 10)], [(0, 0, 10, 9), (0, 0, 10, 10)], (1, 1, 0)),
        # greedy by IoU: the 0.9 pair first, so the second label still gets its 0.55 answer
        ([(0, 0, 10, 10), (6, 0, 16, 10)], [(1, 0, 11, 10), (5, 0, 15, 10)], (2, 0, 0)),
    ],
)
def test_hand_made_cases(truths, answers, expected):
    assert ours(truths, answers, 0.5) == expected


# -- heads in person boxes ------------------------------------------------------------------------


def test_a_head_matches_the_person_box_it_tops():
    person = (100, 100, 200, 400)
    assert head_fit((130, 100, 170, 140), person) > 0.8  # at the top, centred
    assert head_fit((130, 90, 170, 130), person) > 0  # the helmet pokes out a little
    assert head_fit((130, 300, 170, 340), person) == 0  # at the feet
    assert head_fit((190, 100, 240, 140), person) == 0  # centre outside the box
    assert head_fit((130, 20, 170, 60), person) == 0  # above the box
    assert iou((130, 100, 170, 140), person) < 0.1  # why IoU alone cannot do it


def test_crowded_heads_go_to_the_person_they_top():
    # Two persons overlapping; each head is inside both boxes, but tops only its own.
    heads = [(110, 100, 140, 130), (160, 140, 190, 170)]
    persons = [(150, 140, 200, 330), (100, 100, 150, 300)]
    m = match(heads, persons, 0.5, heads=[True, True])
    assert sorted(m.pairs) == [(0, 1), (1, 0)]
    # Three heads, one big box around all of them: one match, two misses (one-to-one).
    row = [(100 + 40 * i, 100, 130 + 40 * i, 130) for i in range(3)]
    m = match(row, [(95, 95, 235, 400)], 0.5, heads=[True] * 3)
    assert len(m.pairs) == 1 and len(m.missed) == 2 and m.pairs[0][0] == 1  # the centred head


def test_a_head_boxed_as_a_head_also_matches_by_iou():
    head = (100, 100, 140, 140)
    assert match([head], [(101, 101, 141, 141)], 0.5, heads=[True]).pairs == ((0, 0),)


# -- whole photos: class confusions, statuses ----------------------------------------------------


def _scored(labels, dets, mapping=()):
    truth = Truth("p.jpg", None, tuple(Labelled(c, b) for c, b in labels))
    classes = tuple(dict.fromkeys(c for c, _ in labels)) + ("fire", "smoke")
    from collections import Counter

    dataset = Dataset(None, "voc", [truth], classes, Counter(c for c, _ in labels))
    cmap = ClassMap(dataset, parse_map(mapping))
    result = ImageResult("p.jpg", width=1000, height=1000, detections=list(dets))
    return score_photo(truth, result, cmap, 0.5), cmap


def test_a_fire_answered_as_smoke_is_a_miss_and_a_false_alarm_and_a_confusion():
    score, cmap = _scored(
        [("fire", (0, 0, 100, 100))], [Detection("smoke", "minor", "smoke", "", (0, 0, 100, 95))]
    )
    f = figures([score], cmap, 0.5)
    assert (f["classes"]["fire"]["fn"], f["classes"]["smoke"]["fp"]) == (1, 1)
    assert f["confusion"]["fire"]["smoke"] == 1 and f["confusion"]["fire"]["missed"] == 0
    assert f["confusion"]["none"]["smoke"] == 0


def test_helmet_status_is_scored_on_matched_persons_only():
    labels = [
        ("hat", (100, 100, 140, 140)),
        ("bare", (300, 100, 340, 140)),
        ("bare", (600, 0, 640, 40)),
    ]
    dets = [
        Detection("person", "worn", "person", "helmet", (90, 95, 150, 400)),
        Detection("person", "worn", "person", "helmet", (290, 95, 350, 400)),  # wrong status
        Detection("person", "unknown", "person", "?", (800, 800, 900, 990)),  # invented
    ]
    score, cmap = _scored(labels, dets, ["hat=head:worn", "bare=head:missing"])
    f = figures([score], cmap, 0.5)
    assert f["classes"]["person"] | {} == f["classes"]["person"]
    assert (f["classes"]["person"]["tp"], f["classes"]["person"]["fp"]) == (2, 1)
    assert f["classes"]["person"]["fn"] == 1
    h = f["helmet"]
    assert (h["scored"], h["correct"], h["accuracy"]) == (2, 1, 0.5)
    assert h["confusion"] == {
        "worn": {"worn": 1, "missing": 0, "unknown": 0},
        "missing": {"worn": 1, "missing": 0, "unknown": 0},
    }
    assert h["missed"] == {"worn": 0, "missing": 1}
    assert score.wrong_status == [(1, 1)]


def test_bare_heads_count_as_a_hazard_only_where_the_data_set_can_label_them():
    dets = [Detection("person", "missing", "person", "no helmet", (90, 95, 150, 400))]
    labels = [("hat", (100, 100, 140, 140))]
    score, cmap = _scored(labels, dets, ["hat=head:worn", "fire=ignore", "smoke=ignore"])
    assert figures([score], cmap, 0.5)["photos"] is None  # nothing here could be a hazard
    labels.append(("bare", (600, 100, 640, 140)))
    score, cmap = _scored(labels, dets, ["hat=head:worn", "bare=head:missing"])
    photos = figures([score], cmap, 0.5)["photos"]
    assert photos["basis"] == ["fire", "smoke", "missing"]
    assert (photos["with_hazard"], photos["correct"]) == (1, 1)  # right, if for a wrong reason
