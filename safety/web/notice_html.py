"""The site manager's notice page as HTML (safety.web.notice_page serves it): one page per
notice, readable on a phone at 390 px, usable without script. Every value is escaped."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from ..i18n import t
from ..ledger import Notice
from .views import esc

# The app's CJK web font (fonts/make_web_font.py), served at notice/font.woff2, first in the
# list but only for CJK code points (Latin text keeps the system's font): every Chinese
# character comes from it, whatever fonts the phone has or lacks.
FONT_FILE = Path(__file__).resolve().parents[2] / "fonts" / "wqy-microhei.woff2"
STYLE = """
@font-face{font-family:"Safety CJK";font-display:swap;font-weight:100 900;
src:url("notice/font.woff2") format("woff2");
unicode-range:U+2E80-2FDF,U+3000-30FF,U+3100-31FF,U+3400-4DBF,U+4E00-9FFF,U+F900-FAFF,U+FF00-FFEF}
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 "Safety CJK",system-ui,-apple-system,"Segoe UI",sans-serif;
background:#f4f5f7;color:#1d2330}
button,input,textarea{font-family:inherit}
header{background:#1f2937;color:#fff;padding:14px 16px}
header h1{font-size:1.2rem;margin:0 0 4px}
header p{margin:0;color:#d1d5db;font-size:.9rem}
header nav{margin-top:8px;font-size:.9rem}
header nav a{color:#fbbf24}
main{max-width:860px;margin:0 auto;padding:12px}
.msg{padding:10px 12px;border-radius:8px;margin:8px 0;font-weight:600}
.ok{background:#e7f6ec;border:1px solid #2f855a;color:#22543d}
.bad{background:#fdecec;border:1px solid #c53030;color:#742a2a}
.item{background:#fff;border:1px solid #d8dce3;border-radius:10px;padding:12px;margin:12px 0}
.item h2{font-size:1.05rem;margin:0 0 6px}
.pics{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0}
.pics figure{margin:0;flex:1 1 160px;max-width:320px}
.pics img{width:100%;height:auto;max-height:220px;object-fit:contain;background:#eee;
border-radius:6px;border:1px solid #ccd}
.pics figcaption{font-size:.85rem;color:#4a5568}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:6px 0}
dt{color:#4a5568}dd{margin:0;overflow-wrap:anywhere}
.overdue{color:#c53030;font-weight:700}
form label{display:block;margin:8px 0 2px;font-weight:600}
input[type=file],input[type=text],textarea{width:100%;font:inherit;padding:8px;
border:1px solid #b8bfcc;border-radius:6px;background:#fff}
button{margin-top:10px;width:100%;padding:12px;font:inherit;font-weight:700;color:#fff;
background:#dd6b20;border:0;border-radius:8px;cursor:pointer}
button:focus-visible,a:focus-visible,input:focus-visible,textarea:focus-visible{
outline:3px solid #2b6cb0;outline-offset:2px}
"""


def _picture(token: str, item: dict, kind: str, lang: str) -> str:
    src = "notice/photo?" + urlencode({"token": token, "id": item["id"], "kind": kind})
    caption = t(f"notice.page.{kind}", lang)
    return (
        f'<figure><img src="{esc(src)}" alt="{esc(caption)} {esc(item["number"])}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def _item(token: str, item: dict, lang: str) -> str:
    facts = [
        ("notice.page.level", item["level"]),
        ("notice.page.status", item["status"]),
        ("notice.page.measure", item["measure"]),
        ("notice.page.owner", item["owner"]),
        ("notice.page.due", item["due"]),
    ]
    rows = "".join(f"<dt>{esc(t(k, lang))}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    if item["overdue"]:
        rows += f'<dt></dt><dd class="overdue">{esc(t("ledger.overdue", lang))}</dd>'
    pics = ""
    if item["has_before"]:
        pics += _picture(token, item, "before", lang)
    if item["has_after"]:
        pics += _picture(token, item, "after", lang)
    form = ""
    if item["can_upload"]:
        fid = f"f{item['id']}"
        form = (
            f'<form method="post" action="notice?lang={esc(lang)}" enctype="multipart/form-data">'
            f'<input type="hidden" name="token" value="{esc(token)}">'
            f'<input type="hidden" name="finding" value="{item["id"]}">'
            f'<label for="{fid}-photo">{esc(t("notice.page.photo", lang))}</label>'
            f'<input id="{fid}-photo" type="file" name="photo" accept="image/*" '
            f'capture="environment">'
            f'<label for="{fid}-note">{esc(t("notice.page.note", lang))}</label>'
            f'<textarea id="{fid}-note" name="note" rows="2" maxlength="2000"></textarea>'
            f'<label for="{fid}-name">{esc(t("notice.page.name", lang))}</label>'
            f'<input id="{fid}-name" type="text" name="name" maxlength="80">'
            f'<button type="submit">{esc(t("notice.page.send", lang))}</button></form>'
        )
    return (
        f'<section class="item" id="item-{item["id"]}"><h2>{esc(item["number"])} · '
        f"{esc(item['what'])}</h2>{f'<div class=pics>{pics}</div>' if pics else ''}"
        f"<dl>{rows}</dl>{form}</section>"
    )


def page_html(
    lang: str, notice: Notice | None, items: list[dict], message=None, token: str = ""
) -> str:
    """The whole page; ``notice`` None: only the message (a refused or unknown link)."""
    title = t("notice.page.title", lang)
    head = f"<h1>{esc(title)}</h1>"
    if notice is not None:
        until = notice.expires_at.strftime("%Y-%m-%d %H:%M")
        head += (
            f"<p>{esc(t('notice.page.intro', lang, id=notice.id, site=notice.site, until=until))}"
            "</p>"
        )
        other = "zh" if lang == "en" else "en"
        switch = "notice?" + urlencode({"token": token, "lang": other})
        head += f'<nav><a href="{esc(switch)}" lang="{other}">{esc(t("notice.page.other", lang))}</a></nav>'  # noqa: E501
    shown = ""
    if message:
        kind, text = message
        role = "status" if kind == "ok" else "alert"
        shown = f'<div class="msg {kind}" role="{role}">{esc(text)}</div>'
    body = "".join(_item(token, item, lang) for item in items)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f"<body><header>{head}</header><main>{shown}{body}</main></body></html>"
    )
