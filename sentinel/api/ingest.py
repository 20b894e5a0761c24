"""``POST /api/v1/events``: the generic ingest API.

Body: a JSON array of events, or JSON lines. Bearer token from config
(compared in constant time). The whole body is validated first: one bad line
rejects the request with 400 naming the line, and nothing is stored. The
answer (200) is sent only after the events are committed to the store.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

import orjson
from aiohttp import web

from sentinel import metrics
from sentinel.config.types import Secret
from sentinel.errors import EventError, StoreError
from sentinel.logs import get_logger
from sentinel.model import Event
from sentinel.sources.codec import event_from_json, parse_line

IngestSink = Callable[[list[Event], str], Awaitable[int]]  # commits; returns the number of new events

log = get_logger("ingest")


def parse_body(body: bytes) -> list[Event]:
    """A JSON array of events, or JSON lines; ``EventError`` names the bad line or item."""
    text = body.strip()
    if not text:
        raise EventError("empty body: send a JSON array of events or JSON lines")
    if text[:1] == b"[":
        try:
            items = orjson.loads(text)
        except orjson.JSONDecodeError as e:
            raise EventError(f"not valid JSON: {e}") from None
        out = []
        for i, item in enumerate(items):
            try:
                out.append(event_from_json(item))
            except ValueError as e:
                raise EventError(f"item {i}: {e}") from None
        return out
    return [parse_line(line, lineno=n) for n, line in enumerate(text.split(b"\n"), 1) if line.strip()]


def _authorized(request: web.Request, token: Secret | None) -> bool:
    if token is None:
        return False
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.reveal().encode())


def ingest_routes(sink: IngestSink, token: Secret | None, max_bytes: int) -> list[web.RouteDef]:
    async def post_events(request: web.Request) -> web.Response:
        if not _authorized(request, token):
            return web.json_response({"error": "missing or wrong bearer token"}, status=401,
                                     headers={"WWW-Authenticate": 'Bearer realm="sentinel"'})
        if request.content_length is not None and request.content_length > max_bytes:
            return web.json_response({"error": f"body over {max_bytes} bytes"}, status=413)
        try:
            body = await request.content.read(max_bytes + 1)
        except ConnectionError:
            return web.json_response({"error": "connection lost"}, status=400)
        if len(body) > max_bytes:
            return web.json_response({"error": f"body over {max_bytes} bytes"}, status=413)
        try:
            events = parse_body(body)
        except EventError as e:
            metrics.EVENTS_REJECTED.labels(source="ingest").inc()
            return web.json_response({"error": str(e), "line": e.line}, status=400)
        try:
            new = await sink(events, "ingest")
        except StoreError as e:
            log.error("ingest.store_failed", error=str(e))
            return web.json_response({"error": "store unavailable, retry"}, status=503, headers={"Retry-After": "5"})
        return web.json_response({"accepted": len(events), "new": new, "duplicates": len(events) - new})

    return [web.post("/api/v1/events", post_events)]
