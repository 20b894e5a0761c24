"""A big ingest body is parsed off the event loop (a real daemon on loopback, raw sockets).

The red-team case: one 10 MiB JSON array of 110,000 minimal events held the loop about 5 s (parsing, then the
insert), so /healthz went unanswered for as long and back-to-back bodies kept a 3 s liveness probe failing. The
parse (1.7 s of it here) now runs in a thread; how long /healthz waits is measured by ``bench/ingest_loop.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon

pytestmark = pytest.mark.slow

TOKEN = "big-ingest-body-token"


def big_array(mib: int = 10) -> tuple[bytes, int]:
    now = "2025-01-01T00:00:00+00:00"
    items = [
        orjson.dumps({"id": f"i{i}", "time": now, "platform": "x", "page": "p", "kind": "z"})
        for i in range(mib * 1024 * 1024 // 90)
    ]
    return b"[" + b",".join(items) + b"]", len(items)


async def ingest_budget_used(daemon: Daemon) -> float:
    async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/metrics") as r:
        for line in (await r.text()).splitlines():
            if line.startswith('sentinel_http_body_budget_used_bytes{family="ingest"} '):
                return float(line.split()[1])
    return -1.0


async def test_the_daemon_answers_while_a_big_body_is_parsed(tmp_path: Path) -> None:
    port = free_port()
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text("pages:\n  - id: p\n    timezone: UTC\n" + daemon_settings(tmp_path, port))
    body, n = big_array()
    async with sentinel_daemon(cfg, port, TOKEN) as daemon:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(
                f"POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body[:-1]
            )
            await writer.drain()
            await daemon.until("the body being read", lambda: _is(ingest_budget_used(daemon), len(body)), wait_s=30)
            posted = asyncio.create_task(reader.read())
            writer.write(body[-1:])  # the body is whole: the daemon parses it next
            await writer.drain()
            # the daemon answers another request between the end of the body's reading and the body's answer
            probed = asyncio.create_task(daemon.until("the body read", lambda: _is(ingest_budget_used(daemon), 0)))
            done, _ = await asyncio.wait({probed, posted}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
            assert done == {probed}, "the body was answered before any other request: the loop was held"
            answer = await asyncio.wait_for(posted, 60)
        finally:
            writer.close()
        assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
        assert orjson.loads(answer.split(b"\r\n\r\n", 1)[1]) == {"accepted": n, "new": n, "duplicates": 0}


async def _is(value: Coroutine[Any, Any, float], expected: float) -> bool:
    return await value == expected
