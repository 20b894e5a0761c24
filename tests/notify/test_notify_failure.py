"""When delivery fails for good: permanent errors fall back at once, fallbacks have keys of their own, a page
that gives up is handed on once per chain, and the pages about it avoid the (person, channel) that failed.

Real components: aiosmtpd as the mail server (refusing one mailbox with 550), the 46elks / Twilio / Slack fakes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from conftest import Factory
from notify_helpers import ANNA, ERIK, Mailhost, intent, serving

from sentinel.model import Category, NotificationIntent, NotificationKind, Severity
from sentinel.notify import health
from sentinel.notify.base import DeliveryReason
from sentinel.notify.outbox import fallback_key
from sentinel.security.sms import parse_reply
from sentinel.testing import FakeClock
from sentinel.testing.providers import Elks46Fake, Reply, SlackFake, TwilioFake, serve


@pytest.fixture
def mailhost() -> Iterator[tuple[Mailhost, int]]:
    """An SMTP server that refuses erik's mailbox."""
    with serving(Mailhost({ERIK.email or ""})) as served:
        yield served


def smtp(port: int, **kw: Any) -> dict[str, Any]:
    return {
        "type": "smtp",
        "host": "127.0.0.1",
        "port": port,
        "tls": "none",
        "sender": "sentinel@druvan.se",
        "domain": "druvan.se",
        **kw,
    }


def elks(url: str, **kw: Any) -> dict[str, Any]:
    return {"type": "46elks", "url": f"{url}/a1/sms", "username": "u", "password": "p", **kw}


def twilio(url: str, **kw: Any) -> dict[str, Any]:
    return {"type": "twilio", "url": url, "account_sid": "AC123", "auth_token": "tok", "sender": "+46766860000", **kw}


class GiveUps:
    def __init__(self) -> None:
        self.seen: list[tuple[NotificationIntent, DeliveryReason]] = []

    async def __call__(self, intent: NotificationIntent, reason: DeliveryReason) -> None:
        self.seen.append((intent, reason))


def delivery_alert(recipient: Any, channel: str) -> NotificationIntent:
    """A page of the ``health.delivery_failed`` incident, as escalation would make it."""
    return intent(
        "inc-000099",
        channel=channel,
        recipient=recipient,
        category=Category.HEALTH,
        severity=Severity.CRITICAL,
        page=health.DELIVERY_PAGE,
        page_name=health.DELIVERY_PAGE,
        summary="page for inc-000012 to erik via sms gave up (rejected)",
        evidence=(),
    )


async def test_smtp_550_falls_back_to_sms_at_once_and_is_not_retried(
    make_notifier: Factory, clock: FakeClock, mailhost: tuple[Mailhost, int]
) -> None:
    host, port = mailhost
    async with serve(Elks46Fake()) as (fake, url):
        n = make_notifier({"email": smtp(port, fallback="sms"), "sms": elks(url)}, backoff_initial="1s")
        await n.start(background=False)
        mail = intent(channel="email")
        await n.enqueue(mail)
        await n.run_once(clock.now())
        row = await n.outbox.get(mail.idempotency_key)
        assert row is not None and (row["state"], row["reason"], row["attempts"]) == ("failed", "rejected", 1)
        await n.run_once(clock.now())  # the fallback is due at once, not after retries
        assert [r.form["to"] for r in fake.delivered] == [ERIK.phone]
        fb = await n.outbox.get(fallback_key(mail.idempotency_key, "sms"))
        assert fb is not None and fb["state"] == "sent" and fb["origin"] == mail.idempotency_key
        clock.advance(7200)
        await n.run_once(clock.now())
        assert host.rcpt == [ERIK.email] and not host.mails  # one attempt at the mailbox, ever
        await n.stop(1)


async def test_sms_to_email_fallback_is_sent_when_the_step_also_emails(
    make_notifier: Factory, clock: FakeClock, mailhost: tuple[Mailhost, int]
) -> None:
    host, port = mailhost
    host.refuse = set()
    async with serve(TwilioFake()) as (fake, url):
        fake.script(Reply(400))  # 21211: the 'To' number is not valid
        n = make_notifier({"sms": twilio(url, fallback="email"), "email": smtp(port)})
        await n.start(background=False)
        await n.enqueue(intent(channel="sms"))
        await n.enqueue(intent(channel="email"))  # the same step e-mails erik too
        await n.run_once(clock.now())
        await n.run_once(clock.now())
        fb = await n.outbox.get(fallback_key(intent().idempotency_key, "email"))
        assert fb is not None and fb["state"] == "sent"
        assert [m["To"] for m in host.mails] == [ERIK.email, ERIK.email]
        ids = {m["Message-ID"] for m in host.mails}
        assert len(ids) == 2 and "<incident.inc-000012@druvan.se>" in ids  # a mailbox that drops repeats keeps both
        await n.stop(1)


@pytest.mark.parametrize(
    ("provider", "status", "reason"),
    [
        ("twilio", 400, "rejected"),
        ("46elks", 403, "rejected"),
        ("46elks", 401, "auth_failed"),
        ("slack", 404, "rejected"),
    ],
)
async def test_permanent_http_errors_fall_back_at_once(
    make_notifier: Factory, clock: FakeClock, provider: str, status: int, reason: str
) -> None:
    fakes = {"twilio": TwilioFake(), "46elks": Elks46Fake(), "slack": SlackFake()}
    async with serve(fakes[provider]) as (fake, url):
        fake.script(Reply(status))
        cfg = {"twilio": twilio(url), "46elks": elks(url), "slack": {"type": "slack", "url": f"{url}/services/x"}}
        n = make_notifier({"primary": {**cfg[provider], "fallback": "email"}, "email": {"type": "console"}})
        await n.start(background=False)
        await n.enqueue(intent(channel="primary"))
        await n.run_once(clock.now())
        await n.run_once(clock.now())
        row = await n.outbox.get(intent(channel="primary").idempotency_key)
        assert row is not None and (row["state"], row["reason"]) == ("failed", reason)
        fb = await n.outbox.get(fallback_key(intent(channel="primary").idempotency_key, "email"))
        assert fb is not None and fb["state"] == "sent"
        assert len(fake.requests) == 1
        await n.stop(1)


async def test_429_is_retried_not_handed_to_the_fallback(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(TwilioFake()) as (fake, url):
        fake.script(Reply(429, retry_after="1"))
        n = make_notifier({"sms": twilio(url, fallback="email"), "email": {"type": "console"}}, backoff_initial="1s")
        await n.start(background=False)
        await n.enqueue(intent())
        await n.run_once(clock.now())
        assert await n.outbox.get(fallback_key(intent().idempotency_key, "email")) is None
        clock.advance(2)
        await n.run_once(clock.now())
        assert len(fake.delivered) == 1 and await n.outbox.get(fallback_key(intent().idempotency_key, "email")) is None
        await n.stop(1)


async def test_a_page_with_nothing_left_to_try_is_handed_on_once(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(*[Reply(503)] * 4)
        n = make_notifier({"sms": elks(url)}, max_attempts=2, backoff_initial="1s", breaker_failures=10)
        n.on_give_up = gave_up = GiveUps()
        await n.start(background=False)
        await n.enqueue(intent())
        await n.run_once(clock.now())
        assert gave_up.seen == []  # a retry is scheduled
        clock.advance(5)
        await n.run_once(clock.now())
        assert [(i.idempotency_key, r) for i, r in gave_up.seen] == [(intent().idempotency_key, DeliveryReason.GAVE_UP)]
        assert await n.outbox.unreachable() == {("erik", "sms")}
        await n.stop(1)


async def test_a_lost_all_clear_is_not_handed_on(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(Reply(403))
        n = make_notifier({"sms": elks(url)})
        n.on_give_up = gave_up = GiveUps()
        await n.start(background=False)
        await n.enqueue(intent(kind=NotificationKind.RESOLVED))
        await n.run_once(clock.now())
        row = await n.outbox.get(intent(kind=NotificationKind.RESOLVED).idempotency_key)
        assert row is not None and row["state"] == "failed" and gave_up.seen == []
        await n.stop(1)


async def test_a_page_whose_fallback_delivers_raises_nothing(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(Reply(403))
        n = make_notifier({"sms": elks(url, fallback="email"), "email": {"type": "console"}})
        n.on_give_up = gave_up = GiveUps()
        await n.start(background=False)
        await n.enqueue(intent())
        await n.run_once(clock.now())
        await n.run_once(clock.now())
        assert gave_up.seen == []
        await n.stop(1)


async def test_fallbacks_take_one_hop_even_when_channels_fall_back_to_each_other(
    make_notifier: Factory, clock: FakeClock, mailhost: tuple[Mailhost, int]
) -> None:
    host, port = mailhost
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(*[Reply(403)] * 5)
        n = make_notifier({"sms": elks(url, fallback="email"), "email": smtp(port, fallback="sms")})
        n.on_give_up = gave_up = GiveUps()
        await n.start(background=False)
        await n.enqueue(intent())  # sms refused → e-mail refused (550) → nothing more
        for _ in range(4):
            await n.run_once(clock.now())
            clock.advance(60)
        assert len(fake.requests) == 1 and host.rcpt == [ERIK.email]
        assert [(i.channel, r) for i, r in gave_up.seen] == [("email", DeliveryReason.REJECTED)]
        assert await n.outbox.unreachable() == {("erik", "sms"), ("erik", "email")}
        await n.stop(1)


async def test_delivery_failure_pages_avoid_the_pair_that_failed_and_never_loop(
    make_notifier: Factory, clock: FakeClock, mailhost: tuple[Mailhost, int]
) -> None:
    host, port = mailhost
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(*[Reply(403)] * 5)
        n = make_notifier({"sms": elks(url, fallback="email"), "email": smtp(port)})
        n.on_give_up = gave_up = GiveUps()
        await n.start(background=False)
        await n.outbox.mark_unreachable("erik", "sms", clock.now(), "rejected")
        await n.enqueue(delivery_alert(ERIK, "sms"))  # to the pair that failed: not sent there
        await n.enqueue(delivery_alert(ANNA, "email"))
        await n.run_once(clock.now())
        await n.run_once(clock.now())
        assert fake.requests == []
        avoided = await n.outbox.get(delivery_alert(ERIK, "sms").idempotency_key)
        assert avoided is not None and (avoided["state"], avoided["reason"]) == ("muted", "avoided")
        assert sorted(host.rcpt) == [ANNA.email, ERIK.email]  # erik's copy went to his e-mail (refused), anna's through
        assert [m["To"] for m in host.mails] == [ANNA.email]
        assert gave_up.seen == []  # erik's refused copy raises nothing: no loop
        await n.stop(1)


async def test_a_delivered_page_makes_the_pair_reachable_again(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        n = make_notifier({"sms": elks(url)})
        await n.start(background=False)
        await n.outbox.mark_unreachable("erik", "sms", clock.now(), "rejected")
        await n.enqueue(intent())
        await n.run_once(clock.now())
        assert len(fake.delivered) == 1 and await n.outbox.unreachable() == set()
        await n.stop(1)


@pytest.mark.parametrize("who", [ERIK, ANNA])
async def test_the_paging_sms_says_how_to_acknowledge_in_the_form_replies_accept(
    make_notifier: Factory, clock: FakeClock, who: Any
) -> None:
    async with serve(TwilioFake()) as (fake, url):
        n = make_notifier({"sms": twilio(url)})
        await n.start(background=False)
        await n.enqueue(intent(recipient=who, summary="x" * 300))
        await n.run_once(clock.now())
        body = fake.delivered[0].form["Body"]
        assert len(body) <= 160
        tail = {
            "sv": "Svara 12a 123456 (din kod) för att kvittera",
            "en": "Reply 12a 123456 (your code) to acknowledge",
        }[who.language]
        assert body.endswith(tail)
        shown = tail.split()[1] + " " + tail.split()[2]  # "12a 123456": what the person sends, with their code
        reply = parse_reply(shown)
        assert reply is not None and (reply.action, reply.incident, reply.code) == ("ack", 12, "123456")
        assert parse_reply("12a") is None  # the code is needed, and the SMS says so
        await n.stop(1)


def test_a_resolved_sms_carries_no_instruction() -> None:
    from sentinel.notify import templates

    text = templates.sms([replace(intent(), kind=NotificationKind.RESOLVED)])
    assert "123456" not in text
