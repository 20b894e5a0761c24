"""Reading bodies whole (``sentinel.sources.body``) and what a store can keep (``codec.check_storable``)."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp import web

from sentinel.api.ingest import parse_body
from sentinel.api.server import build_app, make_runner
from sentinel.errors import EventError
from sentinel.events.codec import MAX_DEPTH, FieldError, check_storable
from sentinel.model import Actor
from sentinel.sources.body import BodyRefused, _decoded, read_body
from sentinel.testing import at, event
from sentinel.testing.daemon import free_port

TEXT = b"hej\n" * 1000


def raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(TEXT)),
        ("x-gzip", gzip.compress(TEXT[:2000]) + gzip.compress(TEXT[2000:])),  # two gzip members
        ("deflate", zlib.compress(TEXT)),
        ("deflate", raw_deflate(TEXT)),  # what some clients send as deflate
    ],
)
def test_an_encoded_body_is_unpacked_whole(encoding: str, body: bytes) -> None:
    assert _decoded(body, encoding, len(TEXT)) == TEXT


@pytest.mark.parametrize(
    ("encoding", "body", "status", "words"),
    [
        ("gzip", gzip.compress(TEXT)[:-8], 400, "truncated"),
        ("gzip", gzip.compress(TEXT)[: len(gzip.compress(TEXT)) // 2], 400, "truncated"),
        ("gzip", b"\x1f\x8b\x08\x00" + b"garbage" * 10, 400, "gzip"),
        ("gzip", gzip.compress(TEXT) + b"trailing", 400, "not valid gzip"),
        ("deflate", zlib.compress(TEXT) + b"x", 400, "after the end"),
        ("deflate", b"\x78\x9cnot deflate", 400, "not valid deflate"),
    ],
)
def test_a_bad_or_truncated_encoded_body_is_400(encoding: str, body: bytes, status: int, words: str) -> None:
    with pytest.raises(BodyRefused) as e:
        _decoded(body, encoding, len(TEXT))
    assert e.value.status == status and words in e.value.message


def test_an_encoded_body_over_the_limit_unpacked_is_413() -> None:
    with pytest.raises(BodyRefused) as e:
        _decoded(gzip.compress(TEXT), "gzip", len(TEXT) - 1)  # small on the wire, 4,000 bytes unpacked
    assert e.value.status == 413


@pytest.fixture
async def echo() -> AsyncIterator[str]:
    """An app that answers with the length of the body it read, served as the daemon serves (``make_runner``:
    bodies left encoded for ``read_body``); its URL."""

    async def handler(request: web.Request) -> web.Response:
        return web.json_response({"length": len(await read_body(request, 4096))})

    async def ready() -> dict[str, bool]:
        return {}

    runner = make_runner(build_app([web.post("/", handler)], ready))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


async def test_every_refusal_is_a_json_answer_never_a_500(echo: str) -> None:
    async with aiohttp.ClientSession() as s:
        async with s.post(echo, data=gzip.compress(b"x" * 4096), headers={"Content-Encoding": "gzip"}) as ok:
            assert (ok.status, await ok.json()) == (200, {"length": 4096})
        for body, headers, status in [
            (b"x" * 4097, {}, 413),
            (gzip.compress(b"x" * 4097), {"Content-Encoding": "gzip"}, 413),
            (b"\x1f\x8b\x08\x00bad", {"Content-Encoding": "gzip"}, 400),
            (b"x", {"Content-Encoding": "br"}, 415),
            (b"x", {"Content-Encoding": "gzip, gzip"}, 415),
            (b'{"comment": "a\\u0000b"}', {}, 400),  # NUL: no store keeps it (PostgreSQL refuses it in TEXT)
            (b"From=%2B46&Body=a%00b", {"Content-Type": "application/x-www-form-urlencoded"}, 400),
            (gzip.compress(b"a\x00b"), {"Content-Encoding": "gzip"}, 400),
        ]:
            async with s.post(echo, data=body, headers=headers) as resp:
                assert resp.status == status and (await resp.json())["error"], (body, headers, status)
        async with s.post(echo, data=b'{"comment": "50%00 off"}') as ok:  # in JSON, %00 is text
            assert ok.status == 200
        async with s.post(echo + "inc%00", data=b"") as resp:  # a path with NUL names nothing
            assert resp.status == 400 and "NUL" in (await resp.json())["error"]


def test_ingest_lines_are_numbered_as_sent_blank_lines_included() -> None:
    good = orjson.dumps(event("post.deleted", at(), id="g:1").to_json())
    with pytest.raises(EventError) as e:
        parse_body(b"\n\n" + good + b'\n\n{"id": 5}\n')
    assert e.value.line == 5


def deep(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"id": "a\x00b"}, "id", "NUL"),
        ({"page": ""}, "page", "non-empty"),
        ({"actor": Actor("1", "Anna\x00", "person")}, "actor.name", "NUL"),
        ({"object": {"message": "hej \ud800"}}, "object.message", "surrogate"),
        ({"object": {"k\x00": 1}}, "object (a key)", "NUL"),
        ({"object": {"links": ["ok", "x\x00"]}}, "object.links[1]", "NUL"),
        ({"object": {"n": 2**64}}, "object.n", "64 bits"),
        ({"object": {"n": deep(MAX_DEPTH)}}, "object.n" + "[0]" * (MAX_DEPTH - 2), "deeper than"),
        ({"time": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))}, "time", "years 1 and 9999"),
    ],
)
def test_what_no_store_keeps_is_refused_naming_the_field(change: dict[str, Any], field: str, words: str) -> None:
    ev = event("comment.created", at(), id="c:1", message="Hej?")
    bad = type(ev)(**{**{f: getattr(ev, f) for f in ev.__struct_fields__}, **change})
    with pytest.raises(FieldError) as e:
        check_storable(bad, line=7)
    assert e.value.field == field and words in str(e.value) and e.value.line == 7


def test_what_the_stores_keep_passes() -> None:
    check_storable(
        event(
            "comment.created",
            at(),
            id="c:1",
            message="Hej 😀 åäö \u202e",
            links=["https://a.se"],
            n=2**64 - 1,
            m=-(2**63),
            nest=deep(MAX_DEPTH - 3),
        )
    )
