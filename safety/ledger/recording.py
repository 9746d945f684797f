"""A run into the ledger: a visit for the run, a finding for each hazard it found.

``record_run`` takes the same ImageResult list the page and the command line hold. A finding
is kept when it stands (a reviewer did not reject it) and is a hazard (fire, smoke, a person
without a hard hat or whose hard hat could not be seen); its clauses and corrective action
come from the rules (safety.rules) when given. The photo is stored once by SHA-256: the
result's display copy when it has one, else the file itself when it is still on this disk
with the SHA-256 recorded.

A run is recognised by its key: the same results imported twice add nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from pathlib import Path

from PIL import Image, ImageOps
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from ..detections import ImageResult
from ..summary import summarize
from .errors import BadPhoto
from .model import Recorded, is_hazard, level_for, week_of
from .photos import PhotoStore
from .schema import findings, history, photos, sites, visits

STORED_LONG_SIDE = 2048  # a larger original is kept as a JPEG of this long side


def photo_row(c: Connection, store: PhotoStore, data: bytes) -> str:
    """The photo's bytes kept once, and its row; its SHA-256."""
    sha, width, height = store.put(data)
    if c.execute(select(photos.c.sha256).where(photos.c.sha256 == sha)).first() is None:
        c.execute(
            insert(photos).values(
                sha256=sha,
                width=width,
                height=height,
                bytes=len(data),
                created_at=datetime.now(timezone.utc),
            )
        )
    return sha


def site_id(c: Connection, name: str) -> int:
    name = " ".join(name.split())[:200] or "-"
    found = c.execute(select(sites.c.id).where(sites.c.name == name)).scalar()
    if found is not None:
        return int(found)
    return int(
        c.execute(
            insert(sites).values(name=name, created_at=datetime.now(timezone.utc))
        ).inserted_primary_key[0]
    )


def run_key(results: list[ImageResult], site: str) -> str:
    """What makes two recordings the same run: the site and every photo's findings."""
    digest = hashlib.sha256(site.encode("utf-8"))
    for r in sorted(results, key=lambda r: (r.index, r.source)):
        item = {
            "s": r.source,
            "h": r.sha256,
            "d": [d.to_dict() for d in r.detections],
            "e": r.error,
        }
        digest.update(json.dumps(item, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _shrunk(data: bytes) -> bytes:
    """A large original kept at STORED_LONG_SIDE (the ledger shows and crops, never prints
    at full size); a small one as it is."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if max(image.size) <= STORED_LONG_SIDE:
                return data
            image.draft("RGB", (STORED_LONG_SIDE, STORED_LONG_SIDE))  # JPEG: decode smaller
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((STORED_LONG_SIDE, STORED_LONG_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=88)
            return out.getvalue()
    except Exception:  # noqa: BLE001 - an undecodable file is simply not kept
        return b""


def photo_of(r: ImageResult) -> bytes | None:
    """The photo to keep for a result: its display copy, or the file on this disk."""
    if r.photo_jpeg:
        return r.photo_jpeg
    path = Path(r.source)
    try:
        if not r.sha256 or "://" in r.source or not path.is_file():
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != r.sha256:
        return None  # the file changed since the run: not the photo the boxes are about
    return _shrunk(data) or None


def record_run(
    ledger,
    results: Iterable[ImageResult],
    site: str,
    inspector: str = "",
    *,
    endpoint: str = "",
    model: str = "",
    prompt: str = "",
    origin: str = "cli",
    at: datetime | None = None,
    key: str | None = None,
    rules=None,
    lang: str = "en",
    photo_for: Callable[[ImageResult], bytes | None] = photo_of,
) -> Recorded:
    """Record one run (see the module's docstring); one transaction."""
    results = list(results)
    at = at or datetime.now(timezone.utc)
    if rules is not None:
        from ..rules import apply_rules

        apply_rules(results, rules, lang, today=at.astimezone().date())  # due from the visit
    key = key or run_key(results, site)
    summary = summarize(results)
    with ledger.writing() as c:
        found = c.execute(select(visits.c.id).where(visits.c.run_key == key)).scalar()
        if found is not None:
            return Recorded(int(found), (), already=True)
        where = site_id(c, site)
        visit = c.execute(
            insert(visits).values(
                site_id=where,
                run_key=key,
                at=at,
                inspector=inspector[:200],
                endpoint=endpoint[:300],
                model=(model or "")[:200],
                verdict=summary.level,
                origin=origin,
                prompt_hash=hashlib.sha256(prompt.encode("utf-8")).hexdigest() if prompt else "",
                photos=summary.photos,
                failed=summary.failed,
            )
        ).inserted_primary_key[0]
        rows = _finding_rows(
            c, ledger, results, where, int(visit), at.astimezone().date(), photo_for
        )
        ids: list[int] = []
        if rows:  # one statement for all, the new ids handed back in the rows' order
            query = insert(findings).returning(findings.c.id, sort_by_parameter_order=True)
            ids = [int(i) for i in c.execute(query, rows).scalars()]
        if ids:
            c.execute(
                insert(history),
                [
                    {
                        "finding_id": i,
                        "at": at,
                        "actor": inspector,
                        "action": "recorded",
                        "version": 1,
                        "changes": {},
                        "note": "",
                    }
                    for i in ids
                ],
            )
    return Recorded(int(visit), tuple(ids))


def _finding_rows(c, ledger, results, site: int, visit: int, day: date, photo_for) -> list[dict]:
    out = []
    now = datetime.now(timezone.utc)
    for r in results:
        hazards = [d for d in r.standing if is_hazard(d.category, d.status)] if r.ok else []
        if not hazards:
            continue
        data = photo_for(r)
        sha = None
        if data:
            try:
                sha = photo_row(c, ledger.photos, data)
            except BadPhoto:
                sha = None  # not a photo after all: the finding is kept without it
        for d in hazards:
            action = d.action
            due = None
            if action and action.due:
                try:
                    due = date.fromisoformat(action.due)
                except ValueError:
                    due = None
            out.append(
                dict(
                    visit_id=visit,
                    site_id=site,
                    source=r.source[:2000],
                    source_sha=r.sha256,
                    photo_sha=sha,
                    photo_width=r.width,
                    photo_height=r.height,
                    x1=d.box[0],
                    y1=d.box[1],
                    x2=d.box[2],
                    y2=d.box[3],
                    category=d.category,
                    severity=d.status,
                    level=level_for(d.category, d.status),
                    label=" / ".join(x for x in (d.label, d.sub_label) if x)[:500],
                    review=d.review,
                    clauses=list(d.clauses),
                    status="open",
                    found_on=day,
                    week=week_of(day),
                    measure=action.text if action else "",
                    owner=action.owner if action else "",
                    due=due,
                    funds="",
                    rechecker="",
                    updated_at=now,
                    version=1,
                )
            )
    return out


def import_results(
    ledger, path: str | Path, site: str, inspector: str = "", *, rules=None, lang: str = "en"
) -> Recorded:
    """A results JSON or JSONL made elsewhere (``inspect --json``, ``batch collect``)."""
    from ..results_io import load_results

    loaded = load_results(path)
    at = None
    stamp = _generated_at(path)
    if stamp:
        at = stamp
    images = loaded.images
    return record_run(
        ledger,
        images,
        site,
        inspector,
        endpoint=loaded.meta.get("endpoint") or "",
        model=loaded.meta.get("model") or "",
        origin="import",
        at=at,
        rules=rules,
        lang=lang,
    )


def _generated_at(path: str | Path) -> datetime | None:
    """The time a results JSON says it was made (its visit's time), when it says one."""
    if Path(path).suffix.lower() != ".json":
        return None
    try:
        with open(path, encoding="utf-8") as f:
            head = f.read(4096)
        marker = head.find('"generated_at"')
        if marker < 0:
            return None
        value = head[marker:].split('"')[3]
        stamp = datetime.fromisoformat(value)
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
    except (OSError, ValueError, IndexError, UnicodeDecodeError):
        return None
