"""``GET /api/v1/report``: the report over the store, for the operator API (the route checks the token)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from aiohttp import web

from sentinel.config.schema import PageConfig
from sentinel.reports.conversations import Tracker
from sentinel.reports.render import FORMATS, render
from sentinel.reports.store import stored_events
from sentinel.reports.summary import summarize
from sentinel.security.services import BadRequest
from sentinel.store import Database

TYPES = {"json": "application/json", "csv": "text/csv", "html": "text/html", "text": "text/plain"}


def _day(query: Mapping[str, str], key: str) -> date | None:
    v = query.get(key)
    if v is None:
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise BadRequest(400, f"{key}: a date like 2025-11-03") from None


async def report_response(query: Mapping[str, str], config: Any, db: Database) -> web.StreamResponse:
    """``config``: the root config (its ``pages``; a page it lacks has the defaults, as in replay)."""
    known: dict[str, PageConfig] = {p.id: p for p in getattr(config, "pages", ())}
    fmt = query.get("format", "json")
    if fmt not in FORMATS:
        raise BadRequest(400, f"format: one of {', '.join(FORMATS)}")
    start, end = _day(query, "from"), _day(query, "to")
    if start and end and end < start:
        raise BadRequest(400, "to: before from")
    tracker = Tracker(everything=query.get("all") in ("1", "true")).feed_all(await stored_events(db))
    reports = summarize(
        tracker.items, lambda p: known.get(p) or PageConfig(id=p), page=query.get("page"), start=start, end=end
    )
    if fmt == "json":
        return web.json_response({"reports": [r.to_json() for r in reports]})
    return web.Response(text=render(reports, fmt), content_type=TYPES[fmt], charset="utf-8")
