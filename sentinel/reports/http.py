"""``GET /api/v1/report``: the report over the store, for the operator API (the route checks the token).

A report reads every stored event and follows every conversation: about a second of CPU for 100,000 events. It is
built in a thread, one report at a time (``building``: each holds every event in memory), so that the daemon
answers /healthz, takes in events and sends pages meanwhile (``bench/report_loop.py``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from aiohttp import web

from sentinel.config.schema import PageConfig
from sentinel.logs import get_logger
from sentinel.reports.conversations import Tracker
from sentinel.reports.render import FORMATS, render
from sentinel.reports.store import stored_events
from sentinel.reports.summary import summarize
from sentinel.security.services import BadRequest
from sentinel.store import Database

log = get_logger("reports")
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

    def build(events: list[Any]) -> str:  # in a thread: no store, no loop
        tracker = Tracker(everything=everything).feed_all(events)
        reports = summarize(tracker.items, _configs(known), page=page, start=start, end=end)
        if fmt == "json":
            return json.dumps({"reports": [r.to_json() for r in reports]})
        return render(reports, fmt)

    async with building:
        events = await stored_events(db)
        log.info("report.building", events=len(events), format=fmt)
        text = await asyncio.to_thread(build, events)
    return web.Response(text=text, content_type=TYPES[fmt], charset="utf-8")


def _configs(known: Mapping[str, PageConfig]) -> Callable[[str], PageConfig]:
    """A page's config: the configured one, else the defaults (as in replay)."""
    return lambda p: known.get(p) or PageConfig(id=p)
