"""Issue #22's acceptance test: the same traffic through two replica processes on one PostgreSQL database while the
SMS provider is down (refusing, then hanging past the sender's timeout) and then recovers. Hijacks on four pages,
two held by each replica, each paging two people: every page (outbox row) arrives at the provider exactly once,
counted by the ``Idempotency-Key`` it saw, none lost and none twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from cluster_helpers import DAYS, FlakyGateway, set_clock

from sentinel.model import Event
from sentinel.testing import event
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, start_daemon, stop_daemon
from sentinel.testing.providers import serve

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TOKEN = "cluster-ingest-token-0123456789"
PAGES = ["alfa", "bravo", "charlie", "delta"]
STEPS = 2  # each hijack pages its page's first person at once, its second five minutes later
TIMEOUT_S = 1.0  # the replicas' per-request timeout: a hung provider costs each attempt this long


def phone(page: int, step: int) -> str:
    return f"+467010{page}{step}000"


def config(tmp_path: Path, name: str, port: int, pg_url: str, sms_url: str, start: datetime) -> Path:
    off_day = DAYS[(start.weekday() + 3) % 7]  # staffed one minute, three days off: a new admin is critical now
    pages = "".join(f'  - {{id: {p}, timezone: UTC, staffed_hours: {{{off_day}: "00:00-01:00"}}}}\n' for p in PAGES)
    people = "".join(
        f"  - {{name: {p}{s}, phone: '{phone(i, s)}', channels: [sms]}}\n"
        for i, p in enumerate(PAGES)
        for s in range(1, STEPS + 1)
    )
    policies = "".join(
        f"    - name: {p}\n      steps:\n"
        f"        - {{targets: [{{person: {p}1}}], channels: [sms]}}\n"
        f"        - {{targets: [{{person: {p}2}}], channels: [sms], after: 5m}}\n"
        for p in PAGES
    )
    routes = "".join(f"    - {{category: hijack, page: [{p}], policy: {p}}}\n" for p in PAGES)
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"""pages:
{pages}people:
{people}escalation:
  group_wait: 0s
  policies:
{policies}  routes:
{routes}notify:
  # no page is given up within the outage: attempts every 5-30 s (and the breaker's minute) for 12 minutes
  delivery: {{backoff_initial: 5s, backoff_max: 30s, max_attempts: 100, timeout: {TIMEOUT_S:g}s}}
  channels:
    sms: {{type: http_sms, url: "{sms_url}/sms"}}
security:
  secret_key: cluster-test-secret-key-0123456789abcdef
"""
        + daemon_settings(tmp_path, port, pg_url)
    )
    return path


def hijack(page: str, at: datetime) -> list[Event]:
    """A stranger given full control of ``page`` off hours: a critical hijack (``hijack.manage_granted``)."""
    user = {"id": f"666{page}", "name": "Mr X"}
    return [event("role.granted", at, page=page, id=f"grant:{page}", user=user, tasks=["MANAGE"], actor=None)]


async def advance(daemons: list[Daemon], conn: asyncpg.Connection, since: datetime, to: datetime) -> None:
    """Move the replicas' clocks together ten seconds at a time (under the lease time), each step only once no
    send is in flight: a request the provider holds past the timeout fails before the clock moves on, as it would
    in real time (a notifier's own worker sends too, and the clock endpoint does not wait for those)."""
    t = since
    while t < to:
        t = min(to, t + timedelta(seconds=10))
        await set_clock(daemons, t)
        await daemons[0].until("no send in flight", lambda: _nothing_sending(conn), 10)


def logged(d: Daemon, name: str) -> list[str]:
    """The outbox keys of the replica's log records named ``name``."""
    return [str(r.get("key")) for r in d.log_records() if r.get("event") == name]


async def test_two_replicas_page_every_step_exactly_once_through_a_provider_outage(tmp_path: Path, pg_url: str) -> None:
    start = datetime.now(UTC).replace(microsecond=0)
    conn = await asyncpg.connect(pg_url)
    daemons: dict[str, Daemon] = {}
    try:
        async with serve(FlakyGateway(hang_s=2 * TIMEOUT_S)) as (gateway, sms_url):
            for name in ("r1", "r2"):
                port = free_port()
                env = {"SENTINEL_TEST_CLOCK": start.isoformat(), "SENTINEL_REPLICA": name, "SENTINEL_LEASE_TTL": "15"}
                daemons[name] = await start_daemon(
                    config(tmp_path, name, port, pg_url, sms_url, start), port, TOKEN, env=env
                )
            r1, r2 = live = [daemons["r1"], daemons["r2"]]
            # five leases (four pages and the one for everything else) over two replicas: each holds pages
            await r1.until("both replicas hold pages", lambda: _both_hold_pages(conn), 30)
            held = {str(r[0]): str(r[1]) for r in await conn.fetch("SELECT page, holder FROM page_leases")}

            gateway.down = "hang"  # the provider holds every request past the replicas' timeout ...
            t = start
            for i, p in enumerate(PAGES):  # each hijack through the replica that does not hold its page
                via = r2 if held[p] == "r1" else r1
                await via.post_events(hijack(p, t + timedelta(seconds=i)))
            await advance(live, conn, t, t + timedelta(minutes=1))  # every step 1 tried and timed out
            t += timedelta(minutes=1)
            assert gateway.refused and not gateway.accepted
            gateway.down = "5xx"  # ... then refuses them at once
            await advance(live, conn, t, t + timedelta(minutes=6))  # retried; breakers open; step 2 falls due at 5 min
            t += timedelta(minutes=6)
            assert not gateway.accepted
            refused_as = dict(gateway.refused_as)

            gateway.down = None  # the provider recovers
            await advance(live, conn, t, t + timedelta(minutes=5))
            t += timedelta(minutes=5)
            await r1.until("every page delivered", lambda: _all_sent(conn), 30)
            await advance(live, conn, t, t + timedelta(minutes=10))  # and nothing is sent again afterwards
            rows = {str(r[0]): str(r[1]) for r in await conn.fetch("SELECT key, state FROM notify_outbox")}
            incidents = await conn.fetch("SELECT id, page FROM incidents")
    finally:
        for d in daemons.values():
            await stop_daemon(d)
        await conn.close()

    enqueued = {name: logged(d, "notify.enqueued") for name, d in daemons.items()}
    tried = {name: logged(d, "notify.retry_scheduled") for name, d in daemons.items()}
    print(
        f"refused in the outage: {refused_as}; enqueued: {enqueued}; failed attempts by r1, r2: "
        f"{len(tried['r1'])}, {len(tried['r2'])}"
    )
    assert sorted(str(r[1]) for r in incidents) == PAGES  # one incident per hijack, whichever replica took it in
    assert len(rows) == len(PAGES) * STEPS and set(rows.values()) == {"sent"}, rows
    assert all(enqueued.values()), enqueued  # both replicas held outbox work (their own pages' escalations)
    assert all(tried.values()), tried  # and both tried to deliver during the outage
    assert refused_as.get("5xx", 0) > 0 and refused_as.get("hang", 0) > 0, refused_as  # the outage was real
    assert set(gateway.refused) <= set(rows)
    # exactly once: the provider accepted every row's key, each one time
    assert sorted(gateway.accepted) == sorted(rows), (sorted(gateway.accepted), sorted(rows))
    assert set(gateway.accepted.values()) == {1}, {k: n for k, n in gateway.accepted.items() if n > 1}
    assert sorted((r.json or {}).get("to") for r in gateway.delivered) == sorted(
        phone(i, s) for i in range(len(PAGES)) for s in range(1, STEPS + 1)
    )


async def _both_hold_pages(conn: asyncpg.Connection) -> bool:
    rows = await conn.fetch("SELECT holder FROM page_leases WHERE page = ANY($1)", PAGES)
    return {r[0] for r in rows} == {"r1", "r2"}


async def _all_sent(conn: asyncpg.Connection) -> bool:
    n = await conn.fetchval("SELECT COUNT(*) FROM notify_outbox WHERE state = 'sent'")
    return int(n or 0) == len(PAGES) * STEPS


async def _nothing_sending(conn: asyncpg.Connection) -> bool:
    return not await conn.fetchval("SELECT COUNT(*) FROM notify_outbox WHERE state = 'sending'")
