"""One answer's text -> Detections in original pixels: parse, convert, classify, and the
honest notes about what was repaired. Used for the whole frame and for every extra pass
(tiles, re-check crops), so that all of them go through geometry the same way."""

from __future__ import annotations

import math

from . import geometry
from .detections import Detection
from .errors import ModelOutputError
from .i18n import Phrase, t
from .labels import classify
from .parsing import parse_answer


def read_answer(
    text: str,
    finish_reason: str | None,
    convention: str,
    frame: geometry.Frame,
    notes: list[str],
    left: float = 0.0,
    top: float = 0.0,
    logprobs: tuple[tuple[str, float], ...] | None = None,
    lang: str = "en",
) -> tuple[list[Detection], str]:
    """(detections, the convention used). ``frame`` is the part of the photo the answer is
    about, cut at (left, top); notes about repairs are appended to ``notes``; ``logprobs``
    (the answer's tokens, where the endpoint gives them) give each finding a confidence.
    Notes are in ``lang``, the run's language; errors say themselves in their reader's."""
    try:
        parsed = parse_answer(text, lang)
    except ModelOutputError as exc:
        if finish_reason == "length":
            said = exc.phrase or str(exc)
            raise ModelOutputError(Phrase("answer.error.cut-before-any", error=said)) from None
        raise
    notes.extend(parsed.notes)
    if not parsed.objects and parsed.points_ignored:
        raise ModelOutputError(Phrase("answer.error.points"))
    if finish_reason == "length":
        notes.append(t("answer.note.length", lang))
    # The tag forms of Qwen-VL and Qwen2-VL are always 0..1000, whatever the plan says.
    if parsed.form != "json":
        convention = geometry.RELATIVE_1000
    limit_x, limit_y = (
        (frame.sent_w, frame.sent_h) if convention == geometry.ABSOLUTE else (1000, 1000)
    )
    detections: list[Detection] = []
    clamped = dropped = outside = 0
    sure = confidences(text, parsed.objects, logprobs)
    for obj, confidence in zip(parsed.objects, sure):
        x1, y1, x2, y2 = obj.coords
        if x2 > limit_x * 1.05 or y2 > limit_y * 1.05 or min(x1, y1) < -0.05 * limit_x:
            outside += 1
        fix = geometry.to_original_at(obj.coords, convention, frame, left, top)
        if fix.box is None:
            dropped += 1
            continue
        clamped += fix.clamped
        category, status = classify(obj.label, obj.sub_label)
        detections.append(
            Detection(
                category,
                status,
                obj.label,
                obj.sub_label,
                fix.box,
                confidence=confidence,
                permitted=obj.permitted,
            )  # fmt: skip
        )
    if clamped:
        notes.append(t("answer.note.clamped", lang, n=clamped))
    if dropped:
        notes.append(t("answer.note.dropped", lang, n=dropped))
    if outside:
        notes.append(t("answer.note.outside", lang, n=outside, convention=convention))
    return detections, convention


def confidences(text: str, objects, logprobs) -> list[float | None]:
    """Per object, the lowest token probability among its label and status words.

    Only where it can be told which tokens wrote which object: the tokens must spell the
    answer exactly, and each label and sub_label is looked for in order after the last one.
    Anything else (no log-probabilities, an answer we repaired, escaped text) gives None:
    no number is invented.
    """
    none: list[float | None] = [None] * len(objects)
    if not logprobs or "".join(token for token, _ in logprobs) != text:
        return none
    spans, pos = [], 0
    for token, logprob in logprobs:
        spans.append((pos, pos + len(token), logprob))
        pos += len(token)
    out: list[float | None] = []
    cursor = 0
    for obj in objects:
        lowest = None
        for words in (obj.label, obj.sub_label):
            if not words:
                continue
            at = text.find(words, cursor)
            if at < 0:
                return out + none[len(out) :]
            cursor = at + len(words)
            inside = [lp for a, b, lp in spans if a < cursor and b > at]
            if inside:
                low = min(inside)
                lowest = low if lowest is None else min(lowest, low)
        out.append(None if lowest is None else math.exp(lowest))
    return out
