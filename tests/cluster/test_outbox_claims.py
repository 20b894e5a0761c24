"""Two replicas' notifiers on one PostgreSQL outbox: each page is delivered once, through an outage and after."""

from __future__ import annotations

import asyncio
import random

from cluster_helpers import CountingGateway

from sentinel.model import Category, NotificationIntent, NotificationKind, Recipient, Severity
from sentinel.notify import Notifier, build_channel
from sentinel.notify.config import DeliveryConfig, NotifyConfig
from sentinel.notify.outbox import CLAIM_S, SEND_LEASE_S, ClaimLost, Outbox
from sentinel.store.factory import open_database
from sentinel.testing import T0, FakeClock
from sentinel.testing.providers import Reply, serve

PAGES = 49


def page(n: int) -> NotificationIntent:
    who = Recipient(name=f"p{n}", phone=f"+4670{n:07d}", language="en")
    return NotificationIntent(
        time=T0,
        incident=f"inc-{n:06d}",
        step=1,
        channel="sms",
        to=f"oncall:{who.name}",
        recipient=who,
        kind=NotificationKind.PAGE,
        category=Category.HIJACK,
        severity=Severity.CRITICAL,
        page="druvan",
        page_name="Druvan",
        summary=f"hijack {n}",
        evidence=(),
    )


def notifier(db: object, clock: FakeClock, url: str, seed: int) -> Notifier:
    cfg = NotifyConfig.model_validate(
        {"channels": {"sms": {"type": "http_sms", "url": f"{url}/sms"}}, "delivery": {"timeout": "2s"}}
    )
    channels = {n: build_channel(n, c, clock, 2.0) for n, c in cfg.channels.items()}
    return Notifier(db, clock, channels, {}, DeliveryConfig(), rng=random.Random(seed))  # type: ignore[arg-type]


async def test_two_replicas_deliver_every_page_once_through_a_provider_outage(pg_url: str) -> None:
    clock = FakeClock(T0)
    db_a, db_b = await open_database(pg_url), await open_database(pg_url)
    async with serve(CountingGateway()) as (gateway, url):
        gateway.script(*[Reply(503)] * 12)  # down for the first 12 requests, whoever sends them
        a, b = notifier(db_a, clock, url, 1), notifier(db_b, clock, url, 2)
        await a.start(background=False)
        await b.start(background=False)
        for n in range(PAGES):  # the pages are decided on both replicas, as incidents are
            await (a if n % 2 else b).enqueue(page(n))
        for _ in range(200):
            await asyncio.gather(a.run_once(clock.now()), b.run_once(clock.now()), a.run_once(clock.now()))
            if len(gateway.accepted) == PAGES and await a.outbox.backlog() == 0:
                break
            clock.advance(5)
        await a.stop(1)
        await b.stop(1)

    assert sorted(gateway.accepted) == sorted(page(n).idempotency_key for n in range(PAGES))
    assert set(gateway.accepted.values()) == {1}, {k: v for k, v in gateway.accepted.items() if v > 1}
    assert len(gateway.requests) > PAGES  # the outage was real: some were refused and retried
    await db_a.close()
    await db_b.close()


async def test_a_claimed_row_is_not_read_by_another_replica_until_its_claim_runs_out(pg_url: str) -> None:
    db_a, db_b = await open_database(pg_url), await open_database(pg_url)
    a, b = Outbox(db_a), Outbox(db_b)
    await a.migrate()
    await b.migrate()
    await a.add(page(1), "+1", T0)
    assert [r.key for r in await a.due(T0, 10)] == [page(1).idempotency_key]
    assert await b.due(T0, 10) == []
    assert await b.next_due() == T0.timestamp() + CLAIM_S  # not a busy loop: due to b when the claim runs out
    late = T0.fromtimestamp(T0.timestamp() + CLAIM_S, T0.tzinfo)
    assert [r.key for r in await b.due(late, 10)] == [page(1).idempotency_key]
    try:  # a's claim ran out and b took it: a may not send
        await a.mark_sending([page(1).idempotency_key], page(1).idempotency_key)
        raise AssertionError("a sent a row b had claimed")
    except ClaimLost:
        pass
    await b.mark_sending([page(1).idempotency_key], page(1).idempotency_key)
    await db_a.close()
    await db_b.close()


async def test_a_starting_replica_resends_only_what_a_dead_replica_had_in_flight(pg_url: str) -> None:
    db_a, db_b = await open_database(pg_url), await open_database(pg_url)
    a, b = Outbox(db_a), Outbox(db_b)
    await a.migrate()
    key = page(1).idempotency_key
    await a.add(page(1), "+1", T0)
    await a.due(T0, 10)
    await a.mark_sending([key], key)  # in flight on a
    assert await b.resume_interrupted(T0) == 0  # b starts while a is alive: a's send stays a's
    assert (await b.get(key) or {})["state"] == "sending"
    dead = T0.fromtimestamp(T0.timestamp() + CLAIM_S + SEND_LEASE_S, T0.tzinfo)
    assert await b.resume_interrupted(dead) == 1  # a died mid-send: its lease ran out, the page goes again
    assert [r.key for r in await b.due(dead, 10)] == [key]
    await db_a.close()
    await db_b.close()


async def test_a_replica_whose_provider_is_down_leaves_its_pages_to_one_whose_provider_answers(pg_url: str) -> None:
    """Replica a cannot reach the SMS provider (its breaker opens), replica b can: a page raised after that is sent
    by b at once. a does not claim it and push it back by the breaker's cooldown for everyone."""
    clock = FakeClock(T0)
    db_a, db_b = await open_database(pg_url), await open_database(pg_url)
    async with serve(CountingGateway()) as (down, down_url), serve(CountingGateway()) as (up, up_url):
        down.script(*[Reply(503)] * 100)
        a, b = notifier(db_a, clock, down_url, 1), notifier(db_b, clock, up_url, 2)
        await a.start(background=False)
        await b.start(background=False)
        for n in range(5):  # a alone takes these and fails them until its breaker opens
            await a.enqueue(page(n))
            await a.run_once(clock.now())
            clock.advance(1)
        assert a.breakers["sms"].state(clock.now()) == "open"
        assert up.accepted == {}
        tried = len(down.requests)
        late = [page(n) for n in range(5, 8)]
        for p in late:
            await a.enqueue(p)
        await a.run_once(clock.now())  # a first, at the same instant: it must leave them
        await b.run_once(clock.now())
        assert {p.idempotency_key for p in late} <= set(up.accepted)  # (with any of the first five now due)
        assert len(down.requests) == tried  # a sent nothing more once its breaker was open
        # a's worker is not left spinning on rows it skips: it wakes when its breaker turns half-open
        assert await a._next_wake() == a.breakers["sms"].retry_at(clock.now()).timestamp()
        for _ in range(40):  # the five a failed are b's once their retry is due: each once
            if len(up.accepted) == 8:
                break
            clock.advance(15)
            await a.run_once(clock.now())
            await b.run_once(clock.now())
        await a.stop(1)
        await b.stop(1)
    assert sorted(up.accepted) == sorted(page(n).idempotency_key for n in range(8))
    assert set(up.accepted.values()) == {1}
    await db_a.close()
    await db_b.close()
