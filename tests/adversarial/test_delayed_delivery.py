"""Replay and live agree under delay: the dev scenarios fed to a real daemon in late batches.

Each scenario's events are delivered through the ingest API of a daemon
process whose clock the test moves (``SENTINEL_TEST_CLOCK``): the events of
each period of ``delay`` arrive together at its end, and between deliveries
the daemon ticks every ``TICK`` of its time, as its scheduler would. Its firing
alerts must be the ones ``sentinel replay`` gives for the file, each decided
no earlier than replay's and later by at most the delay (for an alert that a
rule timer fires, by the watermark's hold and one test tick: ``tolerance``).
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import sqlite3
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from sentinel.testing.daemon import daemon_settings, free_port, sentinel_daemon

pytestmark = pytest.mark.slow

SCENARIOS = Path(__file__).resolve().parents[3] / "shared" / "scenarios" / "dev"
TOKEN = "delayed-delivery-token"
TICK = timedelta(minutes=5)  # how often the test lets the daemon's scheduler tick between two deliveries
DELAYS = {"1m": timedelta(minutes=1), "15m": timedelta(minutes=15), "6h": timedelta(hours=6)}


def tolerance(delay: timedelta) -> timedelta:
    """How much later than in replay a live alert may be decided. An alert that an event fires comes with the
    event's batch: later by at most the delay. One that a rule timer fires (``for:``, an SLA deadline, a silent
    source) comes when the watermark passes the timer; after late deliveries the watermark waits for the next one
    up to its hold, a quarter more than the delay (at least ``pipeline.min_lateness``), and the test's scheduler
    ticks every ``TICK``."""
    return delay + max(timedelta(minutes=2), delay / 4) + TICK


Key = tuple[str, str, str, str]  # rule, page, severity, labels


def scenarios() -> list[str]:
    if not SCENARIOS.is_dir():
        if os.environ.get("CI"):
            raise AssertionError(f"the dev scenarios are missing: {SCENARIOS}")
        return []
    return sorted(p.name for p in SCENARIOS.iterdir() if (p / "events.jsonl").is_file())


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def batches(lines: list[bytes], delay: timedelta) -> Iterator[tuple[datetime, list[bytes]]]:
    """(delivery time, lines): each period of ``delay`` delivered at its end, in file order."""
    t0 = parse_time(json.loads(lines[0])["time"])
    current: datetime | None = None
    batch: list[bytes] = []
    for line in lines:
        t = parse_time(json.loads(line)["time"])
        due = t0 + ((t - t0) // delay + 1) * delay  # the end of the period [t0 + k·delay, t0 + (k+1)·delay) of t
        if current is not None and due != current:
            yield current, batch
            batch = []
        current = due
        batch.append(line)
    if current is not None:
        yield current, batch


def firing(records: list[dict[str, Any]]) -> dict[Key, list[datetime]]:
    out: dict[Key, list[datetime]] = defaultdict(list)
    for r in records:
        if r.get("type", "alert") == "alert" and r["status"] == "firing":
            key = (r["rule"], r["page"], r["severity"], json.dumps(r.get("labels") or {}, sort_keys=True))
            out[key].append(parse_time(r["time"]))
    return out


@functools.cache
def replayed(scenario: Path) -> list[dict[str, Any]]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "sentinel",
            "replay",
            "--config",
            str(scenario / "config.yaml"),
            str(scenario / "events.jsonl"),
        ],
        capture_output=True,
        check=True,
        timeout=600,
    )
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


async def live(scenario: Path, delay: timedelta, workdir: Path) -> list[dict[str, Any]]:
    lines = [line for line in (scenario / "events.jsonl").read_bytes().splitlines() if line.strip()]
    start = parse_time(json.loads(lines[0])["time"]) - timedelta(seconds=1)
    port = free_port()
    cfg = workdir / "sentinel.yaml"
    cfg.write_text((scenario / "config.yaml").read_text() + "\n" + daemon_settings(workdir, port))
    os.environ["SENTINEL_TEST_CLOCK"] = start.isoformat()
    try:
        async with sentinel_daemon(cfg, port, TOKEN) as daemon, aiohttp.ClientSession() as s:
            headers = {"Authorization": f"Bearer {TOKEN}"}

            async def clock(*times: datetime) -> None:
                async with s.post(f"{daemon.url}/-/test/clock", json={"times": [t.isoformat() for t in times]}) as r:
                    assert r.status == 200, await r.text()

            now = start
            for due, batch in batches(lines, delay):
                ticks = []
                while now + TICK < due:  # the scheduler ticks while nothing arrives
                    now += TICK
                    ticks.append(now)
                now = due
                await clock(*ticks, now)
                async with s.post(f"{daemon.url}/api/v1/events", data=b"\n".join(batch), headers=headers) as r:
                    assert r.status == 200, await r.text()
            await clock(now + timedelta(seconds=1))  # the last batch processed
    finally:
        del os.environ["SENTINEL_TEST_CLOCK"]
    conn = sqlite3.connect(workdir / "sentinel.db")
    try:
        return [json.loads(body) for (body,) in conn.execute("SELECT body FROM alerts ORDER BY seq")]
    finally:
        conn.close()


# A delivery a minute is the costliest case (20 to 30 s a scenario): it runs on the scenario whose rule timers are of
# every kind (dev-03: a crisis, a silent source, SLA deadlines) and on the quiet one. dev-01 (a hijack) and dev-02 (a
# crisis and a hijack) are delivered every 15 minutes and every 6 hours; a minute adds only more deliveries of the
# same kinds for them (the suite's time budget: README).
MINUTE_ON = {"dev-03", "dev-04"}


def cases() -> list[tuple[str, str]]:
    return [(n, d) for n in scenarios() for d in DELAYS if d != "1m" or n in MINUTE_ON]


@pytest.mark.parametrize(("name", "delay"), cases())
async def test_a_delayed_delivery_gives_replays_alerts_later_by_at_most_the_delay(
    name: str, delay: str, tmp_path: Path
) -> None:
    scenario = SCENARIOS / name
    want = firing(await asyncio.to_thread(replayed, scenario))
    got = firing(await live(scenario, DELAYS[delay], tmp_path))
    assert sorted(got) == sorted(want), "the same alerts fire"
    for key, times in want.items():
        assert len(got[key]) == len(times), key
        for replay_t, live_t in zip(sorted(times), sorted(got[key]), strict=True):
            assert replay_t <= live_t <= replay_t + tolerance(DELAYS[delay]), (key, replay_t, live_t)
