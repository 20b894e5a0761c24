"""A provider's answer is read up to a bound, whatever it claims: every HTTP channel against a local fake that
answers with ``Content-Length: 3000000000`` and streams. The delivery ends as its status says (2xx sent, or
``invalid_response`` where the answer must carry an id; 5xx retried), and the fake gets to write no more than the
socket buffers hold: the sender stopped reading and hung up."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Factory
from notify_helpers import intent

from sentinel.testing import FakeClock
from sentinel.testing.providers import (
    Elks46Fake,
    Fake,
    KeyedFake,
    Reply,
    SlackFake,
    TeamsFake,
    TwilioFake,
    serve,
)

FLOOD = 100 << 20  # what the fake offers; Sentinel keeps at most 64 KiB of it
WRITTEN_AT_MOST = 24 << 20  # what loopback's socket buffers can take before the sender hangs up


def channel(kind: str, url: str) -> dict[str, Any]:
    return {
        "slack": {"type": "slack", "url": f"{url}/services/T1/B2/xyz"},
        "teams": {"type": "teams", "url": f"{url}/webhook/abc"},
        "webhook": {"type": "webhook", "url": f"{url}/hook"},
        "http_sms": {"type": "http_sms", "url": f"{url}/sms"},
        "alertmanager": {"type": "alertmanager", "url": url},
        "46elks": {"type": "46elks", "url": f"{url}/a1/sms", "username": "u", "password": "p"},
        "twilio": {"type": "twilio", "url": url, "account_sid": "AC123", "auth_token": "tok", "sender": "+4676"},
    }[kind]


def fake(kind: str) -> Fake:
    return {"slack": SlackFake, "teams": TeamsFake, "46elks": Elks46Fake, "twilio": TwilioFake}.get(kind, KeyedFake)()


# what a 200 whose body never ends means: sent, unless the channel needs the provider's message id from it
AFTER_200 = {
    "slack": ("sent", "sent"),
    "teams": ("sent", "sent"),
    "webhook": ("sent", "sent"),
    "http_sms": ("sent", "sent"),
    "alertmanager": ("firing", "sent"),  # re-sent while the incident is open
    "46elks": ("failed", "invalid_response"),
    "twilio": ("failed", "invalid_response"),
}


@pytest.mark.parametrize("kind", sorted(AFTER_200))
async def test_an_endless_2xx_answer_is_read_to_a_bound_and_decided_by_its_status(
    make_notifier: Factory, clock: FakeClock, kind: str
) -> None:
    async with serve(fake(kind)) as (f, url):
        f.script(Reply(flood=FLOOD))
        n = make_notifier({"ch": channel(kind, url)}, timeout="5s")
        await n.start(background=False)
        page = intent(channel="ch")
        await n.enqueue(page)
        await n.run_once(clock.now())
        row = await n.outbox.get(page.idempotency_key)
        assert row is not None and (row["state"], row["reason"]) == AFTER_200[kind], row
        assert f.flooded < WRITTEN_AT_MOST
        await n.stop(1)


@pytest.mark.parametrize("kind", sorted(AFTER_200))
async def test_an_endless_5xx_answer_is_read_to_a_bound_and_retried(
    make_notifier: Factory, clock: FakeClock, kind: str
) -> None:
    async with serve(fake(kind)) as (f, url):
        f.script(Reply(503, flood=FLOOD))
        n = make_notifier({"ch": channel(kind, url)}, timeout="5s")
        await n.start(background=False)
        page = intent(channel="ch")
        await n.enqueue(page)
        await n.run_once(clock.now())
        row = await n.outbox.get(page.idempotency_key)
        assert row is not None and (row["state"], row["reason"]) == ("pending", "server_error"), row
        assert f.flooded < WRITTEN_AT_MOST
        await n.stop(1)
