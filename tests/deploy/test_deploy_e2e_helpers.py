"""The Prometheus + Alertmanager harness the end-to-end tests build on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from e2e_helpers import prometheus_stack

pytestmark = pytest.mark.prometheus

STALE_SOURCE = """\
# TYPE sentinel_source_last_success_timestamp_seconds gauge
sentinel_source_last_success_timestamp_seconds{page="shop",source="graph"} 1000
# TYPE sentinel_source_stale_after_seconds gauge
sentinel_source_stale_after_seconds{page="shop",source="graph"} 60
"""


@pytest.fixture
async def target() -> AsyncIterator[str]:
    """A scrape target on loopback serving a source that last read its page in 1970."""

    async def metrics(_: web.Request) -> web.Response:
        return web.Response(text=STALE_SOURCE, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"{host}:{port}"
    await runner.cleanup()


async def _answers(url: str) -> bool:
    try:
        async with aiohttp.ClientSession() as s, s.get(url) as r:
            return r.status == 200
    except aiohttp.ClientError:
        return False


async def test_stack_starts_ready_reports_its_alertmanager_and_stops(target: str, tmp_path: Path) -> None:
    async with prometheus_stack(target, tmp_path) as stack:
        assert await _answers(stack.prometheus_url + "/-/ready")
        assert await _answers(stack.alertmanager_url + "/-/ready")
        assert await stack.prometheus_alertmanagers() == [stack.alertmanager_url + "/api/v2/alerts"]
        groups = {g["name"] for g in await stack.prometheus_rule_groups()}
        assert {"sentinel.availability", "sentinel.sources", "sentinel.meta"} <= groups
        await stack.wait_for_target_up()
        urls = (stack.prometheus_url, stack.alertmanager_url)
    for url in urls:
        assert not await _answers(url + "/-/ready"), f"{url} still answers after the stack stopped"


async def test_a_stale_source_alert_travels_from_prometheus_to_alertmanager(target: str, tmp_path: Path) -> None:
    async with prometheus_stack(target, tmp_path) as stack:
        alert = await stack.wait_for_alert("SentinelSourceStale", wait_s=30, page="shop")
        assert alert["labels"]["severity"] == "critical"
        assert alert["labels"]["source"] == "graph"
        assert "blind to page shop" in alert["annotations"]["summary"]
        watchdog = await stack.wait_for_alert("Watchdog", wait_s=30)
        assert watchdog["labels"]["service"] == "sentinel"
