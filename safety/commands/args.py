"""Command-line flags that several commands share, defined once, and what they are read into.

    add_endpoint_args(parser, lang, batch=False)  --preset --base-url --model --api-key ...
    add_request_args(group, lang, ...)            --prompt-file [--concurrency] --detail --recheck
    add_outputs(group, lang)                      --json --csv --report and the report's cover
    add_privacy_args(group, lang, ...)            --blur-faces --blur-before-send
    add_site_args(group, lang, rules=True)        --site-profile --rules
    EndpointOptions.read(args)                    the endpoint flags, typed; .settings(...)
    outputs_from(args)                            the output flags as archive.outputs.Outputs
    pick(cls, args, **more)                       any options dataclass filled from the flags

Every command reads its Namespace into a frozen options object at its door (here or in its
own module): the library is handed those objects, never argparse's Namespace.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from .. import limits
from ..archive.outputs import Outputs
from ..backends.presets import COORD_CHOICES, PRESETS
from ..config import AppConfig, Settings, load_settings
from ..cost import detail_help, recheck_help
from ..errors import SafetyError
from ..i18n import LANGS, t

T = TypeVar("T")


def pick(cls: type[T], args: argparse.Namespace, **more: Any) -> T:
    """An options dataclass from the flags of the same names (a list becomes a tuple: the
    options are frozen); ``more`` gives the fields that are not flags."""
    values = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in more or not hasattr(args, f.name):
            continue
        value = getattr(args, f.name)
        values[f.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values, **more)


# -- the endpoint ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EndpointOptions:
    """Which endpoint, how to frame and ask: the flags as given (None: not given, the
    environment or the preset decides)."""

    preset: str | None = None
    base_url: str | tuple[str, ...] | None = None
    model: str | None = None
    api_key: str | None = None
    coords: str | None = None
    max_pixels: int | None = None
    timeout: float | None = None
    retries: int | None = None
    max_tokens: int | None = None
    concurrency: int | None = None
    prompt_file: str | None = None
    detail: str | None = None
    recheck: str | None = None

    @classmethod
    def read(cls, args: argparse.Namespace) -> EndpointOptions:
        return pick(cls, args)

    def with_(self, **changes: Any) -> EndpointOptions:
        """These options with some changed (an evaluate --compare run's, say)."""
        return replace(self, **changes)

    def settings(self, config: AppConfig, lang: str) -> Settings:
        """The settings these flags ask for, the environment and the preset filling the rest."""
        prompt = None
        if self.prompt_file:
            try:
                prompt = Path(self.prompt_file).read_text(encoding="utf-8")
            except OSError as exc:
                raise SafetyError(t("cli.prompt-unreadable", lang, why=exc.strerror)) from None
        return load_settings(
            config.endpoint_env,
            preset=self.preset,
            base_url=self.base_url,
            model=self.model,
            api_key=self.api_key,
            coords=self.coords,
            max_pixels=self.max_pixels,
            timeout=self.timeout,
            max_retries=self.retries,
            concurrency=self.concurrency,
            max_tokens=self.max_tokens,
            prompt=prompt,
            detail=self.detail,
            recheck=self.recheck,
        )


def add_endpoint_args(p: argparse.ArgumentParser, lang: str, *, batch: bool = False) -> None:
    """The endpoint group. ``batch``: for a Batch API file, which sends nothing: one base URL
    that only names the endpoint, no key, timeout or retries, and no calibration."""
    g = p.add_argument_group(t("cli.group.endpoint", lang))
    g.add_argument("--preset", choices=list(PRESETS), help=t("cli.preset", lang))
    if batch:
        g.add_argument("--base-url", help=t("batch.base-url", lang))
    else:
        # Several endpoints (safety.backends.pool): the flag again, or a list in QWEN_VL_BASE_URL.
        g.add_argument("--base-url", action="append", help=t("cli.base-url", lang))
    g.add_argument("--model", help=t("cli.model", lang))
    if not batch:
        g.add_argument("--api-key", help=t("cli.api-key", lang))
    coords = t("batch.coords" if batch else "cli.coords", lang)
    g.add_argument("--coords", choices=COORD_CHOICES, help=coords)
    g.add_argument(
        "--max-pixels", type=int, help=t("cli.max-pixels", lang, n=limits.DEFAULT_MAX_PIXELS)
    )
    if not batch:
        timeout = t("cli.timeout", lang, n=limits.DEFAULT_TIMEOUT_S)
        g.add_argument("--timeout", type=float, help=timeout)
        g.add_argument("--retries", type=int, help=t("cli.retries", lang, n=limits.DEFAULT_RETRIES))
    g.add_argument(
        "--max-tokens", type=int, help=t("cli.max-tokens", lang, n=limits.DEFAULT_MAX_TOKENS)
    )


def add_request_args(group, lang: str, *, concurrency: bool = True, batch: bool = False) -> None:
    """--prompt-file, --concurrency, --detail, --recheck: what each photo's request asks."""
    group.add_argument("--prompt-file", metavar="FILE", help=t("cli.prompt-file", lang))
    if concurrency:
        group.add_argument(
            "--concurrency", type=int, help=t("cli.concurrency", lang, n=limits.DEFAULT_CONCURRENCY)
        )
    group.add_argument("--detail", choices=limits.DETAILS, help=detail_help(lang))
    recheck = t("batch.recheck", lang) if batch else recheck_help(lang)
    group.add_argument("--recheck", choices=limits.RECHECKS, help=recheck)


# -- outputs, privacy, the site --------------------------------------------------------------


def add_report_identity(group, lang: str) -> None:
    """--lang, --site, --inspector, --notes: the language and the report's cover."""
    group.add_argument("--lang", choices=LANGS, default=lang, help=t("cli.lang", lang, lang=lang))
    group.add_argument("--site", default="", help=t("cli.site", lang))
    group.add_argument("--inspector", default="", help=t("cli.inspector", lang))
    group.add_argument("--notes", default="", help=t("cli.notes", lang))


def add_outputs(group, lang: str) -> None:
    """--json (or - for standard output), --csv, --report, and the report's identity."""
    group.add_argument("--json", metavar="FILE", help=t("cli.json", lang))
    group.add_argument("--csv", metavar="FILE", help=t("cli.csv", lang))
    group.add_argument("--report", metavar="FILE.pdf", help=t("cli.report", lang))
    add_report_identity(group, lang)


def outputs_from(args: argparse.Namespace) -> Outputs:
    """What ``add_outputs``' flags ask to be written."""
    return pick(Outputs, args)


def add_privacy_args(
    group, lang: str, *, blur_faces: bool = True, before_send: bool = True
) -> None:
    """--blur-faces (in what is written) and --blur-before-send (where photos are sent)."""
    if blur_faces:
        group.add_argument("--blur-faces", action="store_true", help=t("cli.blur-faces", lang))
    if before_send:
        group.add_argument(
            "--blur-before-send", action="store_true", help=t("cli.blur-before-send", lang)
        )


def add_site_args(group, lang: str, *, rules: bool = True) -> None:
    """--site-profile (the site's context for the prompt) and --rules (clauses, actions)."""
    group.add_argument("--site-profile", metavar="FILE.toml", help=t("cli.site-profile", lang))
    if rules:
        group.add_argument("--rules", metavar="FILE_OR_NAME", help=t("cli.rules", lang))


def add_video_args(group, lang: str) -> None:
    """--fps and --max-frames (inspect): how a video is sampled (safety.video.options)."""
    group.add_argument(
        "--fps", metavar="N", help=t("video.cli.fps", lang, n=limits.DEFAULT_VIDEO_FPS)
    )
    group.add_argument(
        "--max-frames",
        metavar="N",
        help=t("video.cli.max-frames", lang, n=limits.DEFAULT_MAX_FRAMES),
    )
