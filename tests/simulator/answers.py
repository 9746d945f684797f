"""The text a Qwen model writes for the objects it saw, in each answer format."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .vision import SeenObject

# The probe phrase a client uses to calibrate which coordinate convention is in force.
PROBE_PHRASE = "red rectangle"
# Real models write roughly this many characters per token in these answers; max_tokens
# truncation cuts at this multiple.
CHARS_PER_TOKEN = 3

LABELS = {
    "zh": {
        "fire": "火灾",
        "smoke": "烟雾",
        "person": "人员",
        "severe": "严重",
        "moderate": "中等",
        "minor": "轻微",
        "worn": "佩戴安全帽",
        "missing": "未佩戴安全帽",
        "unknown": "不确定",
    },
    "en": {
        "fire": "fire",
        "smoke": "smoke",
        "person": "person",
        "severe": "severe",
        "moderate": "moderate",
        "minor": "minor",
        "worn": "wearing helmet",
        "missing": "no helmet",
        "unknown": "uncertain",
    },
}

NOTHING_FOUND = {
    "zh": "图中未发现火灾、烟雾或人员。",
    "en": "No fire, smoke or persons are visible in the image.",
}
NO_IMAGE = {"zh": "请提供一张图片。", "en": "Please provide an image."}


def _scaled(box: tuple[int, int, int, int], size: tuple[int, int], convention: str) -> list[int]:
    """A frame box written in the convention's units (pixels or 0..1000)."""
    if convention == "absolute":
        return list(box)
    w, h = size
    x1, y1, x2, y2 = box
    return [round(x1 / w * 1000), round(y1 / h * 1000), round(x2 / w * 1000), round(y2 / h * 1000)]


def compose_answer(
    objects: list[SeenObject],
    frame_size: tuple[int, int],
    convention: str,
    language: str = "zh",
    probe: bool = False,
) -> str:
    """The text a Qwen model would write for these objects in this convention."""
    words = LABELS[language]
    items: list[tuple[list[int], str, str | None]] = []
    for obj in objects:
        if probe:
            if obj.kind.name == "red":
                items.append((_scaled(obj.box, frame_size, convention), PROBE_PHRASE, None))
            continue
        coords = _scaled(obj.box, frame_size, convention)
        items.append((coords, words[obj.kind.category], words[obj.kind.status]))

    if convention in ("absolute", "relative-1000"):
        if not items:
            return "```json\n[]\n```"
        lines = []
        for coords, label, sub_label in items:
            entry: dict[str, Any] = {"bbox_2d": coords, "label": label}
            if sub_label is not None:
                entry["sub_label"] = sub_label
            lines.append("\t" + json.dumps(entry, ensure_ascii=False))
        return "```json\n[\n" + ",\n".join(lines) + "\n]\n```"

    if not items:
        return NOTHING_FOUND[language]
    lines = []
    for (x1, y1, x2, y2), label, sub_label in items:
        point_pair = f"({x1},{y1}),({x2},{y2})"
        if convention == "qwen2-tags":
            line = (
                f"<|object_ref_start|>{label}<|object_ref_end|><|box_start|>{point_pair}<|box_end|>"
            )
        else:
            line = f"<ref>{label}</ref><box>{point_pair}</box>"
        lines.append(line + (f" {sub_label}" if sub_label else ""))
    return "\n".join(lines)


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """Rough token count: one per CJK character, one per three other characters."""
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / CHARS_PER_TOKEN)


# Token probabilities the simulated model reports: sure of what it saw, unsure (about half)
# of the status words of objects whose perception was degraded.
SURE, UNSURE = -0.01, -0.7


def token_logprobs(content: str, doubts: list[bool]) -> list[tuple[str, float]]:
    """The answer cut into tokens (a CJK character, or up to 3 other characters) with a
    log-probability each. ``doubts``: per object listed, in order, whether its status was
    guessed; the status words (sub_label) of those objects are UNSURE."""
    unsure: list[tuple[int, int]] = []
    marker = '"sub_label": "'
    pos, n = 0, 0
    while (at := content.find('"bbox_2d"', pos)) >= 0:
        start = content.find(marker, at)
        if start < 0:
            break
        start += len(marker)
        end = content.find('"', start)
        if n < len(doubts) and doubts[n] and end > start:
            unsure.append((start, end))
        pos, n = max(end, start), n + 1
    tokens: list[tuple[str, float]] = []
    pos = 0
    while pos < len(content):
        if _CJK.match(content, pos):
            piece = content[pos]
        else:
            piece = _CJK.split(content[pos : pos + CHARS_PER_TOKEN])[0]
        doubt = any(a < pos + len(piece) and pos < b for a, b in unsure)
        tokens.append((piece, UNSURE if doubt else SURE))
        pos += len(piece)
    return tokens


# The hazard ledger's focused re-check (safety.ledger.recheck): a question about one earlier
# finding, answered {"hazard": "present|gone|unclear", "reason": ...}.
LEDGER_RECHECK_MARKER = '"hazard": "present|gone|unclear"'
_LEDGER_ASKED = re.compile(r"Category: (\w+)\. Status: (\w+)\.")


def ledger_recheck_answer(
    objects: list[SeenObject], frame_size: tuple[int, int], prompt: str
) -> str:
    """present when an object of the asked kind is in the after photo (the right panel when
    the frame has two), else gone; unclear when the question names no kind."""
    asked = _LEDGER_ASKED.search(prompt)
    if asked is None:
        return '```json\n{"hazard": "unclear", "reason": "the question names no hazard"}\n```'
    category, status = asked.groups()
    half = frame_size[0] / 2 if "RIGHT panel" in prompt else 0
    wanted = {"missing": ("missing",), "unknown": ("missing", "unknown")}
    seen = [
        o
        for o in objects
        if (o.box[0] + o.box[2]) / 2 >= half
        and o.kind.category == category
        and (category != "person" or o.kind.status in wanted.get(status, (status,)))
    ]
    if seen:
        return json.dumps({"hazard": "present", "reason": f"{category} still visible"})
    return json.dumps({"hazard": "gone", "reason": f"no {category} visible any more"})
