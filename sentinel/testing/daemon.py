"""Sentinel as a subprocess, for tests that need the real daemon (signals, crashes, end-to-end).

``python -m sentinel run`` serves on a loopback port; its JSON log (stderr)
goes to a file, so a long run never blocks on a full pipe and a failing test
can quote it. Waiting is always "until a condition holds, within a limit".
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pyotp

from sentinel.clock import SystemClock
from sentinel.model import Event

POLL_S = 0.05


def daemon_settings(workdir: Path, port: int, store_url: str | None = None) -> str:
    """The ``store``, ``server`` and ``logging`` sections of a test daemon's config, as YAML.

    The store is ``sentinel.db`` in ``workdir`` unless ``store_url`` names another (a PostgreSQL database shared by
    replicas). The ingest token comes from ``SENTINEL_INGEST_TOKEN``, which ``start_daemon`` sets.
    """
    return f"""store:
  url: {store_url or f"sqlite:///{workdir / 'sentinel.db'}"}
server:
  host: 127.0.0.1
  port: {port}
  ingest_token: ${{SENTINEL_INGEST_TOKEN}}
logging:
  format: json
"""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(slots=True)
class Daemon:
    proc: asyncio.subprocess.Process
    url: str
    log: Path
    token: str

    def log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def log_records(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            with contextlib.suppress(orjson.JSONDecodeError):
                rec = orjson.loads(line)
                if isinstance(rec, dict):
                    out.append(rec)
        return out

    async def until(self, what: str, check: Callable[[], Any], wait_s: float = 20.0) -> Any:
        """Poll ``check()`` (sync or async) until it returns something truthy; fail with the log tail."""
        try:
            async with asyncio.timeout(wait_s):
                while True:
                    if self.proc.returncode is not None:
                        raise AssertionError(
                            f"daemon exited {self.proc.returncode} waiting for {what}:\n{self.log_tail()}"
                        )
                    got = check()
                    if asyncio.iscoroutine(got):
                        got = await got
                    if got:
                        return got
                    await asyncio.sleep(POLL_S)
        except TimeoutError:
            raise AssertionError(f"no {what} within {wait_s:g}s:\n{self.log_tail()}") from None

    async def alive(self) -> bool:
        """``/healthz`` answers: the daemon serves, whether or not it is ready."""
        with contextlib.suppress(aiohttp.ClientError):
            async with aiohttp.ClientSession() as s, s.get(f"{self.url}/healthz") as r:
                return r.status == 200
        return False

    async def readiness(self) -> dict[str, Any]:
        """What ``/readyz`` answers (200 or 503): ``{"status": ..., "checks": {...}}``."""
        async with aiohttp.ClientSession() as s, s.get(f"{self.url}/readyz") as r:
            body: dict[str, Any] = await r.json()
            return body

    async def ready(self) -> bool:
        with contextlib.suppress(aiohttp.ClientError):
            async with aiohttp.ClientSession() as s, s.get(f"{self.url}/readyz") as r:
                return r.status == 200
        return False

    async def post_events(self, events: list[Event]) -> None:
        status, answer = await self.ingest(events)
        assert status == 200, f"ingest answered {status}: {answer}"

    async def ingest(self, events: list[Event]) -> tuple[int, Any]:
        """POST ``events`` to the ingest API as JSON lines: (status, the answer's JSON, or its text)."""
        status, answer = await self.post_body("/api/v1/events", b"\n".join(orjson.dumps(e.to_json()) for e in events))
        return status, answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer

    async def post_body(self, path: str, body: bytes, headers: Mapping[str, str] | None = None) -> tuple[int, Any]:
        """POST ``body`` as it is (the ingest token as bearer, ``headers`` beside): (status, the answer's JSON, or
        its bytes)."""
        auth = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        async with aiohttp.ClientSession() as s, s.post(f"{self.url}{path}", data=io.BytesIO(body), headers=auth) as r:
            raw = await r.read()
            try:
                return r.status, orjson.loads(raw)
            except orjson.JSONDecodeError:
                return r.status, raw

    async def metric(self, name: str) -> float | None:
        """The value of an unlabelled metric on /metrics."""
        async with aiohttp.ClientSession() as s, s.get(f"{self.url}/metrics") as r:
            for line in (await r.text()).splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[1])
        return None


async def start_daemon(
    config: Path,
    port: int,
    token: str,
    *,
    wait_s: float = 30.0,
    env: Mapping[str, str] | None = None,
    ready: bool = True,
) -> Daemon:
    """Start ``sentinel run --config config`` (serving on ``port``) and wait until it is ready.

    ``env``: more environment for the daemon (e.g. ``SENTINEL_FAULT_KILL``), over this process's own.
    ``ready=False``: wait only until it serves (``/healthz``), for tests of a daemon that is not ready."""
    log = config.with_suffix(".log")
    env = {**os.environ, **(env or {}), "SENTINEL_INGEST_TOKEN": token}
    with log.open("ab") as f:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "sentinel",
            "run",
            "--config",
            str(config),
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=f,
            stderr=f,
        )
    daemon = Daemon(proc, f"http://127.0.0.1:{port}", log, token)
    try:
        await daemon.until("readiness" if ready else "/healthz", daemon.ready if ready else daemon.alive, wait_s)
    except BaseException:
        await stop_daemon(daemon)
        raise
    return daemon


async def stop_daemon(daemon: Daemon, wait_s: float = 15.0) -> int:
    """SIGTERM, then SIGKILL after ``wait_s``; returns the exit status."""
    if daemon.proc.returncode is None:
        daemon.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(daemon.proc.wait(), wait_s)
        except TimeoutError:
            daemon.proc.kill()
            await daemon.proc.wait()
    return int(daemon.proc.returncode or 0)


@contextlib.asynccontextmanager
async def sentinel_daemon(
    config: Path,
    port: int,
    token: str,
    *,
    wait_s: float = 30.0,
    env: Mapping[str, str] | None = None,
    ready: bool = True,
) -> AsyncIterator[Daemon]:
    """The daemon for the duration of the block; stopped with SIGTERM after it."""
    daemon = await start_daemon(config, port, token, wait_s=wait_s, env=env, ready=ready)
    try:
        yield daemon
    finally:
        await stop_daemon(daemon)


# -- a daemon that pages one person for a hijack --------------------------------------------------------------------

OPERATOR_TOKEN = "snt_daemon-test-operator-token-0123456789"
SECRET_KEY = "daemon-test-secret-key-0123456789abcdef"
ERIK_PHONE, KARIN_PHONE = "+46701234501", "+46701234502"  # in ``hijack_paging_config`` with ``sms_url``
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def hijack_paging_config(
    workdir: Path,
    port: int,
    hook_url: str,
    *,
    more_pages: str = "",
    store_url: str | None = None,
    sms_url: str | None = None,
) -> Path:
    """A daemon config (written to ``workdir/sentinel.yaml``): page ``druvan`` staffed for an hour on a day three
    days off (so a new admin is critical whenever a test runs, and on any weekday's night), erik paged through a
    ``webhook`` channel at ``hook_url`` at every step of a hijack, every 10 minutes until acknowledged, and an
    operator token (``OPERATOR_TOKEN``) for the operator API. ``more_pages``: YAML list items to add to ``pages:``;
    ``store_url``: as in ``daemon_settings`` (a PostgreSQL database makes the daemon one of several replicas);
    ``sms_url``: a Twilio API there (a ``TwilioFake``, account ``AC123``) pages too, each page its own SMS: erik
    (``ERIK_PHONE``) on ``sms`` as well as the webhook, and karin (``KARIN_PHONE``, who reads Swedish) on ``sms``."""
    from sentinel.security.tokens import hash_token

    off_day = _DAYS[(SystemClock().now().weekday() + 3) % 7]
    people, targets, channels, sms = "    channels: [webhook]\n", "{person: erik}", "[webhook]", "  channels:\n"
    if sms_url is not None:
        people = (
            f"    phone: '{ERIK_PHONE}'\n    channels: [webhook, sms]\n"
            f"  - {{name: karin, phone: '{KARIN_PHONE}', language: sv, channels: [sms]}}\n"
        )
        targets, channels = "{person: erik}, {person: karin}", "[webhook, sms]"
        sms = (
            "  delivery: {sms_bundle_window: 0s, sms_limit: 100}\n"
            f"  channels:\n    sms: {{type: twilio, url: '{sms_url}', account_sid: AC123, auth_token: tok,"
            " sender: '+15550000000'}\n"
        )
    cfg = workdir / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: UTC
    staffed_hours: {{{off_day}: "00:00-01:00"}}
{more_pages}people:
  - name: erik
{people}escalation:
  group_wait: 0s
  policies:
    - name: hijack
      repeat: until_acknowledged
      repeat_after: 10m
      steps:
        - targets: [{targets}]
          channels: {channels}
  routes:
    - category: hijack
      severity: critical
      policy: hijack
notify:
{sms}    webhook: {{type: webhook, url: "{hook_url}/hook"}}
security:
  secret_key: {SECRET_KEY}
  operator_tokens: [{{name: ops, hash: "{hash_token(OPERATOR_TOKEN)}"}}]
"""
        + daemon_settings(workdir, port, store_url)
    )
    return cfg


async def enroll(workdir: Path, name: str, store_url: str | None = None) -> pyotp.TOTP:
    """What ``sentinel staff enroll NAME`` does for a ``hijack_paging_config`` daemon, before it starts: the person's
    TOTP secret into its store (``workdir/sentinel.db``, or ``store_url``); their authenticator, to make codes."""
    from sentinel.config.types import Secret
    from sentinel.security.config import SecurityConfig
    from sentinel.security.store import SecurityStore
    from sentinel.security.totp import TotpGuard
    from sentinel.store.factory import open_database

    db = await open_database(store_url or f"sqlite:///{workdir / 'sentinel.db'}")
    try:
        guard = TotpGuard(SecurityStore(db), SecurityConfig(secret_key=Secret(SECRET_KEY)))
        uri = (await guard.enroll(name, SystemClock().now())).uri
    finally:
        await db.close()
    return pyotp.TOTP(pyotp.parse_uri(uri).secret)


def new_admin(now: datetime, id: str = "test:grant", *, user: str = "Mr X", user_id: str = "666") -> Event:
    """A stranger (``user``) given full control of ``druvan``: critical off hours (``hijack.manage_granted``)."""
    from sentinel.testing import event

    return event(
        "role.granted", now, page="druvan", id=id, user={"id": user_id, "name": user}, tasks=["MANAGE"], actor=None
    )


async def operator_get(daemon: Daemon, path: str) -> Any:
    """GET an operator API path with ``OPERATOR_TOKEN``; the JSON answer (asserting a 200)."""
    async with (
        aiohttp.ClientSession() as s,
        s.get(f"{daemon.url}{path}", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}) as r,
    ):
        assert r.status == 200, await r.text()
        return await r.json()


async def operator_call(daemon: Daemon, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """Call an operator API path with ``OPERATOR_TOKEN`` (``body``: sent as JSON); the status and the JSON answer."""
    async with (
        aiohttp.ClientSession() as s,
        s.request(method, f"{daemon.url}{path}", json=body, headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}) as r,
    ):
        return r.status, await r.json()


async def probe_health(url: str, stop: asyncio.Event, took: list[float], every_s: float = 0.05) -> None:
    """GET ``url``/healthz every ``every_s`` until ``stop`` is set, each answer's time into ``took`` (seconds): how long
    the daemon's event loop was held meanwhile (the benches)."""
    async with aiohttp.ClientSession() as s:
        while not stop.is_set():
            t0 = time.perf_counter()
            async with s.get(f"{url}/healthz") as r:
                await r.read()
            took.append(time.perf_counter() - t0)
            await asyncio.sleep(every_s)  # the probe's period, not a wait for a condition
