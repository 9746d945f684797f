"""The grounding-tag forms: Qwen2-VL (<|object_ref_start|>...<|box_start|>...) and
Qwen-VL (<ref>...</ref><box>...</box>)."""

from __future__ import annotations

import re
from typing import Any

from ..i18n import t_n
from .objects import _read_objects, _tally_notes
from .schema import FORM_QWEN2_TAGS, FORM_QWEN_VL_TAGS, ParsedAnswer

# Label text is read up to the next "<", which keeps these patterns linear on any input.
_TAG_FORMS = (
    (
        FORM_QWEN2_TAGS,
        "<|box_start|>",
        re.compile(
            r"<\|object_ref_start\|>(?P<ref>[^<]*)<\|object_ref_end\|>"
            r"|<\|box_start\|>(?P<box>[^<]*)<\|box_end\|>"
        ),
    ),
    (
        FORM_QWEN_VL_TAGS,
        "<box>",
        re.compile(r"<ref>(?P<ref>[^<]*)</ref>|<box>(?P<box>[^<]*)</box>"),
    ),
)
_NUMBER_IN_TAG = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_BETWEEN_BOXES = re.compile(r"[\s,;]*")
# A status written after a box, up to the end of its line ("<box>(1,2),(3,4)</box> 未佩戴安全帽").
# Text that runs into another tag ("<box>...</box> and <ref>fire</ref>") is prose, not a status.
_AFTER_BOX = re.compile(r"[^<\n]*(?=\n|\Z)")
_AFTER_BOX_MAX = 200  # longer text after a box is a sentence, not a status
_SEPARATORS = " \t\r,;:-"


def _read_tags(text: str, lang: str = "en") -> ParsedAnswer | None:
    """Read the Qwen2-VL or Qwen-VL tag form; None when the text has no box tags."""
    for form, opener, pattern in _TAG_FORMS:
        if opener in text:
            return _read_tag_form(text, form, opener, pattern, lang)
    return None


def _read_tag_form(
    text: str, form: str, opener: str, pattern: re.Pattern[str], lang: str
) -> ParsedAnswer:
    items: list[tuple[Any, str]] = []
    label = ""
    last_end = 0
    complete = 0
    for match in pattern.finditer(text):
        if match.group("ref") is not None:
            label = match.group("ref")
        else:
            # A label names the boxes that follow it directly; a box after other text has none.
            if not _BETWEEN_BOXES.fullmatch(text, last_end, match.start()):
                label = ""
            numbers = _NUMBER_IN_TAG.findall(match.group("box"))
            box = numbers if len(numbers) == 4 else None
            sub_label = ""
            last_end = match.end()
            after = _AFTER_BOX.match(text, last_end)
            if after is not None:
                sub_label = after.group().strip(_SEPARATORS)
                last_end = after.end()
            if len(sub_label) > _AFTER_BOX_MAX:
                sub_label = ""
            items.append(({"bbox_2d": box, "label": label, "sub_label": sub_label}, ""))
            complete += 1
            continue
        last_end = match.end()
    tally = _read_objects(items)
    unfinished = text.count(opener) - complete
    notes = _tally_notes(tally, lang)
    if unfinished > 0:
        notes.append(t_n("answer.note.tags", unfinished, lang))
    return ParsedAnswer(
        objects=tally.objects,
        form=form,
        notes=notes,
        truncated=unfinished > 0 and text.rfind(opener) >= last_end,
        swapped=tally.swapped,
    )
