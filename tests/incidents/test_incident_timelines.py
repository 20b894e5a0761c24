"""Acceptance timelines on the simulated clock: push an alert at t, expect pages between a and b."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sentinel.config.schema import PageConfig
from sentinel.escalation.config import OnCallConfig
from sentinel.incidents import IncidentManager, IncidentStatus
from sentinel.model import AlertStatus, AlertTransition, Category, NotificationIntent, NotificationKind, Severity
from sentinel.settings.oncall import load_oncall
from sentinel.store.sqlite import SqliteDatabase

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "druvan.yaml"
STHLM = ZoneInfo("Europe/Stockholm")


def local(*a: int) -> datetime:
    return datetime(*a, tzinfo=STHLM).astimezone(UTC)  # type: ignore[misc]


@pytest.fixture
def config() -> tuple[PageConfig, OnCallConfig]:
    root, oncall = load_oncall(EXAMPLE)
    page = root.page("druvan")
    assert page is not None
    return page, oncall


async def manager(config: tuple[PageConfig, OnCallConfig], db: SqliteDatabase | None = None) -> IncidentManager:
    page, oncall = config
    mgr = IncidentManager(db or SqliteDatabase.open(":memory:"), oncall, lambda p: page if p == page.id else None)
    await mgr.start()
    return mgr


def alert(
    t: datetime,
    category: Category,
    severity: Severity,
    status: AlertStatus = AlertStatus.FIRING,
    rule: str = "r",
    fp: str = "fp1",
    group: str = "",
) -> AlertTransition:
    return AlertTransition(
        time=t,
        status=status,
        rule=rule,
        category=category,
        severity=severity,
        page="druvan",
        fingerprint=fp,
        summary=f"{rule} {severity}",
        group_key=group,
    )


async def run_until(mgr: IncidentManager, end: datetime) -> list[NotificationIntent]:
    """Tick at every due time up to ``end``, like the daemon's scheduler would."""
    out: list[NotificationIntent] = []
    while (due := mgr.next_due()) is not None and due <= end:
        out += await mgr.tick(due)
    return out


def pages(intents: list[NotificationIntent]) -> list[tuple[datetime, int, str, str]]:
    return [(i.time, i.step, i.to, i.channel) for i in intents]


async def test_friday_night_hijack_pages_security_oncall_at_once_and_escalates_after_10_minutes(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    inc = await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    assert inc == "inc-000001"
    first = await mgr.tick(t0)
    assert pages(first) == [(t0, 1, "security-oncall:erik", "sms"), (t0, 1, "security-oncall:erik", "email")]
    assert await mgr.tick(t0 + timedelta(minutes=9, seconds=59)) == []
    later = await run_until(mgr, t0 + timedelta(minutes=25))
    assert pages(later) == [
        (t0 + timedelta(minutes=10), 2, "anna", "sms"),
        (t0 + timedelta(minutes=10), 2, "anna", "email"),
        (t0 + timedelta(minutes=20), 3, "security-oncall:erik", "sms"),
        (t0 + timedelta(minutes=20), 3, "security-oncall:erik", "email"),
    ]
    assert all(i.kind == NotificationKind.PAGE and i.incident == "inc-000001" for i in first + later)
    assert first[0].recipient.phone == "+46701234501" and first[0].page_name == "Druvan Vin & Sprit"


async def test_acknowledged_incident_stops_escalating_and_all_clear_reaches_everyone_paged(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    inc = await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    assert inc is not None
    await run_until(mgr, t0 + timedelta(minutes=10))  # erik, then anna
    await mgr.acknowledge(inc, "anna", t0 + timedelta(minutes=12))
    assert await run_until(mgr, t0 + timedelta(minutes=59)) == []
    await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL, AlertStatus.RESOLVED), t0 + timedelta(minutes=30))
    clear = await run_until(mgr, t0 + timedelta(hours=3))
    assert {(i.to, i.channel) for i in clear} == {
        ("security-oncall:erik", "sms"),
        ("security-oncall:erik", "email"),
        ("anna", "sms"),
        ("anna", "email"),
    }
    assert all(i.kind == NotificationKind.RESOLVED for i in clear)
    got = await mgr.get(inc)
    assert got is not None and got.status == IncidentStatus.RESOLVED
    kinds = [e.kind for e in got.timeline]
    assert kinds.index("acknowledged") < kinds.index("resolved")
    assert await mgr.list_open() == []


async def test_ack_timeout_escalates_again_from_the_first_step(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    inc = await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    await run_until(mgr, t0)
    await mgr.acknowledge(inc or "", "erik", t0 + timedelta(minutes=2))
    again = await run_until(mgr, t0 + timedelta(hours=1, minutes=3))
    assert pages(again) == [
        (t0 + timedelta(hours=1, minutes=2), 2, "security-oncall:erik", "sms"),
        (t0 + timedelta(hours=1, minutes=2), 2, "security-oncall:erik", "email"),
    ]


async def test_crisis_warning_on_saturday_evening_is_held_until_monday_morning(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 27, 19, 0)  # Saturday; staffed sat 10-14, mon-fri 08-17
    await mgr.on_alert(alert(t0, Category.CRISIS, Severity.WARNING), t0)
    assert await run_until(mgr, local(2025, 9, 29, 7, 59)) == []
    out = await run_until(mgr, local(2025, 9, 29, 8, 1))
    monday = local(2025, 9, 29, 8, 0, 30)  # staffed at 08:00, plus group_wait 30s
    assert pages(out) == [(monday, 1, "community:lena", "email"), (monday, 1, "community:johan", "email")]


async def test_critical_crisis_on_saturday_evening_pages_at_once(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 27, 19, 0)
    await mgr.on_alert(alert(t0, Category.CRISIS, Severity.CRITICAL), t0)
    out = await mgr.tick(t0)
    assert {i.to for i in out} == {"security-oncall:erik"}  # community desk is closed: a gap, not a page
    got = await mgr.get("inc-000001")
    assert got is not None and any(e.kind == "target_unavailable" for e in got.timeline)


async def test_held_warning_that_becomes_critical_pages_at_once(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 27, 19, 0)
    await mgr.on_alert(alert(t0, Category.CRISIS, Severity.WARNING), t0)
    assert await run_until(mgr, t0 + timedelta(hours=1)) == []
    t1 = t0 + timedelta(hours=1)
    await mgr.on_alert(alert(t1, Category.CRISIS, Severity.CRITICAL, fp="fp2"), t1)
    out = await mgr.tick(t1)
    assert {(i.time, i.to) for i in out} == {(t1, "security-oncall:erik")}


async def test_restart_during_escalation_resumes_it_exactly(config, tmp_path):
    path = str(tmp_path / "s.db")
    mgr = await manager(config, SqliteDatabase.open(path))
    t0 = local(2025, 9, 26, 21, 40)
    await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    before = await run_until(mgr, t0 + timedelta(minutes=5))
    assert [i.step for i in before] == [1, 1]
    # crash: a new process opens the same store 3 minutes later
    mgr2 = await manager(config, SqliteDatabase.open(path))
    assert mgr2.next_due() == t0 + timedelta(minutes=10)
    assert await mgr2.tick(t0 + timedelta(minutes=8)) == []
    after = await run_until(mgr2, t0 + timedelta(minutes=10))
    assert pages(after) == [
        (t0 + timedelta(minutes=10), 2, "anna", "sms"),
        (t0 + timedelta(minutes=10), 2, "anna", "email"),
    ]
    t2 = t0 + timedelta(minutes=11)
    assert await mgr2.on_alert(alert(t2, Category.HIJACK, Severity.CRITICAL, fp="other", rule="x"), t2) == "inc-000001"
    t3 = local(2025, 9, 27, 9, 0)
    assert await mgr2.on_alert(alert(t3, Category.CRISIS, Severity.WARNING), t3) == "inc-000002"


async def test_restart_after_late_tick_catches_up_without_repeating(config, tmp_path):
    path = str(tmp_path / "s.db")
    mgr = await manager(config, SqliteDatabase.open(path))
    t0 = local(2025, 9, 26, 21, 40)
    await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    await mgr.tick(t0)
    mgr2 = await manager(config, SqliteDatabase.open(path))
    late = await mgr2.tick(t0 + timedelta(minutes=21))  # down for 21 minutes: steps 2 and 3 were due
    assert [i.step for i in late] == [2, 2, 3, 3]
    assert mgr2.next_due() == t0 + timedelta(minutes=30)


async def test_suppressed_alert_does_not_page_but_is_on_the_timeline(config):
    """It is on the record, resolved at once: nobody is paged for it and its end is never reported, so it must not
    stay open (listed as triggered) for ever."""
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    t = alert(t0, Category.HIJACK, Severity.CRITICAL, AlertStatus.SUPPRESSED)
    inc = await mgr.on_alert(t, t0)
    assert await run_until(mgr, t0 + timedelta(hours=2)) == []
    got = await mgr.get(inc or "")
    assert got is not None and [e.kind for e in got.timeline] == ["opened", "alert_suppressed", "resolved"]
    assert got.status == IncidentStatus.RESOLVED


async def test_a_suppressed_alert_does_not_keep_its_incident_open_after_the_firing_ones_end(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 14, 0)
    inc = await mgr.on_alert(alert(t0, Category.CRISIS, Severity.WARNING, rule="a", fp="a"), t0)
    later = t0 + timedelta(minutes=5)
    assert (
        await mgr.on_alert(alert(later, Category.CRISIS, Severity.WARNING, AlertStatus.SUPPRESSED, "b", "b"), later)
        == inc
    )
    end = t0 + timedelta(hours=1)
    await mgr.on_alert(alert(end, Category.CRISIS, Severity.WARNING, AlertStatus.RESOLVED, rule="a", fp="a"), end)
    got = await mgr.get(inc or "")
    assert got is not None and got.status == IncidentStatus.RESOLVED, [e.kind for e in got.timeline]


async def test_silenced_after_paging_stops_escalation_and_still_sends_all_clear(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    assert len(await mgr.tick(t0)) == 2
    await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL, AlertStatus.SUPPRESSED), t0 + timedelta(minutes=3))
    assert await run_until(mgr, t0 + timedelta(hours=1)) == []
    await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL, AlertStatus.RESOLVED), t0 + timedelta(hours=1))
    clear = await run_until(mgr, t0 + timedelta(hours=2))
    assert [(i.kind, i.to) for i in clear] == [(NotificationKind.RESOLVED, "security-oncall:erik")] * 2


async def test_snooze_pauses_then_retriggers(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    inc = await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0) or ""
    await mgr.tick(t0)
    await mgr.snooze(inc, t0 + timedelta(minutes=30), "erik", t0 + timedelta(minutes=1))
    out = await run_until(mgr, t0 + timedelta(minutes=30))
    assert [(i.time, i.step) for i in out] == [(t0 + timedelta(minutes=30), 2)] * 2


async def test_new_alert_while_escalating_is_folded_into_the_next_step(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    await mgr.tick(t0)
    t1 = t0 + timedelta(minutes=1)
    await mgr.on_alert(alert(t1, Category.HIJACK, Severity.CRITICAL, fp="fp2", rule="post"), t1)
    out = await run_until(mgr, t0 + timedelta(minutes=10))
    t2 = t0 + timedelta(minutes=10)
    assert pages(out) == [(t2, 2, "anna", "sms"), (t2, 2, "anna", "email")]
    assert {i.summary for i in out} == {"r critical"}  # a step of the path leads with the incident's summary


async def test_new_alert_after_the_path_ends_sends_an_update_after_group_interval(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    done = await run_until(mgr, t0 + timedelta(minutes=52))  # 3 passes of 2 steps: 0, 10, ..., 50 min
    assert [i.step for i in done][-1] == 6
    t1 = t0 + timedelta(minutes=52)
    await mgr.on_alert(alert(t1, Category.HIJACK, Severity.CRITICAL, fp="fp2", rule="post"), t1)
    out = await run_until(mgr, t0 + timedelta(hours=1))
    t2 = t0 + timedelta(minutes=55)
    assert pages(out) == [(t2, 7, "anna", "sms"), (t2, 7, "anna", "email")]
    assert mgr.next_due() == t0 + timedelta(hours=4, minutes=50)


async def test_an_alert_no_route_pages_for_joins_the_incident_but_sends_no_update(config):
    """An info alert (no route takes hijack info) joining a paged hijack is on its record, and pages nobody; a
    critical one joining after it still sends the update."""
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    inc = await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    await run_until(mgr, t0 + timedelta(minutes=52))
    t1 = t0 + timedelta(minutes=52)
    assert await mgr.on_alert(alert(t1, Category.HIJACK, Severity.INFO, fp="fp2", rule="volume"), t1) == inc
    assert await run_until(mgr, t0 + timedelta(hours=1)) == []
    t2 = t0 + timedelta(hours=1)
    await mgr.on_alert(alert(t2, Category.HIJACK, Severity.CRITICAL, fp="fp3", rule="post"), t2)
    out = await run_until(mgr, t2 + timedelta(minutes=5))
    assert pages(out) == [(t2, 7, "anna", "sms"), (t2, 7, "anna", "email")]
    # it leads with what is new since the last page (not the info one: that was no news to page about), in the
    # page's language (druvan's is Swedish) and in each other
    assert {(i.summary, i.summaries.get("en")) for i in out} == {("Nytt: post critical", "New: post critical")}


async def test_sla_warnings_are_batched_into_one_digest(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 29, 9, 0)  # Monday, staffed
    a = await mgr.on_alert(alert(t0, Category.SLA, Severity.WARNING, fp="a", group="thread=a"), t0)
    t1 = t0 + timedelta(minutes=20)
    b = await mgr.on_alert(alert(t1, Category.SLA, Severity.WARNING, fp="b", group="thread=b"), t1)
    assert a != b
    out = await run_until(mgr, t0 + timedelta(hours=3))
    assert [(i.time, i.kind, i.to) for i in out] == [
        (t0 + timedelta(hours=1, seconds=30), NotificationKind.DIGEST, "community:lena"),
        (t0 + timedelta(hours=1, seconds=30), NotificationKind.DIGEST, "community:johan"),
    ]
    assert len(out[0].evidence) == 2


async def test_policy_is_snapshotted_when_the_incident_opens(config):
    _, oncall = config
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    await mgr.tick(t0)
    data = oncall.model_dump()
    data["escalation"]["policies"][0]["steps"][1]["after"] = timedelta(hours=5)
    mgr.reload(OnCallConfig.model_validate(data))
    out = await run_until(mgr, t0 + timedelta(minutes=10))
    assert [i.to for i in out] == ["anna", "anna"]


async def test_no_people_or_policies_means_no_notifications():
    mgr = IncidentManager(SqliteDatabase.open(":memory:"), OnCallConfig(), lambda p: None)
    await mgr.start()
    t0 = local(2025, 9, 26, 21, 40)
    assert await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0) == "inc-000001"
    assert await run_until(mgr, t0 + timedelta(days=1)) == []
    assert mgr.next_due() is None


async def test_next_due_is_the_earliest_timer_of_any_active_incident_after_every_change(config):
    """``next_due`` is kept as incidents change (a heap of each incident's due): after random alerts, acks,
    snoozes, resolves and ticks it is what a walk over the active incidents says (``escalate.due``)."""
    import random

    from sentinel.incidents import escalate

    rng = random.Random(5)
    mgr = await manager(config)
    t = local(2025, 12, 5, 21, 0)
    categories = [Category.HIJACK, Category.CRISIS, Category.SLA]
    for step in range(400):
        t += timedelta(minutes=rng.choice([0, 1, 3, 7, 20, 90]))
        what = rng.random()
        if what < 0.5:
            status = AlertStatus.FIRING if rng.random() < 0.7 else AlertStatus.RESOLVED
            await mgr.on_alert(
                alert(
                    t,
                    rng.choice(categories),
                    rng.choice(list(Severity)),
                    status,
                    fp=f"fp{rng.randrange(6)}",
                    group=f"g{rng.randrange(3)}",
                ),
                t,
            )
        elif what < 0.8:
            due = mgr.next_due()
            if due is not None and due <= t:
                await mgr.tick(due)
        else:
            open_ = await mgr.list_open()
            if open_:
                inc = rng.choice(open_).id
                op = rng.randrange(3)
                if op == 0 and mgr._active[inc].status == IncidentStatus.TRIGGERED:
                    await mgr.acknowledge(inc, "erik", t)
                elif op == 1:
                    await mgr.snooze(inc, t + timedelta(minutes=30), "erik", t)
                else:
                    await mgr.resolve(inc, "erik", t)
        dues = [d for st in mgr._active.values() if (d := escalate.due(st)) is not None]
        assert mgr.next_due() == (min(dues) if dues else None), step


async def test_an_alert_transition_replayed_after_a_crash_changes_nothing(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    inc = await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0)
    await mgr.tick(t0)
    before = await mgr.get(inc)
    t1 = t0 + timedelta(seconds=2)  # the batch again: its cursor was not committed before the kill
    assert await mgr.on_alert(alert(t1, Category.HIJACK, Severity.CRITICAL), t1) == inc
    assert await mgr.get(inc) == before


async def test_a_paged_hijack_nobody_acknowledged_stays_up_when_its_alerts_end_until_a_person_acknowledges(config):
    mgr = await manager(config)
    t0 = local(2025, 9, 26, 21, 40)
    inc = await mgr.on_alert(alert(t0, Category.HIJACK, Severity.CRITICAL), t0) or ""
    await mgr.tick(t0)
    t1 = t0 + timedelta(hours=1)
    await mgr.on_alert(alert(t1, Category.HIJACK, Severity.CRITICAL, AlertStatus.RESOLVED), t1)
    view = await mgr.get(inc)
    assert view is not None and view.status == IncidentStatus.TRIGGERED
    assert "alerts_ended" in [e.kind for e in view.timeline]
    reminders = await run_until(mgr, t1 + timedelta(hours=1))
    assert reminders and all(i.kind == NotificationKind.PAGE for i in reminders)
    acked = await mgr.acknowledge(inc, "erik", t1 + timedelta(hours=1))
    assert acked.status == IncidentStatus.RESOLVED
    clear = await run_until(mgr, t1 + timedelta(hours=2))
    assert clear and {i.kind for i in clear} == {NotificationKind.RESOLVED}
