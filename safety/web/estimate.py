"""The cost of a run, shown under the Inspect button before it is pressed and again whenever
the photos or the settings change (safety.cost.estimate has the sums)."""

from __future__ import annotations

from ..config import AppConfig
from ..cost import estimate
from ..i18n import lang_or_default, t
from ..limits import DEFAULT_DETAIL, DEFAULT_RECHECK
from .form import RunForm
from .views import esc


def photo_count(form: RunForm) -> int:
    files = form.files if isinstance(form.files, list) else ([form.files] if form.files else [])
    urls = [line for line in (form.urls or "").splitlines() if line.strip()]
    return len(files) + len(urls)


def cost_html(config: AppConfig, form: RunForm) -> str:
    lang = lang_or_default(form.lang)
    typed = (form.base_url or "").strip()
    if config.endpoint is None and not typed:
        lines = [t("cost.demo", lang)]
    else:
        own = config.endpoint
        # The owner's model on a public page is not named to a visitor: no price then.
        model = (form.model or "").strip() or (
            own.model if own is not None and not config.public and not typed else None
        )
        detail = form.detail or (own.detail if own else DEFAULT_DETAIL)
        recheck = form.recheck or (own.recheck if own else DEFAULT_RECHECK)
        lines = estimate(photo_count(form), detail, recheck, model, lang)
    body = "".join(
        f'<div class="{"more" if i else "total"}">{esc(line)}</div>' for i, line in enumerate(lines)
    )
    return f'<div class="cost" id="cost-lines">{body}</div>'
