"""A request's whole body, or a clear no: how every endpoint reads what it is sent.

``request.content.read(n)`` returns what has arrived so far, not ``n`` bytes: a body sent in two TCP writes
was read in part (an ingest body lost lines; a signed webhook failed its signature). ``read_body`` reads
until the body ends, however it arrives (Content-Length or chunked, in any number of writes), and refuses:

- 413 when it is over ``limit`` bytes: as declared, as it arrives, or once its Content-Encoding is undone
  (a small gzip body cannot unpack past the limit; it is unpacked at most to ``limit + 1`` bytes);
- 400 when its Content-Encoding does not decode, or stops short (a truncated gzip stream, which a
  decompressor would otherwise hand over in part), or its chunked framing is broken;
- 415 for a Content-Encoding other than gzip, deflate or identity;
- 408 when it has not all arrived within the app's body timeout (``BODY_TIMEOUT``), so a client sending a
  byte now and then cannot hold a handler forever;
- 503 with ``Retry-After`` when the bodies being read at once for its family of endpoints (``BodyFamily``)
  already hold the family's budget (``BODY_BUDGETS``): a body takes its share when its reading starts (its
  declared Content-Length, or as it arrives when chunked) and gives it back when reading ends, however it
  ends. Without it, bodies held open one byte short of their end (nothing is checked, not even a webhook's
  signature, before a body is whole) kept 2 MiB each for the body timeout: 850 connections, 1.7 GB.

The daemon's server (``api.server.make_runner``) leaves bodies encoded (aiohttp's own decoding neither
notices a truncated gzip stream nor answers an unknown encoding without a traceback) and marks the app
with ``RAW_BODIES``, so they are decoded here; an app served otherwise (in-process tests) gets them decoded
by aiohttp. A refusal is a ``BodyRefused``: an aiohttp HTTP exception answered as JSON ``{"error": ...}``,
so a handler that does not catch it still answers cleanly (never a 500); handlers with answers of their
own catch it.
"""

from __future__ import annotations

import asyncio
import zlib
from enum import StrEnum

import orjson
from aiohttp import web

from sentinel.logs import get_logger
from sentinel.metrics import HTTP_BODIES_REFUSED_BUSY, HTTP_BODY_BUDGET_USED

BODY_TIMEOUT = web.AppKey("body_timeout", float)  # seconds for a whole body to arrive; set by ``build_app``
RAW_BODIES = web.AppKey("raw_bodies", bool)  # aiohttp leaves bodies encoded: ``read_body`` decodes them
DEFAULT_BODY_TIMEOUT = 60.0
SMALL_BODY = 64 * 1024  # the operator API's JSON and the SMS webhooks' and ack page's forms
DEFAULT_BODY_BUDGET = 64 * 1024 * 1024
BUSY_RETRY_AFTER_S = 5

log = get_logger("http")


class BodyFamily(StrEnum):
    """Endpoints whose bodies share one budget. Each family has its own, so that a flood of one (anyone may post
    to the Meta webhooks) cannot refuse another: an ingest client with its token, an on-call person's
    acknowledgement."""

    INGEST = "ingest"  # POST /api/v1/events (its bearer token is checked before the body is read)
    WEBHOOK = "webhook"  # POST /webhooks/meta (its signature can only be checked over the whole body)
    SMALL = "small"  # every other body: the operator API, the console, the SMS webhooks, the ack page (64 KiB)


class BodyBudget:
    """Bytes of one family's bodies being read at once, at most ``limit``; a body larger than the whole budget is
    still read when no other body of the family is (a budget set below a body limit cannot refuse it forever)."""

    def __init__(self, family: BodyFamily, limit: int) -> None:
        self.family = family
        self.limit = limit
        self.used = 0
        HTTP_BODY_BUDGET_USED.labels(family.value).set(0)

    def take(self, n: int) -> bool:
        if self.used and self.used + n > self.limit:
            return False
        self.used += n
        HTTP_BODY_BUDGET_USED.labels(self.family.value).set(self.used)
        return True

    def give(self, n: int) -> None:
        self.used -= n
        HTTP_BODY_BUDGET_USED.labels(self.family.value).set(self.used)


BODY_BUDGETS = web.AppKey("body_budgets", dict[BodyFamily, BodyBudget])  # set by ``build_app``; none: no limit


def body_budgets(limit: int = DEFAULT_BODY_BUDGET) -> dict[BodyFamily, BodyBudget]:
    return {family: BodyBudget(family, limit) for family in BodyFamily}


class BodyRefused(web.HTTPException):
    """The body was not read: ``status`` and ``message`` say why (413, 400 or 408)."""

    def __init__(self, status: int, message: str) -> None:
        self.status_code = status
        super().__init__(text=orjson.dumps({"error": message}).decode(), content_type="application/json")
        self.message = message
        if status in (408, 413, 503):  # the rest of the body is not wanted: no keep-alive after it
            self.force_close()
        if status == 503:
            self.headers["Retry-After"] = str(BUSY_RETRY_AFTER_S)


def too_large(limit: int) -> BodyRefused:
    return BodyRefused(413, f"body over {limit} bytes")


def busy(family: BodyFamily) -> BodyRefused:
    return BodyRefused(503, f"too many {family.value} bodies being read at once: retry")


async def read_body(
    request: web.Request,
    limit: int = SMALL_BODY,
    *,
    fields_checked: bool = False,
    family: BodyFamily = BodyFamily.SMALL,
) -> bytes:
    """The whole body (decoded as its Content-Encoding says), at most ``limit`` bytes; else ``BodyRefused``.

    While it is read, the body holds its share of ``family``'s budget (503 when that is spent).

    Unless the caller checks each field's text itself (``fields_checked``: the ingest API and the webhooks,
    with ``codec.check_storable``), a body holding NUL is refused with 400: as a byte, as ``\\u0000`` in
    JSON or as ``%00`` in a form. PostgreSQL's TEXT refuses NUL (a retry would never succeed), so SQLite's
    store must not keep it either."""
    encoding = content_encoding(request) if request.app.get(RAW_BODIES) else ""
    if encoding not in _ENCODINGS:
        raise BodyRefused(415, f"Content-Encoding {encoding[:40]!r} is not supported: send gzip, deflate or none")
    declared = request.content_length
    if declared is not None and declared > limit:
        raise too_large(limit)
    timeout = request.app.get(BODY_TIMEOUT, DEFAULT_BODY_TIMEOUT)
    budget = request.app.get(BODY_BUDGETS, {}).get(family)
    held = 0

    def hold(size: int) -> None:  # the body's share of the budget grows to ``size`` bytes, or it is refused
        nonlocal held
        if budget is not None and size > held:
            if not budget.take(size - held):
                HTTP_BODIES_REFUSED_BUSY.labels(family.value).inc()
                log.warning("http.body_budget_spent", family=family.value, path=request.path, declared=declared)
                raise busy(family)
            held = size

    chunks: list[bytes] = []
    size = 0
    try:
        hold(declared or 0)
        async with asyncio.timeout(timeout):
            while chunk := await request.content.readany():
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                hold(size)
                chunks.append(chunk)
    except TimeoutError:
        raise BodyRefused(408, f"the body did not arrive within {timeout:g} s") from None
    except web.RequestPayloadError as e:  # the parser's error for this body: bad encoding or framing
        raise BodyRefused(400, _payload_problem(request, e)) from None
    except ConnectionError:  # the client went away: nobody reads the answer, but it must not be a 500
        raise BodyRefused(400, "the connection closed before the body ended") from None
    finally:  # read, refused, timed out, or the client gone: the share is free for the next body
        if budget is not None:
            budget.give(held)
    body = b"".join(chunks)
    if encoding not in ("", "identity") and body:
        body = _decoded(body, encoding, limit)
    if not fields_checked and _holds_nul(body):
        raise BodyRefused(400, "the body holds NUL (\\u0000 or %00), which no store keeps")
    return body


def _holds_nul(body: bytes) -> bool:
    if b"\x00" in body or b"\\u0000" in body:
        return True
    return b"%00" in body and body.lstrip()[:1] not in (b"{", b"[")  # (a form; in JSON, %00 is just text)


_ENCODINGS = ("", "identity", "gzip", "x-gzip", "deflate")


def _decoded(body: bytes, encoding: str, limit: int) -> bytes:
    """``body`` unpacked (gzip: every member; deflate: zlib or raw), at most ``limit`` bytes; the stream must
    end where the body does."""
    gzip = encoding != "deflate"
    # deflate: RFC 9110 says zlib; some clients send raw deflate (told apart by the first byte, as aiohttp does)
    wbits = 16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS if body[0] & 0x0F == 8 else -zlib.MAX_WBITS
    out: list[bytes] = []
    size, rest = 0, body
    while rest:
        d = zlib.decompressobj(wbits)
        try:
            piece = d.decompress(rest, limit + 1 - size)
        except zlib.error:
            raise BodyRefused(400, f"the body is not valid {encoding} (its Content-Encoding)") from None
        size += len(piece)
        if size > limit:
            raise too_large(limit)
        if not d.eof:
            raise BodyRefused(400, f"the {encoding} stream of the body stops short (truncated)")
        out.append(piece)
        rest = d.unused_data  # gzip members may follow one another; nothing may follow a deflate stream
        if rest and not gzip:
            raise BodyRefused(400, "the body goes on after the end of its deflate stream")
    return b"".join(out)


def content_encoding(request: web.Request) -> str:
    """The request's Content-Encoding, lower case; two header lines are one list, as HTTP reads them (two
    ``Content-Encoding: gzip`` lines are ``gzip, gzip``, not one gzip)."""
    return ", ".join(v.strip() for v in request.headers.getall("Content-Encoding", ())).strip().lower()


def _payload_problem(request: web.Request, error: web.RequestPayloadError) -> str:
    encoding = content_encoding(request)
    if encoding and "content-encoding" in str(error).lower():
        return f"the body is not valid {encoding[:40]} (its Content-Encoding)"
    return "the body is malformed (its length or chunked framing is broken)"
