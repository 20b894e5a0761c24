"""What every replica sees alike on PostgreSQL: incident numbers from the store, an acknowledgement or a snooze
made through any replica, silences, and a fenced owner."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest

from sentinel.cluster.leases import LeaseLost, Leases
from sentinel.escalation.config import OnCallConfig
from sentinel.incidents import IncidentManager
from sentinel.model import AlertStatus, AlertTransition, Category, Severity
from sentinel.rules.silences import Matcher, Suppressor
from sentinel.security.silences import SilenceBook
from sentinel.security.store import SecurityStore
from sentinel.settings import Config
from sentinel.store import Database
from sentinel.store.factory import open_database
from sentinel.testing import at

ONCALL = OnCallConfig.of(
    Config.model_validate(
        {
            "people": [{"name": "erik", "channels": ["console"]}, {"name": "anna", "channels": ["console"]}],
            "escalation": {
                "group_wait": "0s",
                "policies": [
                    {
                        "name": "hijack",
                        "repeat": "until_acknowledged",
                        "repeat_after": "10m",
                        "steps": [
                            {"targets": [{"person": "erik"}], "channels": ["console"]},
                            {"targets": [{"person": "anna"}], "channels": ["console"], "after": "5m"},
                        ],
                    }
                ],
                "routes": [{"category": "hijack", "severity": "critical", "policy": "hijack"}],
            },
        }
    )
)


def hijack(page: str = "druvan", key: str = "") -> AlertTransition:
    return AlertTransition(
        time=at(),
        status=AlertStatus.FIRING,
        rule="hijack.manage_granted",
        category=Category.HIJACK,
        severity=Severity.CRITICAL,
        page=page,
        fingerprint=f"fp:{page}:{key}",
        summary="new admin",
        group_key=key,
    )


OPEN: list[Database] = []


@pytest.fixture(autouse=True)
async def _close_connections() -> AsyncIterator[None]:
    yield
    while OPEN:
        await OPEN.pop().close()


async def connect(url: str) -> Database:
    OPEN.append(await open_database(url))
    return OPEN[-1]


async def replica(url: str, owns: Callable[[str], bool]) -> IncidentManager:
    mgr = IncidentManager(await connect(url), ONCALL, lambda p: None, metrics=False, owns=owns)
    await mgr.start()
    return mgr


async def test_two_replicas_opening_incidents_at_once_get_distinct_numbers_from_the_store(pg_url: str) -> None:
    a, b = await replica(pg_url, lambda p: True), await replica(pg_url, lambda p: True)
    ids = await asyncio.gather(
        *(a.on_alert(hijack(f"a{i}"), at()) for i in range(10)), *(b.on_alert(hijack(f"b{i}"), at()) for i in range(10))
    )
    assert len(set(ids)) == 20 and sorted(ids) == [f"inc-{n:06d}" for n in range(1, 21)]


async def test_an_acknowledgement_through_another_replica_stops_the_owners_escalation(pg_url: str) -> None:
    owner, other = await replica(pg_url, lambda p: True), await replica(pg_url, lambda p: False)
    inc = await owner.on_alert(hijack(), at())
    assert inc is not None
    assert [i.to for i in await owner.tick(at())] == ["erik"]
    await other.sync()
    assert other.routed_to(inc) is not None and "erik" in (other.routed_to(inc) or ())  # the views know it
    await other.acknowledge(inc, "erik", at("1m"))  # not held in memory there: read from the store, locked
    assert await owner.tick(at("5m")) == []  # step 2 was due: the owner read the acknowledgement back
    assert (await owner.get(inc)).status == "acknowledged"  # type: ignore[union-attr]
    await other.snooze(inc, at("2h"), "erik", at("6m"))
    assert await owner.tick(at("1h")) == []


async def test_a_replica_that_lost_the_page_cannot_write_its_escalation_step(pg_url: str) -> None:
    db = await connect(pg_url)
    leases = Leases(db, "a", ["druvan"], ttl_s=15)
    await leases.start(at())
    await leases.step(at())
    mgr = IncidentManager(db, ONCALL, lambda p: None, metrics=False)
    mgr.share(leases.owns, leases.fence)
    await mgr.start()
    inc = await mgr.on_alert(hijack(), at())
    await mgr.tick(at())
    thief = Leases(await connect(pg_url), "b", ["druvan"], ttl_s=15)
    await thief.start(at("20s"))
    await thief.step(at("20s"))  # a's lease ran out: b owns druvan now
    with pytest.raises(LeaseLost):
        await mgr.tick(at("5m"))
    rows = await db.fetchall("SELECT n FROM incident_timeline WHERE incident_id = ? AND kind = 'paged'", (inc,))
    assert len(rows) <= 1  # step 2 was not written by the replica that lost the page


async def test_a_silence_made_through_one_replica_holds_on_another_once_it_reads_the_store(pg_url: str) -> None:
    db_a, db_b = await connect(pg_url), await connect(pg_url)
    sup_a, sup_b = Suppressor([]), Suppressor([])
    book_a, book_b = SilenceBook(SecurityStore(db_a), sup_a), SilenceBook(SecurityStore(db_b), sup_b)
    await book_b.load()
    await book_a.create("silence", (Matcher("page", "druvan", "="),), at(), at() + timedelta(hours=1), "t", "ops")
    await book_b.load()  # what the worker's refresh does before each batch
    assert [s.id for s in sup_b.silences] == [s.id for s in sup_a.silences] != []
