"""What the page knows about the run it shows, in one typed object (the session's gr.State).

Before, this lived as a loose dict with string keys built in five places (the run, the
gallery, a reload, a reopened run, each review decision); now each of them makes or changes
a ``RunState``. The run's record (its results and review) stays in its folder
(safety.web.store); the browser keeps only ``remembered()`` to reopen it after a reload.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .store import RunStore
from .views import PhotoView


@dataclass(frozen=True)
class RunState:
    """One run on the page: its folder, each finished photo's view, the photo shown and the
    finding chosen in the table."""

    dir: str  # the run's folder (safety.web.runs)
    views: dict[int, PhotoView] = field(default_factory=dict)  # by photo index
    order: list[int] = field(default_factory=list)  # the gallery's order
    token: str | None = None  # set once the run is saved: its review can start
    photo: int | None = None  # the photo shown
    selected: int | None = None  # its finding chosen in the table

    @property
    def finished(self) -> bool:
        return self.token is not None

    @property
    def shown(self) -> PhotoView | None:
        return self.views.get(self.photo) if self.photo is not None else None

    def store(self) -> RunStore:
        return RunStore(Path(self.dir))

    def with_(self, **changes) -> RunState:
        return replace(self, **changes)

    def remembered(self) -> dict:
        """What the browser keeps to reopen the run after a reload."""
        return {"run": Path(self.dir).name, "token": self.token, "photo": self.photo}


def has_photo(state: RunState | None) -> bool:
    """A run on the page with a photo shown: something a review event can act on."""
    return isinstance(state, RunState) and state.photo is not None


def with_views(state: RunState, views) -> RunState:
    """The state with the photos finished so far (``views``: a list by photo index, None
    where a photo is not done), in photo order, as the gallery shows them."""
    shown = [v for v in views if v is not None]
    return state.with_(views={v.index: v for v in shown}, order=[v.index for v in shown])
