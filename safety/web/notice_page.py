"""The site manager's page: the link on a rectification notice, ``/notice?token=TOKEN``.

A plain HTML page served beside the app (no account, no script, light on a phone): it shows
the findings of that one notice (a picture of each, the corrective action, owner and due
date) and takes an after photo and a note for each. The token opens only its notice,
and only until the notice expires or is revoked (safety.ledger.notices); an upload is kept
as evidence and moves the finding to "rectified"; the officer then verifies it on the page.
The routes exist only when the app knows its public address (SAFETY_PUBLIC_URL).

Everything shown that a person or the model wrote is escaped; the token is kept out of
referrers and caches.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..config import AppConfig
from ..errors import SafetyError
from ..i18n import lang_from_header, lang_or_default, t
from ..ledger import LedgerError, Notice
from ..ledger.describe import day, level_word, status_word, text_or_dash, what
from ..ledger.pictures import after_photo, before_jpeg, thumb_jpeg
from .ledger_access import LedgerAccess
from .notice_html import FONT_FILE, page_html

PATH = "/notice"
CAN_RECTIFY = ("open", "notified", "reopened")  # an upload moves these to rectified
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def _lang(request: Request) -> str:
    wanted = request.query_params.get("lang")
    if wanted:
        return lang_or_default(wanted)
    return lang_from_header(request.headers.get("accept-language"))


class NoticeRoutes:
    def __init__(self, config: AppConfig):
        self.config = config
        self.access = LedgerAccess(config)
        self.max_bytes = config.max_file_mb * 1024 * 1024

    def routes(self) -> list[Route]:
        return [
            Route(PATH, self.page, methods=["GET"]),
            Route(PATH, self.upload, methods=["POST"]),
            Route(PATH + "/photo", self.photo, methods=["GET"]),
            Route(PATH + "/font.woff2", self.font, methods=["GET"]),
        ]

    async def font(self, request: Request) -> Response:
        """The CJK font of the app's own page, so Chinese shows on a phone without it."""
        if not FONT_FILE.exists():
            return Response(status_code=404)
        return FileResponse(FONT_FILE, headers={"Cache-Control": "public, max-age=604800"})

    def _notice(self, token: str, lang: str) -> tuple[object, Notice]:
        ledger = self.access.ledger()
        return ledger, ledger.verify_token(token)

    def _refused(self, text: str, lang: str, status: int) -> HTMLResponse:
        body = page_html(lang, None, [], message=("bad", text), token="")
        return HTMLResponse(body, status_code=status, headers=HEADERS)

    def _render(self, token: str, lang: str, message=None) -> HTMLResponse:
        try:
            ledger, notice = self._notice(token, lang)
            items = [self._item(ledger, i, lang) for i in notice.finding_ids]
        except LedgerError as exc:
            return self._refused(exc.message(lang), lang, 403)
        except SafetyError as exc:
            return self._refused(exc.text(lang), lang, 503)
        return HTMLResponse(page_html(lang, notice, items, message, token), headers=HEADERS)

    def _item(self, ledger, finding_id: int, lang: str) -> dict:
        f = ledger.find(finding_id)
        kept = ledger.get(finding_id).evidence
        return {
            "id": f.id,
            "number": f.number,
            "what": what(f, lang),
            "level": level_word(f.level, lang),
            "status": status_word(f.status, lang),
            "overdue": f.overdue,
            "measure": text_or_dash(f.measure, lang, 400),
            "owner": text_or_dash(f.owner, lang, 80),
            "due": day(f.due, lang),
            "has_before": bool(f.photo_sha),
            "has_after": any(e.photo_sha for e in kept),
            "notes": [text_or_dash(e.note, lang, 300) for e in kept if e.kind == "note"],
            "can_upload": f.status in CAN_RECTIFY or f.status == "rectified",
        }

    async def page(self, request: Request) -> Response:
        lang = _lang(request)
        if not self.config.public_url:
            return self._refused(t("notice.page.off", lang), lang, 404)
        token = request.query_params.get("token", "")
        done = request.query_params.get("done")
        message = ("ok", t("notice.page.thanks", lang, number=done[:40])) if done else None
        return await run_in_threadpool(self._render, token, lang, message)

    async def upload(self, request: Request) -> Response:
        lang = _lang(request)
        if not self.config.public_url:
            return self._refused(t("notice.page.off", lang), lang, 404)
        size = int(request.headers.get("content-length") or 0)
        if size > self.max_bytes + 64 * 1024:
            text = t("ledger.error.photo-size", lang, mb=self.config.max_file_mb)
            return self._refused(text, lang, 413)
        form = await request.form(max_files=1, max_fields=8)
        token = str(form.get("token") or "")
        upload = form.get("photo")
        photo = await upload.read(self.max_bytes + 1) if hasattr(upload, "read") else b""
        values = {
            "token": token,
            "finding": str(form.get("finding") or ""),
            "note": str(form.get("note") or "").strip()[:2000],
            "name": " ".join(str(form.get("name") or "").split())[:80],
        }
        return await run_in_threadpool(self._save, values, photo, lang)

    def _save(self, values: dict, photo: bytes, lang: str) -> Response:
        token = values["token"]
        try:
            ledger, notice = self._notice(token, lang)
            finding_id = int(values["finding"]) if values["finding"].isdigit() else -1
            if finding_id not in notice.finding_ids:
                return self._render(token, lang, ("bad", t("notice.page.not-this", lang)))
            if len(photo) > self.max_bytes:
                text = t("ledger.error.photo-size", lang, mb=self.config.max_file_mb)
                return self._render(token, lang, ("bad", text))
            if not photo and not values["note"]:
                return self._render(token, lang, ("bad", t("notice.page.empty", lang)))
            actor = t("notice.page.actor", lang, id=notice.id)
            if values["name"]:
                actor = f"{values['name']} ({actor})"
            f = ledger.find(finding_id)
            if f.status in CAN_RECTIFY and photo:
                ledger.transition(
                    finding_id, "rectified", actor=actor, note=values["note"], photo=photo
                )
            else:
                ledger.add_evidence(
                    finding_id, photo=photo or None, note=values["note"], actor=actor
                )
        except LedgerError as exc:
            return self._render(token, lang, ("bad", exc.message(lang)))
        except SafetyError as exc:
            return self._refused(exc.text(lang), lang, 503)
        query = urlencode({"token": token, "lang": lang, "done": f.number})
        return RedirectResponse(f"notice?{query}", status_code=303, headers=HEADERS)

    async def photo(self, request: Request) -> Response:
        lang = _lang(request)
        if not self.config.public_url:
            return Response(status_code=404)
        q = request.query_params
        return await run_in_threadpool(
            self._photo, q.get("token", ""), q.get("id", ""), q.get("kind", ""), lang
        )

    def _photo(self, token: str, wanted: str, kind: str, lang: str) -> Response:
        try:
            ledger, notice = self._notice(token, lang)
        except (LedgerError, SafetyError):
            return Response(status_code=403, headers=HEADERS)
        if not wanted.isdigit() or int(wanted) not in notice.finding_ids:
            return Response(status_code=404, headers=HEADERS)
        f = ledger.find(int(wanted))
        if kind == "after":
            jpeg = thumb_jpeg(after_photo(ledger, f.id), 640)
        else:
            jpeg = before_jpeg(f, ledger.photo(f.photo_sha) if f.photo_sha else None, 640)
        if not jpeg:
            return Response(status_code=404, headers=HEADERS)
        return Response(jpeg, media_type="image/jpeg", headers=HEADERS)


def notice_routes(config: AppConfig) -> list[Route]:
    """The site manager's routes, for the app's FastAPI (launch(app_kwargs=...))."""
    return NoticeRoutes(config).routes()
