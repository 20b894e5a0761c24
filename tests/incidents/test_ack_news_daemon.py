"""What an acknowledged incident owes its people when a new alert joins it, against the real daemon on its test clock
(``SENTINEL_TEST_CLOCK``) with a real webhook receiver and a fake Twilio.

An acknowledged hijack took every later alert in silently: erik acknowledged 'First Admin' getting full control,
then a second stranger got full control of the same page, the alert joined the acknowledged incident, and nobody was
told (unacknowledged, it was in the next page one ``group_interval`` later). Now a hijack alert about an account new
to the incident pages again from the first step; a new alert about the accounts already in it is an update to the
one who acknowledged it; the same alert again is nothing.

And each says what is new: the page that re-opened the incident was, word for word, the SMS erik had acknowledged
(the incident's summary was its first alert's), so a second intruder read as a duplicate at 03:00. A re-opened
incident leads with the alert that re-opened it, an update with the alerts new since the last page.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp
import pytest

from sentinel.model import Actor
from sentinel.notify.gsm import SEGMENT
from sentinel.testing import event
from sentinel.testing.daemon import (
    ERIK_PHONE,
    KARIN_PHONE,
    Daemon,
    enroll,
    free_port,
    hijack_paging_config,
    new_admin,
    operator_get,
    sentinel_daemon,
)
from sentinel.testing.providers import KeyedFake, Received, TwilioFake, serve

pytestmark = pytest.mark.slow

TOKEN = "ack-news-daemon-ingest-token"
NIGHT = datetime(2025, 11, 19, 3, 0, tzinfo=UTC)  # 03:00 on the page's clock: a new full admin is critical
Clock = Callable[..., Awaitable[None]]


def pages_to_erik(hook: KeyedFake) -> list[dict[str, Any]]:
    return [
        r.json
        for r in hook.delivered
        if isinstance(r, Received) and isinstance(r.json, dict) and r.json["kind"] == "page" and r.json["to"] == "erik"
    ]


def sms_to(twilio: TwilioFake, phone: str) -> list[str]:
    return [r.form["Body"] for r in twilio.delivered if r.form["To"] == phone]


@asynccontextmanager
async def night_daemon(tmp_path: Path) -> AsyncIterator[tuple[Daemon, KeyedFake, TwilioFake, pyotp.TOTP, Clock]]:
    """A ``hijack_paging_config`` daemon whose clock starts at ``NIGHT``, paging erik by webhook and SMS and karin
    (Swedish) by SMS; erik enrolled; ``clock(t, ...)`` moves it."""
    erik = await enroll(tmp_path, "erik")
    async with serve(KeyedFake()) as (hook, hook_url), serve(TwilioFake()) as (twilio, sms_url):
        port = free_port()
        os.environ["SENTINEL_TEST_CLOCK"] = NIGHT.isoformat()
        try:
            cfg = hijack_paging_config(tmp_path, port, hook_url, sms_url=sms_url)
            async with sentinel_daemon(cfg, port, TOKEN) as daemon, aiohttp.ClientSession() as s:

                async def clock(*times: datetime) -> None:
                    async with s.post(
                        f"{daemon.url}/-/test/clock", json={"times": [t.isoformat() for t in times]}
                    ) as r:
                        assert r.status == 200, await r.text()

                yield daemon, hook, twilio, erik, clock
        finally:
            del os.environ["SENTINEL_TEST_CLOCK"]


async def acknowledged_first_admin(daemon: Daemon, hook: KeyedFake, erik: pyotp.TOTP, clock: Clock) -> str:
    """'First Admin' (id 666) got full control at ``NIGHT``; erik was paged and acknowledged it a minute later."""
    await daemon.post_events([new_admin(NIGHT, "news:first", user="First Admin", user_id="666")])
    await clock(NIGHT + timedelta(seconds=1))
    await daemon.until("erik's first page", lambda: pages_to_erik(hook))
    [inc] = [i["id"] for i in (await operator_get(daemon, "/api/v1/incidents"))["incidents"]]
    at = NIGHT + timedelta(minutes=1)
    await clock(at)
    async with (
        aiohttp.ClientSession() as s,
        s.post(f"{daemon.url}/api/v1/incidents/{inc}/ack", json={"person": "erik", "code": erik.at(at)}) as r,
    ):
        assert r.status == 200, await r.text()
    return str(inc)


async def test_a_second_new_admin_after_the_acknowledgement_pages_again_leading_with_it(tmp_path: Path) -> None:
    async with night_daemon(tmp_path) as (daemon, hook, twilio, erik, clock):
        inc = await acknowledged_first_admin(daemon, hook, erik, clock)
        assert len(pages_to_erik(hook)) == 1
        await daemon.until("the first SMS to each", lambda: sms_to(twilio, ERIK_PHONE) and sms_to(twilio, KARIN_PHONE))
        later = NIGHT + timedelta(minutes=3)
        await clock(later)
        await daemon.post_events([new_admin(later, "news:second", user="Second Admin", user_id="777")])
        await clock(later + timedelta(seconds=1))
        pages = await daemon.until("a page about the second admin", lambda: pages_to_erik(hook)[1:])
        assert pages[0]["incident"] == inc and any("Second Admin" in e for e in pages[0]["evidence"]), pages
        # every channel leads with the alert that re-opened it, not the one erik acknowledged
        assert pages[0]["summary"].startswith("Reopened, new account: 'Second Admin' got full control"), pages
        assert pages[0]["text"].splitlines()[2] == pages[0]["summary"]
        [first, again] = await daemon.until(
            "erik's second SMS", lambda: sms_to(twilio, ERIK_PHONE)[1:2] and sms_to(twilio, ERIK_PHONE)
        )
        assert "First Admin" in first and "Reopened" not in first
        code = inc.removeprefix("inc-").lstrip("0")
        assert again.startswith(f"{code} CRITICAL hijack on druvan: Reopened, new account: 'Second Admin' got full"), (
            again
        )
        assert (
            "First Admin" not in again and len(again) <= SEGMENT and again.endswith("Acknowledge in Sentinel's console")
        ), again
        [_, igen] = await daemon.until(
            "karin's second SMS", lambda: sms_to(twilio, KARIN_PHONE)[1:2] and sms_to(twilio, KARIN_PHONE)
        )
        assert igen.startswith(
            f"{code} KRITISKT: kapning på druvan: Återöppnad, nytt konto: 'Second Admin' fick full"
        ), igen
        assert len(igen) <= SEGMENT and igen.endswith("Kvittera i Sentinels konsol"), igen
        shown = await operator_get(daemon, f"/api/v1/incidents/{inc}")
        assert shown["status"] == "triggered" and shown["acked_by"] is None
        assert shown["summary"].startswith("Reopened, new account: 'Second Admin'"), shown["summary"]
        kinds = [e["kind"] for e in shown["timeline"]]
        assert kinds.index("acknowledged") < kinds.index("reopened") < kinds.index("retriggered")
        # and it pages on, step after step, until someone acknowledges again: each page about the new account
        await clock(later + timedelta(minutes=10, seconds=1))
        [step] = await daemon.until("the next step", lambda: pages_to_erik(hook)[2:])
        assert step["summary"] == pages[0]["summary"], step


async def test_more_from_the_same_admin_after_the_acknowledgement_is_an_update_and_a_repeat_is_nothing(
    tmp_path: Path,
) -> None:
    async with night_daemon(tmp_path) as (daemon, hook, twilio, erik, clock):
        inc = await acknowledged_first_admin(daemon, hook, erik, clock)
        later = NIGHT + timedelta(minutes=3)
        await clock(later)
        renamed = event(
            "page.changed",
            later,
            id="news:rename",
            actor=Actor(id="666", name="First Admin", type="person"),
            field="name",
            old="Druvan",
            new="Druvan Giveaway",
        )
        await daemon.post_events([renamed])
        await clock(later + timedelta(seconds=1))
        shown = await operator_get(daemon, f"/api/v1/incidents/{inc}")
        assert shown["status"] == "acknowledged" and len(shown["alerts"]) > 1, shown  # the new alerts joined it
        assert len(pages_to_erik(hook)) == 1  # not at once: one group_interval (5m) after erik's last page
        await clock(NIGHT + timedelta(minutes=5, seconds=1))
        [_, update] = await daemon.until("the update to erik", lambda: pages_to_erik(hook)[1:] and pages_to_erik(hook))
        assert update["incident"] == inc and any("Druvan Giveaway" in e for e in update["evidence"]), update
        # it leads with what is new (erik acknowledged 'First Admin' getting full control), on every channel
        assert update["summary"].startswith("New: ") and "Druvan Giveaway" in update["summary"], update
        [_, sms] = await daemon.until(
            "the update by SMS", lambda: sms_to(twilio, ERIK_PHONE)[1:2] and sms_to(twilio, ERIK_PHONE)
        )
        assert ": New: " in sms and "got full control" not in sms and len(sms) <= SEGMENT, sms
        assert len(sms_to(twilio, KARIN_PHONE)) == 1  # the update is erik's: he acknowledged it
        shown = await operator_get(daemon, f"/api/v1/incidents/{inc}")
        assert shown["status"] == "acknowledged" and shown["acked_by"] == "erik"
        assert [e for e in shown["timeline"] if e["kind"] == "updated"][-1]["acked_by"] == "erik"

        # the same grant again (a replayed or duplicated event) is no news: nobody is told
        again = NIGHT + timedelta(minutes=7)
        await clock(again)
        await daemon.post_events([new_admin(again, "news:first-again", user="First Admin", user_id="666")])
        await clock(again + timedelta(minutes=30))
        assert len(pages_to_erik(hook)) == 2
        assert (await operator_get(daemon, f"/api/v1/incidents/{inc}"))["status"] == "acknowledged"
