"""Page leases on PostgreSQL: a fair share each, a silent replica's pages taken over, a stale owner fenced off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sentinel.cluster.leases import OTHERS, LeaseLost, Leases
from sentinel.store.factory import open_database
from sentinel.testing import T0

PAGES = [f"page{i:02d}" for i in range(11)]  # and OTHERS: 12 leases


async def replica(url: str, name: str) -> Leases:
    leases = Leases(await open_database(url), name, PAGES, ttl_s=15)
    await leases.start(T0)
    return leases


async def test_a_joining_replica_takes_a_fair_share_and_no_page_is_held_twice(pg_url: str) -> None:
    a = await replica(pg_url, "a")
    await a.step(T0)
    assert len(a.held) == 12  # alone: every page, the others' lease too
    b = await replica(pg_url, "b")
    await b.step(T0)  # a has not handed anything back yet
    assert b.held == {}
    change = await a.step(T0 + timedelta(seconds=1))
    assert len(change.surplus) == 6
    await a.release(change.surplus)
    await b.step(T0 + timedelta(seconds=1))
    assert len(a.held) == len(b.held) == 6
    assert set(a.held).isdisjoint(b.held) and set(a.held) | set(b.held) == {*PAGES, OTHERS}
    for r in (a, b):
        await r.db.close()


async def test_a_replica_that_stops_renewing_loses_its_pages_once_the_lease_time_passed(pg_url: str) -> None:
    a = await replica(pg_url, "a")
    await a.step(T0)
    b = await replica(pg_url, "b")
    await b.step(T0)
    assert b.held == {}  # a holds every page until it hands its surplus back, or goes silent
    await b.step(T0 + timedelta(seconds=14))  # a is silent, but its leases still run
    assert b.held == {}
    change = await b.step(T0 + timedelta(seconds=16))
    assert set(change.gained) == {*PAGES, OTHERS} and len(b.held) == 12
    with pytest.raises(LeaseLost):  # a wakes up and writes as owner: refused
        async with a.db.transaction():
            await a.fence(["page03"])
    assert (await a.step(T0 + timedelta(seconds=17))).lost == {*PAGES, OTHERS}
    async with b.db.transaction():
        await b.fence(["page03", "a page not in the config"])  # the new owner writes
    for r in (a, b):
        await r.db.close()


async def test_a_page_not_in_the_config_falls_under_the_others_lease(pg_url: str) -> None:
    a = await replica(pg_url, "a")
    await a.step(T0)
    assert a.key("unknown") == OTHERS and a.owns("unknown") and a.owns("page00")
    await a.leave()
    assert a.held == {} and not a.owns("page00")
    await a.db.close()


async def test_readiness_follows_renewal_and_the_metrics_count_takeovers_and_losses(pg_url: str) -> None:
    from sentinel import metrics

    def count(name: str, **labels: str) -> float:
        return metrics.REGISTRY.get_sample_value(name, labels) or 0.0

    taken, lost = (
        count("sentinel_cluster_takeovers_total", how="taken"),
        count("sentinel_cluster_leases_lost_total", how="lost"),
    )
    a = await replica(pg_url, "a")
    assert not a.healthy(T0)  # nothing renewed yet: /readyz says not ready
    await a.step(T0)
    assert a.healthy(T0 + timedelta(seconds=14)) and not a.healthy(T0 + timedelta(seconds=15))
    assert count("sentinel_cluster_leases_held") == 12
    b = await replica(pg_url, "b")
    await b.step(T0 + timedelta(seconds=16))  # a went silent: b takes all twelve
    await a.step(T0 + timedelta(seconds=17))  # a finds them gone
    assert count("sentinel_cluster_takeovers_total", how="taken") == taken + 24
    assert count("sentinel_cluster_leases_lost_total", how="lost") == lost + 12
    for r in (a, b):
        await r.db.close()


async def test_a_replica_that_could_not_renew_gives_its_pages_up_and_takes_back_those_nobody_took(
    pg_url: str,
) -> None:
    a = await replica(pg_url, "a")
    await a.step(T0)
    tokens = dict(a.held)
    b = await replica(pg_url, "b")
    await b.step(T0)
    # a's step failed (its store was away): it holds nothing, so it acts on nothing another replica may take
    assert a.forfeit().lost == {*PAGES, OTHERS} and a.held == {} and not a.owns("page03")
    with pytest.raises(LeaseLost):
        async with a.db.transaction():
            await a.fence(["page03"])
    # b takes its share of what ran out meanwhile (here every lease but page00's, whose time still runs) ...
    await a.db.execute("UPDATE page_leases SET expires = 0 WHERE page <> 'page00'")
    await b.step(T0 + timedelta(seconds=1))
    assert len(b.held) == 6 and "page00" not in b.held
    # ... and a's first step back takes page00 back under the token it held it with, and adopts it again (with
    # free ones to make its share, under new tokens)
    change = await a.step(T0 + timedelta(seconds=2))
    assert change.gained["page00"] == tokens["page00"] and a.held == change.gained and len(a.held) == 6
    assert set(a.held).isdisjoint(b.held)
    async with a.db.transaction():
        await a.fence(["page00"])
    for r in (a, b):
        await r.db.close()


async def test_a_page_one_replicas_config_names_is_its_own_lease_on_every_replica_and_not_also_the_others(
    pg_url: str,
) -> None:
    # a rolling update: b's config names one page more than a's
    a = await replica(pg_url, "a")
    await a.step(T0)
    assert a.key("page11") == OTHERS  # nobody names it yet: an unknown page
    b = Leases(await open_database(pg_url), "b", [*PAGES, "page11"], ttl_s=15)
    await b.start(T0)
    change = await a.step(T0 + timedelta(seconds=1))
    assert change.rekeyed and a.key("page11") == "page11" and not a.owns("page11")  # not read under OTHERS
    await a.release(change.surplus)
    await b.step(T0 + timedelta(seconds=1))
    assert "page11" in b.held and b.owns("page11") and OTHERS in a.held
    # b stops: no live replica names page11, so a takes it (its events are not left unread) ...
    await b.leave()
    await a.step(T0 + timedelta(seconds=2))
    assert a.owns("page11") and len(a.held) == 13
    # ... and hands it back as soon as a replica that names it is live again, which takes it
    await b.start(T0 + timedelta(seconds=3))
    change = await a.step(T0 + timedelta(seconds=3))
    assert "page11" in change.surplus
    await a.release(change.surplus)
    await b.step(T0 + timedelta(seconds=3))
    assert "page11" in b.held and not a.owns("page11")
    assert set(a.held).isdisjoint(b.held) and set(a.held) | set(b.held) == {*PAGES, "page11", OTHERS}
    for r in (a, b):
        await r.db.close()
