"""The alerts file (TOML): which robots, which findings, how often.

    [[robot]]
    kind = "dingtalk"          # dingtalk | wecom | feishu | slack | webhook
    url = "https://..."        # or url_env = "NAME": the address from the environment
    secret = "SEC..."          # or secret_env = "NAME" (DingTalk and Feishu signing)
    min_level = "violation"    # a level name, or a list of categories ("person:missing")
    lang = "zh"

Top-level keys (all optional): dedupe_minutes, digest_seconds, retries, retry_seconds,
public_url. Secrets come only from this file or the environment. The file holds them, so,
as SSH does with a private key, a warning is given when others may read it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import tomllib

from ..envvars import env_setting
from ..errors import ConfigurationError
from ..i18n import LANGS, t
from ..scrub import url_secrets

KINDS = ("dingtalk", "wecom", "feishu", "slack", "webhook")
# The levels a finding can alert at, most serious first (safety.summary.LEVELS' hazards).
ALERT_LEVELS = ("immediate-action", "violation", "review")
# Messages a minute and a second each platform accepts from one robot, and what we send:
# a little under, so that a clock skew or a retry never reaches the platform's block.
PLATFORM_LIMITS = {
    "dingtalk": (20, None),  # over 20 a minute the robot is blocked for 10 minutes
    "wecom": (20, None),
    "feishu": (100, 5),
    "slack": (60, 1),  # incoming webhooks: about one a second
    "webhook": (60, None),
}
SAFETY_MARGIN = 0.9


@dataclass(frozen=True)
class Robot:
    """One chat robot (or plain webhook) and what it wants to hear about."""

    kind: str
    url: str = field(repr=False)
    secret: str = field(default="", repr=False)
    levels: tuple[str, ...] = ("immediate-action", "violation")
    categories: tuple[str, ...] = ()  # "fire", "person:missing", ...: instead of levels
    lang: str = "en"
    name: str = ""
    per_minute: int = 0  # 0: the platform's limit, less our margin

    @property
    def label(self) -> str:
        """How messages name this robot: its name, or its kind and host (never the path or
        query, which carry the robot's token)."""
        return self.name or f"{self.kind} ({urlsplit(self.url).hostname or '?'})"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Everything of this robot that must never be shown (the scrubber's list)."""
        return tuple(s for s in (self.secret, *url_secrets(self.url)) if s)

    def limits(self) -> tuple[int, int | None]:
        """(messages a minute, messages a second or None) this robot is sent at most."""
        minute, second = PLATFORM_LIMITS[self.kind]
        ours = max(1, int(minute * SAFETY_MARGIN))
        if self.per_minute:
            ours = min(ours, self.per_minute)
        return ours, (max(1, int(second * SAFETY_MARGIN)) if second else None)

    def wants(self, category: str, status: str, level: str) -> bool:
        if self.categories:
            return category in self.categories or f"{category}:{status}" in self.categories
        return level in self.levels


@dataclass(frozen=True)
class AlertsConfig:
    robots: tuple[Robot, ...]
    dedupe_s: float = 30 * 60.0
    digest_s: float = 5.0
    retries: int = 3
    retry_s: float = 2.0
    public_url: str = ""
    warnings: tuple[str, ...] = ()  # said once when the file is read (e.g. its permissions)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for r in self.robots for s in r.secrets)


def permission_warning(path: Path, lang: str) -> str | None:
    """SSH's rule for a private key: nobody but the owner may read or write the file."""
    if os.name != "posix":
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return t("alerts.file-open", lang, path=path.name, mode=f"{mode:04o}")
    return None


def load_alerts(path: str | Path, lang: str = "en", environ: Mapping[str, str] = os.environ):
    """Read and check an alerts file; ConfigurationError names the problem and the fix."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(
            t("alerts.file-unreadable", lang, path=path.name, why=exc.strerror)
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(t("alerts.file-bad", lang, path=path.name, why=exc)) from None
    robots = data.get("robot")
    if not isinstance(robots, list) or not robots:
        raise ConfigurationError(t("alerts.no-robot", lang, path=path.name))
    parsed = tuple(_robot(r, n, lang, environ) for n, r in enumerate(robots, 1))
    warning = permission_warning(path, lang)
    return AlertsConfig(
        robots=parsed,
        dedupe_s=_number(data, "dedupe_minutes", 30.0, lang) * 60.0,
        digest_s=_number(data, "digest_seconds", 5.0, lang),
        retries=int(_number(data, "retries", 3, lang)),
        retry_s=_number(data, "retry_seconds", 2.0, lang),
        public_url=str(data.get("public_url") or "").rstrip("/"),
        warnings=(warning,) if warning else (),
    )


def _number(data: dict, key: str, default: float, lang: str) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigurationError(t("alerts.bad-number", lang, key=key))
    return float(value)


def _from_env(entry: dict, key: str, n: int, lang: str, environ: Mapping[str, str]) -> str:
    """``key`` as written, or from the variable that ``key_env`` names."""
    variable = entry.get(f"{key}_env")
    if variable:
        value = (environ.get(str(variable)) or "").strip()
        if not value:
            raise ConfigurationError(t("alerts.env-unset", lang, n=n, key=key, var=variable))
        return value
    return str(entry.get(key) or "").strip()


def _robot(entry: object, n: int, lang: str, environ: Mapping[str, str]) -> Robot:
    if not isinstance(entry, dict):
        raise ConfigurationError(t("alerts.no-robot", lang, path="[[robot]]"))
    kind = str(entry.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise ConfigurationError(t("alerts.bad-kind", lang, n=n, kinds=", ".join(KINDS)))
    url = _from_env(entry, "url", n, lang, environ)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        raise ConfigurationError(t("alerts.bad-url", lang, n=n))
    secret = _from_env(entry, "secret", n, lang, environ)
    robot_lang = str(entry.get("lang") or lang)
    if robot_lang not in LANGS:
        raise ConfigurationError(t("alerts.bad-lang", lang, n=n, langs=", ".join(LANGS)))
    levels, categories = _wanted(entry.get("min_level", "violation"), n, lang)
    per_minute = entry.get("per_minute", 0)
    if isinstance(per_minute, bool) or not isinstance(per_minute, int) or per_minute < 0:
        raise ConfigurationError(t("alerts.bad-number", lang, key="per_minute"))
    return Robot(kind, url, secret, levels, categories, robot_lang,
                 str(entry.get("name") or ""), per_minute)  # fmt: skip


def _wanted(value: object, n: int, lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """min_level: a level (it and every more serious one), or a list of categories."""
    if isinstance(value, str) and value in ALERT_LEVELS:
        return ALERT_LEVELS[: ALERT_LEVELS.index(value) + 1], ()
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        known = {"fire", "smoke", "person", "other"}
        if all(v.split(":")[0] in known for v in value):
            return (), tuple(value)
    raise ConfigurationError(t("alerts.bad-level", lang, n=n, levels=", ".join(ALERT_LEVELS)))


def alerts_from_env(environ: Mapping[str, str] = os.environ) -> AlertsConfig | None:
    """SAFETY_ALERTS_FILE's robots (the web app's), or None when it is not set."""
    path = env_setting(environ, "SAFETY_ALERTS_FILE")
    return load_alerts(path, "en", environ) if path else None
