"""Figures per page and channel from tracked items: counts, answered within the promise, first-response times
(clock and staffed), per day and per responder. Pure: the page's calendar comes in with its config."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sentinel.config.schema import PageConfig
from sentinel.reports.conversations import COMMENT, MESSAGE, Item

CHANNELS = (COMMENT, MESSAGE)


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def p90(values: Sequence[float]) -> float | None:
    """The 90th percentile by nearest rank: the smallest value with at least 90 % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)])


@dataclass(frozen=True, slots=True)
class Figures:
    """One group of items (a page and channel, one of its days, one responder)."""

    items: int
    answered: int
    answered_within_sla: int
    seen: int
    closed: int
    unanswered: int
    median_first_response_s: float | None
    p90_first_response_s: float | None
    median_first_response_staffed_s: float | None
    p90_first_response_staffed_s: float | None

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class ChannelReport:
    page: str
    channel: str
    language: str
    sla_s: float
    figures: Figures
    days: tuple[tuple[date, bool, Figures], ...] = ()  # (local date, staffed that day, its items' figures)
    responders: tuple[tuple[str, Figures], ...] = ()
    items: tuple[Item, ...] = field(default=(), repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "channel": self.channel,
            **self.figures.to_json(),
            "response_sla_s": self.sla_s,
            "days": [{"date": d.isoformat(), "staffed": s, **f.to_json()} for d, s, f in self.days],
            "responders": [{"responder": r, **f.to_json()} for r, f in self.responders],
        }


def figures(items: Sequence[Item], page: PageConfig, staffed_of: Callable[[Item], float] | None = None) -> Figures:
    """``staffed_of``: each answered item's staffed seconds, if known already (else ``staffed_s``)."""
    answered = [i for i in items if i.answered is not None]
    clock = [i.first_response_s or 0.0 for i in answered]
    staffed = [staffed_of(i) if staffed_of else staffed_s(i, page) for i in answered]
    sla = page.response_sla.total_seconds()
    return Figures(
        items=len(items),
        answered=len(answered),
        answered_within_sla=sum(1 for s in staffed if s <= sla),
        seen=sum(1 for i in items if i.answered is None and i.closed is None and i.seen is not None),
        closed=sum(1 for i in items if i.answered is None and i.closed is not None),
        unanswered=sum(1 for i in items if i.answered is None and i.closed is None and i.seen is None),
        median_first_response_s=median(clock),
        p90_first_response_s=p90(clock),
        median_first_response_staffed_s=median(staffed),
        p90_first_response_staffed_s=p90(staffed),
    )


def staffed_s(item: Item, page: PageConfig) -> float:
    """Staffed seconds from the item to the page's first answer: an item sent out of hours waits for opening."""
    if item.answered is None:
        return 0.0
    return page.staffed.staffed_between(item.opened, item.answered).total_seconds()


def summarize(
    items: Iterable[Item],
    page_config: Callable[[str], PageConfig],
    *,
    page: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[ChannelReport]:
    """One report per page and channel (both channels of every page that has items), items chosen by the local
    date they were written on (``start``..``end`` inclusive)."""
    steps = summarize_steps(items, page_config, page=page, start=start, end=end)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            reports: list[ChannelReport] = done.value
            return reports


STEP = 256  # items between two of ``summarize_steps``' pauses: a millisecond or two of work


def summarize_steps(
    items: Iterable[Item],
    page_config: Callable[[str], PageConfig],
    *,
    page: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Generator[None, None, list[ChannelReport]]:
    """``summarize``, pausing (a bare ``yield``) every ``STEP`` items and between groups, so that the daemon can
    build a report on its event loop a slice at a time (``reports.http``); returns the reports."""
    groups: dict[tuple[str, str], list[Item]] = {}
    staffed: dict[int, float] = {}  # each answered item's staffed seconds (by ``id``), worked out once
    for n, item in enumerate(items, 1):
        if n % STEP == 0:
            yield
        if page is not None and item.page != page:
            continue
        conf = page_config(item.page)
        day = item.opened.astimezone(conf.staffed.tz).date()
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        groups.setdefault((item.page, item.channel), []).append(item)
        if item.answered is not None:
            staffed[id(item)] = staffed_s(item, conf)

    def staffed_of(item: Item) -> float:
        return staffed[id(item)]

    out = []
    for p in sorted({p for p, _ in groups}):
        conf = page_config(p)
        for ch in CHANNELS:
            got = groups.get((p, ch), [])
            by_day: dict[date, list[Item]] = {}
            for n, i in enumerate(got, 1):
                if n % STEP == 0:
                    yield
                by_day.setdefault(i.opened.astimezone(conf.staffed.tz).date(), []).append(i)
            by_responder: dict[str, list[Item]] = {}
            for i in got:
                if i.responder:
                    by_responder.setdefault(i.responder, []).append(i)
            overall = figures(got, conf, staffed_of)
            yield
            days = []
            for d, v in sorted(by_day.items()):
                days.append((d, _staffed_day(conf, d), figures(v, conf, staffed_of)))
                yield
            responders = []
            for r, v in sorted(by_responder.items()):
                responders.append((r, figures(v, conf, staffed_of)))
                yield
            out.append(
                ChannelReport(
                    page=p,
                    channel=ch,
                    language=conf.language or "en",
                    sla_s=conf.response_sla.total_seconds(),
                    figures=overall,
                    days=tuple(days),
                    responders=tuple(responders),
                    items=tuple(got),
                )
            )
    return out


def _staffed_day(conf: PageConfig, day: date) -> bool:
    """Whether ``day`` had staffed time. The last days a calendar holds (an item stored with a forged time like
    9999-12-31: event time is data) have no next midnight to measure to: not staffed."""
    tz = conf.staffed.tz
    try:
        midnight = datetime.combine(day, time(0), tz)
        next_midnight = datetime.combine(day + timedelta(days=1), time(0), tz)
        return conf.staffed.staffed_between(midnight, next_midnight) > timedelta(0)
    except OverflowError:
        return False
