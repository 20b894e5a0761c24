"""``absence``: an expected event did not come in time.

Params: ``start`` (CEL, default true: every matched event opens an
expectation), ``expect`` (CEL, default true: any matched event meets it),
``within`` (duration; ``0s`` = active as soon as it opens), ``key`` (CEL,
optional), ``adaptive_factor`` (optional: ``within`` grows to this many
times the longest gap between ``start`` events seen so far, for a silence
that is unusual *for this page*), ``learn_for`` (adaptive: no finding before
this much history).

Examples: a source error not followed by ``source.recovered`` (start on the
error, expect the recovery); a silent source (start and expect every event).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import Field

from sentinel.config.types import Duration
from sentinel.detectors.base import QUIET, Signal
from sentinel.detectors.common import Compile, Params, compile_param, key_value, parse_params
from sentinel.enrich import Enriched
from sentinel.events.codec import parse_time


class AbsenceParams(Params):
    start: str = "true"
    expect: str = "true"
    within: Duration
    key: str | None = None
    adaptive_factor: float | None = Field(default=None, gt=0)
    learn_for: Duration = timedelta(0)


@dataclass(slots=True)
class Expectation:
    opened: datetime
    deadline: datetime
    evidence: str
    active: bool = False


@dataclass(slots=True)
class AbsenceState:
    open: dict[str, Expectation] = field(default_factory=dict)
    last_start: datetime | None = None
    first_start: datetime | None = None
    max_gap_s: float = 0.0
    within_gap_s: float = -1.0  # the ``max_gap_s`` that ``within`` was computed for (a cache, not persisted)
    within: timedelta = timedelta(0)


class AbsenceDetector:
    type_name = "absence"
    pulse = False

    def __init__(self, params: AbsenceParams, compile: Compile) -> None:
        # ``true`` (the default) is not evaluated per event: ``None`` means "every matched event"
        self.start = None if params.start.strip() == "true" else compile_param(compile, "start", params.start)
        self.expect = None if params.expect.strip() == "true" else compile_param(compile, "expect", params.expect)
        self.within: timedelta = params.within
        self.key = compile_param(compile, "key", params.key)
        self.factor = params.adaptive_factor
        self.learn_for: timedelta = params.learn_for
        # no key, start and expect on every event, a positive ``within``: one expectation, renewed by each event
        self._plain = self.key is None and self.start is None and self.expect is None and self.within > timedelta(0)

    def new_state(self) -> AbsenceState:
        return AbsenceState()

    def _within(self, state: AbsenceState) -> timedelta:
        if self.factor is None:
            return self.within
        gap = state.max_gap_s
        if gap != state.within_gap_s:  # the longest gap rarely grows: reuse the last answer
            state.within = max(self.within, timedelta(seconds=self.factor * gap))
            state.within_gap_s = gap
        return state.within

    def observe(self, state: AbsenceState, event: Enriched, now: datetime) -> Sequence[Signal]:
        t: datetime = event.time
        if self._plain:
            exp = state.open.get("")
            if exp is not None and not exp.active and exp.deadline > t and exp.evidence != event.event.id:
                # Every event meets the one open expectation and opens the next: nothing is due (the deadline is
                # later), so this is the general path below with the expectation renewed in place.
                last = state.last_start
                if last is not None:
                    gap = (t - last).total_seconds()
                    if gap > state.max_gap_s:
                        state.max_gap_s = gap
                else:
                    state.first_start = state.first_start or t
                state.last_start = t
                exp.opened = t
                deadline = t + (state.within if state.max_gap_s == state.within_gap_s else self._within(state))
                later = deadline >= exp.deadline  # in time order it always is: then the armed timer still holds
                exp.deadline = deadline
                exp.evidence = event.event.id
                return QUIET if later else []
        out = self.advance(state, t) if state.open else []
        k = key_value(self.key, event) if self.key is not None else ""
        if self.expect is None or self.expect.test(event):
            exp = state.open.get(k)
            if exp is not None and exp.evidence != event.event.id:
                del state.open[k]
                if exp.active:
                    out.append(
                        Signal(
                            labels={"key": k} if k else {}, active=False, at=t, values={"since": exp.opened.isoformat()}
                        )
                    )
        if self.start is None or self.start.test(event):
            if state.last_start is not None:
                state.max_gap_s = max(state.max_gap_s, (t - state.last_start).total_seconds())
            state.last_start = t
            state.first_start = state.first_start or t
            if k not in state.open:
                exp = state.open[k] = Expectation(opened=t, deadline=t + self._within(state), evidence=event.event.id)
                if exp.deadline <= t:  # the first advance() settled every other expectation due by t already
                    out += self.advance(state, t)
        return out

    def advance(self, state: AbsenceState, now: datetime) -> list[Signal]:
        out: list[Signal] = []
        if not state.open:
            return out
        due = [(k, exp) for k, exp in state.open.items() if not exp.active and exp.deadline <= now]
        for k, exp in due:
            if state.first_start is not None and exp.deadline - state.first_start < self.learn_for:
                del state.open[k]  # missed while still learning: forget it, so it is not due forever
                continue
            exp.active = True
            out.append(
                Signal(
                    labels={"key": k} if k else {},
                    active=True,
                    at=exp.deadline,
                    values={"since": exp.opened.isoformat(), "for": str(exp.deadline - exp.opened)},
                    evidence=(exp.evidence,),
                )
            )
        return out

    def next_due(self, state: AbsenceState) -> datetime | None:
        if len(state.open) == 1:
            for e in state.open.values():
                return None if e.active else e.deadline
        due = [e.deadline for e in state.open.values() if not e.active]
        return min(due) if due else None

    def to_json(self, state: AbsenceState) -> Mapping[str, Any]:
        return {
            "open": {
                k: [e.opened.isoformat(), e.deadline.isoformat(), e.evidence, e.active] for k, e in state.open.items()
            },
            "last_start": state.last_start.isoformat() if state.last_start else None,
            "first_start": state.first_start.isoformat() if state.first_start else None,
            "max_gap_s": state.max_gap_s,
        }

    def from_json(self, data: Mapping[str, Any]) -> AbsenceState:
        def t(v: Any) -> datetime | None:
            return parse_time(v) if v else None

        return AbsenceState(
            open={k: Expectation(parse_time(o), parse_time(d), ev, act) for k, (o, d, ev, act) in data["open"].items()},
            last_start=t(data.get("last_start")),
            first_start=t(data.get("first_start")),
            max_gap_s=float(data.get("max_gap_s", 0.0)),
        )


def factory(params: Mapping[str, Any], compile: Compile) -> AbsenceDetector:
    return AbsenceDetector(parse_params(AbsenceParams, params), compile)
