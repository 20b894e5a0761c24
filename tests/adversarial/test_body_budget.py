"""Bodies being read at once hold a bounded budget of memory (a real daemon on loopback, raw sockets).

The red-team case: connections to ``POST /webhooks/meta``, unauthenticated (a signature can only be checked over
a whole body), each declaring a 2 MiB body and sending all of it but the last byte, then holding. Each kept its
2 MiB buffered for the 60 s body timeout: 850 connections, 1.7 GB, with no limit but the open-file limit. Now
each family of endpoints reads at most ``server.body_budget_bytes`` at once; a body beyond it is answered 503
with Retry-After before it is read, and the share comes back when a reading ends. The families are apart: a
flood of webhook bodies does not refuse the ingest API's token holder a hijack.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import orjson
import pytest

from sentinel.testing.daemon import Daemon, free_port, hijack_paging_config, new_admin, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "body-budget-test-token"
APP_SECRET = "body-budget-app-secret"
PAGE_ID = "101259571653026"
WEBHOOK_LIMIT = 256 * 1024  # sources.webhook_max_body_bytes here
BUDGET = 4 * WEBHOOK_LIMIT  # server.body_budget_bytes here: four whole webhook bodies at once
PATH = "/webhooks/meta"
BODY_TIMEOUT_S = 60  # long: a held body is answered by the budget, never by the timeout


def write_config(tmp_path: Path, port: int, hook_url: str) -> Path:
    cfg = hijack_paging_config(tmp_path, port, hook_url)
    text = cfg.read_text().replace(
        "  ingest_token:", f"  body_budget_bytes: {BUDGET}\n  body_timeout: {BODY_TIMEOUT_S}s\n  ingest_token:"
    )
    text = text.replace("    staffed_hours:", f'    page_id: "{PAGE_ID}"\n    staffed_hours:', 1)
    cfg.write_text(
        text + f"sources:\n  app_secret: {APP_SECRET}\n  verify_token: v\n  webhook_max_body_bytes: {WEBHOOK_LIMIT}\n"
    )
    return cfg


def port_of(daemon: Daemon) -> int:
    return int(daemon.url.rsplit(":", 1)[1])


def webhook_head(length: int, signature: str = "sha256=00") -> bytes:
    return (
        "POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-Hub-Signature-256: {signature}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


@asynccontextmanager
async def held_body(daemon: Daemon) -> AsyncIterator[asyncio.StreamReader]:
    """A webhook POST declaring the largest body allowed, all of it sent but the last byte, held open."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port_of(daemon))
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        writer.write(webhook_head(WEBHOOK_LIMIT) + b"a" * (WEBHOOK_LIMIT - 1))
        await writer.drain()
        yield reader
    finally:
        writer.close()


async def answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").rstrip("\r\n").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (f.split(":", 1) for f in fields)}
    return int(status_line.split()[1]), headers, await reader.readexactly(int(headers["content-length"]))


async def budget_used(daemon: Daemon, family: str) -> float:
    async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/metrics") as r:
        for line in (await r.text()).splitlines():
            if line.startswith(f'sentinel_http_body_budget_used_bytes{{family="{family}"}} '):
                return float(line.split()[1])
    raise AssertionError("no sentinel_http_body_budget_used_bytes on /metrics")


async def refused_busy(daemon: Daemon, family: str) -> float:
    async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/metrics") as r:
        for line in (await r.text()).splitlines():
            if line.startswith(f'sentinel_http_bodies_refused_busy_total{{family="{family}"}} '):
                return float(line.split()[1])
    return 0.0


def signed_delivery() -> tuple[bytes, str]:
    change = {
        "field": "feed",
        "value": {"item": "comment", "verb": "add", "comment_id": "c1", "post_id": "p1", "message": "Hej!"},
    }
    body = orjson.dumps({"object": "page", "entry": [{"id": PAGE_ID, "time": 1615416579, "changes": [change]}]})
    return body, "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()


async def test_held_webhook_bodies_spend_the_budget_and_the_next_is_503_at_once(tmp_path: Path) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = write_config(tmp_path, port, hook_url)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon, AsyncExitStack() as held:
            readers = [await held.enter_async_context(held_body(daemon)) for _ in range(BUDGET // WEBHOOK_LIMIT)]
            await daemon.until("the held bodies read", lambda: used_is(daemon, BUDGET))

            # the next webhook body is refused before it is read: 503, Retry-After, the connection closed
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                writer.write(webhook_head(WEBHOOK_LIMIT))
                await writer.drain()
                status, headers, text = await asyncio.wait_for(answer(reader), 5)  # not at the 60 s body timeout
                assert status == 503 and headers["retry-after"] == "5", (status, headers, text)
                assert headers.get("connection", "").lower() == "close"  # (after aiohttp's lingering close)
            finally:
                writer.close()
            assert await refused_busy(daemon, "webhook") == 1
            [logged] = [r for r in daemon.log_records() if r.get("event") == "http.body_budget_spent"]
            assert (logged["family"], logged["path"], logged["declared"]) == ("webhook", PATH, WEBHOOK_LIMIT)

            # the daemon serves meanwhile, and a hijack sent through ingest (another family) is taken and paged
            assert await daemon.alive()
            now = datetime.now(UTC).replace(microsecond=0)
            await daemon.post_events([new_admin(now)])
            await daemon.until("the hijack paged", lambda: len(hook.delivered) >= 1, wait_s=15)
            assert all(not r.at_eof() for r in readers)  # the held bodies are still held

            await held.aclose()  # the clients go away: every share comes back
            await daemon.until("the budget given back", lambda: used_is(daemon, 0))
            body, signature = signed_delivery()
            async with (
                aiohttp.ClientSession() as s,
                s.post(f"{daemon.url}/webhooks/meta", data=body, headers={"X-Hub-Signature-256": signature}) as r,
            ):
                assert (r.status, await r.text()) == (200, "EVENT_RECEIVED")
        assert "Traceback" not in daemon.log.read_text(errors="replace")


async def test_a_chunked_body_is_refused_when_it_grows_past_the_budget(tmp_path: Path) -> None:
    """Without a Content-Length, a body takes its share as it arrives, and is refused once it would go over."""
    async with serve(KeyedFake()) as (_, hook_url):
        port = free_port()
        cfg = write_config(tmp_path, port, hook_url)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon, AsyncExitStack() as held:
            for _ in range(BUDGET // WEBHOOK_LIMIT - 1):
                await held.enter_async_context(held_body(daemon))
            half = b"a" * (WEBHOOK_LIMIT // 2)
            first = await held.enter_async_context(chunked_body(daemon, half))  # fits: half a body's share left
            await daemon.until("half a body left", lambda: used_is(daemon, BUDGET - WEBHOOK_LIMIT // 2))
            second = await held.enter_async_context(chunked_body(daemon, half + b"a"))  # a byte more than is left
            status, headers, _ = await asyncio.wait_for(answer(second), 5)
            assert status == 503 and headers["retry-after"] == "5"
            await daemon.until("its share given back", lambda: used_is(daemon, BUDGET - WEBHOOK_LIMIT // 2))
            assert not first.at_eof()


@asynccontextmanager
async def chunked_body(daemon: Daemon, piece: bytes) -> AsyncIterator[asyncio.StreamReader]:
    """A chunked webhook POST whose first chunk is ``piece``, held open with no last chunk."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port_of(daemon))
    try:
        writer.write(
            b"POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Hub-Signature-256: sha256=00\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        )
        await writer.drain()
        yield reader
    finally:
        writer.close()


async def used_is(daemon: Daemon, expected: int) -> bool:
    return await budget_used(daemon, "webhook") == expected
