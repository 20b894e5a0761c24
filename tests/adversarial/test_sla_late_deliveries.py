"""A real daemon (``sentinel run``, its clock moved by the test) given customer items and their answers late or out
of order, as webhooks retried or a backlog after an outage deliver them: it raises the alerts a timely delivery
would have (docs/durability.md), and its alerts, its ``sentinel_sla_overdue_items`` gauge and ``sentinel report``
over its store (and over the same events in a file, in the order they arrived) agree.

The page answers within 45 minutes at any hour (no staffed hours): ``sla.due_soon`` comes after 15."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from sentinel.model import Actor, ActorType, Event
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon

TOKEN = "sla-late-deliveries-token"
PAGES = """pages:
  - id: druvan
    platform: facebook
    name: Druvan
    timezone: Europe/Stockholm
    language: sv
    response_sla: 45m
  - id: kontroll
    platform: facebook
    name: Kontroll
    timezone: Europe/Stockholm
    language: sv
    response_sla: 45m
"""
T = datetime(2025, 11, 12, 9, 0, tzinfo=UTC)  # the wall clock when the first delivery arrives
ANNA = Actor("1001", "Anna Berg", ActorType.PERSON)
PAGE = Actor("999", "Druvan", ActorType.PAGE)


def question(cid: str, t: datetime, page: str = "druvan") -> Event:
    obj = {"comment_id": cid, "post_id": "P", "parent_id": None, "message": "Finns den här i Karlskoga?"}
    return Event(f"fb:comment:{cid}", t, "facebook", page, "comment.created", ANNA, obj)


def answer(cid: str, to: str, t: datetime) -> Event:
    obj = {"comment_id": cid, "post_id": "P", "parent_id": to, "message": "Ja, vi har den."}
    return Event(f"fb:comment:{cid}", t, "facebook", "druvan", "comment.created", PAGE, obj)


@asynccontextmanager
async def daemon_at(workdir: Path, start: datetime) -> AsyncIterator[tuple[Daemon, Any]]:
    """The daemon, its clock at ``start``, and ``clock(*times)``: process what was accepted, then move the clock to
    each time in turn and tick there."""
    port = free_port()
    cfg = workdir / "sentinel.yaml"
    cfg.write_text(PAGES + daemon_settings(workdir, port))
    os.environ["SENTINEL_TEST_CLOCK"] = start.isoformat()
    try:
        async with sentinel_daemon(cfg, port, TOKEN) as daemon, aiohttp.ClientSession() as s:

            async def clock(*times: datetime) -> None:
                async with s.post(f"{daemon.url}/-/test/clock", json={"times": [t.isoformat() for t in times]}) as r:
                    assert r.status == 200, await r.text()

            yield daemon, clock
    finally:
        del os.environ["SENTINEL_TEST_CLOCK"]


def firing(workdir: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(workdir / "sentinel.db")
    try:
        rows = [json.loads(body) for (body,) in conn.execute("SELECT body FROM alerts ORDER BY seq")]
    finally:
        conn.close()
    return [(r["rule"], r["page"]) for r in rows if r["status"] == "firing" and r["category"] == "sla"]


async def overdue(daemon: Daemon, page: str) -> float:
    async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/metrics") as r:
        text = await r.text()
    want = f'sentinel_sla_overdue_items{{channel="comment",page="{page}"}} '
    return next(float(line.split()[1]) for line in text.splitlines() if line.startswith(want))


def report(workdir: Path, *files: Path) -> dict[str, Any]:
    """``sentinel report``'s comment figures for druvan: over the daemon's store, or over ``files``."""
    out = subprocess.run(
        [sys.executable, "-m", "sentinel", "report", "-c", str(workdir / "sentinel.yaml"), "--format", "json"]
        + [str(f) for f in files],
        capture_output=True,
        check=True,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    [row] = [r for r in rows if r["page"] == "druvan" and r["channel"] == "comment"]
    return {k: row[k] for k in ("items", "answered", "answered_within_sla", "unanswered")}


async def test_an_answer_delivered_before_its_question_answers_it_in_the_alerts_the_gauge_and_the_report(
    tmp_path: Path,
) -> None:
    """The page's reply arrives first; the question it answers, dated two minutes before the reply, comes in a
    retried webhook 70 s later. A control question on another page, never answered, shows the deadline passed."""
    reply, late = answer("LP", "L1", T - timedelta(minutes=1)), question("L1", T - timedelta(minutes=3))
    control = question("K1", T - timedelta(minutes=1), page="kontroll")
    async with daemon_at(tmp_path, T) as (daemon, clock):
        await daemon.post_events([reply, control])
        await clock(T + timedelta(seconds=70))
        await daemon.post_events([late])
        await clock(*(T + timedelta(minutes=m) for m in range(2, 60)))
        assert firing(tmp_path) == [("sla.due_soon", "kontroll"), ("sla.unanswered", "kontroll")]
        assert await overdue(daemon, "druvan") == 0
    arrived = tmp_path / "arrived.jsonl"
    arrived.write_text("".join(json.dumps(e.to_json()) + "\n" for e in (reply, late)))
    want = {"items": 1, "answered": 1, "answered_within_sla": 1, "unanswered": 0}
    assert report(tmp_path) == report(tmp_path, arrived) == want


async def test_a_backlogs_question_and_answer_in_two_requests_raise_no_alert_though_a_tick_falls_between(
    tmp_path: Path,
) -> None:
    """After an outage a backlog comes in two requests a moment apart: a question 50 minutes old, then the page's
    reply six minutes after it. A timely delivery gave no alert; the scheduler ticking between the two requests must
    not move the rules past the question's deadline before its answer is in. The control question, never
    answered, still comes due."""
    q, a = question("B1", T - timedelta(minutes=50)), answer("BP", "B1", T - timedelta(minutes=44))
    async with daemon_at(tmp_path, T) as (daemon, clock):
        await daemon.post_events([q, question("K1", T - timedelta(minutes=50), page="kontroll")])
        await clock(T + timedelta(milliseconds=500))  # the scheduler's tick between the two requests
        await daemon.post_events([a])
        await clock(*(T + timedelta(minutes=m) for m in range(1, 60)))
        assert firing(tmp_path) == [("sla.due_soon", "kontroll"), ("sla.unanswered", "kontroll")]
        assert await overdue(daemon, "druvan") == 0
