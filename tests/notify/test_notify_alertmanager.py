"""Alertmanager as a receiver, against Debian's real prometheus-alertmanager."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from conftest import Factory
from notify_helpers import intent

from sentinel.model import NotificationKind
from sentinel.testing import FakeClock
from sentinel.testing.daemon import free_port

BINARY = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
CONFIG = """
route:
  receiver: blackhole
  group_wait: 1s
receivers:
  - name: blackhole
"""

pytestmark = pytest.mark.prometheus


@pytest.fixture
def clock() -> FakeClock:
    # Alertmanager judges endsAt against its own wall clock: run the test ten minutes in the past,
    # so that simulated re-sends stay in the past too
    return FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10))


@pytest.fixture
async def alertmanager(tmp_path: Path) -> AsyncIterator[str]:
    if BINARY is None:
        if os.environ.get("CI") == "true":
            pytest.fail("prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)")
        pytest.skip("prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)")
    (tmp_path / "am.yml").write_text(CONFIG)
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        BINARY,
        f"--config.file={tmp_path / 'am.yml'}",
        f"--storage.path={tmp_path / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
        "--log.level=warn",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as s, asyncio.timeout(20):
            while True:
                try:
                    async with s.get(f"{url}/-/ready") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                if proc.returncode is not None:
                    err = await proc.stderr.read() if proc.stderr else b""
                    pytest.fail(f"alertmanager exited: {err.decode()[-500:]}")
                await asyncio.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        await proc.wait()


async def alerts(url: str) -> list[dict[str, Any]]:
    async with aiohttp.ClientSession() as s, s.get(f"{url}/api/v2/alerts") as r:
        assert r.status == 200
        got: list[dict[str, Any]] = await r.json()
        return got


async def test_alert_is_listed_re_sent_while_firing_and_resolved_with_ends_at(
    make_notifier: Factory, clock: FakeClock, alertmanager: str
) -> None:
    n = make_notifier(
        {
            "am": {
                "type": "alertmanager",
                "url": alertmanager,
                "resend_interval": "5m",
                "external_url": "https://sentinel.example",
            }
        }
    )
    await n.start(background=False)
    page = intent(channel="am", time=clock.now())
    await n.enqueue(page)
    await n.enqueue(intent(channel="am", time=clock.now(), step=2))  # same alert, de-duplicated by labels
    await n.run_once(clock.now())
    [a] = await alerts(alertmanager)
    assert a["labels"] == {
        "alertname": "sentinel_hijack",
        "incident": "inc-000012",
        "page": "druvan",
        "category": "hijack",
        "severity": "critical",
        "source": "sentinel",
    }
    assert a["annotations"]["summary"].startswith("New admin 'Mr X'")
    assert a["generatorURL"] == "https://sentinel.example/incidents/inc-000012"
    assert a["status"]["state"] == "active"
    first_end = a["endsAt"]
    assert (await n.outbox.get(page.idempotency_key) or {})["state"] == "firing"

    clock.advance(300)  # still firing: re-sent, endsAt pushed ahead
    assert await n.run_once(clock.now()) >= 1
    [a] = await alerts(alertmanager)
    assert a["endsAt"] > first_end

    clock.advance(5)
    await n.enqueue(intent(channel="am", time=clock.now(), kind=NotificationKind.RESOLVED))
    await n.run_once(clock.now())
    assert await alerts(alertmanager) == []  # resolved: endsAt has passed
    clock.advance(300)
    assert await n.run_once(clock.now()) == 0  # no more re-sends after the all-clear
    assert (await n.outbox.get(page.idempotency_key) or {})["state"] == "sent"
    await n.stop(1)
