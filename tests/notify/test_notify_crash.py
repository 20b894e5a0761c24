"""Crash tests on the sender: the old notifier is abandoned at the critical point (its task
cancelled, nothing flushed) and a new one opens the same SQLite file, as after a kill -9."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from notify_helpers import intent

from sentinel.notify import Notifier, Outgoing, SendResult, build_channel
from sentinel.notify.base import Channel
from sentinel.notify.config import NotifyConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import FakeClock
from sentinel.testing.providers import Elks46Fake, Fake, KeyedFake, Reply, serve


class StopsBeforeSending:
    """Wraps a channel; never lets the request leave (the process dies right here)."""

    def __init__(self, inner: Channel) -> None:
        self.inner = inner
        self.name, self.needs, self.is_sms, self.resend_interval = (
            inner.name,
            inner.needs,
            inner.is_sms,
            inner.resend_interval,
        )
        self.reached = asyncio.Event()

    async def send(self, message: Outgoing) -> SendResult:
        self.reached.set()
        await asyncio.Event().wait()
        return await self.inner.send(message)

    async def close(self) -> None:
        await self.inner.close()


def channel_cfg(kind: str, url: str) -> dict[str, Any]:
    if kind == "46elks":
        return {"type": "46elks", "url": f"{url}/a1/sms", "username": "u", "password": "p"}
    if kind == "webhook":
        return {"type": "webhook", "url": f"{url}/hook", "secret": "k"}
    return {"type": "http_sms", "url": f"{url}/sms"}


def notifier(path: Path, clock: FakeClock, cfg: dict[str, Any], wrap: bool = False) -> tuple[Notifier, Any]:
    db = SqliteDatabase.open(str(path))
    c = NotifyConfig.model_validate({"channels": {"page": cfg}}).channels["page"]
    ch: Channel = build_channel("page", c, clock)
    gate = None
    if wrap:
        gate = StopsBeforeSending(ch)
        ch = gate
    return Notifier(db, clock, {"page": ch}), (db, gate)


async def kill(task: asyncio.Task[Any], n: Notifier) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    for ch in n.channels.values():  # the dead process's sockets go away with it
        await ch.close()


@pytest.mark.parametrize("kind", ["46elks", "webhook", "http_sms"])
async def test_killed_before_the_request_left_is_sent_exactly_once_after_restart(
    tmp_path: Path, clock: FakeClock, kind: str
) -> None:
    fake: Fake = Elks46Fake() if kind == "46elks" else KeyedFake()
    async with serve(fake) as (fake, url):
        old, (old_db, gate) = notifier(tmp_path / "s.db", clock, channel_cfg(kind, url), wrap=True)
        await old.start(background=False)
        await old.enqueue(intent(channel="page"))
        task = asyncio.create_task(old.run_once(clock.now()))
        await gate.reached.wait()
        assert (await old.outbox.get(intent(channel="page").idempotency_key) or {})["state"] == "sending"
        await kill(task, old)
        assert fake.requests == []

        new, (new_db, _) = notifier(tmp_path / "s.db", clock, channel_cfg(kind, url))
        await new.start(background=False)
        await new.run_once(clock.now())
        clock.advance(3600)
        await new.run_once(clock.now())
        assert len(fake.requests) == 1 and len(fake.delivered) == 1
        assert (await new.outbox.get(intent(channel="page").idempotency_key) or {})["state"] == "sent"
        await new.stop(1)
        await old_db.close()
        await new_db.close()


@pytest.mark.parametrize("kind", ["46elks", "webhook"])
async def test_killed_after_the_provider_id_was_recorded_is_not_sent_again(
    tmp_path: Path, clock: FakeClock, kind: str
) -> None:
    fake: Fake = Elks46Fake() if kind == "46elks" else KeyedFake()
    async with serve(fake) as (fake, url):
        old, (old_db, _) = notifier(tmp_path / "s.db", clock, channel_cfg(kind, url))
        await old.start(background=False)
        await old.enqueue(intent(channel="page"))
        await old.run_once(clock.now())
        row = await old.outbox.get(intent(channel="page").idempotency_key)
        assert row is not None and row["provider_id"]
        await kill(asyncio.create_task(asyncio.sleep(0)), old)  # dies without stop()

        new, (new_db, _) = notifier(tmp_path / "s.db", clock, channel_cfg(kind, url))
        await new.start(background=False)
        assert not await new.enqueue(intent(channel="page"))  # escalation repeating itself changes nothing
        await new.run_once(clock.now())
        clock.advance(3600)
        await new.run_once(clock.now())
        assert len(fake.requests) == 1
        await new.stop(1)
        await old_db.close()
        await new_db.close()


@pytest.mark.parametrize(
    ("kind", "deliveries"),
    [
        ("46elks", 2),  # no idempotency key at 46elks: at-least-once, at most one more
        ("webhook", 1),  # the receiver keeps Idempotency-Key: no repeat
        ("http_sms", 1),  # a gateway that takes Idempotency-Key: no repeat
    ],
)
async def test_killed_after_the_provider_accepted_but_before_the_record(
    tmp_path: Path, clock: FakeClock, kind: str, deliveries: int
) -> None:
    fake: Fake = Elks46Fake() if kind == "46elks" else KeyedFake()
    async with serve(fake) as (fake, url):
        fake.script(Reply(hold=True))
        old, (old_db, _) = notifier(tmp_path / "s.db", clock, channel_cfg(kind, url))
        await old.start(background=False)
        await old.enqueue(intent(channel="page"))
        task = asyncio.create_task(old.run_once(clock.now()))
        await fake.held.wait()  # the provider has it; our answer never comes back
        await kill(task, old)

        new, (new_db, _) = notifier(tmp_path / "s.db", clock, channel_cfg(kind, url))
        await new.start(background=False)
        await new.run_once(clock.now())
        clock.advance(3600)
        await new.run_once(clock.now())
        assert len(fake.delivered) == deliveries
        assert len(fake.requests) == 2
        assert (await new.outbox.get(intent(channel="page").idempotency_key) or {})["state"] == "sent"
        await new.stop(1)
        await old_db.close()
        await new_db.close()
