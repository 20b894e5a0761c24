"""Sentinel as a subprocess for the end-to-end tests: ``python -m sentinel run`` on a loopback port.

The daemon's JSON log (stderr) goes to a file, so a long run never blocks on
a full pipe and a failing test can quote it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import orjson

from sentinel.model import Event

POLL_S = 0.05


@dataclass(slots=True)
class Daemon:
    proc: asyncio.subprocess.Process
    url: str
    log: Path
    token: str

    async def post_events(self, events: list[Event]) -> None:
        body = b"\n".join(orjson.dumps(e.to_json()) for e in events)
        async with aiohttp.ClientSession() as s, s.post(
                f"{self.url}/api/v1/events", data=body, headers={"Authorization": f"Bearer {self.token}"}) as r:
            assert r.status == 200, f"ingest answered {r.status}: {await r.text()}"


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:]


async def _ready(proc: asyncio.subprocess.Process, url: str, log: Path, wait_s: float) -> None:
    async with aiohttp.ClientSession() as s:
        try:
            async with asyncio.timeout(wait_s):
                while True:
                    if proc.returncode is not None:
                        raise AssertionError(f"daemon exited {proc.returncode}:\n{_tail(log)}")
                    with contextlib.suppress(aiohttp.ClientError):
                        async with s.get(f"{url}/readyz") as r:
                            if r.status == 200:
                                return
                    await asyncio.sleep(POLL_S)
        except TimeoutError:
            raise AssertionError(f"daemon not ready at {url} within {wait_s:g}s:\n{_tail(log)}") from None


@contextlib.asynccontextmanager
async def sentinel_daemon(config: Path, port: int, token: str, *, wait_s: float = 30.0) -> AsyncIterator[Daemon]:
    """Run ``sentinel run --config config`` (serving on ``port``) until the block exits; then SIGTERM."""
    log = config.with_suffix(".log")
    env = dict(os.environ, SENTINEL_INGEST_TOKEN=token)
    with log.open("ab") as f:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "sentinel", "run", "--config", str(config), env=env,
            stdin=asyncio.subprocess.DEVNULL, stdout=f, stderr=f)
    url = f"http://127.0.0.1:{port}"
    try:
        await _ready(proc, url, log, wait_s)
        yield Daemon(proc, url, log, token)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 15)
            except TimeoutError:
                proc.kill()
                await proc.wait()
