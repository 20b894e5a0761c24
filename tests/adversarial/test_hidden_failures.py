"""Failures a running daemon used to hide, against a real daemon on loopback (a subprocess, the system clock).

``/readyz`` said the sources were ready while every Graph call failed; the log redacted every key named
``code``, so the Graph error code of a failed read vanished; events for a page not in ``pages:`` were
stored without a word; a channel whose provider refuses Sentinel's credentials left the daemon ready and
raised nothing unless a page gave up for good.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
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
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import new_page
from sentinel.testing.providers import KeyedFake, Received, Reply, serve

pytestmark = pytest.mark.slow

TOKEN = "hidden-failures-ingest-token"
OPERATOR = "snt_hidden-failures-operator-token-0123456789"
SECRET_KEY = "hidden-failures-secret-key-0123456789abcdef"
PAGE_TOKEN = "EAAB-hidden-failures-page-token"


@pytest.fixture
async def graph() -> AsyncIterator[tuple[FakeGraph, str]]:
    from sentinel.clock import SystemClock

    fake = FakeGraph(SystemClock())
    fake.add_page(new_page("1000001", "Druvan"), PAGE_TOKEN)
    async with fake.serve() as url:
        yield fake, url


def write_config(tmp_path: Path, port: int, graph_url: str, hook: str, *, health_hook: str | None = None) -> Path:
    """Page druvan polled at ``graph_url``; erik paged for a hijack through ``webhook`` (at ``hook``), and for
    Sentinel's own health through ``ops`` (at ``health_hook``, else ``hook``)."""
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: UTC
    page_id: "1000001"
    access_token: {PAGE_TOKEN}
sources:
  base_url: {graph_url}
people:
  - name: erik
    channels: [webhook, slack]
escalation:
  group_wait: 0s
  policies:
    - name: hijack
      steps:
        - targets: [{{person: erik}}]
          channels: [webhook]
    - name: health
      steps:
        - targets: [{{person: erik}}]
          channels: [slack]
  routes:
    - {{category: hijack, policy: hijack}}
    - {{category: health, policy: health}}
notify:
  delivery: {{backoff_initial: 0.05s, backoff_max: 0.1s}}
  channels:
    webhook: {{type: webhook, url: "{hook}/hook"}}
    slack: {{type: webhook, url: "{health_hook or hook}/ops"}}
security:
  secret_key: {SECRET_KEY}
  operator_tokens: [{{name: ops, hash: "{hash_token(OPERATOR)}"}}]
"""
        + daemon_settings(tmp_path, port)
    )
    return cfg


async def enroll(tmp_path: Path, name: str) -> pyotp.TOTP:
    """What ``sentinel staff enroll`` does, before the daemon starts."""
    db = SqliteDatabase.open(str(tmp_path / "sentinel.db"))
    guard = TotpGuard(SecurityStore(db), SecurityConfig(secret_key=Secret(SECRET_KEY)))
    try:
        return pyotp.TOTP(pyotp.parse_uri((await guard.enroll(name, datetime.now(UTC))).uri).secret)
    finally:
        await db.close()


async def post(daemon: Daemon, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as s, s.post(f"{daemon.url}{path}", json=body) as r:
        return r.status, await r.json()


async def operator_get(daemon: Daemon, path: str) -> Any:
    async with (
        aiohttp.ClientSession() as s,
        s.get(f"{daemon.url}{path}", headers={"Authorization": f"Bearer {OPERATOR}"}) as r,
    ):
        assert r.status == 200, await r.text()
        return await r.json()


async def samples(daemon: Daemon, name: str) -> dict[str, float]:
    """Every sample of ``name`` on /metrics: the label text (``{...}``, or "") → value."""
    async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/metrics") as r:
        text = await r.text()
    out = {}
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            series, value = line.rsplit(" ", 1)
            out[series[len(name) :]] = float(value)
    return out


def records(daemon: Daemon, event_name: str) -> list[dict[str, Any]]:
    return [r for r in daemon.log_records() if r.get("event") == event_name]


def pages_to(hook: KeyedFake, path: str) -> list[dict[str, Any]]:
    return [
        r.json
        for r in hook.delivered
        if isinstance(r, Received) and r.path == path and isinstance(r.json, dict) and r.json.get("kind") == "page"
    ]


async def test_readyz_says_sources_not_ready_while_every_graph_call_fails(tmp_path: Path) -> None:
    """Nothing listens at the Graph URL: each read is a transport error (transient, no failure episode until the
    third, minutes later), and the source is not ready from the first one."""
    async with serve(KeyedFake()) as (_hook, hook_url):
        port = free_port()
        cfg = write_config(tmp_path, port, f"http://127.0.0.1:{free_port()}", hook_url)
        async with sentinel_daemon(cfg, port, TOKEN, ready=False) as daemon:
            await daemon.until("a failed Graph read", lambda: records(daemon, "graph.read_failed"))
            answer = await daemon.until("/readyz saying the sources are not ready", lambda: _not_ready(daemon))
            assert answer == {
                "status": "not ready",
                "checks": {"store": True, "worker": True, "sources": False, "channels": True, "leases": True},
            }
            [failed, *_] = records(daemon, "graph.read_failed")
            assert failed["code"] == 0 and failed["kind"] == "transient"  # a transport error, not redacted


async def _not_ready(daemon: Daemon) -> dict[str, Any] | None:
    answer = await daemon.readiness()
    return answer if answer["status"] == "not ready" else None


async def test_graph_error_codes_reach_the_log_and_totp_codes_never_do(
    tmp_path: Path, graph: tuple[FakeGraph, str]
) -> None:
    fake, graph_url = graph
    fake.expired.add(PAGE_TOKEN)  # every read: 190/463
    totp = await enroll(tmp_path, "erik")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        async with sentinel_daemon(
            write_config(tmp_path, port, graph_url, hook_url), port, TOKEN, ready=False
        ) as daemon:
            [failed, *_] = await daemon.until(
                "the expired token in the log", lambda: records(daemon, "graph.read_failed")
            )
            assert (failed["code"], failed["subcode"], failed["kind"]) == (190, 463, "auth")
            assert (await daemon.readiness())["checks"]["sources"] is False

            now = datetime.now(UTC).replace(microsecond=0)
            await daemon.post_events(
                [
                    event(
                        "role.granted",
                        now,
                        page="druvan",
                        id="hidden:grant",
                        user={"id": "666", "name": "Mr X"},
                        tasks=["MANAGE"],
                        actor=None,
                    )
                ]
            )
            await daemon.until("erik paged", lambda: pages_to(hook, "/hook"))
            listed = await operator_get(daemon, "/api/v1/incidents")
            [inc] = [i["id"] for i in listed["incidents"] if i["category"] == "hijack"]
            right = totp.now()
            valid = {totp.at(now + timedelta(seconds=d)) for d in (-60, -30, 0, 30, 60)}
            wrong = next(c for c in ("271828", "314159", "161803") if c not in valid)
            status, _ = await post(daemon, f"/api/v1/incidents/{inc}/ack", {"person": "erik", "code": wrong})
            assert status == 403
            status, body = await post(daemon, f"/api/v1/incidents/{inc}/ack", {"person": "erik", "code": right})
            assert status == 200, body
            await daemon.until("the codes checked", lambda: len(records(daemon, "security.code_checked")) == 2)
    text = daemon.log.read_text(encoding="utf-8")
    assert wrong not in text and right not in text


async def test_events_for_a_page_not_in_the_config_are_counted_and_warned_about_once(
    tmp_path: Path, graph: tuple[FakeGraph, str]
) -> None:
    _fake, graph_url = graph
    async with serve(KeyedFake()) as (_hook, hook_url):
        port = free_port()
        async with sentinel_daemon(write_config(tmp_path, port, graph_url, hook_url), port, TOKEN) as daemon:
            now = datetime.now(UTC).replace(microsecond=0)
            for n in range(3):
                await daemon.post_events([event("comment.created", now, page="druvn", id=f"typo:{n}")])
            await daemon.post_events([event("comment.created", now, page="druvan", id="known:1")])
            # kinds of one's own are kept (events.md), but a label takes the format's kinds only: an ingest client
            # sending ever-new kinds grew /metrics to 45 MB and 7 s a scrape
            await daemon.post_events([event(f"made.up{n}", now, page="druvan", id=f"own:{n}") for n in range(50)])
            unknown = await samples(daemon, "sentinel_events_unknown_page_total")
            assert unknown == {'{source="ingest"}': 3.0}
            ingested = await samples(daemon, "sentinel_events_ingested_total")
            assert ingested['{kind="comment.created",page="(unknown)",source="ingest"}'] == 3.0
            assert ingested['{kind="comment.created",page="druvan",source="ingest"}'] == 1.0
            assert not [k for k in ingested if "druvn" in k]  # a page label takes config keys only
            assert ingested['{kind="(other)",page="druvan",source="ingest"}'] == 50.0
            assert not [k for k in ingested if "made.up" in k]
            [warned] = records(daemon, "intake.unknown_page")
            assert (warned["page"], warned["source"], warned["level"]) == ("druvn", "ingest", "warning")


async def test_a_channel_refusing_sentinels_credentials_makes_the_daemon_not_ready_and_pages_about_it(
    tmp_path: Path, graph: tuple[FakeGraph, str]
) -> None:
    _fake, graph_url = graph
    async with serve(KeyedFake()) as (broken, broken_url), serve(KeyedFake()) as (ops, ops_url):
        broken.script(*[Reply(status=401)] * 50)  # the provider refuses the credentials, every time
        port = free_port()
        cfg = write_config(tmp_path, port, graph_url, broken_url, health_hook=ops_url)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            now = datetime.now(UTC).replace(microsecond=0)
            await daemon.post_events(
                [
                    event(
                        "role.granted",
                        now,
                        page="druvan",
                        id="broken:grant",
                        user={"id": "666", "name": "Mr X"},
                        tasks=["MANAGE"],
                        actor=None,
                    )
                ]
            )
            answer = await daemon.until("/readyz saying a channel is broken", lambda: _not_ready(daemon))
            assert answer["checks"]["channels"] is False and answer["checks"]["sources"] is True
            # ... while the load balancer's question says it can take input (the way to fix the alarm runs in)
            async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/readyz?for=intake") as r:
                assert (r.status, await r.json()) == (
                    200,
                    {"status": "ready", "checks": {"store": True, "worker": True}},
                )
            told = await daemon.until(
                "erik paged about the broken channel",
                lambda: [p for p in pages_to(ops, "/ops") if "refuses Sentinel's credentials" in p["summary"]],
            )
            assert "channel webhook" in told[0]["summary"]
            [broke] = records(daemon, "notify.channel_broken")
            assert (broke["channel"], broke["reason"]) == ("webhook", "auth_failed")
