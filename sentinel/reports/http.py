"""``GET /api/v1/report``: the report over the store, for the operator API (the route checks the token).

A report reads every stored event and follows every conversation: about a second of CPU for 100,000 events. It is
built on the event loop a slice at a time, one report at a time (``building``: each holds every event in memory):
the build pauses every ``SLICE_S`` of work, so the daemon answers /healthz, takes in events and sends pages
meanwhile, each waiting a slice at a time (``bench/report_loop.py``: four reports over 100,000 events, /healthz
at most 0.14 s). It was built in a thread, which bounds nothing: the thread and the loop take turns at the GIL,
and one /healthz waited 0.9 s."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Generator, Mapping
from datetime import date
from typing import Any

from aiohttp import web

from sentinel.config.schema import PageConfig
from sentinel.logs import get_logger
from sentinel.reports.conversations import Tracker
from sentinel.reports.render import FORMATS, render
from sentinel.reports.store import stored_events
from sentinel.reports.summary import STEP, summarize_steps
from sentinel.security.services import BadRequest
from sentinel.store import Database

log = get_logger("reports")
SLICE_S = 0.002  # the longest the build holds the loop at a time (and a step of it, ``summary.STEP`` items, less)
TYPES = {"json": "application/json", "csv": "text/csv", "html": "text/html", "text": "text/plain"}


def _day(query: Mapping[str, str], key: str) -> date | None:
    v = query.get(key)
    if v is None:
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise BadRequest(400, f"{key}: a date like 2025-11-03") from None


async def report_response(
    query: Mapping[str, str], config: Any, db: Database, building: asyncio.Semaphore
) -> web.StreamResponse:
    """``config``: the root config (its ``pages``; a page it lacks has the defaults, as in replay); ``building``: held
    while a report is built (one at a time)."""
    known: dict[str, PageConfig] = {p.id: p for p in getattr(config, "pages", ())}
    fmt = query.get("format", "json")
    if fmt not in FORMATS:
        raise BadRequest(400, f"format: one of {', '.join(FORMATS)}")
    start, end = _day(query, "from"), _day(query, "to")
    if start and end and end < start:
        raise BadRequest(400, "to: before from")
    everything, page = query.get("all") in ("1", "true"), query.get("page")

    def build(events: list[Any]) -> Generator[None, None, str]:  # a bare ``yield``: a place to pause
        tracker = Tracker(everything=everything)
        for n, ev in enumerate(events, 1):
            tracker.feed(ev)
            if n % STEP == 0:
                yield
        reports = yield from summarize_steps(tracker.items, _configs(known), page=page, start=start, end=end)
        if fmt == "json":
            return json.dumps({"reports": [r.to_json() for r in reports]})
        return render(reports, fmt)

    async with building:
        events = await stored_events(db)
        log.info("report.building", events=len(events), format=fmt)
        text = await _in_slices(build(events))
    return web.Response(text=text, content_type=TYPES[fmt], charset="utf-8")


async def _in_slices(steps: Generator[None, None, str]) -> str:
    """Run ``steps`` on the loop, letting the loop's other work run every ``SLICE_S`` of it; its result."""
    loop = asyncio.get_running_loop()
    until = loop.time() + SLICE_S
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return str(done.value)
        if loop.time() >= until:
            await asyncio.sleep(0)
            until = loop.time() + SLICE_S


def _configs(known: Mapping[str, PageConfig]) -> Callable[[str], PageConfig]:
    """A page's config: the configured one, else the defaults (as in replay)."""
    return lambda p: known.get(p) or PageConfig(id=p)
