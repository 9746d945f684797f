"""The endpoint of one run on the page: the server's own, or one typed into the panel.

Key routing: the environment's key is used only for the environment's own endpoint (or
DashScope's official URLs for DASHSCOPE_API_KEY). A base URL typed into the page never
receives it. On a page served beyond this machine, a typed base URL must be a public
address, and the run connects to exactly the address that was checked
(``safety.net.endpoint_http_client``: one lookup, pinned, no redirects followed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..calibration import CalibrationStore, calibrate
from ..client import OpenAICompatibleModel
from ..config import KEY_VARS, AppConfig, Settings, load_settings
from ..demo import demo_inspector
from ..errors import SafetyError
from ..i18n import t
from ..inspection import Inspector
from ..net import endpoint_http_client
from ..presets import AUTO, DASHSCOPE_CN, DASHSCOPE_INTL
from ..secrets import scrub
from .views import conn_html

COORD_DEFAULT = "default"


@dataclass(frozen=True)
class EndpointForm:
    """What the Endpoint settings panel holds (all optional)."""

    preset: str | None = None
    base_url: str = ""
    model: str = ""
    api_key: str = ""
    coords: str = COORD_DEFAULT
    max_pixels: float | int | None = None
    concurrency: float | int | None = None
    prompt: str = ""


@dataclass(frozen=True)
class Endpoint:
    """The settings of a run, and whether its base URL was typed into the page."""

    settings: Settings | None  # None: demo mode
    typed: bool = False


def _without(environ: Mapping[str, str], names) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k not in names}


def endpoint_from_form(config: AppConfig, form: EndpointForm) -> Endpoint:
    """The endpoint for a run; Endpoint(None) for demo mode (no endpoint anywhere)."""
    env, own = config.endpoint_env, config.endpoint
    base = (form.base_url or "").strip().rstrip("/")
    if not base and own is None:
        return Endpoint(None)
    base = base or own.base_url
    typed = False
    if own is not None and base == own.base_url:
        env_for = dict(env)
    elif base in (DASHSCOPE_CN, DASHSCOPE_INTL) and env.get("DASHSCOPE_API_KEY"):
        env_for = _without(env, ("QWEN_VL_API_KEY",))
    else:
        env_for = _without(env, KEY_VARS)
        typed = config.public
    coords = None if form.coords in (None, "", COORD_DEFAULT) else form.coords
    settings = load_settings(
        env_for,
        preset=form.preset or None,
        base_url=base,
        model=(form.model or "").strip() or None,
        api_key=(form.api_key or "").strip() or None,
        coords=coords,
        max_pixels=int(form.max_pixels) if form.max_pixels else None,
        concurrency=int(form.concurrency) if form.concurrency else None,
        prompt=(form.prompt or "").strip() or None,
    )
    if typed:
        # Checked now, so a refused address is a clear message before anything starts.
        endpoint_http_client(settings.base_url, config.fetch, timeout=settings.timeout).close()
    return Endpoint(settings, typed)


def settings_from_form(config: AppConfig, form: EndpointForm) -> Settings | None:
    return endpoint_from_form(config, form).settings


def open_model(
    config: AppConfig, endpoint: Endpoint, *, max_retries: int | None = None
) -> OpenAICompatibleModel:
    settings = endpoint.settings
    http_client = None
    if endpoint.typed:
        http_client = endpoint_http_client(
            settings.base_url, config.fetch, timeout=settings.timeout
        )
    return OpenAICompatibleModel(settings, max_retries=max_retries, http_client=http_client)


def make_inspector(
    config: AppConfig, endpoint: Endpoint, lang: str, prompt: str, concurrency: int | None
) -> Inspector:
    if endpoint.settings is None:
        kwargs = {"concurrency": concurrency} if concurrency else {}
        return demo_inspector(lang=lang, prompt=prompt or None, **kwargs)
    return Inspector(
        endpoint.settings,
        lang=lang,
        fetch_policy=config.fetch,
        model=open_model(config, endpoint),
    )


def test_endpoint(config: AppConfig, endpoint: Endpoint, lang: str) -> str:
    """Plain words: does the endpoint answer, is the model there, which coordinates (auto)."""
    settings = endpoint.settings
    model = open_model(config, endpoint, max_retries=0)
    lines: list[str] = []

    def done(kind: str) -> str:
        return conn_html(kind, [scrub(line, settings.api_key) for line in lines])

    try:
        try:
            served = model.list_models()
        except SafetyError as exc:
            lines.append(t("page.conn.unreachable", lang, error=exc))
            return done("bad")
        lines.append(t("page.conn.answers", lang, host=settings.host, n=len(served)))
        if settings.model not in served:
            shown = ", ".join(served[:10]) + (" …" if len(served) > 10 else "")
            shown = shown or t("page.conn.none-listed", lang)
            lines.append(t("page.conn.model-missing", lang, model=settings.model, served=shown))
            return done("bad")
        lines.append(t("page.conn.model-ok", lang, model=settings.model))
        if settings.coords != AUTO:
            lines.append(t("page.conn.coords-set", lang, convention=settings.coords))
            return done("ok")
        try:
            plan = calibrate(model, settings)
        except SafetyError as exc:
            lines.append(t("page.conn.coords-bad", lang, error=exc))
            return done("bad")
        CalibrationStore(settings.cache_dir).remember(settings, plan)
        lines.append(t("page.conn.coords-probed", lang, convention=plan.convention))
        lines.extend(plan.notes)
        return done("ok")
    finally:
        model.close()
