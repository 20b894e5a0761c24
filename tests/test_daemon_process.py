"""The daemon as a process: kill -9 loses nothing acknowledged; SIGTERM exits cleanly, in time."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import orjson
import pytest

from sentinel.testing import at, event
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon, start_daemon

pytestmark = pytest.mark.slow

TOKEN = "daemon-test-token"


def write_config(tmp_path: Path, port: int) -> Path:
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text("pages:\n  - id: druvan\n    timezone: Europe/Stockholm\n" + daemon_settings(tmp_path, port))
    return cfg


def stored_ids(tmp_path: Path) -> list[str]:
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        return [r[0] for r in conn.execute("SELECT id FROM events")]
    finally:
        conn.close()


async def post_batches(
    port: int, acked: list[str], stop: asyncio.Event, reached: asyncio.Event, threshold: int, start: int = 0
) -> None:
    """Stream batches of 10 events until stopped or the server goes away; record acknowledged ids.

    ``reached`` is set once ``threshold`` events have been acknowledged."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    i = start
    async with aiohttp.ClientSession() as s:
        while not stop.is_set():
            batch = [
                event(
                    "comment.created",
                    at(f"{i + k}s"),
                    id=f"kill:{i + k}",
                    message="Hej? Öppet idag?",
                    post_id="p1",
                    comment_id=f"c{i + k}",
                )
                for k in range(10)
            ]
            body = b"\n".join(orjson.dumps(e.to_json()) for e in batch)
            try:
                async with s.post(f"http://127.0.0.1:{port}/api/v1/events", data=body, headers=headers) as r:
                    if r.status == 200:
                        acked.extend(e.id for e in batch)
                        if len(acked) >= threshold:
                            reached.set()
            except (aiohttp.ClientError, ConnectionError):
                return
            i += 10


@dataclass
class Streaming:
    """A daemon with a client streaming events into it, past ``threshold`` acknowledged ones."""

    daemon: Daemon
    cfg: Path
    port: int
    acked: list[str]
    stop: asyncio.Event
    writer: asyncio.Task[None]


async def streaming_daemon(tmp_path: Path, threshold: int) -> Streaming:
    port = free_port()
    cfg = write_config(tmp_path, port)
    daemon = await start_daemon(cfg, port, TOKEN)
    acked: list[str] = []
    stop, reached = asyncio.Event(), asyncio.Event()
    writer = asyncio.create_task(post_batches(port, acked, stop, reached, threshold))
    await asyncio.wait_for(reached.wait(), 60)
    return Streaming(daemon, cfg, port, acked, stop, writer)


async def test_sigkill_while_ingesting_loses_no_acknowledged_event(tmp_path: Path) -> None:
    run = await streaming_daemon(tmp_path, 300)
    daemon, cfg, port, acked, stop, writer = run.daemon, run.cfg, run.port, run.acked, run.stop, run.writer
    daemon.proc.send_signal(signal.SIGKILL)  # mid-stream: requests are in flight
    await daemon.proc.wait()
    stop.set()
    await asyncio.wait_for(writer, 30)

    async with sentinel_daemon(cfg, port, TOKEN):  # restart on the same store
        ids = stored_ids(tmp_path)
        assert set(acked) <= set(ids), f"{len(set(acked) - set(ids))} acknowledged events lost"
        assert len(ids) == len(set(ids))


async def test_sigterm_exits_cleanly_within_ten_seconds_with_nothing_lost(tmp_path: Path) -> None:
    run = await streaming_daemon(tmp_path, 200)
    daemon, acked, stop, writer = run.daemon, run.acked, run.stop, run.writer
    daemon.proc.send_signal(signal.SIGTERM)
    rc = await asyncio.wait_for(daemon.proc.wait(), 10)
    stop.set()
    await asyncio.wait_for(writer, 30)
    assert rc == 0
    ids = stored_ids(tmp_path)
    assert set(acked) <= set(ids) and len(ids) == len(set(ids))
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        cursor = conn.execute("SELECT value FROM cursors WHERE name = 'pipeline.seq'").fetchone()
        max_seq = conn.execute("SELECT MAX(seq) FROM events").fetchone()[0]
    finally:
        conn.close()
    assert cursor is not None and int(cursor[0]) == max_seq, "stored events were left unprocessed"
