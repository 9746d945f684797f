"""Tools for agents: the app's inspection as MCP tools (Gradio's MCP server, ``gradio[mcp]``),
at /gradio_api/mcp/ (streamable HTTP) and /gradio_api/mcp/sse.

    inspect_photo_url(url, lang)             findings as JSON, and the marked photo
    inspect_photo_base64(image_base64, lang) the same for a photo sent as base64
    list_findings(site, overdue_only)        the hazard ledger's open (or overdue) findings
    get_finding(finding_id)                  one finding, its history and evidence
The ledger's two tools exist only where the ledger does (safety.ledger_link).

Each tool runs as the page's Inspect button does (``start_run``): the same owner's terms,
per-client limits and checks; a caller is an anonymous visitor unless the page is not
public. On a page with logins (SAFETY_AUTH) the MCP routes ask for the same user and
password (HTTP Basic), since Gradio's own login does not cover them.
"""

# No `from __future__ import annotations`: Gradio reads the tools' type hints at run time
# (a tuple return is two outputs: the JSON and the marked photo).

import base64
import binascii
import hmac
import json

import gradio as gr
from gradio import FileData
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse

from .. import ledger_link
from ..config import AppConfig
from ..errors import InputError
from ..files import write_atomic
from ..i18n import lang_or_default, t
from .form import RunForm
from .job import finish_run, report_details, start_run
from .runfolders import new_run_dir, owner_of
from .runs import results_json
from .visitors import visitor_of
from .words import user_errors

MCP_PREFIX = "/gradio_api/mcp"
MAX_BASE64_CHARS = 28 * 1024 * 1024  # about 20 MB of photo


class Tools:
    """The tools, bound to the page's handlers (their limits, decode budget, alerts)."""

    def __init__(self, handlers):
        self.h = handlers

    def _inspect(self, files, urls: str, lang: str, request) -> tuple[str, FileData | None]:
        """The Inspect button's path (start_run with a RunForm, finish_run), for one photo."""
        h, lang = self.h, lang_or_default(lang)
        form = RunForm(files=files, urls=urls, lang=lang)
        visitor = visitor_of(request, h.config)
        with (
            user_errors(lang),
            start_run(h.config, h.limits, form, visitor, h.decode_budget) as run,
        ):
            results = list(run.results())
            meta = finish_run(run, results)
            h.alerts.after_run(results, report_details(run).site, lang, visitor.trusted)
            marked = None
            first = results[0] if results else None
            if first is not None and first.ok and first.marked_jpeg:
                folder = new_run_dir(owner_of(visitor))  # the caller's, like a run's
                path = write_atomic(folder / "marked.jpg", first.marked_jpeg)
                marked = FileData(path=str(path), orig_name="marked.jpg", mime_type="image/jpeg")
            for r in results:
                r.marked_jpeg = r.preview_jpeg = r.photo_jpeg = None
            # JSON text: an agent reads it as JSON (a dict would reach it as Python's repr).
            return json.dumps(results_json(results, meta, lang), ensure_ascii=False), marked

    def inspect_photo_url(
        self, url: str, lang: str = "en", request: gr.Request = None
    ) -> tuple[str, FileData | None]:
        """Inspect one site photo, given by its http(s) URL, for fire, smoke and persons
        without a hard hat.

        Args:
            url: the photo's http or https address (a JPEG, PNG or WebP the server can fetch).
            lang: "en" or "zh": the language of the verdict and notes.

        Returns:
            The results document as JSON: "summary" (counts and "level": immediate-action,
            violation, review, no-hazard or no-result), "verdict" (one line), and in
            "images" the photo's "detections" (category fire|smoke|person, severity or
            helmet worn|missing|unknown, box [x1, y1, x2, y2] in pixels of the upright
            photo), "notes" and "error" (null when the photo was read); then the photo with
            the findings drawn on it.
        """
        return self._inspect(None, url, lang, request)

    def inspect_photo_base64(
        self, image_base64: str, lang: str = "en", request: gr.Request = None
    ) -> tuple[str, FileData | None]:
        """Inspect one site photo, sent as base64, for fire, smoke and persons without a
        hard hat.

        Args:
            image_base64: the photo file's bytes (JPEG, PNG or WebP) in base64; a
                "data:image/...;base64," prefix is accepted.
            lang: "en" or "zh": the language of the verdict and notes.

        Returns:
            The results document as JSON (as inspect_photo_url), then the marked photo.
        """
        lang = lang_or_default(lang)
        text = (image_base64 or "").strip()
        if text.startswith("data:"):
            text = text.partition(",")[2]
        with user_errors(lang):
            if not text or len(text) > MAX_BASE64_CHARS:
                raise InputError(t("agents.bad-base64", lang))
            try:
                data = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                raise InputError(t("agents.bad-base64", lang)) from None
        folder = new_run_dir(owner_of(visitor_of(request, self.h.config)))
        path = write_atomic(folder / "photo", data, private=True)
        try:
            return self._inspect([str(path)], "", lang, request)
        finally:
            path.unlink(missing_ok=True)

    def list_findings(self, site: str = "", overdue_only: bool = False) -> str:
        """List the hazard ledger's findings that are still open, for one site or all.

        Args:
            site: the site's name as recorded; empty for every site.
            overdue_only: true for only the findings past their due date.

        Returns:
            A JSON list of findings: id, number, site, found date, category, severity,
            level, status, owner, due date, overdue, clauses.
        """
        return json.dumps(ledger_link.list_findings(site, overdue_only), ensure_ascii=False)

    def get_finding(self, finding_id: int) -> str:
        """Read one finding of the hazard ledger, with its history and evidence.

        Args:
            finding_id: the finding's id (from list_findings).

        Returns:
            The finding as JSON, or null when there is no such finding.
        """
        return json.dumps(ledger_link.get_finding(int(finding_id)), ensure_ascii=False)


def add_tools(handlers) -> None:
    """Register the tools (inside the Blocks context). The API page lists them too."""
    tools = Tools(handlers)
    gr.api(tools.inspect_photo_url, api_name="inspect_photo_url", queue=False)
    gr.api(tools.inspect_photo_base64, api_name="inspect_photo_base64", queue=False)
    if ledger_link.available():
        gr.api(tools.list_findings, api_name="list_findings", queue=False)
        gr.api(tools.get_finding, api_name="get_finding", queue=False)


class McpLogin:
    """ASGI middleware: the MCP routes ask for SAFETY_AUTH's user and password (HTTP Basic).
    Every other route is Gradio's, with its own login."""

    def __init__(self, app, auth: tuple[str, str]):
        self.app = app
        self.expected = "Basic " + base64.b64encode(":".join(auth).encode()).decode()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("path", "").startswith(MCP_PREFIX):
            given = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
            if not hmac.compare_digest(given.encode(), self.expected.encode()):
                response = PlainTextResponse(
                    "Log in: send the app's user and password (HTTP Basic).",
                    status_code=401,
                    headers={"WWW-Authenticate": 'Basic realm="safety"'},
                )
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)


def mcp_launch_kwargs(config: AppConfig) -> dict:
    """launch()'s arguments for the MCP server: off, or on (behind the login where there
    is one)."""
    if not config.mcp:
        return {"mcp_server": False}
    kwargs: dict = {"mcp_server": True}
    if config.auth:
        kwargs["app_kwargs"] = {"middleware": [Middleware(McpLogin, auth=config.auth)]}
    return kwargs


__all__ = ["add_tools", "mcp_launch_kwargs"]
