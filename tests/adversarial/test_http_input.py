"""Whole bodies or a clear no, against a real daemon on loopback (raw sockets where the bytes' timing matters).

``request.content.read(n)`` used to return what had arrived so far: a 1 MiB body of 2,048 lines got
``200 {"accepted": 762}``, ten lines in two writes ``accepted: 4``, a signed webhook in two writes a 403.
A bad gzip body and JSON nested 255+ levels gave 500; on PostgreSQL a NUL in an id gave 503 "retry" forever.
Unfinished headers and slow bodies held a connection without limit.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import hmac
import json
import socket
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest

from sentinel.sources.body import SMALL_BODY
from sentinel.testing import at, event
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon

pytestmark = pytest.mark.slow

TOKEN = "http-input-test-token"
APP_SECRET = "http-input-app-secret"
PAGE_ID = "101259571653026"
LIMIT = 4 * 1024 * 1024  # server.max_body_bytes here: 1 MiB fits, 8 MiB does not
TIMEOUT_S = 2.0  # server.header_timeout and server.body_timeout here


def write_config(tmp_path: Path, port: int, store_url: str | None = None) -> Path:
    settings = daemon_settings(tmp_path, port).replace(
        "  ingest_token:",
        f"  max_body_bytes: {LIMIT}\n  header_timeout: {TIMEOUT_S}s\n  body_timeout: {TIMEOUT_S}s\n  ingest_token:",
    )
    if store_url is not None:
        settings = settings.replace(f"sqlite:///{tmp_path / 'sentinel.db'}", store_url)
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: Europe/Stockholm
    page_id: "{PAGE_ID}"
sources:
  app_secret: {APP_SECRET}
  verify_token: http-input-verify
"""
        + settings
    )
    return cfg


@pytest.fixture
async def daemon(tmp_path: Path) -> AsyncIterator[Daemon]:
    port = free_port()
    async with sentinel_daemon(write_config(tmp_path, port), port, TOKEN) as d:
        yield d


# -- raw HTTP over a socket ---------------------------------------------------------------------------------


def lines(n: int, prefix: str, pad: int = 0) -> list[bytes]:
    return [
        orjson.dumps(
            event(
                "comment.created",
                at(f"{i}s"),
                id=f"{prefix}:{i}",
                post_id="p1",
                comment_id=f"{prefix}{i}",
                message="Hej? " + "x" * pad,
            ).to_json()
        )
        for i in range(n)
    ]


def head(path: str, headers: dict[str, str]) -> bytes:
    text = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    text += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (text + "\r\n").encode()


def chunked(parts: list[bytes]) -> list[bytes]:
    return [f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts if p] + [b"0\r\n\r\n"]


def split(data: bytes, n: int) -> list[bytes]:
    size = -(-len(data) // n)
    return [data[i : i + size] for i in range(0, len(data), size)]


async def raw_post(
    daemon: Daemon, head_bytes: bytes, parts: list[bytes], *, gap_s: float = 0.02, wait_s: float = 30.0
) -> tuple[int, bytes]:
    """Send the head, then each part as its own TCP write ``gap_s`` apart (a flaky network's timing, not a
    wait for a condition), until the daemon answers; the status and body of the answer."""
    port = int(daemon.url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    answer = asyncio.create_task(read_answer(reader))
    try:
        writer.write(head_bytes)
        await writer.drain()
        for part in parts:
            await asyncio.sleep(gap_s)
            if answer.done():  # answered early (413, 408): the rest is not wanted
                break
            writer.write(part)
            await writer.drain()
    except ConnectionError:
        pass  # the daemon answered and closed: its answer is still there to read
    try:
        return await asyncio.wait_for(answer, wait_s)
    finally:
        writer.close()


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head_bytes = await reader.readuntil(b"\r\n\r\n")
    status_line, *fields = head_bytes.decode("latin-1").split("\r\n")
    assert status_line.startswith("HTTP/1.1 "), head_bytes[:200]
    length = next(int(f.split(":", 1)[1]) for f in fields if f.lower().startswith("content-length:"))
    return int(status_line.split()[1]), await reader.readexactly(length)


def ingest_head(length: int | None, **extra: str) -> bytes:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson", **extra}
    if length is None:
        headers["Transfer-Encoding"] = "chunked"
    else:
        headers["Content-Length"] = str(length)
    return head("/api/v1/events", headers)


def sqlite_count(tmp_path: Path) -> int:
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        return int(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()


# -- whole bodies -------------------------------------------------------------------------------------------


async def test_ten_lines_in_two_writes_are_all_accepted(daemon: Daemon, tmp_path: Path) -> None:
    body = b"\n".join(lines(10, "two"))
    status, answer = await raw_post(daemon, ingest_head(len(body)), split(body, 2), gap_s=0.2)
    assert (status, orjson.loads(answer)) == (200, {"accepted": 10, "new": 10, "duplicates": 0})
    assert sqlite_count(tmp_path) == 10


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
async def test_a_mebibyte_in_many_writes_is_accepted_whole(daemon: Daemon, tmp_path: Path, framing: str) -> None:
    body = b"\n".join(lines(2048, framing, pad=440))
    assert 1024 * 1024 <= len(body) < LIMIT
    parts = split(body, 64)
    if framing == "chunked":
        status, answer = await raw_post(daemon, ingest_head(None), chunked(parts))
    else:
        status, answer = await raw_post(daemon, ingest_head(len(body)), parts)
    assert (status, orjson.loads(answer)) == (200, {"accepted": 2048, "new": 2048, "duplicates": 0})
    assert sqlite_count(tmp_path) == 2048


async def test_eight_mebibytes_are_413_however_they_arrive_and_nothing_is_stored(
    daemon: Daemon, tmp_path: Path
) -> None:
    body = b"\n".join(lines(16_384, "big", pad=440))
    assert len(body) > 8 * 1024 * 1024
    status, _ = await daemon.post_body("/api/v1/events", body)  # Content-Length declared, one go
    assert status == 413
    status, answer = await raw_post(daemon, ingest_head(None), chunked(split(body, 256)), gap_s=0.001)
    assert status == 413 and b"body over" in answer  # chunked: no length declared, counted as it arrives
    bomb = gzip.compress(body)  # small on the wire, 8 MiB unpacked
    assert len(bomb) < LIMIT
    status, _ = await daemon.post_body("/api/v1/events", bomb, {"Content-Encoding": "gzip"})
    assert status == 413
    small = b"\n".join(lines(5, "after"))  # and the daemon still takes a good body
    assert (await daemon.post_body("/api/v1/events", small))[0] == 200
    assert sqlite_count(tmp_path) == 5


async def test_an_oversized_body_is_the_same_json_413_naming_the_limit_on_every_endpoint(daemon: Daemon) -> None:
    """The Meta webhook answered ``text/plain`` ``body over 2097152 bytes`` where the ingest and operator APIs answer
    ``{"error": ...}``; each is declared one byte over its limit (answered from ``Content-Length``, unsent)."""
    endpoints = {
        "/api/v1/events": (LIMIT, {"Authorization": f"Bearer {TOKEN}"}),
        "/webhooks/meta": (2 * 1024 * 1024, {"X-Hub-Signature-256": "sha256=00"}),  # sources.webhook_max_body_bytes
        "/api/v1/incidents/i1/ack": (SMALL_BODY, {"Content-Type": "application/json"}),  # read before any check
    }
    for path, (limit, headers) in endpoints.items():
        status, answer = await raw_post(daemon, head(path, {**headers, "Content-Length": str(limit + 1)}), [])
        assert (status, orjson.loads(answer)) == (413, {"error": f"body over {limit} bytes"}), (path, answer)
    status, answer = await raw_post(
        daemon, head("/webhooks/meta", {"Transfer-Encoding": "chunked"}), chunked([b"x" * (3 << 20)])
    )
    assert (status, orjson.loads(answer)) == (413, {"error": "body over 2097152 bytes"}), answer  # as it arrives


async def test_a_signed_webhook_in_two_writes_is_accepted(daemon: Daemon, tmp_path: Path) -> None:
    change = {
        "field": "feed",
        "value": {
            "item": "comment",
            "verb": "add",
            "comment_id": "c1",
            "post_id": "p1",
            "created_time": 1615416577,
            "message": "Hej! " + "y" * 3000,
            "from": {"id": "42", "name": "Anna"},
        },
    }
    body = orjson.dumps({"object": "page", "entry": [{"id": PAGE_ID, "time": 1615416579, "changes": [change]}]})
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), "X-Hub-Signature-256": sign(body)}
    status, answer = await raw_post(daemon, head("/webhooks/meta", headers), split(body, 2), gap_s=0.2)
    assert (status, answer) == (200, b"EVENT_RECEIVED")
    assert sqlite_count(tmp_path) == 1


async def test_a_signed_delivery_with_no_readable_time_is_placed_at_its_arrival(daemon: Daemon, tmp_path: Path) -> None:
    """An entry's ``time`` that is not a time (and a change with none of its own) was stored as 1970-01-01: a
    delivery 56 years late, which holds the rules' event-time clock back for as long as it may."""
    change = {
        "field": "feed",
        "value": {"item": "comment", "verb": "add", "comment_id": "c2", "post_id": "p1", "message": "Hej!"},
    }
    body = orjson.dumps({"object": "page", "entry": [{"id": PAGE_ID, "time": "soon", "changes": [change]}]})
    before = datetime.now(UTC)
    status, answer = await daemon.post_body("/webhooks/meta", body, {"X-Hub-Signature-256": sign(body)})
    assert (status, answer) == (200, b"EVENT_RECEIVED")
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        (stored,) = conn.execute("SELECT time FROM events").fetchone()
    finally:
        conn.close()
    assert before - timedelta(seconds=5) <= datetime.fromisoformat(stored) <= datetime.now(UTC), stored
    assert any(r.get("event") == "webhook.time_unreadable" for r in daemon.log_records())


async def test_a_change_whose_own_time_is_unreadable_is_warned_about_and_a_readable_one_kept(
    daemon: Daemon, tmp_path: Path
) -> None:
    """A ``created_time`` (or a message's ``timestamp``) that is there but not a time was placed at its entry's
    time in silence; it still is placed there, and the delivery's ``webhook.time_unreadable`` counts it. A readable
    time far off is kept as dated: a future one is stored as it claims and evaluated at its arrival."""
    entry_time = int(datetime.now(UTC).timestamp())
    odd: list[Any] = [1e30, 10**30, -1e30, "yesterday", "NaN", 253402300800, "0001-01-01T00:00:00+0100", True]
    kept = {"far:future": 4102444800, "far:past": 0}

    def comment(cid: str, created: Any) -> dict[str, Any]:
        value = {"item": "comment", "verb": "add", "comment_id": cid, "post_id": "p1", "created_time": created}
        return {"field": "feed", "value": {**value, "message": "Hej!", "from": {"id": "42"}}}

    changes = [comment(f"odd:{i}", t) for i, t in enumerate(odd)] + [comment(c, t) for c, t in kept.items()]
    message = {"sender": {"id": "42"}, "recipient": {"id": PAGE_ID}, "timestamp": 10**400, "message": {"mid": "m1"}}
    entry = {"id": PAGE_ID, "time": entry_time, "changes": changes, "messaging": [message]}
    body = json.dumps({"object": "page", "entry": [entry]}).encode()  # (orjson writes no integer past 64 bits)
    status, answer = await daemon.post_body("/webhooks/meta", body, {"X-Hub-Signature-256": sign(body)})
    assert (status, answer) == (200, b"EVENT_RECEIVED")
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        stored = dict(conn.execute("SELECT id, time FROM events").fetchall())
    finally:
        conn.close()
    at_entry = datetime.fromtimestamp(entry_time, UTC)
    for i in range(len(odd)):
        assert datetime.fromisoformat(stored[f"fb:comment:odd:{i}"]) == at_entry, (odd[i], stored)
    assert datetime.fromisoformat(stored["fb:message:m1"]) == at_entry, stored
    for cid, t in kept.items():
        assert datetime.fromisoformat(stored[f"fb:comment:{cid}"]) == datetime.fromtimestamp(t, UTC), stored
    warned = [r for r in daemon.log_records() if r.get("event") == "webhook.time_unreadable"]
    assert [(r["entries"], r["changes"]) for r in warned] == [(0, len(odd) + 1)], warned
    future = await daemon.until(
        "the far-future change evaluated at its arrival",
        lambda: [r for r in daemon.log_records() if r.get("event") == "worker.future_event"],
    )
    assert [r["id"] for r in future] == ["fb:comment:far:future"], future


async def test_two_content_encoding_lines_are_one_list_of_encodings(daemon: Daemon, tmp_path: Path) -> None:
    """Two ``Content-Encoding: gzip`` lines mean the body was gzipped twice (RFC 9110 5.3); the first line alone
    was read, the body decoded once, and refused as not JSON."""
    body = gzip.compress(gzip.compress(b"\n".join(lines(2, "twice"))))
    status, answer = await raw_post(
        daemon,
        ingest_head(len(body), **{"Content-Encoding": "gzip"}).replace(
            b"\r\n\r\n", b"\r\nContent-Encoding: gzip\r\n\r\n"
        ),
        [body],
    )
    assert status == 415 and b"gzip, gzip" in answer, (status, answer)
    assert sqlite_count(tmp_path) == 0


async def test_an_integer_beyond_64_bits_is_refused_in_an_array_as_in_a_line(daemon: Daemon, tmp_path: Path) -> None:
    """The array was decoded by orjson, which makes such an integer a float: 200, and stored changed."""
    ev = orjson.dumps(event("comment.created", at(), id="big:1", message="x").to_json())
    big = ev[:-2] + b', "n": 123456789012345678901234567890}}'
    for body in (big, b"[" + big + b"]"):
        status, answer = await daemon.post_body("/api/v1/events", body)
        assert status == 400 and answer["field"].startswith("object"), answer
    assert sqlite_count(tmp_path) == 0


async def test_a_role_event_whose_tasks_are_no_list_is_refused_naming_the_field(daemon: Daemon, tmp_path: Path) -> None:
    """``"tasks": "MANAGE"`` was accepted (200) and read as no MANAGE: a full-control grant at night was a warning
    held until morning, where a list pages critical. ``user`` as a string was accepted too."""

    def grant(n: int, **obj: Any) -> bytes:
        ev = event("role.granted", at(), id=f"role:{n}").to_json()
        ev["object"] = obj
        return orjson.dumps(ev)

    user = {"id": "666", "name": "Mallory"}
    cases = [
        (grant(1, user=user, tasks="MANAGE"), "object.tasks", "list of strings"),
        (grant(2, user=user, tasks=[["MANAGE"]]), "object.tasks[1]", "string"),
        (grant(3, user=user, tasks=["MANAGE", None]), "object.tasks[2]", "string"),
        (grant(4, user="evil", tasks=["MANAGE"]), "object.user", "object"),
    ]
    for body, field, what in cases:
        status, answer = await daemon.post_body("/api/v1/events", body)
        assert status == 400 and answer["field"] == field and what in answer["error"], answer
        status, answer = await daemon.post_body("/api/v1/events", b"[" + body + b"]")
        assert status == 400 and answer["field"] == field and "item 1" in answer["error"], answer
    assert sqlite_count(tmp_path) == 0
    status, answer = await daemon.post_body("/api/v1/events", grant(5, user=user, tasks=["MANAGE"]))
    assert (status, answer["new"]) == (200, 1), answer


# -- bad encodings, deep JSON and text no store keeps: 4xx naming the line, on both stores ------------------


async def refusals_name_the_line_and_good_events_land(daemon: Daemon, stored: Any) -> None:
    good = lines(3, "good")
    status, answer = await daemon.post_body(
        "/api/v1/events",
        gzip.compress(b"\n".join(good))[:-12] + b"garbage!garbage!",
        {"Content-Encoding": "gzip"},
    )
    assert status == 400 and "gzip" in answer["error"], answer
    status, answer = await daemon.post_body(
        "/api/v1/events", gzip.compress(b"\n".join(good))[:-8], {"Content-Encoding": "gzip"}
    )  # cut short: not the first lines of it
    assert status == 400 and "truncated" in answer["error"], answer
    status, answer = await daemon.post_body(
        "/api/v1/events", b"\x78\x9cnot deflate at all", {"Content-Encoding": "deflate"}
    )
    assert status == 400 and "deflate" in answer["error"], answer
    status, answer = await daemon.post_body("/api/v1/events", b"\n".join(good), {"Content-Encoding": "br"})
    assert status == 415 and "br" in answer["error"], answer

    base = orjson.dumps(event("comment.created", at(), id="deep:1", message="x").to_json())
    assert base.endswith(b"}}")  # the object's, the event's
    deep = base[:-2] + b', "nest": ' + b"[" * 300 + b"]" * 300 + b"}}"  # 300 levels (orjson writes 254)
    status, answer = await daemon.post_body("/api/v1/events", b"\n".join([good[0], deep]))
    assert status == 400 and answer["line"] == 2 and answer["field"].startswith("object.nest"), answer
    assert "line 2" in answer["error"] and "deeper than" in answer["error"]
    status, answer = await daemon.post_body("/api/v1/events", b"[" + b"{" * 2000 + b"}" * 2000 + b"]")
    assert status == 400, answer

    nul_id = orjson.dumps(event("comment.created", at(), id="nul\x00id", message="x").to_json())
    assert b"\\u0000" in nul_id
    status, answer = await daemon.post_body("/api/v1/events", b"\n".join([good[0], b"", nul_id, good[1]]))
    assert status == 400 and (answer["line"], answer["field"]) == (3, "id"), answer
    assert "line 3" in answer["error"] and "NUL" in answer["error"]
    nul_text = orjson.dumps([event("comment.created", at(), id="nul:2", message="a\x00b").to_json()])
    status, answer = await daemon.post_body("/api/v1/events", nul_text)
    assert status == 400 and answer["field"] == "object.message" and "item 1" in answer["error"], answer
    lone = (
        b'{"id": "s:1", "time": "2025-01-01T00:00:00Z", "platform": "x", "page": "druvan", "kind": "k", '
        b'"object": {"message": "\\ud800"}}'
    )
    status, answer = await daemon.post_body("/api/v1/events", b"\n".join([good[0], lone]))
    assert status == 400 and answer["line"] == 2 and "surrogate" in answer["error"], answer
    assert await stored() == 0  # every refused batch refused whole

    status, answer = await daemon.post_body("/api/v1/events", b"\n".join(good))  # nothing is stuck: good ones land
    assert (status, answer) == (200, {"accepted": 3, "new": 3, "duplicates": 0})
    assert await stored() == 3

    change = {
        "field": "feed",
        "value": {
            "item": "comment",
            "verb": "add",
            "comment_id": "c\x00",
            "post_id": "p1",
            "created_time": 1615416577,
            "message": "hej",
        },
    }
    fine = {**change, "value": {**change["value"], "comment_id": "c2"}}
    body = orjson.dumps({"object": "page", "entry": [{"id": PAGE_ID, "time": 1615416579, "changes": [change, fine]}]})
    status, answer = await daemon.post_body("/webhooks/meta", body, {"X-Hub-Signature-256": sign(body)})
    assert (status, answer) == (200, b"EVENT_RECEIVED")  # Meta would retry a refusal: the bad change is skipped
    assert await stored() == 4


async def test_bad_encodings_deep_json_and_nul_ids_are_400_on_sqlite(daemon: Daemon, tmp_path: Path) -> None:
    async def stored() -> int:
        return sqlite_count(tmp_path)

    await refusals_name_the_line_and_good_events_land(daemon, stored)
    assert "Traceback" not in daemon.log.read_text(errors="replace")


@pytest.mark.postgres
async def test_bad_encodings_deep_json_and_nul_ids_are_400_on_postgres(tmp_path: Path, pg_url: str) -> None:
    async def stored() -> int:
        conn = await asyncpg.connect(pg_url, timeout=5)
        try:
            return int(await conn.fetchval("SELECT COUNT(*) FROM events"))
        finally:
            await conn.close()

    port = free_port()
    async with sentinel_daemon(write_config(tmp_path, port, pg_url), port, TOKEN) as daemon:
        await refusals_name_the_line_and_good_events_land(daemon, stored)
        assert "Traceback" not in daemon.log.read_text(errors="replace")


# -- what the log says of a request it refused ----------------------------------------------------------------


async def test_a_request_the_parser_refuses_is_logged_without_the_secrets_it_carried(daemon: Daemon) -> None:
    """aiohttp's reason for refusing a request quotes the bytes it refused: a bearer token after a control
    character or in a folded header, a verify token in a URL with a raw byte, a session cookie in an over-long
    header all went into the log."""
    port = int(daemon.url.rsplit(":", 1)[1])
    cookie = "sentinel_session=session-secret-in-a-cookie"
    requests = [
        f"POST /api/v1/events HTTP/1.1\nHost: x\nAuthorization: Bearer {TOKEN}\nContent-Length: 2\n\n{{}}",
        f"GET /api/v1/incidents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n {TOKEN}\r\n\r\n",
        f"GET /api/v1/incidents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\x01\r\n\r\n",
        "GET /webhooks/meta?hub.mode=subscribe&hub.verify_token=http-input-verify&hub.challenge=\x7f HTTP/1.1\r\n"
        "Host: x\r\n\r\n",
        f"GET / HTTP/1.1\r\nHost: x\r\nCookie: {cookie}; pad={'a' * 9000}\r\n\r\n",
    ]
    for request in requests:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(request.encode("latin-1"))
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(), 10)
        finally:
            writer.close()
        assert answer.startswith((b"HTTP/1.1 400", b"HTTP/1.0 400")), (request[:60], answer[:200])
    refused = await daemon.until(
        "five refusals logged",
        lambda: len(r := [x for x in daemon.log_records() if x.get("event") == "http.request_refused"]) >= 5 and r,
    )
    assert all(r["error"] for r in refused), refused
    text = daemon.log.read_text(errors="replace")
    for secret in (TOKEN, "http-input-verify", "session-secret-in-a-cookie"):
        assert secret not in text, secret
    assert await daemon.ready()


# -- time limits on what a client sends ---------------------------------------------------------------------


async def test_unfinished_headers_are_cut_off_after_the_header_timeout(daemon: Daemon) -> None:
    port = int(daemon.url.rsplit(":", 1)[1])
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = loop.time()
    writer.write(b"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # and never the rest
    await writer.drain()
    try:
        closed = await asyncio.wait_for(reader.read(), TIMEOUT_S + 5)
    finally:
        writer.close()
    took = loop.time() - started
    assert closed == b"" and TIMEOUT_S - 0.5 <= took <= TIMEOUT_S + 2, (closed, took)
    assert await daemon.ready()


async def test_a_connection_that_sends_nothing_is_closed_after_the_header_timeout(daemon: Daemon) -> None:
    port = int(daemon.url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        assert await asyncio.wait_for(reader.read(), TIMEOUT_S + 5) == b""
    finally:
        writer.close()


async def test_a_body_that_trickles_in_is_408_after_the_body_timeout(daemon: Daemon, tmp_path: Path) -> None:
    body = b"\n".join(lines(40, "slow"))
    loop = asyncio.get_running_loop()
    started = loop.time()
    status, answer = await raw_post(daemon, ingest_head(len(body)), split(body, 40), gap_s=0.25)
    assert status == 408 and b"did not arrive" in answer
    assert loop.time() - started < TIMEOUT_S + 12  # the answer came at the timeout (the rest is discarded)
    assert sqlite_count(tmp_path) == 0


# -- what the words say -------------------------------------------------------------------------------------


async def test_a_comment_whose_words_are_one_long_run_is_read_like_any_other(daemon: Daemon) -> None:
    """8,000 characters (a Facebook comment's most) of "jätte", read as one word, went 1,600 compounds deep: the
    RecursionError failed the worker's batch three times before the comment was passed over, unread."""
    long_run = event("comment.created", at("0s"), post_id="p1", comment_id="run", message="jätte" * 1600)
    now = datetime.now(UTC)  # the comment after it is the only one of today: the lag says when it was processed
    plain = event("comment.created", now, post_id="p1", comment_id="plain", message="Har ni öppet i dag?")
    await daemon.post_events([long_run, plain])
    await daemon.until("the comment after it processed", lambda: _lag_under(daemon, 3600.0))
    failed = [r for r in daemon.log_records() if r.get("event") in ("worker.batch_failed", "worker.event_skipped")]
    assert failed == [], failed


async def _lag_under(daemon: Daemon, seconds: float) -> bool:
    lag = await daemon.metric("sentinel_pipeline_lag_seconds")
    return lag is not None and 0 < lag < seconds
