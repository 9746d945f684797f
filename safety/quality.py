"""Is this photo good enough to judge? Measured here, before the model is asked.

Four problems are looked for, each on a small grey copy of the upright photo (a few
milliseconds, whatever its size):

  dark         most of the photo is near black (mean brightness low, little in the light)
  overexposed  a large part of the photo is burnt out to white
  blurred      fine detail is missing: blurring the photo again changes it little (the
               "blur effect" of Crete-Roffet et al., 2007: 0 sharp .. 1 fully blurred)
  small        the photo has too few pixels to tell a hard hat from a cap at any distance

A photo with any of them is still inspected; its result says quality is low, and the
verdict never states "no hazard found" for it plainly (``safety.summary``): a dark or blurred
photo in which the model saw nothing has not shown that nothing is there.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter, ImageStat

from .i18n import t

ISSUES = ("dark", "overexposed", "blurred", "small")

# The grey copy's long side: detail is judged at this scale, so the threshold below does
# not depend on the photo's size.
WORK_SIDE = 512
# Mean brightness (0..255) below which, with at most DARK_LIT_SHARE of the pixels lit
# above 100, a photo is too dark. A night shot with lit areas passes.
DARK_MEAN = 45
DARK_LIT_SHARE = 0.10
# Share of pixels at 250 or more above which a photo is burnt out.
OVEREXPOSED_SHARE = 0.35
# Blur effect above which detail is missing. Measured on the example, hard-hat and fire
# photos: sharp ones 0.17-0.45, soft video frames of smoke up to 0.54; the same photos blurred
# by a Gaussian of 2 pixels at WORK_SIDE, 0.49-0.74.
BLUR_EFFECT = 0.6
# Fewer pixels than this (about 320x300), or a short side under SMALL_SIDE: too small.
SMALL_PIXELS = 100_000
SMALL_SIDE = 200


@dataclass(frozen=True)
class Quality:
    """What was measured, and the problems found (empty: good enough)."""

    issues: tuple[str, ...]
    brightness: float  # mean grey level, 0..255
    lit_share: float  # share of pixels above 100
    burnt_share: float  # share of pixels at 250 or more
    blur: float  # blur effect at WORK_SIDE, 0 (sharp) .. 1 (no detail)

    @property
    def low(self) -> bool:
        return bool(self.issues)

    def to_dict(self) -> dict:
        return {
            "low": self.low,
            "issues": list(self.issues),
            "brightness": round(self.brightness, 1),
            "lit_share": round(self.lit_share, 3),
            "burnt_share": round(self.burnt_share, 3),
            "blur": round(self.blur, 3),
        }


def measure(image: Image.Image, width: int | None = None, height: int | None = None) -> Quality:
    """Judge an upright photo. ``width``/``height``: the original's size when ``image`` is a
    reduced copy (draft decoding), so that "small" is judged on the photo, not the copy."""
    width = width or image.width
    height = height or image.height
    grey = image.convert("L")
    scale = WORK_SIDE / max(grey.size)
    if scale < 1:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BILINEAR)
    histogram = grey.histogram()
    pixels = max(1, sum(histogram))
    brightness = sum(level * n for level, n in enumerate(histogram)) / pixels
    lit_share = sum(histogram[101:]) / pixels
    burnt_share = sum(histogram[250:]) / pixels
    blur = blur_effect(grey)

    issues = []
    if brightness < DARK_MEAN and lit_share <= DARK_LIT_SHARE:
        issues.append("dark")
    if burnt_share > OVEREXPOSED_SHARE:
        issues.append("overexposed")
    # A dark or burnt-out photo has little detail for that reason; say it once.
    if blur > BLUR_EFFECT and not issues:
        issues.append("blurred")
    if width * height < SMALL_PIXELS or min(width, height) < SMALL_SIDE:
        issues.append("small")
    return Quality(tuple(issues), brightness, lit_share, burnt_share, blur)


def blur_effect(grey: Image.Image) -> float:
    """0 (sharp) .. 1 (no detail): how little of the neighbour-to-neighbour variation is lost
    when the photo is blurred again (a 9x9 box), the worse of the two directions."""
    if min(grey.size) < 4:
        return 1.0
    again = grey.filter(ImageFilter.BoxBlur(4))
    inner = (1, 1, grey.width - 1, grey.height - 1)  # without the row and column wrapped round
    worst = 0.0
    for dx, dy in ((1, 0), (0, 1)):
        step = ImageChops.difference(grey, ImageChops.offset(grey, dx, dy)).crop(inner)
        kept = ImageChops.difference(again, ImageChops.offset(again, dx, dy)).crop(inner)
        total = ImageStat.Stat(step).sum[0]
        lost = ImageStat.Stat(ImageChops.subtract(step, kept)).sum[0]
        worst = max(worst, (total - lost) / total if total else 1.0)
    return worst


def quality_record(image: Image.Image, width: int, height: int) -> dict:
    """What ImageResult.quality holds: the measures and the issues found."""
    return measure(image, width, height).to_dict()


def quality_note(record: dict, lang: str = "en") -> str:
    """The note a low-quality photo carries, in the reader's language."""
    issues = t("list.separator", lang).join(t(f"quality.{i}", lang) for i in record["issues"])
    return t("quality.note", lang, issues=issues)
