"""The scenario as one time-ordered stream: each page a day at a time, merged with ``heapq``.

Memory is a few days of each page's events (constant in the number of
days); output depends on the spec alone (no global random, no wall clock).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import IO, Any

import orjson

from sentinel.events.codec import event_from_json
from sentinel.model import Event
from sentinel.simulate import incidents, takeover, waves
from sentinel.simulate.page import Item, PageSim
from sentinel.simulate.spec import TIMEZONE, ScenarioSpec, page_profile
from sentinel.simulate.timebase import LocalTime


def _staffed_day(sim: PageSim, d: date, spec: ScenarioSpec) -> date | None:
    while d < spec.end:
        if d.weekday() in sim.p.staffed and not sim.clock.is_holiday(d) and d != spec.hijack_day:
            return d
        d += timedelta(days=1)
    return None


def _on(incident: Callable[[PageSim, date], None]) -> Callable[[PageSim, date, date], None]:
    """``incident`` on the crisis day only."""
    return lambda sim, d, crisis_day: incident(sim, d) if d == crisis_day else None


_CRISES: dict[str, Callable[[PageSim, date, date], None]] = {
    "storm": _on(incidents.crisis),
    "slow-burn": _on(incidents.slow_burn),
    "complaint-wave": _on(waves.complaint_wave),
    "launch": _on(waves.launch),
    "contest": _on(waves.contest),
    "live-night": lambda sim, d, crisis_day: waves.live_nights(sim, d),  # every Thursday of the span
}


class _Page:
    """One page's simulation and its special days."""

    def __init__(self, spec: ScenarioSpec, index: int, clock: LocalTime) -> None:
        self.sim = sim = PageSim(spec, page_profile(spec, index), clock)
        long_enough = spec.days >= 7
        at = [spec.start + timedelta(days=int(spec.days * share)) for share in (0.4, 0.6)]
        self.grant_day = _staffed_day(sim, at[0], spec) if long_enough else None
        self.about_day = _staffed_day(sim, at[1], spec) if long_enough else None
        self.hijack_day = spec.hijack_day if spec.hijack and index == 0 else None
        self.crisis_day = spec.crisis_day if spec.crisis and index == 0 else None
        self.content = bool(spec.content) and index == 0

    def day(self, d: date, boundary: int) -> list[Item]:
        sim = self.sim
        sim.day(d)
        if d in (self.grant_day, self.about_day):
            incidents.legit_changes(sim, d, self.grant_day, self.about_day)
        if self.crisis_day is not None:
            _CRISES[sim.spec.crisis_kind](sim, d, self.crisis_day)
        if d == self.hijack_day:
            incidents.hijack(sim, d)
        if self.content:
            takeover.run(sim, d)
        return sim.flush(boundary)


def day_batches(spec: ScenarioSpec) -> Iterator[list[Item]]:
    """Each local day's events of all pages, in global time order, with their times filled in.

    Each page hands over its day as a sorted run; one ``list.sort`` merges the
    runs (timsort merges runs, in C), which is the ``heapq.merge`` of the page
    streams at a third of the cost. Memory: one day of all pages.
    """
    clock = LocalTime(TIMEZONE)
    pages = [_Page(spec, i, clock) for i in range(spec.pages)]
    fmt = clock.format
    for n in range(spec.days):
        d = spec.start + timedelta(days=n)
        boundary = clock.hour_starts(d)[24]
        if len(pages) == 1:
            rows = pages[0].day(d, boundary)
        else:
            rows = []
            for page in pages:
                rows.extend(page.day(d, boundary))
            rows.sort()  # runs of (time, seq unique across pages, ...): timsort merges them
        for row in rows:
            row[2]["time"] = fmt(row[0])
        yield rows


def iter_records(spec: ScenarioSpec) -> Iterator[dict[str, Any]]:
    """The scenario's events as JSON-ready dicts (docs/events.md), in time order, lazily."""
    for rows in day_batches(spec):
        for row in rows:
            yield row[2]


def generate(spec: ScenarioSpec) -> Iterator[Event]:
    """The scenario's events as ``Event`` objects, in time order, lazily."""
    for rec in iter_records(spec):
        yield event_from_json(rec)


def write_jsonl(spec: ScenarioSpec, out: IO[bytes]) -> int:
    """Write the scenario as events JSONL to a binary stream; returns the number of events."""
    dumps, opt = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    n = 0
    for rows in day_batches(spec):
        out.write(b"".join([dumps(row[2], option=opt) for row in rows]))
        n += len(rows)
    return n
