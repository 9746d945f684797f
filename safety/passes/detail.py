"""The detail setting: how closely each photo is looked at, and the extra passes it costs.

  standard  the whole photo as one frame of about 1 megapixel (the plan's max_pixels)
  high      one frame of up to about 4 megapixels (limits.HIGH_MAX_PIXELS). On DashScope the
            request asks for high-resolution image handling (vl_high_resolution_images), or
            the server would shrink the frame back to its default; on vLLM the frame stays
            inside what calibration found the server keeps (the plan is made, and in auto
            mode probed, at the larger size)
  tiles     the whole frame, plus overlapping tiles each at the standard size, for photos
            large enough to gain from them (safety.passes.tiles); the boxes of all passes are
            merged into one finding per object

Extra passes (tiles here, re-check crops in safety.passes.recheck) are ``Pass`` objects: a part of
the photo, the frame it is sent as, and the answer or the error. A pass that fails costs
that pass only; the photo's notes say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PIL import Image

from .. import limits
from ..backends.model import Answer, Model, Question
from ..config import Settings
from ..detections import Detection, ImageResult
from ..errors import SafetyError
from ..i18n import t
from ..images import encode_jpeg, resized
from ..reading import read_answer
from ..scrub import scrub
from . import tiles


def effective_settings(settings: Settings) -> Settings:
    """The settings a run uses for its detail: ``high`` raises the frame budget."""
    if settings.detail == "high" and settings.max_pixels < limits.HIGH_MAX_PIXELS:
        return settings.with_(max_pixels=limits.HIGH_MAX_PIXELS)
    return settings


@dataclass
class Pass:
    """One extra request about a part of the photo."""

    kind: str  # "tile" | "recheck"
    region: tiles.Tile  # the part of the photo (original pixels) and its frame
    prompt: str
    jpeg: bytes | None = None  # until sent
    answer: Answer | None = None
    error: str | None = None
    target: int | None = None  # re-check: the index of the finding it is about
    extra: dict = field(default_factory=dict)

    def record(self) -> dict:
        """What the results JSON keeps of this pass."""
        r = self.region
        out = {
            "kind": self.kind,
            "region": [r.left, r.top, r.left + r.width, r.top + r.height],
            "frame": [r.frame_w, r.frame_h],
            "raw_text": self.answer.text if self.answer else None,
            "usage": self.answer.usage if self.answer else None,
            "error": self.error,
        }
        out.update(self.extra)
        return out


def crop_frame(image: Image.Image, region: tiles.Tile, orig_w: int, privacy=None) -> bytes:
    """The JPEG frame of a region of the photo; ``image`` may be a reduced decoded copy.
    ``privacy``: the Inspector's hook, applied to the frame before it is sent."""
    k = image.width / orig_w
    box = (
        round(region.left * k),
        round(region.top * k),
        round((region.left + region.width) * k),
        round((region.top + region.height) * k),
    )
    sent = resized(image.crop(box), region.frame_w, region.frame_h)
    if privacy is not None:
        sent = privacy(sent, None)
    return encode_jpeg(sent, quality=85)


def tile_passes(image: Image.Image, orig_w: int, orig_h: int, plan, prompt: str, privacy=None):
    """The tile passes of a photo (none when it is too small to gain from them)."""
    return [
        Pass("tile", tile, prompt, crop_frame(image, tile, orig_w, privacy))
        for tile in tiles.layout(orig_w, orig_h, plan.grid, plan.max_pixels)
    ]


def ask_all(
    model: Model, passes: list[Pass], sha256: str | None, api_key: str, lang: str = "en"
) -> None:
    """Send each pass in turn; a failure stays with its pass, said in ``lang``."""
    for p in passes:
        if p.jpeg is None:
            continue
        jpeg, p.jpeg = p.jpeg, None
        try:
            answer = model.ask(Question(jpeg, p.prompt, photo_sha256=sha256))
        except SafetyError as exc:
            p.error = exc.text(lang)
            continue
        p.answer = replace(answer, text=scrub(answer.text, api_key))


def add_usage(result: ImageResult, passes: list[Pass]) -> None:
    """Count the passes' requests and tokens into the result's usage."""
    usage = dict(result.usage or {})
    for p in passes:
        if p.answer is None or not p.answer.usage:
            continue
        for key, value in p.answer.usage.items():
            usage[key] = usage.get(key, 0) + int(value or 0)
    if usage:
        result.usage = usage


def merge_tiles(
    result: ImageResult,
    whole: list[Detection],
    passes: list[Pass],
    convention: str,
    lang: str = "en",
) -> list[Detection]:
    """The whole frame's findings and the tiles' merged into one per object. Each tile is
    read in its answer's convention, where it carries one (backends.pool), else ``convention``."""
    frame_w, frame_h = result.frame or (result.width, result.height)
    whole_shrink = max(result.width / frame_w, result.height / frame_h)
    seen = [tiles.Seen(d, 0, whole_shrink) for d in whole]
    failed = 0
    for number, p in enumerate(passes, start=1):
        if p.kind != "tile":
            continue
        if p.answer is None:
            failed += 1
            continue
        notes: list[str] = []
        try:
            found, _ = read_answer(
                p.answer.text,
                p.answer.finish_reason,
                p.answer.convention or convention,  # several endpoints: the one that answered
                p.region.frame,
                notes,
                p.region.left,
                p.region.top,
                p.answer.token_logprobs,
                lang,
            )
        except SafetyError as exc:
            p.error = exc.text(lang)
            failed += 1
            continue
        for d in found:
            cut = tiles.cut_sides(d.box, p.region, result.width, result.height)
            seen.append(tiles.Seen(d, number, p.region.shrink, cut))
    count = sum(p.kind == "tile" for p in passes)
    if failed:
        result.notes.append(t("note.tiles-failed", lang, failed=failed, n=count))
    merged = tiles.merge(seen)
    result.notes.append(t("note.tiles", lang, n=count, boxes=len(seen), found=len(merged)))
    return merged
