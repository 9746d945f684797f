"""The PDF document both reports build (the inspection report, the evaluation report).

    build_pdf(story, canvasmaker, lang, title=..., ...) -> bytes   A4, our margins and font
    numbered_canvas(draw)                                          "page N of M" footers

``numbered_canvas`` takes a function that draws a report's footer on a page; the pages are
held until the document is saved, then each gets its footer with the final count.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from .styles import FONT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X

# reportlab keeps per-font state shared between documents, and rl_config is global.
_BUILD_LOCK = threading.Lock()


def build_pdf(story: list, canvasmaker: type[Canvas], lang: str, **info: str) -> bytes:
    """The document's bytes; ``info``: title, author, subject (the PDF's properties)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        creator="safety-inspect",
        lang="zh-CN" if lang == "zh" else "en",
        initialFontName=FONT,
        initialFontSize=10,
        **info,
    )
    with _BUILD_LOCK:
        # Binary streams: ASCII85 would make the photos 25% larger, and reportlab's pure
        # Python encoder (used when its C accelerator is missing) takes seconds per report.
        saved, rl_config.useA85 = rl_config.useA85, 0
        try:
            doc.build(story, canvasmaker=canvasmaker)
        finally:
            rl_config.useA85 = saved
    return buf.getvalue()


# draw(canvas, page number, page count), between saveState and restoreState
FooterDraw = Callable[[Canvas, int, int], None]


def numbered_canvas(draw: FooterDraw) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.saveState()
                draw(self, self._pageNumber, total)
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas
