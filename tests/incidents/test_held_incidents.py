"""An incident nobody has been told about yet (held until staffed hours, or in its group_wait) does not end with its
alerts: its route's first step still goes out at the time the route promised."""

from __future__ import annotations

import json
import subprocess
import sys
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

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "druvan.yaml"
STHLM = ZoneInfo("Europe/Stockholm")
COMMUNITY = {"community:lena", "community:johan"}  # examples/druvan.yaml: hijack and crisis warnings, staffed hours


def local(*a: int) -> datetime:
    return datetime(*a, tzinfo=STHLM).astimezone(UTC)  # type: ignore[misc]


FRIDAY_NIGHT = local(2025, 11, 21, 22, 0)  # off hours; the page is staffed next on Saturday 10:00
SATURDAY_STEP = local(2025, 11, 22, 10, 0, 30)  # then, and the route's group_wait of 30s


def held_hijack_events() -> list[dict[str, object]]:
    """Friday 22:00, a hijacker gives a second account a role short of MANAGE (``hijack.role_granted``, a warning);
    then an ordinary comment each hour until Monday."""
    events: list[dict[str, object]] = [
        {
            "id": "r1",
            "time": FRIDAY_NIGHT.isoformat(),
            "platform": "facebook",
            "page": "druvan",
            "kind": "role.granted",
            "actor": {"id": "666", "name": "Mallory", "type": "person"},
            # statistics only: a warning off hours (rights to act as the page are paged at once)
            "object": {"user": {"id": "667", "name": "Mallory Two"}, "tasks": ["ANALYZE"]},
        }
    ]
    for h in range(1, 60):
        events.append(
            {
                "id": f"c{h}",
                "time": (FRIDAY_NIGHT + timedelta(hours=h)).isoformat(),
                "platform": "facebook",
                "page": "druvan",
                "kind": "comment.created",
                "actor": {"id": f"9{h}", "name": "Visitor", "type": "person"},
                "object": {"text": "Fint!", "post_id": "p1"},
            }
        )
    return events


def sentinel(*args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "sentinel", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_sentinel_replay_tells_a_hijack_warning_held_off_hours_at_the_staffed_time_route_test_promised(tmp_path):
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps(e) + "\n" for e in held_hijack_events()))
    replayed = sentinel("replay", "--no-progress", "-c", str(EXAMPLE), str(events))
    records = [json.loads(line) for line in replayed.splitlines()]
    alerts = [r for r in records if r["type"] == "alert"]
    # the pulse alert ends an hour after the grant, long before anyone could be told ...
    assert [(r["status"], r["rule"], r["time"]) for r in alerts] == [
        ("firing", "hijack.role_granted", "2025-11-21T21:00:00Z"),
        ("resolved", "hijack.role_granted", "2025-11-21T22:00:00Z"),
    ]
    # ... and the community team is told all the same, on Saturday at the staffed time
    notes = [r for r in records if r["type"] == "notification"]
    first = [(n["time"], n["to"], n["step"], n["kind"]) for n in notes if n["step"] == 1]
    assert sorted(first) == sorted(("2025-11-22T09:00:30Z", to, 1, "page") for to in COMMUNITY)
    assert all(n["incident"] == alerts[0]["incident"] for n in notes)
    # which is what `sentinel route test` promises for a hijack warning at that time
    promised = sentinel(
        "route", "test", "-c", str(EXAMPLE), "--category", "hijack", "--severity", "warning", "--page", "druvan",
        "--at", FRIDAY_NIGHT.isoformat(), "--for", "1d",
    )  # fmt: skip
    steps = [line for line in promised.splitlines() if " step 1 " in line]
    assert len(steps) == 2 and all(line.startswith("2025-11-22 10:00:30 CET") for line in steps), promised


# -- the incident manager on the simulated clock ------------------------------------------------------------------


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


def alert(t: datetime, category: Category, status: AlertStatus = AlertStatus.FIRING) -> AlertTransition:
    return AlertTransition(
        time=t,
        status=status,
        rule=f"{category}.r",
        category=category,
        severity=Severity.WARNING,
        page="druvan",
        fingerprint="fp1",
        summary=f"{category} warning",
    )


async def run_until(mgr: IncidentManager, end: datetime) -> list[NotificationIntent]:
    out: list[NotificationIntent] = []
    while (due := mgr.next_due()) is not None and due <= end:
        out += await mgr.tick(due)
    return out


def told(intents: list[NotificationIntent]) -> set[tuple[datetime, str, NotificationKind]]:
    return {(i.time, i.to, i.kind) for i in intents}


async def test_a_held_hijack_warning_whose_alert_ended_pages_at_the_staffed_time_and_stays_up(config):
    mgr = await manager(config)
    inc = await mgr.on_alert(alert(FRIDAY_NIGHT, Category.HIJACK), FRIDAY_NIGHT) or ""
    end = FRIDAY_NIGHT + timedelta(hours=1)
    await mgr.on_alert(alert(end, Category.HIJACK, AlertStatus.RESOLVED), end)
    view = await mgr.get(inc)
    assert view is not None and view.status == IncidentStatus.TRIGGERED
    assert ("alerts_ended", "until told") in [(e.kind, e.detail.get("stays")) for e in view.timeline]
    pages = await run_until(mgr, SATURDAY_STEP)
    assert told(pages) == {(SATURDAY_STEP, to, NotificationKind.PAGE) for to in COMMUNITY}
    # the page says the alert has ended (in the recipient's language: Swedish here, and English)
    assert all(i.evidence_texts["sv"][-1] == "Larmen upphörde 2025-11-21 23:00 CET." for i in pages)
    assert all(i.evidence_texts["en"][-1] == "The alerts ended at 2025-11-21 23:00 CET." for i in pages)
    # told, it is a paged hijack: up until a person takes it down
    view = await mgr.get(inc)
    assert view is not None and view.status == IncidentStatus.TRIGGERED


async def test_a_held_crisis_warning_whose_alert_ended_is_told_once_that_it_ended_then_resolves(config):
    mgr = await manager(config)
    inc = await mgr.on_alert(alert(FRIDAY_NIGHT, Category.CRISIS), FRIDAY_NIGHT) or ""
    end = FRIDAY_NIGHT + timedelta(minutes=40)
    await mgr.on_alert(alert(end, Category.CRISIS, AlertStatus.RESOLVED), end)
    out = await run_until(mgr, SATURDAY_STEP + timedelta(days=3))
    # one notice per person of the route's first step, at the staffed time, as an all-clear (nothing to acknowledge)
    assert told(out) == {(SATURDAY_STEP, to, NotificationKind.RESOLVED) for to in COMMUNITY}
    assert all(i.evidence_texts["en"][-1] == "The alerts ended at 2025-11-21 22:40 CET." for i in out)
    view = await mgr.get(inc)
    assert view is not None and view.status == IncidentStatus.RESOLVED
    assert [e.kind for e in view.timeline if e.kind in ("held", "alerts_ended", "told_ended", "resolved")] == [
        "held",
        "alerts_ended",
        "told_ended",
        "resolved",
    ]
    assert mgr.next_due() is None


async def test_a_held_crisis_that_fires_again_before_it_is_told_is_one_incident_and_one_ordinary_page(config):
    mgr = await manager(config)
    inc = await mgr.on_alert(alert(FRIDAY_NIGHT, Category.CRISIS), FRIDAY_NIGHT)
    for h in (1, 3, 5):  # it flaps through the night
        end, again = FRIDAY_NIGHT + timedelta(hours=h), FRIDAY_NIGHT + timedelta(hours=h + 1)
        await mgr.on_alert(alert(end, Category.CRISIS, AlertStatus.RESOLVED), end)
        assert await mgr.on_alert(alert(again, Category.CRISIS), again) == inc
    out = await run_until(mgr, SATURDAY_STEP)
    assert told(out) == {(SATURDAY_STEP, to, NotificationKind.PAGE) for to in COMMUNITY}
    assert not any("ended" in line for i in out for line in i.evidence)  # it is firing now


async def test_an_alert_that_ends_within_group_wait_is_still_told_when_the_wait_is_over(config):
    mgr = await manager(config)
    t0 = local(2025, 11, 24, 11, 0)  # Monday, staffed: the route's group_wait of 30s, no hold
    await mgr.on_alert(alert(t0, Category.CRISIS), t0)
    end = t0 + timedelta(seconds=10)
    await mgr.on_alert(alert(end, Category.CRISIS, AlertStatus.RESOLVED), end)
    out = await run_until(mgr, t0 + timedelta(days=1))
    assert told(out) == {(t0 + timedelta(seconds=30), to, NotificationKind.RESOLVED) for to in COMMUNITY}


async def test_a_held_incident_whose_alert_ended_is_still_told_after_a_restart(config, tmp_path):
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    mgr = await manager(config, db)
    await mgr.on_alert(alert(FRIDAY_NIGHT, Category.CRISIS), FRIDAY_NIGHT)
    end = FRIDAY_NIGHT + timedelta(hours=1)
    await mgr.on_alert(alert(end, Category.CRISIS, AlertStatus.RESOLVED), end)
    await db.close()
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    try:
        again = await manager(config, db)
        out = await run_until(again, SATURDAY_STEP)
        assert told(out) == {(SATURDAY_STEP, to, NotificationKind.RESOLVED) for to in COMMUNITY}
    finally:
        await db.close()


async def test_a_person_who_resolves_a_held_incident_ends_it_untold(config):
    mgr = await manager(config)
    inc = await mgr.on_alert(alert(FRIDAY_NIGHT, Category.CRISIS), FRIDAY_NIGHT) or ""
    end = FRIDAY_NIGHT + timedelta(hours=1)
    await mgr.on_alert(alert(end, Category.CRISIS, AlertStatus.RESOLVED), end)
    await mgr.resolve(inc, "erik", end + timedelta(minutes=5))
    assert await run_until(mgr, SATURDAY_STEP + timedelta(days=1)) == []


async def test_a_held_incident_whose_alert_ended_resolves_untold_when_only_a_suppressed_alert_joins_it(config):
    """A silenced or inhibited alert pauses an incident's path, and its end is never reported: open only to be told,
    the incident would be open for ever, told nothing. It goes on the record resolved, as one with only suppressed
    alerts does."""
    mgr = await manager(config)
    inc = await mgr.on_alert(alert(FRIDAY_NIGHT, Category.CRISIS), FRIDAY_NIGHT) or ""
    end = FRIDAY_NIGHT + timedelta(hours=1)
    await mgr.on_alert(alert(end, Category.CRISIS, AlertStatus.RESOLVED), end)
    later = end + timedelta(hours=1)
    muted = AlertTransition(
        time=later,
        status=AlertStatus.SUPPRESSED,
        rule="crisis.other",
        category=Category.CRISIS,
        severity=Severity.WARNING,
        page="druvan",
        fingerprint="fp2",
        summary="muted",
    )
    assert await mgr.on_alert(muted, later) == inc
    view = await mgr.get(inc)
    assert view is not None and view.status == IncidentStatus.RESOLVED
    assert await run_until(mgr, SATURDAY_STEP + timedelta(days=1)) == []
