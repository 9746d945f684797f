"""Endpoint presets, and what a model's name says about its coordinates.

PRESETS                  vllm, vllm-qwen2.5-vl, vllm-qwen3-vl, dashscope, dashscope-intl
model_convention(name)   (convention, grid) a model name implies, or None
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import geometry

AUTO = "auto"
COORD_CHOICES = (geometry.ABSOLUTE, geometry.RELATIVE_1000, AUTO)

DASHSCOPE_CN = "https://dashscope.aliyuncs.com/compatible-mode/v1"
DASHSCOPE_INTL = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    base_url: str
    model: str
    key_env: str | None  # the provider's own key variable, if any
    coords: str  # the convention when neither the user nor the model name says
    grid: int


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "vllm",
            "Self-hosted vLLM (model decides)",
            "http://localhost:8000/v1",
            "Qwen/Qwen2.5-VL-7B-Instruct",
            None,
            AUTO,
            geometry.UNIVERSAL_GRID,
        ),
        Preset(
            "vllm-qwen2.5-vl",
            "Self-hosted vLLM, Qwen2.5-VL",
            "http://localhost:8000/v1",
            "Qwen/Qwen2.5-VL-7B-Instruct",
            None,
            geometry.ABSOLUTE,
            28,
        ),
        Preset(
            "vllm-qwen3-vl",
            "Self-hosted vLLM, Qwen3-VL",
            "http://localhost:8000/v1",
            "Qwen/Qwen3-VL-8B-Instruct",
            None,
            geometry.RELATIVE_1000,
            32,
        ),
        Preset(
            "dashscope",
            "Alibaba DashScope (China)",
            DASHSCOPE_CN,
            "qwen-vl-max",
            "DASHSCOPE_API_KEY",
            geometry.ABSOLUTE,
            geometry.UNIVERSAL_GRID,
        ),
        Preset(
            "dashscope-intl",
            "Alibaba DashScope (international)",
            DASHSCOPE_INTL,
            "qwen-vl-max",
            "DASHSCOPE_API_KEY",
            geometry.ABSOLUTE,
            geometry.UNIVERSAL_GRID,
        ),
    )
}


def model_convention(model: str) -> tuple[str, int] | None:
    """The coordinate convention and resize grid a model name implies, if it implies one.

    Qwen3-VL answers 0..1000 on a 32 grid; Qwen2.5-VL absolute pixels on a 28 grid;
    Qwen2-VL 0..1000 (tags). qwen-vl-max/plus are absolute, but their grid moved from 28 to
    32 in 2025 (field report), so we send frames on the 224 grid that both keep.
    """
    name = model.lower().replace("_", "-")
    if re.search(r"qwen3.*vl", name):
        return geometry.RELATIVE_1000, 32
    if re.search(r"qwen2\.5-?vl", name):
        return geometry.ABSOLUTE, 28
    if re.search(r"qwen2-?vl", name):
        return geometry.RELATIVE_1000, 28
    if re.search(r"qwen-vl-(max|plus)", name):
        return geometry.ABSOLUTE, geometry.UNIVERSAL_GRID
    return None
