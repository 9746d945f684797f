"""An in-process model for pipeline tests: no socket, no server, answers chosen by the test.

It implements ``safety.backends.model.Model`` like the live client does, so the pipeline cannot tell
the difference; the test decides every answer, and the fake records every question.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

from PIL import Image

from safety.backends.model import Answer, Question


class FakeModel:
    """Answers each question with ``answer(question)``: a str (the answer text), an Answer,
    or an exception to raise. Thread-safe; records questions and the peak in flight."""

    def __init__(self, answer: Callable[[Question], object] | str = "```json\n[]\n```"):
        self.name = "fake-model"
        self._answer = answer if callable(answer) else (lambda _q: answer)
        self.questions: list[Question] = []
        self.closed = False
        self._lock = threading.Lock()
        self._in_flight = 0
        self.in_flight_peak = 0

    def ask(self, question: Question) -> Answer:
        with self._lock:
            self.questions.append(question)
            self._in_flight += 1
            self.in_flight_peak = max(self.in_flight_peak, self._in_flight)
        try:
            reply = self._answer(question)
        finally:
            with self._lock:
                self._in_flight -= 1
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, Answer):
            return reply
        return Answer(str(reply), "stop", None, 0.0, self.name)

    def close(self) -> None:
        self.closed = True


def frame_size(question: Question) -> tuple[int, int]:
    """(width, height) of the frame the pipeline sent."""
    with Image.open(io.BytesIO(question.jpeg)) as img:
        return img.size


__all__ = ["FakeModel", "frame_size"]
