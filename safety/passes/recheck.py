"""A second look at people: an upscaled crop of one person and a focused question.

Who (``--recheck``): ``auto`` (the default) rechecks each person whose hard hat came back
unknown, or whose box is small in the frame the model was sent (under SMALL_PERSON_PX
tall): there the model saw the hard hat as a few pixels. ``all`` rechecks every person;
``off`` none.

How: the person's box with a margin, cut from the photo and enlarged to about
RECHECK_PIXELS, is sent with a question that allows five answers: the hard hat is worn on the
head, held, nearby (not worn), none, or it cannot be told.

The rule that combines the two answers (stated here, kept in the JSON's ``passes``):
  * the second look says worn -> worn; held, nearby or none -> missing (a hard hat in the
    hand is not on the head); it cannot tell, or its answer failed -> the first answer stays;
  * otherwise the second look wins: it saw the person with many times the pixels.
The box never changes: the second look only answers about the hard hat.
"""

from __future__ import annotations

import math
import re
from contextlib import nullcontext
from dataclasses import replace

from .. import geometry
from ..detections import Detection, ImageResult
from ..errors import SafetyError
from ..i18n import t
from ..images import decode_cost, load_image
from ..labels import classify
from ..parsing import parse_answer
from . import tiles
from .detail import Pass, add_usage, ask_all, crop_frame

SMALL_PERSON_PX = 80  # a person box under this height in the frame sent is small
RECHECK_PIXELS = 448 * 448  # the crop is enlarged (or reduced) to about this
MARGIN = 0.3  # of the box's size, on each side (the hat above the head, the hands)
VERDICTS = ("worn", "held", "nearby", "none", "unclear")
STATUS_OF = {"worn": "worn", "held": "missing", "nearby": "missing", "none": "missing"}

PROMPT = (
    "这是工地照片中一名人员的放大局部图。只看画面中央的这名人员，判断他的安全帽："
    "worn（戴在头上）、held（拿在手里）、nearby（在身边但没戴）、none（没有安全帽）、"
    'unclear（看不清，无法判断）。只输出 JSON：{"helmet": "worn|held|nearby|none|unclear"}。\n'
    "This is an enlarged crop of one person from a site photo. Looking only at the person in "
    "the centre, is the hard hat worn on the head, held, nearby (not worn), none, or can you "
    'not tell? Answer only JSON: {"helmet": "worn|held|nearby|none|unclear"}.'
)

# Words of a free answer, checked in this order: doubt first, then a hat that is not on the
# head ("holding a hard hat" mentions a hard hat), then none, then worn.
_WORDS = (
    ("unclear", ("unclear", "cannot tell", "can't tell", "uncertain", "unknown", "不确定",
                 "看不清", "无法判断", "无法确定", "不清楚")),
    ("held", ("held", "holding", "in hand", "in his hand", "in her hand", "carrying",
              "手持", "拿着", "手里", "手中", "拿在")),
    ("nearby", ("nearby", "next to", "beside", "on the ground", "旁边", "附近", "身边", "地上")),
    ("none", ("none", "no helmet", "no hard hat", "not wearing", "without", "bare", "未佩戴",
              "没有", "没戴", "未戴")),
    ("worn", ("worn", "wearing", "on the head", "on his head", "on her head", "佩戴", "戴着",
              "戴在")),
)  # fmt: skip
_KEYED = re.compile(
    r"[\"']?(?:helmet|hard_?hat|hardhat|status|安全帽)[\"']?\s*[:：]\s*[\"']?([^\"',}\n]+)", re.I
)


def wanted(result: ImageResult, mode: str) -> list[int]:
    """Indices of the findings to look at again."""
    if mode == "off" or not result.frame:
        return []
    shrink = result.height / result.frame[1]
    picked = []
    for i, d in enumerate(result.detections):
        if d.category != "person":
            continue
        small = (d.box[3] - d.box[1]) / shrink < SMALL_PERSON_PX
        if mode == "all" or d.status == "unknown" or small:
            picked.append(i)
    return picked


def crop_region(box, width: int, height: int, grid: int) -> tiles.Tile:
    """The person's box with a margin, inside the photo, and the enlarged frame to send."""
    x1, y1, x2, y2 = box
    mx, my = MARGIN * (x2 - x1), MARGIN * (y2 - y1)
    left, top = max(0, math.floor(x1 - mx)), max(0, math.floor(y1 - my))
    right, bottom = min(width, math.ceil(x2 + mx)), min(height, math.ceil(y2 + my))
    w, h = max(1, right - left), max(1, bottom - top)
    scale = math.sqrt(RECHECK_PIXELS / (w * h))
    frame_w, frame_h = geometry.choose_frame(
        max(1, round(w * scale)), max(1, round(h * scale)), grid, RECHECK_PIXELS
    )
    return tiles.Tile(left, top, w, h, frame_w, frame_h)


def verdict_of(text: str) -> str | None:
    """worn | held | nearby | none | unclear from a second look's answer; None: unreadable.

    Read, in order: a keyed answer ({"helmet": "held"}), objects in the usual answer form
    (```json [{"bbox_2d": ..., "label": "person holding a hard hat"}], as Qwen writes), the
    one nearest the crop's centre; then the words of a free answer.
    """
    keyed = _KEYED.search(text or "")
    if keyed:
        found = _words(keyed.group(1))
        if found:
            return found
    try:
        objects = parse_answer(text).objects
    except SafetyError:
        objects = []
    people = [o for o in objects if classify(o.label, o.sub_label)[0] == "person"]
    if people:
        # Without the frame size, the centre of all boxes' span stands in for the crop's.
        cx = (min(o.coords[0] for o in people) + max(o.coords[2] for o in people)) / 2
        cy = (min(o.coords[1] for o in people) + max(o.coords[3] for o in people)) / 2
        nearest = min(people, key=lambda o: _distance(o.coords, cx, cy))
        found = _words(f"{nearest.label} {nearest.sub_label}")
        if found:
            return found
        status = classify(nearest.label, nearest.sub_label)[1]
        return {"worn": "worn", "missing": "none"}.get(status, "unclear")
    return _words(text or "")


def _distance(coords, cx: float, cy: float) -> float:
    return abs((coords[0] + coords[2]) / 2 - cx) + abs((coords[1] + coords[3]) / 2 - cy)


def _words(text: str) -> str | None:
    low = text.lower()
    for verdict, words in _WORDS:
        if verdict in low.split() or any(w in low for w in words):
            return verdict
    return None


def combine(first: str, verdict: str | None) -> str:
    """The finding's hard-hat status after the second look (the module's rule)."""
    if verdict is None or verdict == "unclear":
        return first
    return STATUS_OF[verdict]


def run(inspector, job) -> None:
    """Look again at the people ``inspector.settings.recheck`` asks for, in this photo."""
    result: ImageResult = job.result
    picked = wanted(result, inspector.settings.recheck)
    data, job.data = job.data, None
    # Stored labels (demo mode: result.provenance) answer for a whole photo, never a crop.
    if not picked or data is None or result.provenance is not None:
        return
    budget = getattr(inspector, "decode_budget", None)
    passes = []
    # Decoded again at full size, within the app's decoding budget like the first decoding.
    with budget.hold(decode_cost(data)) if budget else nullcontext():
        image = load_image(
            data, need_long_side=lambda w, h: max(w, h), max_pixels=inspector.max_image_pixels
        ).image
        del data
        for i in picked:
            box = result.detections[i].box
            region = crop_region(box, result.width, result.height, job.plan.grid)
            jpeg = crop_frame(image, region, result.width, inspector.privacy)
            passes.append(Pass("recheck", region, PROMPT, jpeg, target=i))
        del image
    ask_all(inspector.model, passes, result.sha256, inspector.settings.api_key, inspector.lang)
    changed = 0
    for p in passes:
        before: Detection = result.detections[p.target]
        verdict = verdict_of(p.answer.text) if p.answer else None
        status = combine(before.status, verdict)
        p.extra = {"finding": p.target, "first": before.status, "second": verdict}
        p.extra["combined"] = status
        if status != before.status:
            changed += 1
            # The first answer's confidence was about the status now replaced.
            result.detections[p.target] = replace(before, status=status, confidence=None)
    add_usage(result, passes)
    result.passes.extend(p.record() for p in passes)
    failed = sum(p.error is not None for p in passes)
    note = t("note.recheck", inspector.lang, n=len(passes), changed=changed)
    if failed:
        note += t("note.recheck-failed", inspector.lang, failed=failed)
    result.notes.append(note)


__all__ = ["PROMPT", "combine", "crop_region", "run", "verdict_of", "wanted"]
