"""Several endpoints serving one run: each request goes where it will be answered soonest.

    model_for(settings)               the Model a run's settings describe: one endpoint's
                                      OpenAICompatibleModel, or an EndpointPool over several
    plan_of(settings, model, store)   the sending plan; a pool calibrates each endpoint
    calibrate_each(settings, store)   every endpoint probed and remembered (python -m safety
                                      calibrate)

Dispatch
--------
Each endpoint (a "member") keeps a moving average of how long it takes to answer (an EWMA,
weight ALPHA on the newest answer) and counts its requests in flight. A request goes to the
live member with the smallest expected wait, (in flight + 1) x average; a member not yet
measured is taken to be as fast as the fastest measured one and goes first among equals, so
each is tried early. Other ties go to the member with fewer requests in flight. This is not
round-robin: a server that answers twice as fast gets about twice the photos. Each member
has at most ``settings.concurrency`` requests in flight (QWEN_VL_CONCURRENCY is per
endpoint); when every live member is full, ``ask`` waits for a free place.

Failures
--------
A member's failure is a retryable EndpointError (cannot connect, timeout, 5xx, 429: what the
openai client already retried ``settings.max_retries`` times) or an answer that is no chat
completion. After STRIKES in a row the member rests: REST_S seconds, doubled at each rest
in a row, at most MAX_REST_S. Then it gets one trial request, and nothing more until that
is answered: an answer ends the rest, a failure starts a longer one. The question that
failed is asked again on another member (never twice on the same one), so a photo fails
only when every member has failed it or rests. That error is ``EndpointsDown``: it names
each endpoint's last error and the fix.

401, 403 and 404 (key refused, model not served) are the member's configuration, not the
photo's: the member rests at once and the photo goes to the others, since one replica
started with the wrong model name must not stop a run the others can serve; when every
member says so, each photo's EndpointsDown names each answer. Other errors belong to the
photo (400: too large for the context, refused by moderation...) and are raised as they
are, resting nobody: another replica would refuse the photo too.

Calibration
-----------
Each member has its own plan (``calibration.plan_for`` at its own URL, remembered per
endpoint); the frames, made once for all, fit every one (``calibration.combined``). Members
may read coordinates differently (Qwen2.5-VL absolute beside Qwen3-VL 0..1000): each Answer
carries its member's convention, and the Inspector reads it with that one. A member whose
calibration fails (no answer, or one that fits no convention while others calibrated) is
left out with a note and rests; after its rest it is probed again, and joins if its plan
fits the frames being sent. When every member fails, the run behaves as with one endpoint:
the fallback plan, or the error.
"""

from __future__ import annotations

import logging
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import httpx

from ..config import Settings
from ..errors import ConfigurationError, EndpointError, SafetyError, error_text
from ..i18n import Phrase, said
from .calibration import CalibrationStore, Plan, calibrate, combined, fallback_plan, fits, plan_for
from .client import OpenAICompatibleModel
from .model import Answer, Model, Question

log = logging.getLogger(__name__)

ALPHA = 0.3  # weight of the newest latency in the moving average
STRIKES = 3  # failures in a row before a member rests
REST_S = 30.0  # the first rest; doubled at each further rest in a row
MAX_REST_S = 300.0
CONFIG_STATUSES = (401, 403, 404)  # the member's key or model: rest it at once
MAX_SHOWN = 240  # characters of each member's last error in EndpointsDown


class EndpointsDown(EndpointError):
    """Every endpoint of the run failed this photo, or rests."""

    kind = "endpoints down"


@dataclass(eq=False)
class _Member:
    """One endpoint of the pool and what the pool knows about it (guarded by the pool)."""

    settings: Settings
    model: Model
    latency: float | None = None  # moving average of its answers' latency, seconds
    in_flight: int = 0
    strikes: int = 0  # failures in a row
    rests: int = 0  # rests in a row: the next one lasts REST_S * 2**rests
    rest_until: float = 0.0
    trial: bool = False  # after a rest: one request at a time until one is answered
    out: bool = False  # left out for the run: its calibration cannot fit the frames
    plan: Plan | None = None
    last_error: SafetyError | None = None  # said in the reader's language when shown
    answered: int = 0
    failed: int = 0

    @property
    def host(self) -> str:
        return self.settings.host


@dataclass(frozen=True)
class MemberStatus:
    """What a pool's member did so far (for benchmarks, tests and logs)."""

    host: str
    answered: int
    failed: int
    latency_s: float | None
    resting: bool
    out: bool
    convention: str | None


class EndpointPool:
    """A Model over several OpenAI-compatible endpoints of one model (see the module)."""

    def __init__(
        self,
        settings: Settings,
        *,
        models: Sequence[Model] | None = None,
        max_retries: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.settings = settings
        self.name = settings.model
        urls = settings.base_urls
        if models is None:
            models = [
                OpenAICompatibleModel(settings.for_endpoint(url), max_retries=max_retries)
                for url in urls
            ]
        self._members = [_Member(settings.for_endpoint(u), m) for u, m in zip(urls, models)]
        self.endpoints = len(self._members)  # the Inspector keeps concurrency x this in flight
        self._limit = max(1, settings.concurrency)
        self._clock = clock
        self._cond = threading.Condition()
        self._closed = False
        self._plan: Plan | None = None  # the frames' plan, once plan_for has run
        self._plan_settings: Settings | None = None
        self._store: CalibrationStore | None = None

    # -- the Model protocol ----------------------------------------------------------------

    def ask(self, question: Question) -> Answer:
        tried: set[_Member] = set()
        while True:
            member = self._take(tried)
            try:
                if not self._ready(member):
                    self._release(member)
                    tried.add(member)
                    continue
                started = self._clock()
                answer = member.model.ask(question)
            except EndpointError as exc:
                if not self._release(member, error=exc):
                    raise  # the photo's own error (or the pool was closed)
                tried.add(member)  # its photo goes to the others
                continue
            except BaseException:
                self._release(member)
                raise
            self._release(member, latency=self._clock() - started)
            convention = member.plan.convention if member.plan else None
            return replace(answer, convention=convention, endpoint=member.host)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for member in self._members:
            member.model.close()

    def status(self) -> list[MemberStatus]:
        now = self._clock()
        with self._cond:
            return [
                MemberStatus(
                    m.host,
                    m.answered,
                    m.failed,
                    m.latency,
                    m.rest_until > now,
                    m.out,
                    m.plan.convention if m.plan else None,
                )
                for m in self._members
            ]

    # -- dispatch ----------------------------------------------------------------------------

    def _take(self, tried: set[_Member]) -> _Member:
        """The live member with the smallest expected wait, its place taken; waits while
        every live member is full; EndpointsDown when none is left for this question."""
        with self._cond:
            while True:
                if self._closed:
                    raise EndpointError(Phrase("pool.stopped"))
                now = self._clock()
                candidates = [m for m in self._members if m not in tried and not m.out]
                live = [m for m in candidates if m.rest_until <= now]
                if not live:
                    raise self._down(now, "pool.state.failed-photo")
                free = [m for m in live if m.in_flight < (1 if m.trial else self._limit)]
                if free:
                    member = min(free, key=self._expected_wait)
                    member.in_flight += 1
                    return member
                # Woken by a place freed, or when a resting candidate may have its trial.
                resting = [m.rest_until - now for m in candidates if m.rest_until > now]
                self._cond.wait(min(resting, default=None))

    def _expected_wait(self, member: _Member) -> tuple[float, int, bool]:
        """(expected wait, in flight, measured): the smallest wins. A member not measured
        yet counts as fast as the fastest one, and goes first among equals."""
        known = [m.latency for m in self._members if m.latency is not None]
        measured = member.latency is not None
        latency = member.latency if measured else min(known, default=0.0)
        return (member.in_flight + 1) * latency, member.in_flight, measured

    def _release(
        self, member: _Member, *, latency: float | None = None, error: EndpointError | None = None
    ) -> bool:
        """Give the member's place back and learn from how it went; True when the error
        counted against the member (its question may go to another)."""
        with self._cond:
            member.in_flight -= 1
            self._cond.notify_all()
            if latency is not None:
                last = member.latency
                member.latency = latency if last is None else ALPHA * latency + (1 - ALPHA) * last
                member.answered += 1
                member.strikes = member.rests = 0
                member.trial = False
                return False
            if error is None or self._closed:
                return False
            return self._strike(member, error)

    def _strike(self, member: _Member, error: EndpointError) -> bool:
        config = error.status in CONFIG_STATUSES
        if not (error.retryable or error.status is None or config):
            return False  # 400 and the like: the photo's, whoever is asked
        member.failed += 1
        member.last_error = error
        now = self._clock()
        if member.rest_until > now:
            return True  # a request sent before the rest began: one outage, one rest
        member.strikes += 1
        if config or member.trial or member.strikes >= STRIKES:
            self._rest(member, now)
        return True

    def _rest(self, member: _Member, now: float) -> None:
        seconds = min(REST_S * 2**member.rests, MAX_REST_S)
        member.rests += 1
        member.strikes = 0
        member.trial = True
        member.rest_until = now + seconds
        log.warning("%s rests for %.0f s: %s", member.host, seconds, member.last_error)

    def _down(self, now: float, failed: str) -> EndpointsDown:
        """``failed``: the state of a member that was asked (a pool.state.* key)."""
        parts = []
        for m in self._members:
            if m.out:
                state = Phrase("pool.state.out")
            elif m.rest_until > now:
                state = Phrase("pool.state.resting", s=m.rest_until - now)
            else:
                state = Phrase(failed)
            parts.append(Phrase("pool.member", host=m.host, state=state, said=_shown(m.last_error)))
        joined = _joined(parts)
        return EndpointsDown(
            Phrase("pool.down", n=len(self._members), parts=joined), retryable=True
        )

    # -- calibration -------------------------------------------------------------------------

    def plan_for(self, settings: Settings, store: CalibrationStore | None) -> Plan:
        """Each member's plan, and the one the frames are made by (see the module)."""
        members = self._members

        def attempt(m: _Member) -> Plan | SafetyError:
            own = settings.for_endpoint(m.settings.base_url)  # the run's, at this URL
            try:
                return plan_for(own, m.model, store, fallback=False)
            except SafetyError as exc:
                return exc

        with ThreadPoolExecutor(len(members), thread_name_prefix="pool-calibrate") as pool:
            outcomes = dict(zip(members, pool.map(attempt, members)))
        good = {m: p for m, p in outcomes.items() if isinstance(p, Plan)}
        unclear = {m: e for m, e in outcomes.items() if isinstance(e, ConfigurationError)}
        if not good and not unclear:  # no member answered the probe
            for m, exc in outcomes.items():
                m.last_error = exc
            raise self._down(self._clock(), "pool.state.no-probe")
        if not good:  # no member could tell: the one-endpoint fallback, where they answered
            good = {m: fallback_plan(settings, e) for m, e in unclear.items()}
        notes = []
        with self._cond:
            for member, outcome in outcomes.items():
                if member in good:
                    member.plan = good[member]
                    continue
                member.last_error = outcome
                self._rest(member, self._clock())
                notes.append(Phrase("pool.left-out", host=member.host, why=_shown(outcome)))
            self._plan = combined(list(good.values()), [m.host for m in good], notes)
            self._plan_settings, self._store = settings, store
        return self._plan

    def _ready(self, member: _Member) -> bool:
        """A member left out at calibration is probed again before it serves (during its
        trial); it joins when its plan fits the frames being sent. False: it stays out."""
        if self._plan is None or member.plan is not None:
            return True
        settings = self._plan_settings.for_endpoint(member.settings.base_url)
        try:
            plan = plan_for(settings, member.model, self._store, fallback=False)
        except ConfigurationError as exc:
            plan, why = None, str(exc)
        else:
            why = "its calibration does not fit the frames already being sent"
        if plan is not None and fits(plan, self._plan):
            member.plan = plan
            return True
        member.out = True
        log.warning("%s is left out of this run: %s", member.host, why)
        return False


# -- one factory for every caller ------------------------------------------------------------


def model_for(
    settings: Settings, *, max_retries: int | None = None, http_client: httpx.Client | None = None
) -> Model:
    """The live model of ``settings``: one endpoint, or a pool over its several."""
    if len(settings.base_urls) == 1:
        return OpenAICompatibleModel(settings, max_retries=max_retries, http_client=http_client)
    if http_client is not None:  # a pinned client is for the one address that was checked
        raise ValueError("a pinned HTTP client serves one endpoint, not several")
    return EndpointPool(settings, max_retries=max_retries)


def plan_of(settings: Settings, model: Model, store: CalibrationStore | None) -> Plan:
    """The sending plan of a run: a pool plans each endpoint, anything else as one."""
    if isinstance(model, EndpointPool):
        return model.plan_for(settings, store)
    return plan_for(settings, model, store)


def calibrate_each(
    settings: Settings, store: CalibrationStore | None
) -> Iterator[tuple[str, Plan]]:
    """Probe every endpoint of ``settings``, remember each plan, and yield (host, plan) as
    each is known. Failures come after the others: one is raised as it is; several as one
    error naming each (every message names its endpoint)."""
    failures: list[SafetyError] = []
    for url in settings.base_urls:
        member = settings.for_endpoint(url)
        model = OpenAICompatibleModel(member)
        try:
            plan = calibrate(model, member)
        except SafetyError as exc:
            failures.append(exc)
            continue
        finally:
            model.close()
        if store is not None:
            store.remember(member, plan)
        yield member.host, plan
    if failures:
        kinds = {type(exc) for exc in failures}
        kind = kinds.pop() if len(kinds) == 1 else EndpointError
        raise (
            failures[0]
            if len(failures) == 1
            else kind(Phrase("pool.several", errors=_joined(failures)))
        )


def _shown(error: SafetyError | None) -> Callable[[str], str]:
    """A member's last error as EndpointsDown shows it, shortened, in the reader's language."""

    def say(lang: str) -> str:
        text = error_text(error, lang) if error is not None else Phrase("pool.no-answer").say(lang)
        return textwrap.shorten(text, MAX_SHOWN, placeholder="...")

    return say


def _joined(parts: Sequence[object]) -> Callable[[str], str]:
    """Several phrases (or errors) said one after another in the reader's language."""
    return lambda lang: " ".join(
        error_text(p, lang) if isinstance(p, BaseException) else str(said(p, lang)) for p in parts
    )
