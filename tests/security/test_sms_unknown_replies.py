"""Answers to SMS from unknown numbers are rationed per number and overall, in the store (so across restarts)."""

from __future__ import annotations

from pathlib import Path

from sentinel.security.inbound import ReplyBudget, _twiml
from sentinel.security.sms import UnknownReplyLimits
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import T0, FakeClock

STRANGER = "+46700000099"


async def test_one_answer_per_number_per_hour_by_default(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    budget = ReplyBudget(db, UnknownReplyLimits())
    answers = [await budget.take(STRANGER, clock.now()) for _ in range(20)]
    assert answers.count(True) == 1
    clock.advance(3601)
    assert await budget.take(STRANGER, clock.now())
    await db.close()


async def test_all_unknown_numbers_together_get_at_most_the_overall_limit(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    budget = ReplyBudget(db, UnknownReplyLimits(overall=20))
    answers = [await budget.take(f"+4670000{n:04d}", clock.now()) for n in range(50)]
    assert answers.count(True) == 20
    await db.close()


async def test_the_count_survives_a_restart(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    path = str(tmp_path / "s.db")
    db = SqliteDatabase.open(path)
    assert await ReplyBudget(db, UnknownReplyLimits()).take(STRANGER, clock.now())
    await db.close()
    db = SqliteDatabase.open(path)
    clock.advance(60)
    assert not await ReplyBudget(db, UnknownReplyLimits()).take(STRANGER, clock.now())
    rows = await db.fetchall("SELECT sender FROM sms_unknown_replies")
    assert rows and STRANGER not in str(rows)  # kept as a hash, not the number
    await db.close()


def test_no_answer_is_an_empty_twiml_response() -> None:
    assert "<Message>" not in _twiml("").text  # type: ignore[operator]
    assert "<Message>Not recognised.</Message>" in _twiml("Not recognised.").text  # type: ignore[operator]
