"""Settings: read once from the environment into one frozen object; explicit arguments win.

Environment variables (documented in README.md):
  QWEN_VL_PRESET      vllm | vllm-qwen2.5-vl | vllm-qwen3-vl | dashscope | dashscope-intl
  QWEN_VL_BASE_URL    OpenAI-compatible base URL, e.g. http://gpu-box:8000/v1
  QWEN_VL_MODEL       model name as the server knows it
  QWEN_VL_API_KEY     key for the endpoint (falls back to DASHSCOPE_API_KEY on DashScope)
  DASHSCOPE_API_KEY   DashScope key; alone, it selects DashScope with qwen-vl-max
  QWEN_VL_COORDS      absolute | relative-1000 | auto
  QWEN_VL_MAX_PIXELS  largest frame sent, in pixels (default 1003520, about 1280 tokens)
  QWEN_VL_TIMEOUT     seconds per request (default 60)
  QWEN_VL_RETRIES     retries on 429/5xx/timeouts (default 2)
  QWEN_VL_CONCURRENCY photos in flight at once (default 4)
  QWEN_VL_MAX_TOKENS  answer length cap (default 2048)
  SAFETY_CACHE_DIR    where calibration results are remembered
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from . import geometry
from .errors import ConfigurationError
from .prompts import DEFAULT_PROMPT, SYSTEM_PROMPT

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


@dataclass(frozen=True)
class Settings:
    base_url: str
    model: str
    api_key: str = field(repr=False)
    preset: str = "vllm"
    coords: str = AUTO
    grid: int = geometry.UNIVERSAL_GRID
    max_pixels: int = geometry.DEFAULT_MAX_PIXELS
    timeout: float = 60.0
    max_retries: int = 2
    concurrency: int = 4
    max_tokens: int = 2048
    temperature: float = 0.0
    prompt: str = DEFAULT_PROMPT
    system_prompt: str = SYSTEM_PROMPT
    cache_dir: Path = field(default_factory=lambda: default_cache_dir())

    @property
    def host(self) -> str:
        """Scheme, host and port of the endpoint: safe to show and print (no path, no key)."""
        parts = urlsplit(self.base_url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}"

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def default_cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    if environ.get("SAFETY_CACHE_DIR"):
        return Path(environ["SAFETY_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "safety-inspect"


def _number(environ: Mapping[str, str], name: str, kind, default, minimum):
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a number.") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}.")
    return value


def endpoint_configured(environ: Mapping[str, str] = os.environ) -> bool:
    """True when the environment names an endpoint (the web app otherwise runs in demo mode)."""
    return bool(
        environ.get("QWEN_VL_BASE_URL")
        or environ.get("DASHSCOPE_API_KEY")
        or environ.get("QWEN_VL_PRESET")
    )


def guess_preset(base_url: str | None, environ: Mapping[str, str]) -> str:
    if base_url:
        host = (urlsplit(base_url).hostname or "").lower()
        if host.startswith("dashscope-intl"):
            return "dashscope-intl"
        if host.startswith("dashscope"):
            return "dashscope"
        return "vllm"
    if environ.get("DASHSCOPE_API_KEY"):
        return "dashscope"
    return "vllm"


def load_settings(
    environ: Mapping[str, str] = os.environ,
    *,
    preset: str | None = None,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
    coords: str | None = None,
    max_pixels: int | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    concurrency: int | None = None,
    max_tokens: int | None = None,
    prompt: str | None = None,
) -> Settings:
    """Build Settings from explicit arguments first, then the environment, then presets."""
    base_url = base_url or environ.get("QWEN_VL_BASE_URL") or None
    preset_name = preset or environ.get("QWEN_VL_PRESET") or guess_preset(base_url, environ)
    if preset_name not in PRESETS:
        raise ConfigurationError(
            f"Unknown preset {preset_name!r}; choose one of: {', '.join(PRESETS)}."
        )
    p = PRESETS[preset_name]
    base_url = (base_url or p.base_url).rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"The base URL must look like http://host:8000/v1 (got scheme {parts.scheme!r})."
        )
    if parts.username or parts.password:
        raise ConfigurationError("Put the API key in QWEN_VL_API_KEY, not in the base URL.")
    model = model or environ.get("QWEN_VL_MODEL") or p.model
    key = (
        api_key or environ.get("QWEN_VL_API_KEY") or (environ.get(p.key_env) if p.key_env else None)
    )
    if not key:
        if p.key_env:
            raise ConfigurationError(
                f"The {p.title} preset needs an API key: set {p.key_env} or QWEN_VL_API_KEY, "
                "or pass --api-key."
            )
        key = "EMPTY"  # vLLM without --api-key accepts any key; the SDK insists on one

    coords = coords or environ.get("QWEN_VL_COORDS") or None
    implied = model_convention(model)
    if coords is None:
        # A self-hosted server may run any model under any name and with its own max_pixels,
        # which only the probe reveals: calibrate (once, remembered). DashScope's servers are
        # known: trust the model name, then the preset.
        if p.key_env is None:
            coords = AUTO
        else:
            coords = implied[0] if implied else p.coords
    if coords not in COORD_CHOICES:
        raise ConfigurationError(
            f"Coordinate convention {coords!r} is unknown; use {', '.join(COORD_CHOICES)}."
        )
    if coords == AUTO:
        # The probe decides the convention; frames on the 224 grid are kept by any server.
        grid = geometry.UNIVERSAL_GRID
    elif implied and implied[0] == coords:
        grid = implied[1]
    elif coords == p.coords:
        grid = p.grid
    else:
        grid = geometry.UNIVERSAL_GRID

    max_pixels = max_pixels or _number(
        environ, "QWEN_VL_MAX_PIXELS", int, geometry.DEFAULT_MAX_PIXELS, 224 * 224
    )
    if max_pixels < 224 * 224:
        raise ConfigurationError("max_pixels must be at least 50176 (224x224).")
    return Settings(
        base_url=base_url,
        model=model,
        api_key=key,
        preset=preset_name,
        coords=coords,
        grid=grid,
        max_pixels=max_pixels,
        timeout=timeout or _number(environ, "QWEN_VL_TIMEOUT", float, 60.0, 1.0),
        max_retries=(
            max_retries
            if max_retries is not None
            else _number(environ, "QWEN_VL_RETRIES", int, 2, 0)
        ),
        concurrency=concurrency or _number(environ, "QWEN_VL_CONCURRENCY", int, 4, 1),
        max_tokens=max_tokens or _number(environ, "QWEN_VL_MAX_TOKENS", int, 2048, 64),
        prompt=prompt or DEFAULT_PROMPT,
        cache_dir=default_cache_dir(environ),
    )


def fallback_convention(settings: Settings) -> tuple[str, str]:
    """(convention, why) to use when calibration cannot tell."""
    implied = model_convention(settings.model)
    if implied:
        return implied[0], "which the model name implies"
    preset = PRESETS.get(settings.preset)
    if preset and preset.coords != AUTO:
        return preset.coords, f"the {preset.title} preset's convention"
    return geometry.ABSOLUTE, "the Qwen2.5-VL convention, the most common on vLLM"
