"""A real daemon on loopback for the tests of who has authority: erik and sara in ``people:``, both enrolled; sara is
the security on-call (a hijack pages her only), erik is on no route. The daemon runs on a simulated clock the tests
move, so each code is the next 30 s step's; a browser signs in to its console; ``sentinel staff`` runs against its
store while it runs, as an operator would."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp

from sentinel.config.types import Secret
from sentinel.security.config import SecurityConfig
from sentinel.security.store import SecurityStore
from sentinel.security.tokens import hash_token
from sentinel.security.totp import TotpGuard
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import event
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

START = datetime(2025, 9, 26, 19, 40, tzinfo=UTC)
INGEST = "people-test-ingest-token"
OPERATOR = "snt_people-test-operator-token-0123456789"
SECRET_KEY = "people-test-secret-key-0123456789abcdef"
ERIK = "  - {name: erik, channels: [webhook]}\n"


def config_text(workdir: Path, port: int, hook: str) -> str:
    return f"""pages:
  - id: druvan
    timezone: UTC
people:
{ERIK}  - {{name: sara, channels: [webhook]}}
schedules:
  - name: security-oncall
    layers: [{{users: [sara], rotation: weekly}}]
escalation:
  group_wait: 0s
  policies:
    - name: hijack
      steps:
        - targets: [{{schedule: security-oncall}}]
          channels: [webhook]
  routes:
    - category: hijack
      policy: hijack
notify:
  channels:
    webhook: {{type: webhook, url: "{hook}/hook"}}
security:
  secret_key: {SECRET_KEY}
  operator_tokens: [{{name: ops, hash: "{hash_token(OPERATOR)}"}}]
""" + daemon_settings(workdir, port)


@dataclass
class Env:
    daemon: Daemon
    config: Path
    totp: dict[str, pyotp.TOTP]
    incident: str = ""  # the hijack, paging sara
    now: datetime = START

    async def advance(self, by: timedelta) -> None:
        self.now += by
        to = {"time": self.now.isoformat()}
        async with aiohttp.ClientSession() as s, s.post(f"{self.daemon.url}/-/test/clock", json=to) as r:
            assert r.status == 200, await r.text()

    async def code(self, person: str) -> str:
        """``person``'s next unspent code: the clock moves to the next 30 s step first."""
        await self.advance(timedelta(seconds=30))
        return self.totp[person].at(self.now)

    async def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {OPERATOR}"} if body is None else {}
        async with (
            aiohttp.ClientSession() as s,
            s.request(method, f"{self.daemon.url}{path}", json=body, headers=headers) as r,
        ):
            return r.status, await r.json()

    async def reload_without_erik(self) -> None:
        """Take erik out of ``people:`` (his enrolment stays in the store) and SIGHUP."""
        text = self.config.read_text()
        assert ERIK in text
        self.config.write_text(text.replace(ERIK, ""))
        seen = len(self.daemon.log_records())
        self.daemon.proc.send_signal(signal.SIGHUP)
        await self.daemon.until(
            "the reload", lambda: any(r.get("event") == "app.reloaded" for r in self.daemon.log_records()[seen:])
        )

    def staff(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``sentinel staff ARGS -c CONFIG``, against the running daemon's store."""
        return subprocess.run(
            [sys.executable, "-m", "sentinel", "staff", *args, "-c", str(self.config)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "SENTINEL_INGEST_TOKEN": INGEST},
        )

    def audit(self, person: str) -> list[tuple[str, str]]:
        """``person``'s (action, result) entries in the security audit trail, oldest first."""
        conn = sqlite3.connect(self.config.parent / "sentinel.db")
        try:
            sql = "SELECT action, result FROM security_audit WHERE person = ? ORDER BY time"
            return list(conn.execute(sql, (person,)))
        finally:
            conn.close()


async def enroll(workdir: Path, *names: str) -> dict[str, pyotp.TOTP]:
    db = SqliteDatabase.open(str(workdir / "sentinel.db"))
    guard = TotpGuard(SecurityStore(db), SecurityConfig(secret_key=Secret(SECRET_KEY)))
    try:
        return {n: pyotp.TOTP(pyotp.parse_uri((await guard.enroll(n, START)).uri).secret) for n in names}
    finally:
        await db.close()


@asynccontextmanager
async def people_daemon(workdir: Path) -> AsyncIterator[Env]:
    """The daemon, with the hijack open and sara paged."""
    totp = await enroll(workdir, "erik", "sara")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = workdir / "sentinel.yaml"
        cfg.write_text(config_text(workdir, port, hook_url))
        async with sentinel_daemon(cfg, port, INGEST, env={"SENTINEL_TEST_CLOCK": START.isoformat()}) as daemon:
            env = Env(daemon, cfg, totp)
            grant = event(
                "role.granted",
                START,
                page="druvan",
                id="people:grant",
                user={"id": "666", "name": "Mr X"},
                tasks=["MANAGE"],
                actor=None,
            )
            await daemon.post_events([grant])
            await env.advance(timedelta(seconds=1))
            _, listed = await env.api("GET", "/api/v1/incidents")
            [env.incident] = [i["id"] for i in listed["incidents"] if i["category"] == "hijack"]
            await daemon.until("sara paged", lambda: hook.delivered)
            yield env


CSRF = re.compile(r'name="csrf" value="([^"]*)"')


class Browser:
    """Keeps cookies, follows no redirects."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def __aenter__(self) -> Browser:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.session.close()

    async def get(self, path: str) -> tuple[int, str, str]:
        """The status, the body and the Location header."""
        async with self.session.get(self.env.daemon.url + path, allow_redirects=False) as r:
            return r.status, await r.text(), r.headers.get("Location", "")

    async def post(self, path: str, data: dict[str, str]) -> int:
        async with self.session.post(self.env.daemon.url + path, data=data, allow_redirects=False) as r:
            await r.read()
            return r.status

    async def sign_in(self, person: str, code: str) -> int:
        _, html, _ = await self.get("/sign-in")
        m = CSRF.search(html)
        assert m, html[:500]
        return await self.post("/sign-in", {"csrf": m.group(1), "person": person, "code": code, "next": "/"})

    async def signed_in(self) -> bool:
        status, html, _ = await self.get("/")
        return status == 200 and CSRF.search(html) is not None
