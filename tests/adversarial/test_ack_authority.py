"""Who may take an alarm down, against a real daemon on loopback (a subprocess, on the system clock).

Paced wrong codes used to reset with each lockout and never alert; any
enrolled person's code acknowledged any incident. Here the day's count is
configured at 3 failures (the lockout stays at 5 in a row), so three wrong
codes page the security on-call without a lockout; a person the incident was
never routed to is refused, and can take it over: audited, on the timeline,
and told to the person already paged.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp
import pytest

from sentinel.config.types import Secret
from sentinel.security.config import SecurityConfig
from sentinel.security.store import SecurityStore
from sentinel.security.tokens import hash_token
from sentinel.security.totp import TotpGuard
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import event
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon
from sentinel.testing.providers import KeyedFake, Received, serve

pytestmark = pytest.mark.slow

TOKEN = "authority-test-ingest-token"
OPERATOR = "snt_authority-test-operator-token-0123456789"
SECRET_KEY = "authority-test-secret-key-0123456789abcdef"


def config(tmp_path: Path, port: int, hook: str) -> Path:
    """erik is the security on-call (every hijack pages him through a webhook); anna is enrolled too, on no
    route. Three wrong codes a day page; five in a row lock out."""
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: UTC
people:
  - name: erik
    channels: [webhook]
  - name: anna
    channels: [webhook]
schedules:
  - name: security-oncall
    layers: [{{users: [erik], rotation: weekly}}]
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
  lockout_threshold: 5
  failure_alert_threshold: 3
  failure_window: 1d
"""
        + daemon_settings(tmp_path, port)
    )
    return cfg


async def enroll(tmp_path: Path, *names: str) -> dict[str, pyotp.TOTP]:
    """What ``sentinel staff enroll`` does, before the daemon starts: the secrets go into its store."""
    db = SqliteDatabase.open(str(tmp_path / "sentinel.db"))
    guard = TotpGuard(SecurityStore(db), SecurityConfig(secret_key=Secret(SECRET_KEY)))
    now = datetime.now(UTC)
    try:
        return {n: pyotp.TOTP(pyotp.parse_uri((await guard.enroll(n, now)).uri).secret) for n in names}
    finally:
        await db.close()


def wrong(totp: pyotp.TOTP) -> str:
    now = datetime.now(UTC)
    valid = {totp.at(now + timedelta(seconds=d)) for d in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in valid)


async def call(daemon: Daemon, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {OPERATOR}"} if body is None else {}
    async with aiohttp.ClientSession() as s, s.request(method, f"{daemon.url}{path}", json=body, headers=headers) as r:
        return r.status, await r.json()


def sent(hook: KeyedFake, kind: str, to: str) -> list[dict[str, Any]]:
    return [
        r.json
        for r in hook.delivered
        if isinstance(r, Received)
        and isinstance(r.json, dict)
        and r.json.get("kind") == kind
        and r.json.get("recipient") == to
    ]


def rows(tmp_path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


async def test_guessing_pages_security_and_only_the_route_or_a_take_over_may_take_an_alarm_down(tmp_path: Path) -> None:
    codes = await enroll(tmp_path, "erik", "anna")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        async with sentinel_daemon(config(tmp_path, port, hook_url), port, TOKEN) as daemon:
            now = datetime.now(UTC).replace(microsecond=0)
            await daemon.post_events(
                [
                    event(
                        "role.granted",
                        now,
                        page="druvan",
                        id="auth:grant",
                        user={"id": "666", "name": "Mr X"},
                        tasks=["MANAGE"],
                        actor=None,
                    )
                ]
            )
            await daemon.until("erik paged", lambda: sent(hook, "page", "erik"))
            _, listed = await call(daemon, "GET", "/api/v1/incidents")
            [inc] = [i["id"] for i in listed["incidents"] if i["page"] == "druvan"]
            ack = f"/api/v1/incidents/{inc}/ack"

            # (1) paced wrong codes: three, each its own request, never five in a row -> security is paged
            for _ in range(3):
                status, body = await call(daemon, "POST", ack, {"person": "erik", "code": wrong(codes["erik"])})
                assert status == 403, body
            guessing = await daemon.until(
                "the security on-call paged about wrong codes",
                lambda: [p for p in sent(hook, "page", "erik") if "wrong codes" in p["summary"]],
            )
            assert any("3 wrong codes for erik" in p["summary"] for p in guessing)
            assert rows(tmp_path, "SELECT failures, locked_until FROM security_staff WHERE name = 'erik'") == [
                (3, None)
            ]  # no lockout was needed
            assert len(rows(tmp_path, "SELECT * FROM security_failures WHERE person = 'erik'")) == 3

            # (2) a valid code of a person the incident is not routed to is refused
            code = codes["anna"].now()
            status, body = await call(daemon, "POST", ack, {"person": "anna", "code": code})
            assert status == 403 and "take it over" in body["error"], body
            _, shown = await call(daemon, "GET", f"/api/v1/incidents/{inc}")
            assert shown["status"] == "triggered"

            # (3) anna takes it over: on the timeline, in the audit trail, and erik is told
            status, body = await call(
                daemon,
                "POST",
                f"/api/v1/incidents/{inc}/take-over",
                {"person": "anna", "code": code, "reason": "erik does not answer"},
            )
            assert status == 200, body
            [entry] = [e for e in body["timeline"] if e["kind"] == "taken_over" and "by" in e]
            assert entry["by"] == "anna" and entry["told"] == ["erik"]
            audit = rows(
                tmp_path, "SELECT person, action, incident, result FROM security_audit WHERE action = 'take_over'"
            )
            assert ("anna", "take_over", inc, "taken_over") in audit
            [told] = await daemon.until("erik told of the take-over", lambda: sent(hook, "taken_over", "erik"))
            assert told["incident"] == inc and told["summary"].startswith("Taken over by anna: ")
            assert "anna took" in told["text"]
            assert not sent(hook, "taken_over", "anna")


async def test_wrong_codes_before_a_restart_still_count_after_it(tmp_path: Path) -> None:
    codes = await enroll(tmp_path, "erik", "anna")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = config(tmp_path, port, hook_url)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            now = datetime.now(UTC).replace(microsecond=0)
            await daemon.post_events(
                [
                    event(
                        "role.granted",
                        now,
                        page="druvan",
                        id="auth:grant",
                        user={"id": "666", "name": "Mr X"},
                        tasks=["MANAGE"],
                        actor=None,
                    )
                ]
            )
            await daemon.until("erik paged", lambda: sent(hook, "page", "erik"))
            _, listed = await call(daemon, "GET", "/api/v1/incidents")
            [inc] = [i["id"] for i in listed["incidents"] if i["page"] == "druvan"]
            for _ in range(2):
                status, _ = await call(
                    daemon, "POST", f"/api/v1/incidents/{inc}/ack", {"person": "erik", "code": wrong(codes["erik"])}
                )
                assert status == 403
        assert not [p for p in sent(hook, "page", "erik") if "wrong codes" in p["summary"]]
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:  # the third wrong code, after a restart
            status, _ = await call(
                daemon, "POST", f"/api/v1/incidents/{inc}/ack", {"person": "erik", "code": wrong(codes["erik"])}
            )
            assert status == 403
            await daemon.until(
                "the security on-call paged about wrong codes",
                lambda: [p for p in sent(hook, "page", "erik") if "3 wrong codes for erik" in p["summary"]],
            )
