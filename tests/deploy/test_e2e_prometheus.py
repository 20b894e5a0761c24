"""End to end: Sentinel, a real Prometheus scraping it and a real Alertmanager, on loopback ports.

A page polled through the fake Graph server goes stale when its token
expires: Prometheus's ``SentinelSourceStale`` reaches Alertmanager. A MANAGE
role granted outside staffed hours, ingested over HTTP, is Sentinel's own
hijack incident: its ``alertmanager`` channel pushes it to the same
Alertmanager. Needs Debian's ``prometheus`` and ``prometheus-alertmanager``
(skipped without them, a failure when ``CI=true``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from deploy_tools import require_binary
from e2e_helpers import POLL_S, Stack, StackError, prometheus_stack

from sentinel.clock import SystemClock
from sentinel.testing import event, person
from sentinel.testing.daemon import daemon_settings, free_port, sentinel_daemon
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import new_page

pytestmark = pytest.mark.slow

TOKEN = "e2e-ingest-token"
PAGE_TOKEN = "EAAB-e2e-page-token"
STALE_AFTER_S = 6
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@pytest.fixture
async def graph() -> AsyncIterator[tuple[FakeGraph, str]]:
    fake = FakeGraph(SystemClock())
    fake.add_page(new_page("1000001", "Shop"), PAGE_TOKEN)
    async with fake.serve() as url:
        yield fake, url


async def wait_for_series(stack: Stack, promql: str, wait_s: float = 30.0) -> None:
    """Until Prometheus has a sample for ``promql``."""
    try:
        async with asyncio.timeout(wait_s):
            while True:
                if await stack.query(promql):
                    return
                await asyncio.sleep(POLL_S * 4)
    except TimeoutError:
        raise StackError(f"Prometheus has no {promql} within {wait_s:g}s") from None


def write_config(tmp_path: Path, port: int, graph_url: str, alertmanager_url: str) -> Path:
    # staffed one hour on a day three days away from today: the hijack below happens off hours (critical)
    staffed_day = DAYS[(SystemClock().now().weekday() + 3) % 7]
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(f"""
pages:
  - id: shop
    name: Shop
    timezone: UTC
    staffed_hours: {{{staffed_day}: "09:00-10:00"}}
    page_id: "1000001"
    access_token: {PAGE_TOKEN}
{daemon_settings(tmp_path, port)}sources:
  base_url: {graph_url}
  stale_after: {STALE_AFTER_S}s
  poll:
    security: {{min: 1s, max: 1s}}
    feed: {{min: 1s, max: 1s}}
    conversations: {{min: 1s, max: 1s}}
  budget: {{max_calls_per_page_hour: 100000}}
people:
  - name: ops
    channels: [alertmanager]
escalation:
  group_wait: 0s
  policies:
    - name: to-alertmanager
      steps:
        - targets: [{{person: ops}}]
          channels: [alertmanager]
  routes:
    - {{category: hijack, severity: critical, policy: to-alertmanager, group_wait: 0s}}
notify:
  channels:
    alertmanager:
      type: alertmanager
      url: {alertmanager_url}
      external_url: http://127.0.0.1:{port}
""")
    return cfg


async def test_stale_source_and_hijack_alerts_reach_a_real_alertmanager(
    tmp_path: Path, graph: tuple[FakeGraph, str]
) -> None:
    require_binary("prometheus")
    require_binary("prometheus-alertmanager", "alertmanager")
    fake, graph_url = graph
    port = free_port()
    async with prometheus_stack(f"127.0.0.1:{port}", tmp_path / "stack") as stack:
        cfg = write_config(tmp_path, port, graph_url, stack.alertmanager_url)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            await stack.wait_for_target_up()
            # the page is read, and Prometheus has seen it read: not stale yet
            await wait_for_series(stack, 'sentinel_source_last_success_timestamp_seconds{page="shop"}')
            await wait_for_series(stack, 'sentinel_source_stale_after_seconds{page="shop"}')
            assert not [
                a for a in await stack.prometheus_alerts() if a["labels"]["alertname"] == "SentinelSourceStale"
            ], "stale while being read"

            fake.expired.add(PAGE_TOKEN)  # every read now fails with 190/463
            expired = time.monotonic()
            stale = await stack.wait_for_alert("SentinelSourceStale", wait_s=60, page="shop", source="graph")
            stale_s = time.monotonic() - expired
            assert stale["labels"]["service"] == "sentinel" and stale["status"]["state"] == "active"

            now = SystemClock().now()
            hijack = event(
                "role.granted",
                now,
                page="shop",
                id="e2e:hijack:1",
                actor=person("Johan"),
                user={"id": "9", "name": "Mr X"},
                tasks=["MANAGE", "MODERATE"],
            )
            posted = time.monotonic()
            await daemon.post_events([hijack])
            pushed = await stack.wait_for_alert("sentinel_hijack", wait_s=30, page="shop", source="sentinel")
            hijack_s = time.monotonic() - posted
            assert pushed["labels"]["severity"] == "critical"
            assert pushed["generatorURL"].startswith(f"http://127.0.0.1:{port}/incidents/")
            assert "Mr X" in pushed["annotations"]["summary"]
    print(
        f"\ne2e: SentinelSourceStale in Alertmanager {stale_s:.1f}s after the token expired "
        f"(stale_after={STALE_AFTER_S}s); hijack in Alertmanager {hijack_s:.2f}s after ingest"
    )
