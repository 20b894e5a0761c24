"""SMS delivery through the outbox against local 46elks / Twilio fakes."""

from __future__ import annotations

from datetime import timedelta

from conftest import Factory
from notify_helpers import ANNA, ERIK, intent, until

from sentinel.metrics import NOTIFICATIONS, NOTIFICATIONS_SUPPRESSED
from sentinel.model import NotificationKind, Recipient
from sentinel.notify.outbox import fallback_key
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import FakeClock
from sentinel.testing.providers import Elks46Fake, Reply, TwilioFake, serve


def elks(url: str, **kw: object) -> dict[str, object]:
    return {"type": "46elks", "url": f"{url}/a1/sms", "username": "u", "password": "p", **kw}


def console() -> dict[str, object]:
    return {"type": "console", "stream": "stderr"}


def metric(counter: object, *labels: str) -> float:
    return float(counter.labels(*labels)._value.get())  # type: ignore[attr-defined]


async def test_enqueue_is_durable_before_it_returns(make_notifier: Factory, db_path: object) -> None:
    n = make_notifier({"sms": elks("http://127.0.0.1:9")})
    await n.start(background=False)
    assert await n.enqueue(intent())
    other = SqliteDatabase.open(str(db_path))  # a second connection sees the committed row
    row = await other.fetchone("SELECT state FROM notify_outbox WHERE key = ?", (intent().idempotency_key,))
    await other.close()
    assert row == ("pending",)
    await n.stop(1)


async def test_the_same_notification_enqueued_twice_is_stored_once(make_notifier: Factory) -> None:
    n = make_notifier({"sms": elks("http://127.0.0.1:9")})
    await n.start(background=False)
    before = metric(NOTIFICATIONS_SUPPRESSED, "duplicate")
    assert await n.enqueue(intent())
    assert not await n.enqueue(intent())
    assert metric(NOTIFICATIONS_SUPPRESSED, "duplicate") == before + 1
    await n.stop(1)


async def test_46elks_gets_a_form_post_with_basic_auth_and_the_id_is_recorded(
    make_notifier: Factory, clock: FakeClock
) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        n = make_notifier({"sms": elks(url, sender="Druvan")})
        await n.start(background=False)
        await n.enqueue(intent())
        assert await n.run_once(clock.now()) == 1
        [req] = fake.delivered
        assert req.form["to"] == ERIK.phone and req.form["from"] == "Druvan"
        assert len(req.form["message"]) <= 160 and "12a" in req.form["message"]
        row = await n.outbox.get(intent().idempotency_key)
        assert row is not None and row["state"] == "sent" and str(row["provider_id"]).startswith("s")
        assert await n.run_once(clock.now()) == 0  # nothing more to do
        await n.stop(1)


async def test_server_error_is_retried_with_backoff_through_the_clock(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(Reply(500), Reply(503))
        n = make_notifier({"sms": elks(url)}, backoff_initial="10s")
        await n.start(background=False)
        await n.enqueue(intent())
        await n.run_once(clock.now())
        assert len(fake.requests) == 1 and not fake.delivered
        await n.run_once(clock.now())  # not due yet
        assert len(fake.requests) == 1
        clock.advance(10)  # first retry after 5-10 s
        await n.run_once(clock.now())
        assert len(fake.requests) == 2
        clock.advance(20)  # second after 10-20 s
        await n.run_once(clock.now())
        assert len(fake.delivered) == 1
        row = await n.outbox.get(intent().idempotency_key)
        assert row is not None and row["state"] == "sent" and row["attempts"] == 3
        await n.stop(1)


async def test_429_retry_after_is_honoured(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(Reply(429, retry_after="120"))
        n = make_notifier({"sms": elks(url)})
        await n.start(background=False)
        before = metric(NOTIFICATIONS, "sms", "rate_limited")
        await n.enqueue(intent())
        await n.run_once(clock.now())
        assert metric(NOTIFICATIONS, "sms", "rate_limited") == before + 1
        clock.advance(119)
        await n.run_once(clock.now())
        assert len(fake.requests) == 1
        clock.advance(1)
        await n.run_once(clock.now())
        assert len(fake.delivered) == 1
        await n.stop(1)


async def test_dropped_connection_and_slow_answer_are_retried(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(Reply(drop=True), Reply(delay_s=1.5))
        n = make_notifier({"sms": elks(url)}, timeout="0.3s", backoff_initial="1s")
        await n.start(background=False)
        await n.enqueue(intent())
        await n.run_once(clock.now())
        assert (await n.outbox.get(intent().idempotency_key) or {})["reason"] == "connection_failed"
        clock.advance(1)
        await n.run_once(clock.now())
        assert (await n.outbox.get(intent().idempotency_key) or {})["reason"] == "timeout"
        clock.advance(2)
        await n.run_once(clock.now())
        assert len(fake.delivered) == 1
        await n.stop(1)


async def test_bad_credentials_are_not_retried_and_fall_back_to_email(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake(password="other")) as (fake, url):
        n = make_notifier({"sms": elks(url, fallback="email"), "email": console()})
        await n.start(background=False)
        await n.enqueue(intent())
        await n.run_once(clock.now())
        row = await n.outbox.get(intent().idempotency_key)
        assert row is not None and row["state"] == "failed" and row["reason"] == "auth_failed"
        await n.run_once(clock.now())
        fb = await n.outbox.get(fallback_key(intent().idempotency_key, "email"))
        assert fb is not None and fb["state"] == "sent" and fb["origin"] == intent().idempotency_key
        clock.advance(3600)
        await n.run_once(clock.now())
        assert len(fake.requests) == 1
        await n.stop(1)


async def test_recipient_without_phone_falls_back(make_notifier: Factory, clock: FakeClock) -> None:
    n = make_notifier({"sms": elks("http://127.0.0.1:9", fallback="email"), "email": console()})
    await n.start(background=False)
    nophone = Recipient(name="kim", email="kim@example.se")
    await n.enqueue(intent(recipient=nophone))
    await n.run_once(clock.now())
    await n.run_once(clock.now())
    assert (await n.outbox.get(intent(recipient=nophone).idempotency_key) or {})["reason"] == "misconfigured"
    fb = fallback_key(intent(recipient=nophone).idempotency_key, "email")
    assert (await n.outbox.get(fb) or {})["state"] == "sent"
    await n.stop(1)


async def test_breaker_opens_when_sms_keeps_failing_and_email_takes_over(
    make_notifier: Factory, clock: FakeClock
) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(*[Reply(503)] * 20)
        n = make_notifier(
            {"sms": elks(url, fallback="email"), "email": console()},
            breaker_failures=2,
            breaker_cooldown="5m",
            fallback_after=5,
            backoff_initial="1s",
        )
        await n.start(background=False)
        before = metric(NOTIFICATIONS_SUPPRESSED, "circuit_open")
        await n.enqueue(intent("inc-1", recipient=ERIK))
        await n.enqueue(intent("inc-2", recipient=ANNA))
        await n.run_once(clock.now())  # two 503s open the breaker
        assert len(fake.requests) == 2
        clock.advance(3)
        await n.run_once(clock.now())  # breaker open: no request, both handed to e-mail
        assert len(fake.requests) == 2
        assert metric(NOTIFICATIONS_SUPPRESSED, "circuit_open") == before + 2
        await n.run_once(clock.now())
        for inc, who in (("inc-1", ERIK), ("inc-2", ANNA)):
            row = await n.outbox.get(fallback_key(intent(inc, recipient=who).idempotency_key, "email"))
            assert row is not None and row["state"] == "sent"
        fake.script()  # provider recovers
        fake._script.clear()
        clock.advance(300)
        await n.run_once(clock.now())  # half-open probe succeeds, breaker closes
        assert n.breakers["sms"].state(clock.now()) == "closed"
        await n.stop(1)


async def test_pages_within_the_window_are_bundled_into_one_sms(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        n = make_notifier({"sms": elks(url)}, sms_bundle_window="2m")
        await n.start(background=False)
        before = metric(NOTIFICATIONS_SUPPRESSED, "bundled")
        await n.enqueue(intent("inc-000012"))
        await n.run_once(clock.now())
        assert len(fake.delivered) == 1
        clock.advance(10)
        await n.enqueue(intent("inc-000013"))
        clock.advance(10)
        await n.enqueue(intent("inc-000014"))
        await n.enqueue(intent("inc-000014", channel="sms", recipient=ANNA))  # another number: not held
        await n.run_once(clock.now())
        assert [r.form["to"] for r in fake.delivered] == [ERIK.phone, ANNA.phone]
        clock.advance(100)  # the window (2 min after the first SMS) opens
        await n.run_once(clock.now())
        assert len(fake.delivered) == 3
        bundled = fake.delivered[2].form["message"]
        assert bundled.startswith("2 incidenter: 13 KRITISKT") and "14 KRITISKT" in bundled
        assert len(bundled) <= 160
        assert metric(NOTIFICATIONS_SUPPRESSED, "bundled") == before + 1
        a = await n.outbox.get(intent("inc-000013").idempotency_key)
        b = await n.outbox.get(intent("inc-000014").idempotency_key)
        assert a and b and a["provider_id"] == b["provider_id"] and a["state"] == b["state"] == "sent"
        await n.stop(1)


async def test_per_number_limiter_stops_a_reply_loop(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        n = make_notifier({"sms": elks(url)}, sms_bundle_window="0s", sms_limit=3, sms_limit_window="10m")
        await n.start(background=False)
        for k in range(10):  # an auto-responder makes us answer every few seconds
            await n.enqueue(intent(f"inc-{k}", kind=NotificationKind.RESOLVED))
            await n.run_once(clock.now())
            clock.advance(5)
        assert len(fake.delivered) == 3
        clock.advance(600)
        await n.run_once(clock.now())
        assert len(fake.delivered) == 4  # the held ones go out later, as one bundle
        await n.stop(1)


async def test_page_for_an_incident_resolved_before_sending_is_muted(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        n = make_notifier({"sms": elks(url)})
        await n.start(background=False)
        await n.enqueue(intent())
        await n.enqueue(intent(kind=NotificationKind.RESOLVED))
        await n.run_once(clock.now())
        assert (await n.outbox.get(intent().idempotency_key) or {})["state"] == "muted"
        assert len(fake.delivered) == 1 and "AVSLUTAT" in fake.delivered[0].form["message"]
        await n.stop(1)


async def test_twilio_gets_its_form_and_returns_a_sid(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(TwilioFake()) as (fake, url):
        n = make_notifier(
            {
                "sms": {
                    "type": "twilio",
                    "url": url,
                    "account_sid": "AC123",
                    "auth_token": "tok",
                    "sender": "+46700000000",
                }
            }
        )
        await n.start(background=False)
        await n.enqueue(intent())
        await n.enqueue(intent(recipient=Recipient(name="bad", phone="0701")))
        await n.run_once(clock.now())
        assert fake.delivered[0].form["To"] == ERIK.phone and fake.delivered[0].form["From"] == "+46700000000"
        ok = await n.outbox.get(intent().idempotency_key)
        assert ok and str(ok["provider_id"]).startswith("SM")
        bad = await n.outbox.get(intent(recipient=Recipient(name="bad", phone="0701")).idempotency_key)
        assert bad and bad["state"] == "failed" and bad["reason"] == "rejected"
        await n.stop(1)


async def test_background_worker_delivers_and_retries_on_the_clock(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(Reply(500))
        n = make_notifier({"sms": elks(url)}, backoff_initial="30s")
        await n.start()
        await n.enqueue(intent())
        await fake.received(1)

        async def retry_scheduled() -> bool:
            return clock.next_wakeup() is not None

        await until(retry_scheduled)
        clock.advance(timedelta(seconds=30).total_seconds())
        await fake.received(2)
        await n.stop(2)
        assert len(fake.delivered) == 1
