"""Nobody can lock an on-call person out who has neither their codes nor an incident of theirs, against a real daemon
on loopback (a subprocess, on the system clock: the codes are real ones).

Five wrong codes against a made-up incident id, without a token, used to lock erik out for 15 minutes: the code was
checked before the incident was looked for. And twelve copies of one right code sent at once (a double-tap, a
retrying client) answered one 200 and then "already used" until the fifth copy locked erik out with his own code.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp
import pytest

from sentinel.testing.daemon import Daemon, enroll, free_port, hijack_paging_config, new_admin, sentinel_daemon
from sentinel.testing.daemon import operator_get as get
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "lockout-daemon-ingest-token"


def wrong(totp: pyotp.TOTP, n: int) -> list[str]:
    now = datetime.now(UTC)
    valid = {totp.at(now + timedelta(seconds=d)) for d in range(-90, 91, 30)}
    return [c for c in (f"{300000 + i:06d}" for i in range(n + len(valid))) if c not in valid][:n]


async def post(s: aiohttp.ClientSession, daemon: Daemon, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    async with s.post(f"{daemon.url}{path}", json=body) as r:  # no token: anyone who reaches the port
        return r.status, await r.json()


def erik_row(tmp_path: Path) -> tuple[tuple[Any, ...], int]:
    """erik's wrong codes in a row and lockout; and his failed codes kept for the day's count."""
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        [row] = conn.execute("SELECT failures, locked_until FROM security_staff WHERE name = 'erik'")
        [(kept,)] = conn.execute("SELECT COUNT(*) FROM security_failures WHERE person = 'erik'")
    finally:
        conn.close()
    return row, int(kept)


async def open_hijack(daemon: Daemon, hook: KeyedFake) -> str:
    await daemon.post_events([new_admin(datetime.now(UTC).replace(microsecond=0))])
    await daemon.until("erik paged", lambda: hook.delivered)
    [inc] = [i["id"] for i in (await get(daemon, "/api/v1/incidents"))["incidents"]]
    return str(inc)


async def test_wrong_codes_against_a_made_up_incident_are_refused_unchecked_and_lock_nobody_out(tmp_path: Path) -> None:
    erik = await enroll(tmp_path, "erik")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        async with sentinel_daemon(hijack_paging_config(tmp_path, port, hook_url), port, TOKEN) as daemon:
            inc = await open_hijack(daemon, hook)
            async with aiohttp.ClientSession() as s:
                for action, code in zip(
                    ("ack", "resolve", "snooze", "take-over", "ack", "ack", "ack"), wrong(erik, 7), strict=True
                ):
                    body = {"person": "erik", "code": code, "for": "30m"}
                    status, answer = await post(s, daemon, f"/api/v1/incidents/inc-999999/{action}", body)
                    assert status == 404 and "no incident" in answer["error"], (action, status, answer)
                assert erik_row(tmp_path) == ((0, None), 0)  # no failure counted, no lockout
                status, body = await post(
                    s, daemon, f"/api/v1/incidents/{inc}/ack", {"person": "erik", "code": erik.now()}
                )
                assert status == 200 and body["status"] == "acknowledged", body


async def test_one_right_code_sent_twelve_times_at_once_acts_once_and_locks_nobody_out(tmp_path: Path) -> None:
    erik = await enroll(tmp_path, "erik")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        async with sentinel_daemon(hijack_paging_config(tmp_path, port, hook_url), port, TOKEN) as daemon:
            inc = await open_hijack(daemon, hook)
            async with aiohttp.ClientSession() as s:
                code = erik.now()
                answers = await asyncio.gather(
                    *(
                        post(s, daemon, f"/api/v1/incidents/{inc}/ack", {"person": "erik", "code": code})
                        for _ in range(12)
                    )
                )
                statuses = sorted(status for status, _ in answers)
                assert statuses == [200] + [403] * 11, answers
                assert all("already used" in body["error"] for status, body in answers if status == 403), answers
                assert erik_row(tmp_path) == ((0, None), 0)
                # the brute-force guard is intact: five wrong codes in a row still lock him out
                for code in wrong(erik, 5):
                    status, _ = await post(
                        s, daemon, f"/api/v1/incidents/{inc}/resolve", {"person": "erik", "code": code}
                    )
                    assert status == 403
                status, _ = await post(
                    s, daemon, f"/api/v1/incidents/{inc}/resolve", {"person": "erik", "code": "000000"}
                )
                assert status == 423


async def test_a_right_code_older_than_one_used_is_refused_as_such_and_locks_nobody_out(tmp_path: Path) -> None:
    """A never-used code of erik's, older than one he has used (the accepted time step only moves forward, RFC 6238
    5.2), was refused with "that code was already used", which it never was. Sent past the lockout threshold."""
    erik = await enroll(tmp_path, "erik")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        async with sentinel_daemon(hijack_paging_config(tmp_path, port, hook_url), port, TOKEN) as daemon:
            inc = await open_hijack(daemon, hook)
            now = datetime.now(UTC)
            # the next step's code (accepted one step early), then this step's: right for the daemon's clock whichever
            # step it is in by then, and older than the one used
            newer, older = erik.at(now + timedelta(seconds=30)), erik.at(now)
            async with aiohttp.ClientSession() as s:
                status, body = await post(s, daemon, f"/api/v1/incidents/{inc}/ack", {"person": "erik", "code": newer})
                assert status == 200 and body["status"] == "acknowledged", body
                for action in ("snooze", "resolve", "resolve", "resolve", "resolve", "resolve"):
                    status, body = await post(
                        s, daemon, f"/api/v1/incidents/{inc}/{action}", {"person": "erik", "code": older, "for": "1h"}
                    )
                    assert (status, body["error"]) == (
                        403,
                        "a newer code has already been used: enter the next code your app shows",
                    ), (action, body)
                assert erik_row(tmp_path) == ((0, None), 0)  # no failure counted, no lockout
            audit = sqlite3.connect(tmp_path / "sentinel.db")
            try:
                results = [r for (r,) in audit.execute("SELECT result FROM security_audit WHERE person = 'erik'")]
            finally:
                audit.close()
            assert results.count("superseded") == 6, results
