"""A clock jump (suspend, NTP step, a long stop) neither floods the outbox nor blocks the loop."""

from __future__ import annotations

from datetime import timedelta

from sentinel.escalation.config import OnCallConfig
from sentinel.incidents import IncidentManager
from sentinel.incidents.manager import MAX_ACTS_PER_TICK
from sentinel.model import AlertStatus, AlertTransition, Category, Severity
from sentinel.settings import Config
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import at

ONCALL = OnCallConfig.of(
    Config.model_validate(
        {
            "people": [{"name": "erik", "channels": ["console"]}],
            "escalation": {
                "group_wait": "0s",
                "policies": [
                    {
                        "name": "hijack",
                        "repeat": "until_acknowledged",
                        "repeat_after": "5m",
                        "steps": [{"targets": [{"person": "erik"}], "channels": ["console"]}],
                    }
                ],
                "routes": [{"category": "hijack", "severity": "critical", "policy": "hijack"}],
            },
        }
    )
)


def hijack(n: int) -> AlertTransition:
    return AlertTransition(
        time=at(),
        status=AlertStatus.FIRING,
        rule="r",
        category=Category.HIJACK,
        severity=Severity.CRITICAL,
        page="druvan",
        fingerprint=f"fp{n}",
        summary="hijack",
        group_key=str(n),
    )


async def manager(catch_up: timedelta | None) -> IncidentManager:
    mgr = IncidentManager(SqliteDatabase.open(":memory:"), ONCALL, lambda p: None, catch_up=catch_up, metrics=False)
    await mgr.start()
    return mgr


async def test_after_a_six_hour_jump_a_late_step_is_sent_once_and_the_path_goes_on_from_now() -> None:
    mgr = await manager(timedelta(minutes=1))
    await mgr.on_alert(hijack(1), at())
    assert len(await mgr.tick(at())) == 1
    late = await mgr.tick(at("6h"))
    assert [(i.time, i.step) for i in late] == [(at("6h"), 2)]
    assert mgr.next_due() == at("6h5m")


async def test_without_catch_up_every_missed_step_runs_at_its_own_time_as_replay_needs() -> None:
    mgr = await manager(None)
    await mgr.on_alert(hijack(1), at())
    await mgr.tick(at())
    assert len(await mgr.tick(at("1h"))) == 12  # one every 5 minutes


async def test_a_live_tick_runs_a_bounded_number_of_timer_actions() -> None:
    mgr = await manager(timedelta(minutes=1))
    for n in range(MAX_ACTS_PER_TICK + 50):
        await mgr.on_alert(hijack(n), at())
    assert len(await mgr.tick(at())) == MAX_ACTS_PER_TICK
    assert len(await mgr.tick(at())) == 50
