"""``ledger recheck ID PHOTO``: is the hazard still there? The model is asked a focused
question about that finding, then the after photo is inspected like any other.

The question (prompt style of safety.passes.recheck): one frame, two panels side by side:
on the left the before photo cut around the finding's box, on the right the after photo,
each fitted into PANEL x PANEL pixels (a frame every Qwen grid keeps as sent). The model is
told the finding's category and status and answers present, gone or unclear, with a reason.
Without a stored before photo, the after photo is sent alone with the box's place in words.

Then the after photo is inspected with the run's settings: its hazards become new findings
(a new visit at the same site), except, when the answer is "present", one of the finding's
own kind (that one is the same hazard, not a new one). The after photo is kept as evidence
with the answer. The finding's status does not change: a person verifies or reopens it.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass, field

from PIL import Image

from ..backends.model import Question
from ..errors import SafetyError
from ..i18n import detection_caption, t
from ..inspection import Inspector
from ..report.text import one_line
from ..source import Source
from .describe import what
from .errors import BadPhoto
from .model import Finding, is_hazard
from .pictures import crop_box, upright

PANEL = 448  # each panel's side: 448 = 16 * 28 = 14 * 32
BACKGROUND = (128, 128, 128)
VERDICTS = ("present", "gone", "unclear")
MARKER = '{"hazard": "present|gone|unclear"'

PROMPT_PANELS = (
    "这是同一处施工现场的两张图：左图是此前检查时发现隐患处的局部，右图是整改后的照片。"
    "隐患为：{zh}。只看右图，判断该隐患是否仍然存在：present（仍然存在）、gone（已消除）、"
    "unclear（无法判断）。只输出 JSON："
    '{{"hazard": "present|gone|unclear", "reason": "一句话理由"}}。\n'
    "Two pictures of the same site: the LEFT panel is the place of a hazard found at an "
    "earlier inspection, the RIGHT panel is the photo after rectification. Category: "
    "{category}. Status: {status}. Looking only at the RIGHT panel, is this hazard still "
    "there: present, gone, or unclear? Answer only JSON: "
    '{{"hazard": "present|gone|unclear", "reason": "one sentence"}}.'
)
PROMPT_ALONE = (
    "这是施工现场整改后的照片。此前在画面 {where_zh} 处发现隐患：{zh}。判断该隐患是否仍然存在："
    "present、gone、unclear。只输出 JSON："
    '{{"hazard": "present|gone|unclear", "reason": "一句话理由"}}。\n'
    "This is a site photo taken after rectification. A hazard was found earlier at {where} "
    "of the picture. Category: {category}. Status: {status}. Is this hazard still there: "
    'present, gone, or unclear? Answer only JSON: {{"hazard": "present|gone|unclear", '
    '"reason": "one sentence"}}.'
)
_KEYED = re.compile(r"[\"']?hazard[\"']?\s*[:：]\s*[\"']?(present|gone|unclear)", re.I)
_REASON = re.compile(r"[\"']?reason[\"']?\s*[:：]\s*\"([^\"]{0,400})", re.I)
_WORDS = (
    ("unclear", ("unclear", "cannot tell", "无法判断", "不确定")),
    ("gone", ("gone", "no longer", "removed", "已消除", "不存在")),
    ("present", ("present", "still there", "仍然存在", "仍存在")),
)


@dataclass
class Outcome:
    finding: Finding
    verdict: str | None = None  # present | gone | unclear; None: the model did not answer
    reason: str = ""  # the model's words: untrusted
    new: list[Finding] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.finding.id,
            "number": self.finding.number,
            "verdict": self.verdict,
            "reason": self.reason,
            "new_findings": [f.to_dict() for f in self.new],
            "error": self.error,
        }

    def lines(self, lang: str) -> list[str]:
        f = self.finding
        if self.verdict is None:
            return [t("ledger.recheck.failed", lang, error=self.error or "?")]
        verdict = {"present": "present", "gone": "gone"}.get(self.verdict, "unclear")
        out = [
            t(
                "ledger.recheck.result",
                lang,
                number=f.number,
                verdict=t(f"ledger.verdict.{verdict}", lang),
                reason=one_line(self.reason, 300),
            )
        ]
        for n in self.new:
            out.append(t("ledger.recheck.new", lang, number=n.number, what=what(n, lang)))
        key = "ledger.recheck.next-present" if verdict == "present" else "ledger.recheck.next-gone"
        out.append(t(key, lang, id=f.id))
        return out


def _fit(image: Image.Image) -> Image.Image:
    panel = Image.new("RGB", (PANEL, PANEL), BACKGROUND)
    image = image.convert("RGB")
    image.thumbnail((PANEL, PANEL))
    panel.paste(image, ((PANEL - image.width) // 2, (PANEL - image.height) // 2))
    return panel


def question_frame(finding: Finding, before: bytes | None, after: bytes) -> tuple[bytes, bool]:
    """(the JPEG frame to send, whether it has two panels)."""
    after_image = upright(after)
    part = crop_box(finding, before, PANEL, draw=False) if before else None
    if part is None:
        frame = _fit(after_image)
        two = False
    else:
        frame = Image.new("RGB", (2 * PANEL, PANEL), BACKGROUND)
        frame.paste(_fit(part), (0, 0))
        frame.paste(_fit(after_image), (PANEL, 0))
        two = True
    out = io.BytesIO()
    frame.save(out, "JPEG", quality=90)
    return out.getvalue(), two


def prompt_for(finding: Finding, two_panels: bool) -> str:
    values = {
        "zh": detection_caption(finding.category, finding.severity, "zh"),
        "category": finding.category,
        "status": finding.severity,
    }
    if two_panels:
        return PROMPT_PANELS.format(**values)
    w, h = finding.photo_size
    cx = (finding.box[0] + finding.box[2]) / 2 / (w or 1)
    cy = (finding.box[1] + finding.box[3]) / 2 / (h or 1)
    col = ("left", "centre", "right")[min(2, int(cx * 3))]
    row = ("top", "middle", "bottom")[min(2, int(cy * 3))]
    zh = {"left": "左", "centre": "中", "right": "右", "top": "上", "middle": "中", "bottom": "下"}
    return PROMPT_ALONE.format(**values, where=f"the {row} {col}", where_zh=zh[row] + zh[col])


def verdict_of(text: str) -> tuple[str | None, str]:
    """(present | gone | unclear | None, the reason given)."""
    text = text or ""
    reason = _REASON.search(text)
    said = reason.group(1).strip() if reason else ""
    keyed = _KEYED.search(text)
    if keyed:
        return keyed.group(1).lower(), said
    low = text.lower()
    for verdict, words in _WORDS:
        if any(w in low for w in words):
            return verdict, said or one_line(text, 200)
    return None, said


def recheck(
    ledger,
    finding_id: int,
    after: bytes,
    settings,
    *,
    actor: str = "",
    lang: str = "en",
    fetch_policy=None,
    inspector: Inspector | None = None,
) -> Outcome:
    """Ask, inspect the after photo, keep the evidence and the new findings."""
    finding = ledger.find(finding_id)
    outcome = Outcome(finding)
    before = ledger.photo(finding.photo_sha) if finding.photo_sha else None
    try:
        jpeg, two = question_frame(finding, before, after)
    except Exception:  # noqa: BLE001 - an after photo that cannot be decoded
        raise BadPhoto("ledger.error.not-image") from None
    own = inspector is None
    inspector = inspector or Inspector(settings, lang=lang, fetch_policy=fetch_policy)
    try:
        try:
            answer = inspector.model.ask(Question(jpeg, prompt_for(finding, two)))
            outcome.verdict, outcome.reason = verdict_of(answer.text)
        except SafetyError as exc:
            outcome.error = str(exc)
        seen = inspector.inspect_one(Source(f"after-{finding.number}.jpg", data=after))
    finally:
        if own:
            inspector.close()
    ledger.add_evidence(
        finding_id,
        photo=after,
        actor=actor,
        kind="recheck",
        verdict=outcome.verdict or "",
        note=outcome.reason[:1000],
    )
    if seen.ok:
        hazards = [d for d in seen.detections if is_hazard(d.category, d.status)]
        if outcome.verdict == "present":
            same = [d for d in hazards if d.category == finding.category]
            if same:
                hazards.remove(same[0])
        seen.detections = hazards
        seen.photo_jpeg = after
        if hazards:
            done = ledger.record_run(
                [seen],
                finding.site,
                actor,
                endpoint=settings.host or "",
                model=settings.model or "",
                origin="recheck",
                key=uuid.uuid4().hex,
                lang=lang,
            )
            outcome.new = [ledger.find(i) for i in done.finding_ids]
    elif outcome.error is None:
        outcome.error = seen.error
    return outcome
