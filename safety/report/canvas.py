"""A page canvas that knows the page count: "page N of M" needs every page laid out first.

Each report (the inspection report, the evaluation report) gives ``numbered_canvas`` a
function that draws its footer on a page; the pages are held until the document is saved,
then each gets its footer with the final count.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas

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
