"""The lockout holds across replicas (processes on one PostgreSQL database, the system clock): guesses sent in
parallel to two replicas get exactly ``lockout_threshold`` codes checked before the person is locked out.

Each replica read the person's lockout before taking its own, process-local lock, so a replica that had read "not
locked" checked its guess after the other had locked: 50 parallel guesses over two replicas got 6 checked against a
threshold of 5."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pyotp
import pytest

from sentinel.testing.daemon import (
    Daemon,
    enroll,
    free_port,
    hijack_paging_config,
    new_admin,
    operator_get,
    start_daemon,
    stop_daemon,
)
from sentinel.testing.providers import KeyedFake, serve

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TOKEN = "cluster-lockout-ingest-token"
GUESSES = 100  # spread over the two replicas, all at once


async def replica(tmp_path: Path, name: str, pg_url: str, hook_url: str) -> Daemon:
    workdir = tmp_path / name
    workdir.mkdir(exist_ok=True)
    port = free_port()
    cfg = hijack_paging_config(workdir, port, hook_url, store_url=pg_url)
    return await start_daemon(cfg, port, TOKEN, env={"SENTINEL_REPLICA": name})


def wrong_codes(totp: pyotp.TOTP, n: int) -> list[str]:
    now = datetime.now(UTC)
    valid = {totp.at(now + timedelta(seconds=d)) for d in range(-90, 91, 30)}
    return [c for c in (f"{200000 + i:06d}" for i in range(n + len(valid))) if c not in valid][:n]


async def _first(listed: Any) -> str | None:
    incidents = (await listed)["incidents"]
    return str(incidents[0]["id"]) if incidents else None


async def test_parallel_guesses_over_two_replicas_check_no_more_codes_than_the_threshold(
    tmp_path: Path, pg_url: str
) -> None:
    erik = await enroll(tmp_path, "erik", store_url=pg_url)
    async with serve(KeyedFake()) as (_, hook_url):
        a = await replica(tmp_path, "rep-a", pg_url, hook_url)
        try:
            b = await replica(tmp_path, "rep-b", pg_url, hook_url)
            try:
                # a real incident routed to erik (a made-up id is refused before any code is checked)
                await a.post_events([new_admin(datetime.now(UTC).replace(microsecond=0))])
                inc = await a.until(
                    "the hijack incident",
                    lambda: _first(operator_get(a, "/api/v1/incidents")),
                )
                async with aiohttp.ClientSession() as s:

                    async def guess(daemon: Daemon, code: str) -> int:
                        body = {"person": "erik", "code": code}
                        async with s.post(f"{daemon.url}/api/v1/incidents/{inc}/ack", json=body) as r:
                            await r.read()
                            return r.status

                    codes = wrong_codes(erik, GUESSES)
                    answers = await asyncio.gather(*(guess((a, b)[i % 2], c) for i, c in enumerate(codes)))
            finally:
                await stop_daemon(b)
        finally:
            await stop_daemon(a)
    assert sorted(set(answers)) == [403, 423], answers
    conn = await asyncpg.connect(pg_url)
    try:
        checked = await conn.fetchval(
            "SELECT COUNT(*) FROM security_audit WHERE person = 'erik' AND result = 'invalid'"
        )
    finally:
        await conn.close()
    assert answers.count(403) == checked == 5, (answers.count(403), checked)
