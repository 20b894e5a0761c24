"""The failure paths on PostgreSQL too: fallback keys, the unreachable pairs, the unknown-SMS ration."""

from __future__ import annotations

from conftest import Factory
from notify_helpers import intent

from sentinel.notify.outbox import fallback_key
from sentinel.security.inbound import ReplyBudget
from sentinel.security.sms import UnknownReplyLimits
from sentinel.store.factory import open_database
from sentinel.testing import FakeClock
from sentinel.testing.providers import Elks46Fake, Reply, serve


async def test_fallback_and_unreachable_pairs_on_postgres(
    make_notifier: Factory, clock: FakeClock, pg_url: str
) -> None:
    db = await open_database(pg_url)
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(Reply(403), Reply(403))
        sms = {"type": "46elks", "url": f"{url}/a1/sms", "username": "u", "password": "p", "fallback": "email"}
        n = make_notifier({"sms": sms, "email": {"type": "console"}}, database=db)
        await n.start(background=False)
        await n.enqueue(intent())
        await n.enqueue(intent(channel="email"))
        await n.run_once(clock.now())
        await n.run_once(clock.now())
        fb = await n.outbox.get(fallback_key(intent().idempotency_key, "email"))
        assert fb is not None and fb["state"] == "sent"
        await n.outbox.mark_unreachable("erik", "sms", clock.now(), "rejected")  # again: an upsert
        assert await n.outbox.unreachable() == {("erik", "sms")}
        await n.outbox.mark_reachable("erik", "sms")
        assert await n.outbox.unreachable() == set()
        await n.stop(1)
    budget = ReplyBudget(db, UnknownReplyLimits())
    assert [await budget.take("+46700000099", clock.now()) for _ in range(3)] == [True, False, False]
    await db.close()
