"""Wrong codes over a sliding window, per person and per address: paced guessing pages the security on-call."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from sentinel.config.types import Secret
from sentinel.security.config import SecurityConfig
from sentinel.security.guessing import ACK_LOCKOUT, CODE_GUESSING, SecurityAlarm
from sentinel.security.store import SecurityStore
from sentinel.security.totp import Attempt, TotpGuard, Verdict
from sentinel.store import Database
from sentinel.store.factory import open_database
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing.operator import T0

KEY = Secret("k" * 40)


@dataclass
class Guarded:
    guard: TotpGuard
    secrets: dict[str, str]
    alarms: list[SecurityAlarm] = field(default_factory=list)

    def wrong(self, person: str, at: datetime) -> str:
        right = pyotp.TOTP(self.secrets[person]).at(at) if person in self.secrets else ""
        return "000000" if right != "000000" else "111111"

    async def fail(self, person: str, at: datetime, remote: str = "10.0.0.1", source: str = "api") -> Verdict:
        verdict = await self.guard.verify(self.wrong(person, at), Attempt(person, source, remote, "ack", "inc-1"), at)
        assert verdict != Verdict.OK
        return verdict

    def guessing(self) -> list[str]:
        return [a.subject for a in self.alarms if a.rule == CODE_GUESSING]


async def guarded(db: Database, *, enroll: tuple[str, ...] = ("erik", "anna"), **over: object) -> Guarded:
    config = SecurityConfig(secret_key=KEY, **over)  # type: ignore[arg-type]
    g = Guarded(TotpGuard(SecurityStore(db), config), {})

    async def on_alarm(alarm: SecurityAlarm) -> None:
        g.alarms.append(alarm)

    g.guard.on_alarm = on_alarm
    for name in enroll:
        g.secrets[name] = pyotp.parse_uri((await g.guard.enroll(name, T0)).uri).secret
    return g


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    d = SqliteDatabase.open(str(tmp_path / "s.db"))
    yield d
    await d.close()


def paced(n: int, every: timedelta = timedelta(minutes=16)) -> list[datetime]:
    return [T0 + i * every for i in range(n)]


async def test_paced_wrong_codes_that_never_lock_out_page_at_the_day_threshold(db: Database) -> None:
    # four wrong codes, then a pause past the lockout: the in-a-row count never reaches 5, the day's count does
    g = await guarded(db, failure_alert_threshold=10)
    times = [T0 + timedelta(minutes=20 * (i // 4), seconds=i % 4) for i in range(12)]
    for i, t in enumerate(times):
        await g.fail("erik", t, remote=f"10.0.0.{i}")  # a new address each time: only the person adds up
        if i % 4 == 3:  # a right code between the bursts resets the in-a-row count, never the day's
            right = pyotp.TOTP(g.secrets["erik"]).at(t + timedelta(minutes=1))
            assert (
                await g.guard.verify(right, Attempt("erik", "api", "10.0.0.99", "ack"), t + timedelta(minutes=1))
                == Verdict.OK
            )
    row = await g.guard.store.staff("erik")
    assert row is not None and row.locked_until is None
    assert g.guessing() == ["erik"]
    alarm = g.alarms[0]
    assert alarm.at == times[9] and "10 wrong codes for erik in the last 1d" in alarm.reason
    assert alarm.transition().fingerprint == "security.code_guessing:erik"
    assert alarm.transition().labels == {"person": "erik"}


async def test_lockouts_that_end_do_not_reset_the_day_count(db: Database) -> None:
    g = await guarded(db, failure_alert_threshold=10)
    burst = [timedelta(seconds=i) for i in range(5)]  # 5 in a row lock out for 15m; the guesser waits it out
    for t in [T0 + d for d in burst] + [T0 + timedelta(minutes=16) + d for d in burst]:
        assert await g.fail("erik", t) == Verdict.INVALID
    assert [a.rule for a in g.alarms] == [CODE_GUESSING, CODE_GUESSING]  # erik, and the one address
    assert sorted(g.guessing()) == ["address:10.0.0.1", "erik"]


async def test_failures_older_than_the_window_are_forgotten(db: Database) -> None:
    g = await guarded(db, failure_alert_threshold=3, lockout_threshold=100)
    await g.fail("erik", T0)
    await g.fail("erik", T0 + timedelta(hours=1))
    await g.fail("erik", T0 + timedelta(days=1, seconds=1))  # the first has left the window: 2 in it
    assert g.alarms == []
    await g.fail("erik", T0 + timedelta(days=1, hours=0, minutes=59))  # 3 in the last day
    assert g.guessing() == ["erik", "address:10.0.0.1"]


async def test_one_alarm_per_person_and_address_and_window(db: Database) -> None:
    g = await guarded(db, failure_alert_threshold=3, lockout_threshold=100)
    for t in paced(20, timedelta(minutes=30)):  # 20 failures over 9.5 hours
        await g.fail("erik", t)
    assert g.guessing() == ["erik", "address:10.0.0.1"]
    later = T0 + timedelta(days=2)
    for t in (later, later + timedelta(minutes=1), later + timedelta(minutes=2)):  # a new window: a new page
        await g.fail("erik", t)
    assert g.guessing() == ["erik", "address:10.0.0.1"] * 2


async def test_one_address_trying_many_names_is_counted_as_one(db: Database) -> None:
    g = await guarded(db, failure_alert_threshold=4, lockout_threshold=100)
    await g.fail("erik", T0, remote="203.0.113.9")
    await g.fail("anna", T0 + timedelta(minutes=1), remote="203.0.113.9")
    await g.fail("nobody", T0 + timedelta(minutes=2), remote="203.0.113.9")  # not enrolled: counts for the address
    await g.fail("erik", T0 + timedelta(minutes=3), remote="198.51.100.7")  # elsewhere: not this address
    assert g.alarms == []
    await g.fail("anna", T0 + timedelta(minutes=4), remote="203.0.113.9")
    assert g.guessing() == ["address:203.0.113.9"]
    alarm = g.alarms[0]
    assert "4 wrong codes from api 203.0.113.9" in alarm.reason and "anna, erik, nobody" in alarm.reason
    assert alarm.transition().labels == {"address": "203.0.113.9"}


async def test_a_name_nobody_enrolled_under_never_pages_as_a_person(db: Database) -> None:
    g = await guarded(db, failure_alert_threshold=2, lockout_threshold=100)
    await g.fail("ghost", T0, remote="10.0.0.1")
    await g.fail("ghost", T0 + timedelta(seconds=1), remote="10.0.0.2")
    assert g.alarms == []


async def test_counts_and_pages_survive_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    db = SqliteDatabase.open(path)
    g = await guarded(db, failure_alert_threshold=3, lockout_threshold=100)
    await g.fail("erik", T0)
    await g.fail("erik", T0 + timedelta(hours=1))
    await db.close()
    db = SqliteDatabase.open(path)  # a restart: nothing but the store remembers
    again = await guarded(db, enroll=(), failure_alert_threshold=3, lockout_threshold=100)
    again.secrets = g.secrets
    await again.fail("erik", T0 + timedelta(hours=2))
    assert again.guessing() == ["erik", "address:10.0.0.1"]
    await db.close()
    db = SqliteDatabase.open(path)  # another process on the same store does not page again in the window
    other = await guarded(db, enroll=(), failure_alert_threshold=3, lockout_threshold=100)
    other.secrets = g.secrets
    await other.fail("erik", T0 + timedelta(hours=3))
    assert other.alarms == []
    await db.close()


async def test_a_lockout_alarm_keeps_its_own_rule(db: Database) -> None:
    g = await guarded(db)  # defaults: 5 in a row lock out, 10 a day page
    for t in paced(6, timedelta(seconds=1)):
        await g.fail("erik", t)
    assert [(a.rule, a.subject) for a in g.alarms] == [(ACK_LOCKOUT, "erik")]
    assert g.alarms[0].transition().summary.startswith("Acknowledgement locked for erik: ")


async def test_without_an_alarm_hook_the_older_hook_hears_of_guessing(db: Database) -> None:
    heard: list[tuple[str, str, datetime]] = []

    async def on_alert(subject: str, reason: str, at: datetime) -> None:
        heard.append((subject, reason, at))

    config = SecurityConfig(secret_key=KEY, failure_alert_threshold=1, lockout_threshold=100)  # type: ignore[arg-type]
    guard = TotpGuard(SecurityStore(db), config, on_security_alert=on_alert)
    right = pyotp.TOTP(pyotp.parse_uri((await guard.enroll("erik", T0)).uri).secret).at(T0)
    wrong = "000000" if right != "000000" else "111111"
    assert await guard.verify(wrong, Attempt("erik", "api", "10.0.0.1", "ack"), T0) == Verdict.INVALID
    assert [(s, t) for s, _, t in heard] == [("erik", T0), ("address:10.0.0.1", T0)]
    assert "1 wrong codes for erik" in heard[0][1]


@pytest.fixture
async def pg(pg_url: str) -> AsyncIterator[Database]:
    db = await open_database(pg_url)
    try:
        yield db
    finally:
        await db.close()


async def test_the_window_and_the_one_page_per_window_hold_on_postgres(pg: Database) -> None:
    g = await guarded(pg, failure_alert_threshold=3, lockout_threshold=100)
    for t in paced(5, timedelta(hours=1)):
        await g.fail("erik", t)
    assert g.guessing() == ["erik", "address:10.0.0.1"]
    store = SecurityStore(pg)
    assert await store.failures_of("erik", T0 + timedelta(hours=1)) == 4
    assert await store.failures_from("10.0.0.1", T0) == (5, ["erik"])
    assert not await store.claim_alarm(CODE_GUESSING, "erik", T0 + timedelta(hours=6), T0 - timedelta(hours=18))
    assert await store.claim_alarm(CODE_GUESSING, "erik", T0 + timedelta(days=2), T0 + timedelta(days=1))


async def test_two_replicas_share_the_in_a_row_count_the_lockout_and_its_one_alarm(db: Database) -> None:
    a = await guarded(db, lockout_threshold=5)
    b = await guarded(db, enroll=())  # another process on the same store
    b.secrets = a.secrets
    for i, g in enumerate((a, b, a, b, a)):
        assert await g.fail("erik", T0 + timedelta(seconds=i)) == Verdict.INVALID
    row = await a.guard.store.staff("erik")
    assert row is not None and row.failures == 5 and row.locked_until == T0 + timedelta(seconds=4, minutes=15)
    assert await b.fail("erik", T0 + timedelta(seconds=10)) == Verdict.LOCKED
    assert await a.fail("erik", T0 + timedelta(seconds=11)) == Verdict.LOCKED
    assert [x.rule for x in a.alarms + b.alarms] == [ACK_LOCKOUT]
    after = T0 + timedelta(minutes=20)  # the lockout is over: the in-a-row count starts again, not the day's
    assert await b.fail("erik", after) == Verdict.INVALID
    row = await a.guard.store.staff("erik")
    assert row is not None and row.failures == 1 and row.locked_until is None
    assert await a.guard.store.failures_of("erik", T0) == 8
