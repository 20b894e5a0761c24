"""``POST /api/v1/events``: the generic ingest API.

Body: a JSON array of events, or JSON lines. Bearer token from config
(compared in constant time). The body is read whole (``sentinel.sources.body``:
413 over ``server.max_body_bytes``, 400 for a bad Content-Encoding, 408 when
it is too slow), then validated whole: one bad line rejects the request with
400 naming the line (and, for text no store keeps or nesting too deep, the
field: ``codec.check_storable``), and nothing is stored. The answer (200) is
sent only after the events are committed to the store.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web

from sentinel import metrics
from sentinel.config.types import Secret
from sentinel.errors import EventError, StoreError, StoreUnavailable
from sentinel.events.codec import (
    MAX_DEPTH,
    FieldError,
    check_storable,
    decode_json,
    event_from_json,
    parse_line,
    too_deep,
)
from sentinel.events.nesting import TooDeep
from sentinel.logs import get_logger
from sentinel.model import Event
from sentinel.sources.body import BodyFamily, read_body

IngestSink = Callable[[list[Event], str], Awaitable[int]]  # commits; returns the number of new events
# a body this big is parsed in a thread, off the event loop: a 10 MiB array of 116,000 minimal events took 1.7 s to
# parse, all of it with /healthz unanswered (bench/ingest_loop.py); a small one is quicker parsed in place
PARSE_IN_THREAD_BYTES = 256 * 1024

log = get_logger("ingest")


def parse_body(body: bytes) -> list[Event]:
    """A JSON array of events, or JSON lines; ``EventError`` names the bad line or item (and field)."""
    text = body.lstrip()
    if not text.rstrip():
        raise EventError("empty body: send a JSON array of events or JSON lines")
    if text[:1] == b"[":
        try:  # (an element is an event: one level more than a line, the array's)
            items = decode_json(text, MAX_DEPTH + 1)
        except TooDeep as e:
            raise too_deep(e, in_array=True) from None
        except ValueError as e:
            raise EventError(f"not valid JSON: {e}") from None
        out = []
        for n, item in enumerate(items, 1):  # numbered from 1, as lines are
            try:
                ev = event_from_json(item)
            except ValueError as e:
                raise EventError(str(e), item=n) from None
            check_storable(ev, item=n)
            out.append(ev)
        return out
    events = []
    for n, line in enumerate(body.split(b"\n"), 1):  # numbered as sent: blank lines count
        if line.strip():
            ev = parse_line(line, lineno=n)
            check_storable(ev, line=n)
            events.append(ev)
    return events


def _authorized(request: web.Request, token: Secret | None) -> bool:
    if token is None:
        return False
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode("utf-8", "replace"), token.reveal().encode())


def _refused(e: EventError) -> web.Response:
    answer: dict[str, object] = {"error": str(e), "line": e.line}
    if e.item is not None:
        answer["item"] = e.item
    if isinstance(e, FieldError):
        answer["field"] = e.field
    return web.json_response(answer, status=400)


def ingest_routes(sink: IngestSink, token: Secret | None, max_bytes: int) -> list[web.RouteDef]:
    async def post_events(request: web.Request) -> web.Response:
        if not _authorized(request, token):
            return web.json_response(
                {"error": "missing or wrong bearer token"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="sentinel"'},
            )
        # (a BodyRefused is answered as it says: 413, 400, 408, or 503 when too many bodies are being read at once)
        body = await read_body(request, max_bytes, fields_checked=True, family=BodyFamily.INGEST)
        try:
            big = len(body) > PARSE_IN_THREAD_BYTES
            events = await asyncio.to_thread(parse_body, body) if big else parse_body(body)
        except EventError as e:
            metrics.EVENTS_REJECTED.labels(source="ingest").inc()
            return _refused(e)
        try:
            new = await sink(events, "ingest")
        except StoreError as e:  # nothing committed: the client retries (away: the store said so once)
            (log.warning if isinstance(e, StoreUnavailable) else log.error)("ingest.store_failed", error=str(e))
            return web.json_response({"error": "store unavailable, retry"}, status=503, headers={"Retry-After": "5"})
        return web.json_response({"accepted": len(events), "new": new, "duplicates": len(events) - new})

    return [web.post("/api/v1/events", post_events)]
