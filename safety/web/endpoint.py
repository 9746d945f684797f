"""The endpoint of one run on the page: the server's own, or one typed into the panel.

Key routing: the environment's key is used only for the environment's own endpoint (or
DashScope's official URLs for DASHSCOPE_API_KEY). A base URL typed into the page never
receives it. On a page served beyond this machine, a typed base URL must be a public
address, and the run connects to exactly the address that was checked
(``safety.net.endpoint_http_client``: one lookup, pinned, no redirects followed).

Several endpoints (backends.pool): the owner's QWEN_VL_BASE_URL may list several, and a run on
the owner's endpoint uses them all. A base URL typed on a public page is one URL: a list
there is refused, since only one address can be checked and pinned.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from ..backends.baseurls import split_base_urls
from ..backends.calibration import CalibrationStore, calibrate
from ..backends.demo import demo_inspector
from ..backends.model import Model
from ..backends.pool import model_for
from ..backends.presets import AUTO, DASHSCOPE_CN, DASHSCOPE_INTL
from ..config import KEY_VARS, AppConfig, Settings, load_settings
from ..errors import ConfigurationError, SafetyError
from ..i18n import said, t
from ..images import DecodeBudget
from ..inspection import Inspector
from ..limits import MAX_IMAGE_PIXELS, PUBLIC_MAX_IMAGE_PIXELS
from ..net import endpoint_http_client
from ..privacy import Privacy
from ..scrub import scrub
from ..site_profile import SiteProfile, with_site
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
    detail: str | None = None  # None or "": the configured one (safety.passes.detail)
    recheck: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """The settings of a run, and how to reach its endpoint."""

    settings: Settings | None  # None: demo mode
    # For a base URL typed into a public page: the one client pinned to the address checked
    # when the run was set up (one lookup for the whole run; no second chance to rebind).
    pinned: httpx.Client | None = None
    # On a public page, what an anonymous visitor changed that the owner's terms overrode
    # (catalogue keys of the fields' names).
    ignored: tuple[str, ...] = ()

    def ignored_note(self, lang: str) -> str | None:
        if not self.ignored:
            return None
        fields = t("list.separator", lang).join(t(key, lang) for key in self.ignored)
        return t("page.owner-terms", lang, fields=fields)


def _owners_terms(config: AppConfig, form: EndpointForm) -> Endpoint:
    """The owner's endpoint exactly as the owner set it; what the visitor changed is named."""
    own = config.endpoint
    if own is None:
        return Endpoint(None)
    changed = {  # catalogue keys of the fields' names
        "page.model": (form.model or "").strip() not in ("", own.model),
        "page.prompt": (form.prompt or "").strip() not in ("", config.prompt.strip()),
        "page.max-pixels": bool(form.max_pixels) and int(form.max_pixels) != own.max_pixels,
        "page.concurrency": bool(form.concurrency) and int(form.concurrency) != own.concurrency,
        "page.coords": form.coords not in (None, "", COORD_DEFAULT),
        "page.api-key": bool((form.api_key or "").strip()),
        # More requests per photo are spent on the owner's key only on the owner's terms.
        "page.detail": (form.detail or own.detail) != own.detail,
        "page.recheck": (form.recheck or own.recheck) != own.recheck,
    }
    return Endpoint(own, ignored=tuple(name for name, yes in changed.items() if yes))


def _without(environ: Mapping[str, str], names) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k not in names}


def endpoint_from_form(config: AppConfig, form: EndpointForm, trusted: bool = True) -> Endpoint:
    """The endpoint for a run; Endpoint(None) for demo mode (no endpoint anywhere).

    ``trusted``: the page is not public, or the visitor logged in. An anonymous visitor of a
    public page gets the owner's endpoint on the owner's terms, or their own typed endpoint
    (with their own key, if any) with every setting theirs.
    """
    env, own = config.endpoint_env, config.endpoint
    urls = tuple(url.rstrip("/") for url in split_base_urls((form.base_url or "").strip()))
    # The owner's endpoint: the field left empty, its list, or its first URL (all of them).
    owners = own is not None and urls in ((), own.base_urls, own.base_urls[:1])
    if not trusted and owners:
        return _owners_terms(config, form)
    if not urls and own is None:
        return Endpoint(None)
    urls = own.base_urls if owners else urls
    typed = False
    if owners:
        env_for = dict(env)
    elif set(urls) <= {DASHSCOPE_CN, DASHSCOPE_INTL} and env.get("DASHSCOPE_API_KEY"):
        env_for = _without(env, ("QWEN_VL_API_KEY",))
    else:
        env_for = _without(env, KEY_VARS)
        typed = config.public
    if typed and len(urls) > 1:
        # Only one address can be checked and pinned for a run: a list would send the
        # others unchecked (the owner's own list, from the environment, is trusted).
        raise ConfigurationError(
            "Enter one base URL here: several endpoints can only be set by the app's owner "
            "(QWEN_VL_BASE_URL)."
        )
    coords = None if form.coords in (None, "", COORD_DEFAULT) else form.coords
    settings = load_settings(
        env_for,
        preset=form.preset or None,
        base_url=list(urls),
        model=(form.model or "").strip() or None,
        api_key=(form.api_key or "").strip() or None,
        coords=coords,
        max_pixels=int(form.max_pixels) if form.max_pixels else None,
        concurrency=int(form.concurrency) if form.concurrency else None,
        prompt=(form.prompt or "").strip() or None,
        detail=form.detail or None,
        recheck=form.recheck or None,
    )
    pinned = None
    if typed:  # checked now, so a refused address is a clear message before anything starts
        pinned = endpoint_http_client(settings.base_url, config.fetch, timeout=settings.timeout)
    return Endpoint(settings, pinned)


def settings_from_form(config: AppConfig, form: EndpointForm) -> Settings | None:
    return endpoint_from_form(config, form).settings


def open_model(endpoint: Endpoint, *, max_retries: int | None = None) -> Model:
    # The model owns the pinned client from here: closing the model closes it.
    return model_for(endpoint.settings, max_retries=max_retries, http_client=endpoint.pinned)


def make_inspector(
    config: AppConfig,
    endpoint: Endpoint,
    lang: str,
    prompt: str,
    concurrency: int | None,
    trusted: bool = True,
    decode_budget: DecodeBudget | None = None,
    *,
    profile: SiteProfile | None = None,
    privacy: Privacy | None = None,
    keep_images: bool = True,
) -> Inspector:
    """The run's pipeline, whole: the site profile's block is in the prompt it sends and
    ``privacy`` blurs what it sends and draws. ``keep_images=False`` (the API, which returns
    no pictures) skips the display copy, its drawing and its JPEGs."""
    if endpoint.settings is None:
        kwargs = {"concurrency": concurrency} if concurrency else {}
        inspector = demo_inspector(lang=lang, prompt=prompt or None, keep_images=keep_images,
                                   **kwargs)  # fmt: skip
        inspector.privacy = privacy
        if profile is not None:  # the reference labels ignore it; the report shows it
            inspector.settings = inspector.settings.with_(
                prompt=with_site(inspector.settings.prompt, profile)
            )
        return inspector
    settings = endpoint.settings
    if profile is not None:
        settings = settings.with_(prompt=with_site(settings.prompt, profile))
    return Inspector(
        settings,
        lang=lang,
        fetch_policy=config.fetch,
        model=open_model(endpoint),
        # Every run's decoding shares the app's budget, so peak memory is bounded whatever
        # and however many runs are sent; an anonymous visitor also gets a lower size cap.
        decode_budget=decode_budget,
        max_image_pixels=MAX_IMAGE_PIXELS if trusted else PUBLIC_MAX_IMAGE_PIXELS,
        privacy=privacy,
        keep_images=keep_images,
    )


def test_endpoint(config: AppConfig, endpoint: Endpoint, lang: str) -> str:
    """Plain words: does each endpoint answer, is the model there, which coordinates (auto)."""
    settings = endpoint.settings
    lines: list[str] = []
    kinds = []
    for url in settings.base_urls:
        member = settings.for_endpoint(url)  # each endpoint is probed and remembered alone
        model = model_for(member, max_retries=0, http_client=endpoint.pinned)
        try:
            kinds.append(_test_one(member, model, lang, lines))
        finally:
            model.close()
    kind = "bad" if "bad" in kinds else "ok"
    return conn_html(kind, [scrub(line, settings.api_key) for line in lines])


def _test_one(settings: Settings, model, lang: str, lines: list[str]) -> str:
    """One endpoint's lines; "ok" or "bad"."""
    try:
        served = model.list_models()
    except SafetyError as exc:
        lines.append(t("page.conn.unreachable", lang, error=exc.text(lang)))
        return "bad"
    lines.append(t("page.conn.answers", lang, host=settings.host, n=len(served)))
    if settings.model not in served:
        shown = ", ".join(served[:10]) + (" …" if len(served) > 10 else "")
        shown = shown or t("page.conn.none-listed", lang)
        lines.append(t("page.conn.model-missing", lang, model=settings.model, served=shown))
        return "bad"
    lines.append(t("page.conn.model-ok", lang, model=settings.model))
    if settings.coords != AUTO:
        lines.append(t("page.conn.coords-set", lang, convention=settings.coords))
        return "ok"
    try:
        plan = calibrate(model, settings)
    except SafetyError as exc:
        lines.append(t("page.conn.coords-bad", lang, error=exc.text(lang)))
        return "bad"
    CalibrationStore(settings.cache_dir).remember(settings, plan)
    lines.append(t("page.conn.coords-probed", lang, convention=plan.convention))
    lines.extend(str(said(note, lang)) for note in plan.notes)
    return "ok"
