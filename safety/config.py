"""Settings: read once from the environment, validated in one place, under one policy.

    load_config(environ) -> AppConfig     everything the app and the command line need
    load_settings(environ, **explicit)    the endpoint of one run; explicit arguments win

The policy: a variable that is set must be valid. A bad value raises ConfigurationError
with one line naming the variable and the values it accepts; app.py and the command line
print that line and exit with status 2. An unset or empty variable takes its default from
``safety.limits``, where every default and limit is defined once.

Every environment variable is listed once, with what it accepts, its default and what it
does, in ``safety.settings`` (docs/settings.md is generated from it); each is read here by
its entry (``env_setting``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from . import geometry, limits
from .agent_access import mcp_enabled
from .alerts.config import AlertsConfig, alerts_from_env
from .backends.baseurls import check_base_url, guess_preset, host_of, split_base_urls
from .backends.presets import AUTO, COORD_CHOICES, PRESETS, model_convention
from .envvars import env_setting, explicit_choice, explicit_number
from .errors import ConfigurationError
from .ledger.settings import LedgerSettings, load_ledger_settings
from .net import FetchPolicy
from .prompts import DEFAULT_PROMPT, SYSTEM_PROMPT

ENDPOINT_VARS = ("QWEN_VL_BASE_URL", "DASHSCOPE_API_KEY", "QWEN_VL_PRESET")
KEY_VARS = ("QWEN_VL_API_KEY", "DASHSCOPE_API_KEY")
# Read by load_settings beside the endpoint's own variables: each run's settings take them.
RUN_VARS = ("SAFETY_CACHE_DIR", "XDG_CACHE_HOME", "SAFETY_DETAIL", "SAFETY_RECHECK")


@dataclass(frozen=True)
class Settings:
    """The endpoint of one run and how photos are sent to it.

    ``base_urls``: every endpoint of the run (safety.backends.pool spreads requests over them);
    ``base_url`` is the first, so code that knows one endpoint keeps working. Changing
    ``base_url`` alone (``with_(base_url=...)``) gives the settings of that one endpoint.
    """

    base_url: str
    model: str
    api_key: str = field(repr=False)
    preset: str = "vllm"
    coords: str = AUTO
    grid: int = geometry.UNIVERSAL_GRID
    max_pixels: int = limits.DEFAULT_MAX_PIXELS
    timeout: float = limits.DEFAULT_TIMEOUT_S
    max_retries: int = limits.DEFAULT_RETRIES
    concurrency: int = limits.DEFAULT_CONCURRENCY
    max_tokens: int = limits.DEFAULT_MAX_TOKENS
    temperature: float = 0.0
    prompt: str = DEFAULT_PROMPT
    system_prompt: str = SYSTEM_PROMPT
    cache_dir: Path = field(default_factory=lambda: default_cache_dir())
    detail: str = limits.DEFAULT_DETAIL  # standard | high | tiles (safety.passes.detail)
    recheck: str = limits.DEFAULT_RECHECK  # off | auto | all (safety.passes.recheck)
    base_urls: tuple[str, ...] = ()  # all endpoints, base_url first; () means (base_url,)

    def __post_init__(self) -> None:
        if not self.base_urls or self.base_urls[0] != self.base_url:
            object.__setattr__(self, "base_urls", (self.base_url,))

    @property
    def host(self) -> str:
        """Scheme, host and port of each endpoint: safe to show and print (no path, no key).
        Several endpoints are listed with ", " between them."""
        return ", ".join(host_of(url) for url in self.base_urls)

    def for_endpoint(self, url: str) -> Settings:
        """The settings of one endpoint of the run (every other setting the same)."""
        return replace(self, base_url=url, base_urls=(url,))

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def default_cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    if env_setting(environ, "SAFETY_CACHE_DIR"):
        return Path(env_setting(environ, "SAFETY_CACHE_DIR"))
    base = env_setting(environ, "XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "safety-inspect"


# -- the endpoint of one run ----------------------------------------------------------------


def endpoint_configured(environ: Mapping[str, str] = os.environ) -> bool:
    """True when the environment names an endpoint (the web app otherwise runs in demo mode)."""
    return any(environ.get(name) for name in ENDPOINT_VARS)


def load_settings(
    environ: Mapping[str, str] = os.environ,
    *,
    preset: str | None = None,
    base_url: str | Sequence[str] | None = None,
    model: str | None = None,
    api_key: str | None = None,
    coords: str | None = None,
    max_pixels: int | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    concurrency: int | None = None,
    max_tokens: int | None = None,
    prompt: str | None = None,
    detail: str | None = None,
    recheck: str | None = None,
) -> Settings:
    """Build Settings from explicit arguments first, then the environment, then presets.

    ``base_url``: one URL, or several (a list, or one string with commas or spaces between
    them), like QWEN_VL_BASE_URL."""
    urls = split_base_urls(base_url) or split_base_urls(env_setting(environ, "QWEN_VL_BASE_URL"))
    preset_name = (
        preset
        or env_setting(environ, "QWEN_VL_PRESET")
        or guess_preset(urls[0] if urls else None, environ)
    )
    if preset_name not in PRESETS:
        raise ConfigurationError(
            f"Unknown preset {preset_name!r}; choose one of: {', '.join(PRESETS)}."
        )
    p = PRESETS[preset_name]
    urls = tuple(dict.fromkeys(check_base_url(url) for url in urls or (p.base_url,)))
    base_url = urls[0]
    model = model or env_setting(environ, "QWEN_VL_MODEL") or p.model
    key = (
        api_key
        or env_setting(environ, "QWEN_VL_API_KEY")
        or (env_setting(environ, p.key_env) if p.key_env else None)
    )
    if not key:
        if p.key_env:
            raise ConfigurationError(
                f"The {p.title} preset needs an API key: set {p.key_env} or QWEN_VL_API_KEY, "
                "or pass --api-key."
            )
        key = "EMPTY"  # vLLM without --api-key accepts any key; the SDK insists on one

    coords = coords or env_setting(environ, "QWEN_VL_COORDS")
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

    px = (limits.MIN_MAX_PIXELS, limits.MAX_MAX_PIXELS)
    conc = (1, limits.MAX_CONCURRENCY)
    return Settings(
        base_url=base_url,
        base_urls=urls,
        model=model,
        api_key=key,
        preset=preset_name,
        coords=coords,
        grid=grid,
        max_pixels=explicit_number("max_pixels", max_pixels, *px)
        or env_setting(environ, "QWEN_VL_MAX_PIXELS"),
        timeout=explicit_number("timeout", timeout, limits.MIN_TIMEOUT_S)
        or env_setting(environ, "QWEN_VL_TIMEOUT"),
        max_retries=(
            max_retries
            if explicit_number("retries", max_retries, 0) is not None
            else env_setting(environ, "QWEN_VL_RETRIES")
        ),
        concurrency=explicit_number("concurrency", concurrency, *conc)
        or env_setting(environ, "QWEN_VL_CONCURRENCY"),
        max_tokens=explicit_number("max_tokens", max_tokens, limits.MIN_MAX_TOKENS)
        or env_setting(environ, "QWEN_VL_MAX_TOKENS"),
        prompt=check_prompt(prompt) if prompt else DEFAULT_PROMPT,
        cache_dir=default_cache_dir(environ),
        detail=explicit_choice("detail", detail, limits.DETAILS)
        or env_setting(environ, "SAFETY_DETAIL"),
        recheck=explicit_choice("recheck", recheck, limits.RECHECKS)
        or env_setting(environ, "SAFETY_RECHECK"),
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


# -- everything the app needs, read once ----------------------------------------------------


@dataclass(frozen=True)
class AppConfig:
    """The whole environment, read and checked once (at start-up)."""

    endpoint: Settings | None  # None: no endpoint configured (the web app's demo mode)
    fetch: FetchPolicy
    cache_dir: Path
    max_photos: int = limits.DEFAULT_MAX_PHOTOS
    max_file_mb: int = limits.MAX_PHOTO_MB
    runs_at_once: int = limits.DEFAULT_RUNS_AT_ONCE
    queue_size: int = limits.DEFAULT_QUEUE_SIZE
    auth: tuple[str, str] | None = field(default=None, repr=False)
    # Public mode: a Space (SPACE_ID), or SAFETY_PUBLIC=1. Anonymous visitors then spend
    # the owner's key only on the owner's terms, within per-client limits, and a base URL
    # they type must be a public address. Never inferred from the address the app binds.
    public: bool = True
    # Behind the Hugging Face proxy (a Space): only then does X-Forwarded-For name the visitor.
    behind_proxy: bool = False
    has_env_key: bool = False
    # Per client (IP) and per session; 0 means no limit. Public mode has limits by default.
    photos_per_hour: int = 0
    runs_per_client: int = 0
    reports_per_hour: int = 0  # reports written again after review
    redraws_per_hour: int = 0  # photos drawn again by review decisions
    run_deadline_s: float = limits.DEFAULT_RUN_DEADLINE_S
    # The page's videos: size, length (0: any) and frames sent per video at most.
    max_video_mb: int = limits.MAX_VIDEO_MB
    max_video_s: int = 0
    video_frames: int = limits.DEFAULT_MAX_FRAMES
    prompt: str = DEFAULT_PROMPT  # the owner's prompt: the default or SAFETY_PROMPT_FILE's
    run_history: bool = False
    rules_dir: Path | None = None  # SAFETY_RULES_DIR: the user's own rules files
    # SAFETY_ALERTS_FILE, read and checked at start-up (safety.alerts); None: no alerts.
    alerts: AlertsConfig | None = field(default=None, repr=False)
    mcp: bool = False  # the tools for agents (safety.web.agents), SAFETY_MCP
    # The endpoint variables as read, for runs that override part of the endpoint on the page
    # (the key routing in safety.web.endpoint decides which of them such a run may use).
    endpoint_env: Mapping[str, str] = field(default_factory=dict, repr=False)
    # The hazard ledger (SAFETY_DATA_DIR, DATABASE_URL): None only for a config made by hand.
    ledger: LedgerSettings | None = field(default=None, repr=False)
    # SAFETY_PUBLIC_URL: the app's public address, for the site manager's notice links.
    public_url: str | None = None

    @property
    def demo(self) -> bool:
        return self.endpoint is None


def _auth(environ: Mapping[str, str]) -> tuple[str, str] | None:
    raw = env_setting(environ, "SAFETY_AUTH")
    if raw is None:
        return None
    user, sep, password = raw.partition(":")
    if not sep or not user or not password:
        raise ConfigurationError('SAFETY_AUTH is not valid: use "user:password".')
    return user, password


def _public(environ: Mapping[str, str]) -> bool:
    explicit = env_setting(environ, "SAFETY_PUBLIC")
    return bool(env_setting(environ, "SPACE_ID")) if explicit is None else explicit


def _public_url(environ: Mapping[str, str]) -> str | None:
    value = env_setting(environ, "SAFETY_PUBLIC_URL")
    if value is None:
        return None
    if not value.startswith(("https://", "http://")) or not urlsplit(value).hostname:
        raise ConfigurationError(
            f"SAFETY_PUBLIC_URL={value!r} is not valid: use the app's address as visitors "
            "reach it, e.g. https://safety.example.org"
        )
    return value.rstrip("/")


def _owner_prompt(environ: Mapping[str, str]) -> str:
    path = env_setting(environ, "SAFETY_PROMPT_FILE")
    if path is None:
        return DEFAULT_PROMPT
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(
            f"SAFETY_PROMPT_FILE={path!r} is not valid: use a readable UTF-8 text file "
            f"({type(exc).__name__})."
        ) from None
    return check_prompt(text, "SAFETY_PROMPT_FILE")


def _rules_dir(environ: Mapping[str, str]) -> Path | None:
    """SAFETY_RULES_DIR: a folder of rules files (safety.rules), when set."""
    value = env_setting(environ, "SAFETY_RULES_DIR") or ""
    if not value:
        return None
    if not Path(value).is_dir():
        raise ConfigurationError(f"SAFETY_RULES_DIR={value!r} is not valid: use a folder.")
    return Path(value)


def check_prompt(text: str, source: str = "The prompt") -> str:
    """A prompt from any source: not empty, and at most MAX_PROMPT_CHARS characters."""
    if not text.strip() or len(text) > limits.MAX_PROMPT_CHARS:
        raise ConfigurationError(
            f"{source} is not valid: use a prompt of 1 to {limits.MAX_PROMPT_CHARS:,} "
            f"characters (this one has {len(text):,})."
        )
    return text


def load_config(environ: Mapping[str, str] = os.environ) -> AppConfig:
    """Read and check every variable; raise ConfigurationError on the first bad one."""
    endpoint_env = {
        k: v for k, v in environ.items() if k.startswith(("QWEN_VL_", "DASHSCOPE_"))
    } | {k: environ[k] for k in RUN_VARS if k in environ}
    endpoint = load_settings(endpoint_env) if endpoint_configured(environ) else None
    if endpoint is None:
        # Unused without an endpoint, but a bad value is still a mistake worth saying now.
        load_settings(endpoint_env, base_url="http://localhost/v1")
    public = _public(environ)
    prompt = _owner_prompt(environ)
    if endpoint is not None:
        endpoint = endpoint.with_(prompt=prompt)
    return AppConfig(
        endpoint=endpoint,
        fetch=FetchPolicy.from_env(environ),
        cache_dir=default_cache_dir(environ),
        max_photos=env_setting(environ, "SAFETY_MAX_PHOTOS"),
        max_file_mb=env_setting(environ, "SAFETY_MAX_FILE_MB"),
        runs_at_once=env_setting(
            environ,
            "SAFETY_RUNS_AT_ONCE",
            limits.PUBLIC_RUNS_AT_ONCE if public else limits.DEFAULT_RUNS_AT_ONCE,
        ),
        queue_size=env_setting(environ, "SAFETY_QUEUE_SIZE"),
        auth=_auth(environ),
        public=public,
        behind_proxy=bool(env_setting(environ, "SPACE_ID")),
        has_env_key=any(environ.get(k) for k in KEY_VARS),
        photos_per_hour=env_setting(
            environ, "SAFETY_PHOTOS_PER_HOUR", limits.DEFAULT_PHOTOS_PER_HOUR if public else 0
        ),
        runs_per_client=env_setting(
            environ, "SAFETY_RUNS_PER_CLIENT", limits.DEFAULT_RUNS_PER_CLIENT if public else 0
        ),
        reports_per_hour=env_setting(
            environ, "SAFETY_REPORTS_PER_HOUR", limits.PUBLIC_REPORTS_PER_HOUR if public else 0
        ),
        redraws_per_hour=env_setting(
            environ, "SAFETY_REDRAWS_PER_HOUR", limits.PUBLIC_REDRAWS_PER_HOUR if public else 0
        ),
        run_deadline_s=env_setting(environ, "SAFETY_RUN_DEADLINE_S"),
        max_video_mb=env_setting(
            environ,
            "SAFETY_MAX_VIDEO_MB",
            limits.PUBLIC_MAX_VIDEO_MB if public else limits.MAX_VIDEO_MB,
        ),
        max_video_s=env_setting(
            environ, "SAFETY_MAX_VIDEO_S", int(limits.PUBLIC_MAX_VIDEO_S) if public else 0
        ),
        video_frames=env_setting(
            environ,
            "SAFETY_VIDEO_FRAMES",
            limits.PUBLIC_MAX_VIDEO_FRAMES if public else limits.DEFAULT_MAX_FRAMES,
        ),
        prompt=prompt,
        run_history=bool(env_setting(environ, "SAFETY_RUN_HISTORY")),
        rules_dir=_rules_dir(environ),
        endpoint_env=endpoint_env,
        ledger=load_ledger_settings(environ),
        public_url=_public_url(environ),
        alerts=alerts_from_env(environ),
        mcp=mcp_enabled(environ, public, _auth(environ) is not None),
    )
