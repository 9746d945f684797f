"""The figures: per category TP, FP, FN, precision, recall and F1; hard-hat status on matched
persons; per photo, whether a hazard is present; failures, tokens and latency.

Only the categories the data set labels are scored (a fire data set with unlabelled
bystanders says nothing about persons): answers in other categories are counted, not judged.
Photos whose answer failed or could not be read are counted as failed and left out of every
other figure; they are never read as "nothing found". The model gives no confidence score,
so there is one precision/recall point per category and no AP (average precision).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..detections import Detection, ImageResult
from .classmap import ClassMap, Target
from .matching import match
from .truth import Truth

ANSWER_CATEGORIES = ("fire", "smoke", "person", "other")
HELMET_TRUTH = ("worn", "missing")
HELMET_ANSWER = ("worn", "missing", "unknown")
SEVERITY_TRUTH = ("minor", "moderate", "severe")
SEVERITY_ANSWER = ("minor", "moderate", "severe", "unknown")
MISSED, NONE = "missed", "none"  # the confusion table's extra column and row


@dataclass
class PhotoScore:
    """One photo scored: which labels were found, missed, and what was invented."""

    truth: Truth
    result: ImageResult
    targets: list[Target] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (target, detection)
    missed: list[int] = field(default_factory=list)  # targets nobody found
    false: list[int] = field(default_factory=list)  # detections in scored categories, unmatched
    unscored: list[int] = field(default_factory=list)  # detections in categories not labelled
    confused: list[tuple[int, int]] = field(default_factory=list)  # missed target ~ other class
    wrong_status: list[tuple[int, int]] = field(default_factory=list)
    hazard_truth: bool = False
    hazard_answer: bool = False
    cached: bool = False

    @property
    def failed(self) -> bool:
        return self.result.error is not None

    @property
    def detections(self) -> list[Detection]:
        return self.result.detections

    @property
    def mistakes(self) -> int:
        return len(self.missed) + len(self.false) + len(self.wrong_status)


def _hazard_basis(cmap: ClassMap) -> tuple[str, ...]:
    """What makes a photo hazardous, among what this data set labels."""
    basis = tuple(c for c in ("fire", "smoke") if c in cmap.labelled)
    return basis + (("missing",) if cmap.bare_heads_labelled else ())


def _is_hazard(category: str, status: str, basis: tuple[str, ...]) -> bool:
    if category in ("fire", "smoke"):
        return category in basis
    return category == "person" and status == "missing" and "missing" in basis


def score_photo(
    truth: Truth, result: ImageResult, cmap: ClassMap, threshold: float, *, cached: bool = False
) -> PhotoScore:
    score = PhotoScore(truth, result, cmap.targets(truth), cached=cached)
    basis = _hazard_basis(cmap)
    score.hazard_truth = any(_is_hazard(t.category, t.status, basis) for t in score.targets)
    if score.failed:
        return score
    dets = result.detections
    score.hazard_answer = any(_is_hazard(d.category, d.status, basis) for d in dets)
    for category in ANSWER_CATEGORIES:
        t_idx = [i for i, t in enumerate(score.targets) if t.category == category]
        a_idx = [i for i, d in enumerate(dets) if d.category == category]
        if category not in cmap.labelled:
            score.unscored += a_idx
            continue
        m = match(
            [score.targets[i].box for i in t_idx],
            [dets[i].box for i in a_idx],
            threshold,
            heads=[score.targets[i].head for i in t_idx],
        )
        for ti, ai in m.pairs:
            pair = (t_idx[ti], a_idx[ai])
            score.pairs.append(pair)
            wanted = score.targets[pair[0]].status
            if wanted and dets[pair[1]].status != wanted:
                score.wrong_status.append(pair)
        score.missed += [t_idx[i] for i in m.missed]
        score.false += [a_idx[i] for i in m.extra]
    # Class confusions: a missed label that an answer of another category covers.
    leftovers = sorted(score.false + score.unscored)
    cross = match(
        [score.targets[i].box for i in score.missed], [dets[i].box for i in leftovers], threshold
    )
    score.confused = [(score.missed[ti], leftovers[ai]) for ti, ai in cross.pairs]
    return score


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _counts(tp: int, fp: int, fn: int) -> dict:
    return {
        "labelled": True,
        "truths": tp + fn,
        "answers": tp + fp,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
    }


def _status_block(scores, category: str, rows, cols) -> dict:
    confusion = {r: dict.fromkeys(cols, 0) for r in rows}
    missed = dict.fromkeys(rows, 0)  # labelled with this status, found by nobody
    for s in scores:
        for ti, ai in s.pairs:
            target, det = s.targets[ti], s.detections[ai]
            if target.category == category and target.status in confusion:
                confusion[target.status][det.status] += 1
        for ti in s.missed:
            target = s.targets[ti]
            if target.category == category and target.status in missed:
                missed[target.status] += 1
    scored = sum(sum(row.values()) for row in confusion.values())
    correct = sum(confusion[r][r] for r in rows)
    return {
        "scored": scored,
        "correct": correct,
        "accuracy": _ratio(correct, scored),
        "confusion": confusion,
        "missed": missed,
    }


def _confusion(scores, labelled: list[str]) -> dict:
    cols = (*ANSWER_CATEGORIES, MISSED)
    table = {r: dict.fromkeys(cols, 0) for r in labelled}
    table[NONE] = dict.fromkeys(ANSWER_CATEGORIES, 0)  # answers where nothing is labelled
    for s in scores:
        confused_t = {ti for ti, _ in s.confused}
        confused_a = {ai for _, ai in s.confused}
        for ti, _ai in s.pairs:
            category = s.targets[ti].category
            table[category][category] += 1
        for ti, ai in s.confused:
            table[s.targets[ti].category][s.detections[ai].category] += 1
        for ti in s.missed:
            if ti not in confused_t:
                table[s.targets[ti].category][MISSED] += 1
        for ai in s.false:
            if ai not in confused_a:
                table[NONE][s.detections[ai].category] += 1
    return table


def _photos(scores, basis: tuple[str, ...]) -> dict | None:
    if not basis:
        return None
    with_h = [s for s in scores if s.hazard_truth]
    without = [s for s in scores if not s.hazard_truth]
    alarms = sum(s.hazard_answer for s in without)
    misses = sum(not s.hazard_answer for s in with_h)
    correct = len(scores) - alarms - misses
    return {
        "basis": list(basis),
        "scored": len(scores),
        "with_hazard": len(with_h),
        "without_hazard": len(without),
        "correct": correct,
        "accuracy": _ratio(correct, len(scores)),
        "false_alarms": alarms,
        "false_alarm_rate": _ratio(alarms, len(without)),
        "missed": misses,
        "miss_rate": _ratio(misses, len(with_h)),
    }


def _usage(scores: Sequence[PhotoScore]) -> dict:
    usages = [s.result.usage for s in scores if s.result.usage]
    latencies = sorted(s.result.latency_s for s in scores if s.result.latency_s is not None)
    prompt = sum(int(u.get("prompt_tokens") or 0) for u in usages)
    completion = sum(int(u.get("completion_tokens") or 0) for u in usages)
    latency = None
    if latencies:
        p90 = latencies[min(len(latencies) - 1, int(0.9 * len(latencies)))]
        latency = {
            "mean": round(statistics.fmean(latencies), 3),
            "median": round(statistics.median(latencies), 3),
            "p90": round(p90, 3),
            "max": round(latencies[-1], 3),
        }
    return {
        "asked": sum(not s.cached for s in scores),
        "from_cache": sum(s.cached for s in scores),
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "tokens_per_photo": round((prompt + completion) / len(usages), 1) if usages else None,
        "latency_s": latency,
    }


def figures(scores: Sequence[PhotoScore], cmap: ClassMap, threshold: float) -> dict:
    """Every figure of one run, as a JSON-ready dict (see the module docstring)."""
    read = [s for s in scores if not s.failed]
    labelled = [c for c in ANSWER_CATEGORIES if c in cmap.labelled]
    present = set(labelled)
    for s in read:
        present.update(d.category for d in s.detections)
    classes: dict[str, dict] = {}
    for category in (c for c in ANSWER_CATEGORIES if c in present):
        if category in cmap.labelled:
            tp = sum(s.targets[ti].category == category for s in read for ti, _ in s.pairs)
            fp = sum(s.detections[ai].category == category for s in read for ai in s.false)
            fn = sum(s.targets[ti].category == category for s in read for ti in s.missed)
            classes[category] = _counts(tp, fp, fn)
        else:
            answers = sum(d.category == category for s in read for d in s.detections)
            classes[category] = {"labelled": False, "answers": answers, "tp": None, "fp": None}
            classes[category].update(fn=None, precision=None, recall=None, f1=None)
    severity = {
        c: _status_block(read, c, SEVERITY_TRUTH, SEVERITY_ANSWER)
        for c in ("fire", "smoke")
        if any(t.category == c and t.status for s in read for t in s.targets)
    }
    failed = [s for s in scores if s.failed]
    return {
        "images": len(scores),
        "failed": len(failed),
        "scored_images": len(read),
        "unreadable": sum(s.result.error_kind == "model output" for s in failed),
        "iou": threshold,
        "classes": classes,
        "helmet": _status_block(read, "person", HELMET_TRUTH, HELMET_ANSWER),
        "severity": severity,
        "confusion": _confusion(read, labelled),
        "photos": _photos(read, _hazard_basis(cmap)),
        "usage": _usage(scores),
        "failures": [
            {"source": s.truth.name, "kind": s.result.error_kind, "error": s.result.error}
            for s in failed
        ],
        "per_image": [
            {
                "source": s.truth.name,
                "tp": len(s.pairs),
                "fp": len(s.false),
                "fn": len(s.missed),
                "wrong_status": len(s.wrong_status),
                "error": s.result.error,
            }
            for s in scores
        ],
    }


def worst(scores: Sequence[PhotoScore], n: int) -> list[PhotoScore]:
    """The n read photos with the most mistakes (misses, false alarms, wrong statuses)."""
    ranked = sorted(
        (s for s in scores if not s.failed and s.mistakes),
        key=lambda s: (-s.mistakes, s.truth.name),
    )
    return ranked[:n]
