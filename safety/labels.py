"""Map the model's own label text (Chinese or English) to a category and a status.

    classify("人员", "未佩戴安全帽")          -> ("person", "missing")
    classify("fire", "severe")               -> ("fire", "severe")
    classify("person without hard hat")      -> ("person", "missing")
    classify("cupcake")                      -> ("other", "")

category: fire | smoke | person | other
status:   fire/smoke -> minor | moderate | severe | unknown
          person     -> worn | missing | unknown (hard hat)
          other      -> ""

The word lists below are plain data: extend them when a model uses a new word. Matching is
case-insensitive and whitespace-tolerant. English words match whole words only (with an
optional plural "s"/"es"), so "man" does not match "manager"; Chinese words match anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["classify"]

# --------------------------------------------------------------------------- word tables
# The tables stay compact (ruff format would put one word per line).
# fmt: off

# Category words. When a label holds words of several categories, the head noun wins: the
# FIRST English word ("person near fire" is a person) or the LAST Chinese word ("吸烟人员",
# a smoking worker, is a person). "other" lists look-alikes that are not hazards
# ("fire extinguisher", "灭火器", "smoke detector"); on a tie the longer match wins.
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "fire": (
        "火灾", "火", "火焰", "明火", "燃烧", "起火", "着火", "火苗", "火光", "火情",
        "fire", "flame", "blaze", "burning", "wildfire",
    ),
    "smoke": (
        "烟雾", "烟", "浓烟", "烟尘", "黑烟", "白烟",
        "smoke", "fumes", "smog",
    ),
    "person": (
        "人员", "人", "工人", "施工人员", "行人", "作业人员", "男子", "女子", "消防员",
        "person", "people", "worker", "man", "men", "woman", "women", "human",
        "pedestrian", "firefighter", "fireman", "firemen", "laborer", "labourer",
    ),
    "other": (
        "灭火器", "消防栓", "烟感", "烟雾报警器", "烟雾探测器", "烟囱", "香烟", "烟头", "火车",
        "fire extinguisher", "extinguisher", "fire hydrant", "hydrant", "fire alarm",
        "fire exit", "smoke detector", "smoke alarm", "chimney", "cigarette",
    ),
}

# Status words, checked group by group IN ORDER: "unknown" first ("不确定是否佩戴" is not a
# yes), then negatives before positives, because "未佩戴" contains "佩戴" and "not wearing"
# contains "wearing". Before matching, English "hard hat", "hardhat" and "safety helmet"
# become "helmet", Chinese "头盔" becomes "安全帽", and articles (a, an, the) are dropped.
UNKNOWN_WORDS = (
    "不确定", "未知", "无法确定", "无法判断", "难以判断", "不清楚", "看不清", "不明",
    "unknown", "uncertain", "unclear", "unsure", "not sure", "cannot tell", "can't tell",
    "undetermined", "indeterminate", "cannot determine",
)

HELMET_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("unknown", UNKNOWN_WORDS),
    ("missing", (
        "未佩戴安全帽", "未佩戴", "未戴", "没戴", "没有戴", "没佩戴", "没有佩戴", "不戴",
        "未佩带", "未带", "没带", "无安全帽", "没有安全帽", "摘下安全帽",
        "no helmet", "without helmet", "not wearing", "missing", "helmet missing",
        "not worn", "helmet off", "bare head", "bareheaded", "bare headed", "no head protection",
    )),
    ("worn", (
        "佩戴安全帽", "戴安全帽", "戴着安全帽", "戴了安全帽", "已佩戴", "已戴", "有安全帽",
        "佩戴", "佩带",
        "wearing helmet", "wears helmet", "with helmet", "helmet on", "has helmet",
        "helmet worn", "worn", "helmeted",
    )),
)

SEVERITY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("unknown", UNKNOWN_WORDS),
    # "不严重" / "not severe" come before the severe words they contain.
    ("minor", (
        "轻微", "轻度", "较小", "很小", "微小", "小火", "不严重", "初期",
        "minor", "low", "small", "slight", "slightly", "light", "mild", "not severe",
        "not serious",
    )),
    ("moderate", (
        "中等", "中度", "一般", "适中", "中级",
        "moderate", "medium", "intermediate", "average",
    )),
    ("severe", (
        "严重", "重度", "较大", "很大", "巨大", "大火", "猛烈", "剧烈", "浓烟",
        "severe", "high", "major", "heavy", "large", "critical", "serious", "extreme",
        "intense", "big", "huge", "massive", "dense", "thick",
    )),
)

# Words that decide a status only when they are the WHOLE text: inside a longer label they
# mean too many other things ("大楼" is a building, "no" starts "no smoke").
HELMET_EXACT = {
    "yes": "worn", "y": "worn", "true": "worn", "有": "worn", "是": "worn", "戴": "worn",
    "no": "missing", "n": "missing", "none": "missing", "false": "missing", "无": "missing",
    "否": "missing", "没有": "missing",
}
SEVERITY_EXACT = {
    "小": "minor", "轻": "minor", "低": "minor",
    "中": "moderate",
    "大": "severe", "重": "severe", "高": "severe",
}
# fmt: on

# --------------------------------------------------------------------------- normalising

_HELMET_SYNONYMS = re.compile(r"\b(?:hard ?hats?|safety (?:helmets?|hats?)|helmets)\b")
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")
_SEPARATORS = re.compile(r"[_\-/]+")
_SPACES = re.compile(r"\s+")
_HELMET_MENTION = re.compile(r"helmet|安全帽|bare ?head")
# Spaces next to a CJK character carry no meaning ("未 佩戴" is "未佩戴").
_SPACE_NEAR_CJK = re.compile(r"\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+")


def _normalise(text: str) -> str:
    """Lower-case, half-width, single-spaced text with helmet synonyms unified."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SEPARATORS.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    text = _HELMET_SYNONYMS.sub("helmet", text)
    text = text.replace("安全头盔", "安全帽").replace("头盔", "安全帽")
    text = _ARTICLES.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_NEAR_CJK.sub("", text)


@cache
def _pattern(word: str) -> re.Pattern[str]:
    """English words match whole words (plural allowed); Chinese words match anywhere."""
    if word.isascii():
        return re.compile(r"(?<![a-z0-9])" + re.escape(word) + r"(?:s|es)?(?![a-z0-9])")
    return re.compile(re.escape(word))


# --------------------------------------------------------------------------- classifying


def classify(label: str, sub_label: str = "") -> tuple[str, str]:
    """(category, status) for the model's label and sub_label texts."""
    label_text = _normalise(label if isinstance(label, str) else "")
    sub_text = _normalise(sub_label if isinstance(sub_label, str) else "")
    category = _category(label_text)
    if category is None:
        category = "person" if _states_helmet(sub_text) or _states_helmet(label_text) else "other"
    if category == "other":
        return "other", ""
    if category == "person":
        words, exact = HELMET_WORDS, HELMET_EXACT
    else:
        words, exact = SEVERITY_WORDS, SEVERITY_EXACT
    # The sub_label is where the prompt asks for the status; the label may carry it too
    # ("严重火灾", "person without hard hat").
    status = _status(sub_text, words, exact) or _status(label_text, words, exact)
    return category, status or "unknown"


def _states_helmet(text: str) -> bool:
    """A clear hard-hat statement ("未佩戴安全帽", "no_helmet"): the object is a person.

    "missing" or "佩戴" alone are not clear: they must come with the word helmet / 安全帽.
    """
    if not _HELMET_MENTION.search(text):
        return False
    return _status(text, HELMET_WORDS, {}) in ("worn", "missing")


def _category(text: str) -> str | None:
    """The category of the label's head noun, or None when no category word is present."""
    best: tuple[tuple[int, ...], str] | None = None
    for category, words in CATEGORY_WORDS.items():
        for word in words:
            for match in _pattern(word).finditer(text):
                start, end = match.span()
                if word.isascii():
                    rank = (1, -start, end - start)  # English: earliest word first
                else:
                    rank = (2, end, end - start)  # Chinese: latest word first
                if best is None or rank > best[0]:
                    best = (rank, category)
    return best[1] if best else None


def _status(
    text: str,
    groups: tuple[tuple[str, tuple[str, ...]], ...],
    exact: dict[str, str],
) -> str | None:
    """The first status whose words appear in the text, or None."""
    if not text:
        return None
    if text in exact:
        return exact[text]
    for status, words in groups:
        if any(_pattern(word).search(text) for word in words):
            return status
    return None
