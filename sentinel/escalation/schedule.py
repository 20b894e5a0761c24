"""Who is on call: pure functions of a schedule and a moment.

All rotation arithmetic is done on local dates and wall-clock hand-off times
in the schedule's own time zone, so a 09:00 hand-off stays at 09:00 across
daylight-saving changes (a shift on such a day is an hour shorter or longer).
A hand-off in the hour the clocks repeat happens at its first occurrence; one
in the hour they skip, as late by the clock as the jump (02:30 becomes 03:30).
Custom rotations whose length is not a whole number of days count elapsed
real time from the first hand-off instead.

Layers are stacked: a later layer wins wherever it has someone on call
(its ``restrict`` hours and ``holidays`` setting decide where). Overrides win
over every layer; with ``replaces`` only while that person would be on call.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sentinel.escalation.config import LayerConfig, OverrideConfig, ScheduleConfig, parse_hhmm
from sentinel.staffed import DAYS, StaffedHours


@dataclass(frozen=True, slots=True)
class Shift:
    start: datetime
    end: datetime
    people: tuple[str, ...]


@functools.lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@functools.lru_cache(maxsize=1024)
def _hours(spec: tuple[tuple[str, str], ...] | None, tz: str, country: str | None) -> StaffedHours:
    return StaffedHours.parse(dict(spec) if spec else None, tz=tz, holidays=country)


def _restriction(schedule: ScheduleConfig, layer: LayerConfig) -> StaffedHours | None:
    if not layer.restrict:
        return None
    country = schedule.holidays if layer.holidays == "exclude" else None
    return _hours(tuple(sorted(layer.restrict.items())), schedule.timezone, country)


def _holiday(schedule: ScheduleConfig, day: date) -> bool:
    return _hours(None, schedule.timezone, schedule.holidays).is_holiday(day)


def _anchor(schedule: ScheduleConfig, layer: LayerConfig) -> datetime:
    """The first hand-off: ``start`` (moved forward to ``handoff_day`` for weekly) at ``handoff``, local."""
    day = layer.start
    if layer.rotation == "weekly":
        day += timedelta(days=(DAYS.index(layer.handoff_day) - day.weekday()) % 7)
    return datetime.combine(day, parse_hhmm(layer.handoff), _zone(schedule.timezone))


def _covers(schedule: ScheduleConfig, layer: LayerConfig, at: datetime) -> bool:
    local_day = at.astimezone(_zone(schedule.timezone)).date()
    if layer.holidays == "only" and not _holiday(schedule, local_day):
        return False
    if layer.holidays == "exclude" and _holiday(schedule, local_day):
        return False
    r = _restriction(schedule, layer)
    return r is None or r.is_staffed(at)


def layer_user(schedule: ScheduleConfig, layer: LayerConfig, at: datetime) -> str | None:
    """Whose turn it is in ``layer`` at ``at`` (None where the layer does not cover ``at``)."""
    if not _covers(schedule, layer, at):
        return None
    anchor = _anchor(schedule, layer)
    period = layer.period
    if period % timedelta(days=1):
        index = (at - anchor) // period
    else:
        tz = _zone(schedule.timezone)
        local = at.astimezone(tz)
        # today's hand-off as an instant, as ``shifts`` and the calendars have it: where the clocks go back it is the
        # first of the two times the wall clock shows it (the repeated hour after it is the new shift's, not the old
        # one's again); where they skip it, as late by the clock as the jump (02:30 is 03:30 CEST)
        handoff = datetime.combine(local.date(), anchor.time(), tz)
        day = local.date() if at.astimezone(UTC) >= handoff.astimezone(UTC) else local.date() - timedelta(days=1)
        index = (day - anchor.date()).days // period.days
    return layer.users[index % len(layer.users)]


def _local(schedule: ScheduleConfig, t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=_zone(schedule.timezone))


def _override_applies(schedule: ScheduleConfig, o: OverrideConfig, at: datetime, base: tuple[str, ...]) -> bool:
    if not _local(schedule, o.start) <= at < _local(schedule, o.end):
        return False
    return o.replaces is None or o.replaces in base


def who(schedule: ScheduleConfig, at: datetime) -> tuple[str, ...]:
    """The people on call in ``schedule`` at ``at`` (empty: nobody, a gap)."""
    if at.tzinfo is None:
        raise ValueError("who() needs a timezone-aware time")
    base: tuple[str, ...] = ()
    for layer in reversed(schedule.layers):
        user = layer_user(schedule, layer, at)
        if user is not None:
            base = (user,)
            break
    for o in reversed(schedule.overrides):
        if _override_applies(schedule, o, at, base):
            return (o.person,)
    return base


def _boundaries(schedule: ScheduleConfig, start: datetime, end: datetime) -> Iterable[datetime]:
    tz = _zone(schedule.timezone)
    yield start
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    for layer in schedule.layers:
        period = layer.period
        if period % timedelta(days=1):
            anchor = _anchor(schedule, layer)
            k = (start - anchor) // period
            t = anchor + k * period
            while t < end:
                yield t
                t += period
        r = _restriction(schedule, layer)
        day = first
        while day <= last:
            yield datetime.combine(day, parse_hhmm(layer.handoff), tz)
            yield datetime.combine(day, datetime.min.time(), tz)
            if r is not None:
                for a, b in r.intervals_on(day):
                    yield a
                    yield b
            day += timedelta(days=1)
    for o in schedule.overrides:
        yield _local(schedule, o.start)
        yield _local(schedule, o.end)


def shifts(schedule: ScheduleConfig, start: datetime, end: datetime) -> list[Shift]:
    """Who is on call over [start, end), as consecutive shifts (a shift with no people is a gap)."""
    points = sorted({t.astimezone(UTC) for t in _boundaries(schedule, start, end) if start <= t < end})
    out: list[Shift] = []
    for i, t in enumerate(points):
        nxt = points[i + 1] if i + 1 < len(points) else end
        people = who(schedule, t)
        if out and out[-1].people == people and out[-1].end == t:
            out[-1] = Shift(out[-1].start, nxt, people)
        else:
            out.append(Shift(t, nxt, people))
    return out


def gaps(schedule: ScheduleConfig, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Stretches within the schedule's ``must_cover`` hours (default: all hours) where nobody is on call."""
    cover = _hours(
        tuple(sorted(schedule.must_cover.items())) if schedule.must_cover else None,
        schedule.timezone,
        schedule.holidays if schedule.must_cover else None,
    )
    out: list[tuple[datetime, datetime]] = []
    for s in shifts(schedule, start, end):
        if s.people:
            continue
        t = s.start
        while t < s.end:
            a = cover.next_staffed(t)
            if a is None or a >= s.end:
                break
            b = min(_staffed_end(cover, a), s.end)
            if out and out[-1][1] == a:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
            t = b
    return out


def _staffed_end(cover: StaffedHours, a: datetime) -> datetime:
    if cover.always:
        return datetime.max.replace(tzinfo=UTC)
    day = a.astimezone(cover.tz).date()
    for d in (day - timedelta(days=1), day):
        for x, y in cover.intervals_on(d):
            if x <= a < y:
                return y
    return a + timedelta(minutes=1)
