"""A real daemon on loopback for the console tests (one per test module), on a simulated clock
(``SENTINEL_TEST_CLOCK``) the tests move: a TOTP code is spent once, so each action takes the next 30 s step.

People: erik (responder, the security on-call), vera (viewer), anna (admin), lena (responder, on no route).
Page ``druvan`` has one hijack incident (a stranger given MANAGE) and one health incident (a source error).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp
import pytest_asyncio

from sentinel.config.types import Secret
from sentinel.security.config import SecurityConfig
from sentinel.security.store import SecurityStore
from sentinel.security.tokens import hash_token
from sentinel.security.totp import TotpGuard
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import event
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

START = datetime(2025, 9, 26, 19, 40, tzinfo=UTC)  # a Friday, 21:40 in Stockholm
INGEST = "console-test-ingest-token"
OPERATOR = "snt_console-test-operator-token-0123456789"
SECRET_KEY = "console-test-secret-key-0123456789abcdef"
PEOPLE = ("erik", "vera", "anna", "lena", "olle")


def config_text(workdir: Path, port: int, hook: str) -> str:
    people = "".join(f"  - {{name: {p}, channels: [webhook]}}\n" for p in PEOPLE)
    return f"""pages:
  - id: druvan
    name: Druvan
    timezone: Europe/Stockholm
people:
{people}schedules:
  - name: security-oncall
    timezone: Europe/Stockholm
    layers: [{{users: [erik], rotation: weekly}}]
escalation:
  group_wait: 0s
  policies:
    - name: hijack
      repeat: until_acknowledged
      repeat_after: 10m
      steps:
        - targets: [{{schedule: security-oncall}}]
          channels: [webhook]
    - name: team
      steps:
        - targets: [{{person: erik}}]
          channels: [webhook]
  routes:
    - {{category: hijack, policy: hijack}}
    - {{category: health, policy: team}}
notify:
  channels:
    webhook: {{type: webhook, url: "{hook}/hook"}}
security:
  secret_key: {SECRET_KEY}
  operator_tokens: [{{name: ops, hash: "{hash_token(OPERATOR)}"}}]
  console:
    roles: {{vera: viewer, anna: admin}}
    session_ttl: 1h
""" + daemon_settings(workdir, port)


async def enroll(workdir: Path, names: tuple[str, ...], at: datetime = START) -> dict[str, pyotp.TOTP]:
    """What ``sentinel staff enroll`` does, before the daemon starts (into ``workdir/sentinel.db``)."""
    db = SqliteDatabase.open(str(workdir / "sentinel.db"))
    guard = TotpGuard(SecurityStore(db), SecurityConfig(secret_key=Secret(SECRET_KEY)))
    try:
        return {n: pyotp.TOTP(pyotp.parse_uri((await guard.enroll(n, at)).uri).secret) for n in names}
    finally:
        await db.close()


@dataclass
class Env:
    """The running daemon, its simulated time, and the people's authenticators."""

    daemon: Daemon
    totp: dict[str, pyotp.TOTP]
    hook: KeyedFake
    workdir: Path
    now: datetime = START
    incidents: dict[str, str] = field(default_factory=dict)  # category -> incident id

    @property
    def url(self) -> str:
        return self.daemon.url

    async def advance(self, by: timedelta) -> datetime:
        """Move the daemon's clock (it processes what it has and ticks at the new time)."""
        self.now += by
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s,
            s.post(f"{self.url}/-/test/clock", json={"time": self.now.isoformat()}) as r,
        ):
            assert r.status == 200, await r.text()
        return self.now

    async def code(self, person: str) -> str:
        """``person``'s next unspent code: the clock moves to the next 30 s step first."""
        await self.advance(timedelta(seconds=30))
        return self.totp[person].at(self.now)

    def wrong(self, person: str) -> str:
        valid = {self.totp[person].at(self.now + timedelta(seconds=d)) for d in (-60, -30, 0, 30, 60)}
        return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)

    async def api(self, path: str) -> Any:
        async with (
            aiohttp.ClientSession() as s,
            s.get(f"{self.url}{path}", headers={"Authorization": f"Bearer {OPERATOR}"}) as r,
        ):
            assert r.status == 200, await r.text()
            return await r.json()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def env(tmp_path_factory: Any) -> AsyncIterator[Env]:
    workdir: Path = tmp_path_factory.mktemp("console")
    totp = await enroll(workdir, PEOPLE)
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = workdir / "sentinel.yaml"
        cfg.write_text(config_text(workdir, port, hook_url))
        async with sentinel_daemon(cfg, port, INGEST, env={"SENTINEL_TEST_CLOCK": START.isoformat()}) as daemon:
            e = Env(daemon, totp, hook, workdir)
            grant = event(
                "role.granted", START, id="console:grant", user={"id": "666", "name": "Mr X"}, tasks=["MANAGE"]
            )
            broken = event("source.error", START, id="console:error", message="token expired", actor=None)
            await daemon.post_events([grant, broken])
            await e.advance(timedelta(seconds=1))
            listed = await e.api("/api/v1/incidents")
            e.incidents = {i["category"]: i["id"] for i in listed["incidents"]}
            assert set(e.incidents) >= {"hijack", "health"}, listed
            yield e


CSRF = re.compile(r'name="csrf" value="([^"]*)"')


def csrf_of(html: str) -> str:
    m = CSRF.search(html)
    assert m, html[:2000]
    return m.group(1)


class Browser:
    """An HTTP client keeping cookies, following no redirects: what a browser does, one request at a time."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def close(self) -> None:
        await self.session.close()

    async def get(self, path: str) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.session.get(self.env.url + path, allow_redirects=False) as r:
            return r.status, await r.text(), r

    async def post(self, path: str, data: dict[str, str]) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.session.post(self.env.url + path, data=data, allow_redirects=False) as r:
            return r.status, await r.text(), r

    async def form_csrf(self, path: str = "/") -> str:
        status, html, _ = await self.get(path)
        assert status == 200, (status, html[:500])
        return csrf_of(html)

    async def sign_in(self, person: str, code: str | None = None) -> int:
        """Sign in; the status of the answer (303 when signed in)."""
        _, html, _ = await self.get("/sign-in")
        status, _, _ = await self.post(
            "/sign-in",
            {"csrf": csrf_of(html), "person": person, "code": code or await self.env.code(person), "next": "/"},
        )
        return status


@pytest_asyncio.fixture(loop_scope="module")
async def browser(env: Env) -> AsyncIterator[Browser]:
    b = Browser(env)
    try:
        yield b
    finally:
        await b.close()
