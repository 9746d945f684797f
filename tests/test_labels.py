"""Table-driven tests of safety.labels.classify: Chinese and English, negatives before positives."""

from __future__ import annotations

import pytest

from safety.detections import CATEGORIES, HELMET_STATES, SEVERITIES
from safety.labels import classify

CASES = [
    # --- the labels and sub_labels our own Chinese prompt asks for
    ("火灾", "轻微", "fire", "minor"),
    ("火灾", "中等", "fire", "moderate"),
    ("火灾", "严重", "fire", "severe"),
    ("火灾", "不确定", "fire", "unknown"),
    ("烟雾", "严重", "smoke", "severe"),
    ("烟雾", "不确定", "smoke", "unknown"),
    ("人员", "佩戴安全帽", "person", "worn"),
    ("人员", "未佩戴安全帽", "person", "missing"),  # contains 佩戴安全帽: negative first
    ("人员", "不确定", "person", "unknown"),
    # --- Chinese near synonyms
    ("火", "", "fire", "unknown"),
    ("火焰", "重度", "fire", "severe"),
    ("明火", "小", "fire", "minor"),  # a lone 小 is the whole text
    ("燃烧", "一般", "fire", "moderate"),
    ("起火", "中度", "fire", "moderate"),
    ("烟", "轻度", "smoke", "minor"),
    ("浓烟", "", "smoke", "severe"),  # dense smoke says its own severity
    ("工人", "未戴", "person", "missing"),
    ("施工人员", "没戴安全帽", "person", "missing"),
    ("行人", "无安全帽", "person", "missing"),
    ("人", "已佩戴", "person", "worn"),
    ("工人", "戴着安全帽", "person", "worn"),
    ("工人", "戴着头盔", "person", "worn"),  # 头盔 (helmet) is read as 安全帽
    ("人员", "不确定是否佩戴安全帽", "person", "unknown"),  # unsure, although 佩戴 appears
    ("人员", "未知", "person", "unknown"),
    # --- English, any case and spacing
    ("fire", "severe", "fire", "severe"),
    ("Fire", "HIGH", "fire", "severe"),
    ("  flames ", " Low ", "fire", "minor"),
    ("blaze", "major", "fire", "severe"),
    ("burning", "medium", "fire", "moderate"),
    ("flame", "slight", "fire", "minor"),
    ("smoke", "light", "smoke", "minor"),
    ("fumes", "heavy", "smoke", "severe"),
    ("smoke", "uncertain", "smoke", "unknown"),
    ("smoke", "not severe", "smoke", "minor"),  # contains "severe": the negation first
    ("person", "wearing helmet", "person", "worn"),
    ("person", "not wearing helmet", "person", "missing"),  # contains "wearing helmet"
    ("worker", "Wearing a hard hat", "person", "worn"),
    ("worker", "NOT wearing a hard-hat", "person", "missing"),
    ("man", "hardhat on", "person", "worn"),
    ("woman", "without helmet", "person", "missing"),
    ("people", "no hard hat", "person", "missing"),
    ("human", "bare head", "person", "missing"),
    ("pedestrian", "helmet missing", "person", "missing"),
    ("person", "with helmet", "person", "worn"),
    ("person", "yes", "person", "worn"),
    ("person", "no", "person", "missing"),
    ("person", "none", "person", "missing"),
    ("person", "worn", "person", "worn"),
    ("person", "true", "person", "worn"),  # {"helmet": true} read as text
    ("person", "false", "person", "missing"),
    ("person", "unclear", "person", "unknown"),
    ("workers", "", "person", "unknown"),
    # --- the status written in the label itself, sub_label empty
    ("严重火灾", "", "fire", "severe"),
    ("轻微烟雾", "", "smoke", "minor"),
    ("未佩戴安全帽的工人", "", "person", "missing"),
    ("person without hard hat", "", "person", "missing"),
    ("person wearing a helmet", "", "person", "worn"),
    ("large fire", "", "fire", "severe"),
    ("small smoke", "", "smoke", "minor"),
    # --- the sub_label wins over the label
    ("severe fire", "minor", "fire", "minor"),
    # --- the head noun decides when a label names several things
    ("吸烟人员", "", "person", "unknown"),  # a smoking worker is a person
    ("person near fire", "", "person", "unknown"),
    ("fire and smoke", "", "fire", "unknown"),
    ("smoking worker", "", "person", "unknown"),  # "smoking" is not "smoke"
    # --- a clear hard-hat statement makes an unclear label a person
    ("head", "未佩戴安全帽", "person", "missing"),
    ("head", "helmet on", "person", "worn"),
    ("no_helmet", "", "person", "missing"),
    ("", "without hard hat", "person", "missing"),
    # ... but a bare "missing" or "yes" does not
    ("cake", "missing", "other", ""),
    ("object", "yes", "other", ""),
    # --- look-alikes that are not hazards, and everything else
    ("灭火器", "", "other", ""),
    ("fire extinguisher", "severe", "other", ""),
    ("smoke detector", "", "other", ""),
    ("烟囱", "", "other", ""),
    ("person holding a fire extinguisher", "no helmet", "person", "missing"),
    ("firefighter", "helmet on", "person", "worn"),
    ("manager", "", "other", ""),  # "man" matches whole words only
    ("cupcake with pink frosting", "", "other", ""),
    ("", "", "other", ""),
    # --- status words that mean nothing for the category
    ("fire", "佩戴安全帽", "fire", "unknown"),
    ("person", "严重", "person", "unknown"),
    ("fire", "purple", "fire", "unknown"),
    # --- full-width characters and spaces inside Chinese words
    ("火 灾", "轻 微", "fire", "minor"),
    ("ＦＩＲＥ", "ＳＥＶＥＲＥ", "fire", "severe"),
    ("人员", "未 佩戴 安全帽", "person", "missing"),
]


@pytest.mark.parametrize(("label", "sub_label", "category", "status"), CASES)
def test_classify(label: str, sub_label: str, category: str, status: str) -> None:
    assert classify(label, sub_label) == (category, status)


def test_sub_label_is_optional() -> None:
    assert classify("人员") == ("person", "unknown")


@pytest.mark.parametrize(("label", "sub_label", "_category", "_status"), CASES)
def test_results_fit_a_detection(label: str, sub_label: str, _category: str, _status: str):
    # Whatever the text, the pair is one a Detection accepts.
    category, status = classify(label, sub_label)
    assert category in CATEGORIES
    allowed = {"fire": SEVERITIES, "smoke": SEVERITIES, "person": HELMET_STATES, "other": ("",)}
    assert status in allowed[category]
