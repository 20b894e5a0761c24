"""A flood of events naming pages not in the config costs no page its alarms and adds no metric series per page
(a real daemon on loopback).

The red-team case: 100,000 events for 20,000 made-up pages grew the daemon to 2.5 GB and a 270 MB snapshot, and a
hijack behind them was not paged after 5 minutes; one signed webhook naming 5,500 unknown Graph page ids made
11,000 ``sentinel_sla_overdue_items`` series. The rules now evaluate at most ``pipeline.max_unknown_pages`` pages
not in the config (the events of any more are stored and counted, not evaluated), and every metric's ``page``
label is a configured id or ``(unknown)``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import orjson
import pytest

from sentinel.model import Actor, Event
from sentinel.testing import event
from sentinel.testing.daemon import Daemon, free_port, hijack_paging_config, new_admin, operator_get, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "unknown-pages-test-ingest-token"
EVALUATED = 20  # pipeline.max_unknown_pages in this test's config
FLOOD = 2000  # pages not in the config


async def post(daemon: Daemon, events: list[Event]) -> None:
    body = b"\n".join(orjson.dumps(e.to_json()) for e in events)
    async with (
        aiohttp.ClientSession() as s,
        s.post(f"{daemon.url}/api/v1/events", data=body, headers={"Authorization": f"Bearer {daemon.token}"}) as r,
    ):
        assert r.status == 200, await r.text()


async def metrics_text(daemon: Daemon) -> str:
    async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/metrics") as r:
        return await r.text()


def asking(now: datetime, page: str) -> Event:
    return event(
        "message.received", now, page=page, actor=Actor(id="1", name="A", type="person"), thread_id="t", message="?"
    )


async def test_a_flood_of_unknown_pages_neither_delays_a_hijack_nor_names_them_in_metrics(tmp_path: Path) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        cfg.write_text(cfg.read_text() + f"pipeline:\n  max_unknown_pages: {EVALUATED}\n")
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            now = datetime.now(UTC).replace(microsecond=0)
            # a hijack on an unknown page (evaluated: among the first) opens an incident there
            grant = event("role.granted", now, page="stranger-0", user={"id": "6", "name": "X"}, tasks=["MANAGE"])
            await post(daemon, [grant])
            for start in range(0, FLOOD, 500):
                await post(daemon, [asking(now, f"stranger-{n}") for n in range(start, start + 500)])
            await post(daemon, [new_admin(now, "druvan-grant")])

            def druvan_paged() -> bool:
                return any(b"druvan" in orjson.dumps(r.json) for r in hook.delivered)

            await daemon.until("erik paged for the hijack of druvan", druvan_paged, wait_s=15)
            incidents = (await operator_get(daemon, "/api/v1/incidents"))["incidents"]
            assert {(i["page"], i["category"]) for i in incidents} == {("druvan", "hijack"), ("stranger-0", "hijack")}

            async def all_processed() -> bool:
                return await daemon.metric("sentinel_events_processed_total") == FLOOD + 2

            await daemon.until("the flood processed", all_processed, wait_s=30)
            text = await metrics_text(daemon)
    assert "stranger" not in text, [line for line in text.splitlines() if "stranger" in line][:5]
    assert 'page="(unknown)"' in text
    unevaluated = [line for line in text.splitlines() if line.startswith("sentinel_events_unevaluated_total ")]
    assert unevaluated and float(unevaluated[0].split()[1]) == FLOOD - EVALUATED
    assert [r for r in daemon.log_records() if r.get("event") == "rules.unknown_pages_unevaluated"]
