"""One delivery that cannot be made never stalls: event data with CR/LF is written on one line into headers, an
exception while rendering or sending is a failed attempt of that row (retried, then given up with the health
alert), and a row a crash left ``sending`` on its last attempt is given up, not sent for ever across restarts."""

from __future__ import annotations

import random
from datetime import timedelta

from conftest import Factory
from notify_helpers import ANNA, intent
from structlog.testing import capture_logs

from sentinel.model import NotificationIntent
from sentinel.notify import Notifier
from sentinel.notify.base import DeliveryReason, Outgoing, SendResult
from sentinel.notify.config import DeliveryConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import FakeClock
from sentinel.testing.mail import MailSink

INJECTED = "p8\r\nBcc: evil@evil.example"


async def test_a_page_id_with_cr_lf_is_mailed_with_one_line_headers_and_no_added_recipient(
    make_notifier: Factory, clock: FakeClock
) -> None:
    with MailSink() as sink:
        n = make_notifier(
            {"mail": {"type": "smtp", "host": "127.0.0.1", "port": sink.port, "tls": "none", "sender": "s@x.se"}}
        )
        await n.start(background=False)
        page = intent(channel="mail", recipient=ANNA, page=INJECTED, page_name="")
        await n.enqueue(page)
        await n.run_once(clock.now())
        row = await n.outbox.get(page.idempotency_key)
        assert row is not None and row["state"] == "sent", row
        [mail] = sink.messages
        assert mail["Bcc"] is None and mail["To"] == "anna@example.com"
        assert "p8 Bcc: evil@evil.example" in " ".join(mail["Subject"].split())
        await n.stop(1)


class Broken:
    """A channel with a bug: rendering raises, as a header value with a line feed made ``EmailMessage`` do."""

    name = "broken"
    needs: str | None = None
    is_sms = False
    resend_interval: timedelta | None = None

    def __init__(self) -> None:
        self.calls = 0

    async def send(self, message: Outgoing) -> SendResult:
        self.calls += 1
        raise ValueError("Header values may not contain linefeed or carriage return characters")

    async def close(self) -> None:
        return None


async def test_an_exception_while_sending_is_a_failed_attempt_retried_then_given_up_with_the_alert(
    db: SqliteDatabase, clock: FakeClock
) -> None:
    gave_up: list[tuple[NotificationIntent, DeliveryReason]] = []

    async def on_give_up(i: NotificationIntent, reason: DeliveryReason) -> None:
        gave_up.append((i, reason))

    ch = Broken()
    cfg = DeliveryConfig.model_validate({"max_attempts": 3, "backoff_initial": "1s", "backoff_max": "1s"})
    n = Notifier(db, clock, {"broken": ch}, delivery=cfg, on_give_up=on_give_up, rng=random.Random(7))
    await n.start(background=False)
    page = intent(channel="broken")
    await n.enqueue(page)
    with capture_logs() as logs:
        for _ in range(3):
            await n.run_once(clock.now())  # a crash in the channel does not escape the notifier
            row = await n.outbox.get(page.idempotency_key)
            assert row is not None and row["state"] != "sending", row
            clock.advance(2)
    row = await n.outbox.get(page.idempotency_key)
    assert row is not None and (row["state"], row["reason"], row["attempts"]) == ("failed", "gave_up", 3)
    assert ch.calls == 3
    assert [(i.idempotency_key, r) for i, r in gave_up] == [(page.idempotency_key, DeliveryReason.GAVE_UP)]
    crashed = [e for e in logs if e["event"] == "notify.send_crashed"]
    assert len(crashed) == 3 and crashed[0]["key"] == page.idempotency_key and crashed[0]["error"] == "ValueError"
    assert "linefeed" not in str(crashed)  # where it was raised, not what it said (it may quote the message)
    await n.stop(1)


async def test_a_row_left_sending_on_its_last_attempt_is_given_up_at_start_not_sent_again(
    db: SqliteDatabase, clock: FakeClock
) -> None:
    gave_up: list[DeliveryReason] = []

    async def on_give_up(i: NotificationIntent, reason: DeliveryReason) -> None:
        gave_up.append(reason)

    ch = Broken()
    cfg = DeliveryConfig.model_validate({"max_attempts": 3})
    first = Notifier(db, clock, {"broken": ch}, delivery=cfg)
    await first.start(background=False)
    last, earlier = intent(channel="broken"), intent("inc-000013", channel="broken")
    for i in (last, earlier):
        await first.enqueue(i)
    # each attempt killed the daemon mid-send (SIGKILL, OOM): the row is found ``sending`` at every start
    await db.execute("UPDATE notify_outbox SET state = 'sending', attempts = 3 WHERE key = ?", (last.idempotency_key,))
    await db.execute(
        "UPDATE notify_outbox SET state = 'sending', attempts = 1 WHERE key = ?", (earlier.idempotency_key,)
    )
    n = Notifier(db, clock, {"broken": ch}, delivery=cfg, on_give_up=on_give_up)
    await n.start(background=False)
    await n.run_once(clock.now())
    row = await n.outbox.get(last.idempotency_key)
    assert row is not None and (row["state"], row["reason"]) == ("failed", "gave_up")
    assert gave_up == [DeliveryReason.GAVE_UP]
    row = await n.outbox.get(earlier.idempotency_key)  # an earlier attempt interrupted: tried again, as before
    assert row is not None and (row["state"], row["attempts"]) == ("pending", 2)
    assert ch.calls == 1
    await n.stop(1)
