"""The PDF inspection report a safety officer can file.

Page 1: title, site, inspector, date and time with its time zone, the endpoint's host and the
model (never a key), a coloured banner with the verdict (``summary.verdict_parts``), the
counts per category and status, and the photos that failed. Then an overview of all photos,
one section per photo (the marked photo large, the original small, a findings table in the
category colours, the notes on repairs made to the model's answer or the photo's error), the
findings a reviewer rejected (they count nowhere else), and an audit appendix (hashes, sizes,
model, coordinate convention, tokens, latency, the raw answers and the prompt once).

While any finding is unreviewed the report is a DRAFT (page 1, every footer, a stamp on the
photos); once every one is reviewed, page 1 names the reviewer and the time.

Every piece of text that comes from the model or the user is escaped before it reaches a
reportlab Paragraph, so a label such as ``<font size=80>`` prints as text. All text uses the
embedded WenQuanYi Micro Hei TrueType font (reportlab subsets and embeds it), so Chinese
never depends on the viewer's fonts. Every word comes from the catalogue (``safety.i18n``;
the report's own phrases are in ``safety/i18n/report.py``).

Modules:
    builder.py    build_report / write_report: the story in order, the page footer with
                  "page N of M", the build lock
    context.py    ReportInfo, and Context: language, styles, sorted results, summary, words
    styles.py     the embedded font, page geometry, colours, paragraph and table styles
    text.py       escaping untrusted text, the endpoint without secrets, times and sizes
    photos.py     photos re-encoded for the page (marked <= 1400 px, original <= 600 px)
    cover.py      page 1 (verdict banner, counts, failures, notes) and the overview table
    sections.py   one section per photo
    decisions.py  the review: DRAFT while findings are unreviewed, who reviewed and when,
                  the decisions beside each finding, and the rejected findings' own section
    appendix.py   the audit appendix
"""

from __future__ import annotations

from .builder import build_report, write_report
from .context import ReportInfo

__all__ = ["ReportInfo", "build_report", "write_report"]
