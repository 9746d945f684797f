"""The hazard ledger as a spreadsheet (.xlsx, with before and after thumbnails) or CSV.

Columns as Chinese ledgers keep them (编号, 发现日期, 地点/现场, 检查人, 隐患描述, 类别, 等级,
整改措施, 责任人, 整改期限, 整改情况, 复查人, 复查日期, 状态), then funds and clauses; English
headers for an English reader. Text cells are written as text: a value the model or a person
wrote that starts with = + - @ is kept from being read as a formula.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..i18n import category_name, t
from .describe import day, description, level_word, status_word
from .model import Filter, Finding
from .pictures import after_photo, before_jpeg, thumb_jpeg

COLUMNS = (
    "number",
    "found",
    "site",
    "inspector",
    "description",
    "category",
    "level",
    "measure",
    "owner",
    "due",
    "progress",
    "rechecker",
    "rechecked",
    "status",
    "funds",
    "clauses",
)
THUMB_PX = 120  # thumbnails' long side in the sheet
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as written (never runs as a formula)."""
    return "'" + value if value.startswith(_FORMULA) else value


def _progress(ledger, f: Finding, lang: str) -> str:
    kept = ledger.get(f.id).evidence
    parts = []
    if kept:
        last = kept[-1]
        detail = t(f"ledger.evidence.{last.kind}", lang)
        if last.verdict:
            detail += " · " + t(f"ledger.verdict.{last.verdict}", lang)
        elif last.note:
            detail += " · " + last.note[:200]
        parts.append(t("ledger.progress.evidence", lang, n=len(kept), last=detail))
    else:
        parts.append(t("ledger.progress.none", lang))
    if f.overdue:
        parts.append(t("ledger.progress.overdue", lang, due=day(f.due, lang)))
    return "; ".join(parts)


def row_of(ledger, f: Finding, lang: str) -> list[str]:
    values = {
        "number": f.number,
        "found": day(f.found_on, lang),
        "site": f.site,
        "inspector": f.inspector,
        "description": description(f, lang),
        "category": category_name(f.category, lang),
        "level": level_word(f.level, lang),
        "measure": f.measure,
        "owner": f.owner,
        "due": day(f.due, lang) if f.due else "",
        "progress": _progress(ledger, f, lang),
        "rechecker": f.rechecker,
        "rechecked": day(f.rechecked_on, lang) if f.rechecked_on else "",
        "status": status_word(f.status, lang),
        "funds": f.funds,
        "clauses": "; ".join(f.clauses),
    }
    return [safe_cell(values[c]) for c in COLUMNS]


def headers(lang: str) -> list[str]:
    return [t(f"ledger.col.{c}", lang) for c in COLUMNS]


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_csv(ledger, path: Path, f: Filter | None, lang: str) -> int:
    """UTF-8 with a byte-order mark (Excel then reads the Chinese right); rows written."""
    found = ledger.list(f or Filter())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(lang))
    for x in reversed(found):  # oldest first, as a ledger is kept
        writer.writerow(row_of(ledger, x, lang))
    _replace(Path(path), ("\ufeff" + out.getvalue()).encode("utf-8"))
    return len(found)


def write_xlsx(ledger, path: Path, f: Filter | None, lang: str) -> int:
    """The ledger sheet with before (cropped, box drawn) and after thumbnails; rows written."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as XlImage
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    found = list(reversed(ledger.list(f or Filter())))
    book = Workbook()
    sheet = book.active
    sheet.title = t("ledger.sheet", lang)[:31]
    head = headers(lang) + [t("ledger.col.before", lang), t("ledger.col.after", lang)]
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="404050")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = [16, 11, 16, 10, 40, 8, 7, 36, 10, 11, 30, 10, 11, 9, 10, 24, 18, 18]
    for i, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = w
    sheet.freeze_panes = "B2"
    wrap = Alignment(wrap_text=True, vertical="top")
    before_col = get_column_letter(len(COLUMNS) + 1)
    after_col = get_column_letter(len(COLUMNS) + 2)
    for n, x in enumerate(found, start=2):
        sheet.append(row_of(ledger, x, lang))
        for cell in sheet[n]:
            cell.alignment = wrap
            cell.data_type = "s"
        sheet.row_dimensions[n].height = 96
        pictures = (
            (
                before_col,
                before_jpeg(x, ledger.photo(x.photo_sha) if x.photo_sha else None, THUMB_PX),
            ),
            (after_col, thumb_jpeg(after_photo(ledger, x.id), THUMB_PX)),
        )
        for column, jpeg in pictures:
            if jpeg:
                picture = XlImage(io.BytesIO(jpeg))
                picture.anchor = f"{column}{n}"
                sheet.add_image(picture)
    out = io.BytesIO()
    book.save(out)
    _replace(Path(path), out.getvalue())
    return len(found)
