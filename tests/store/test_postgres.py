"""The same areas on PostgreSQL (127.0.0.1:5432, trust auth): what several replicas share."""

from __future__ import annotations

import pytest

from sentinel.config.schema import page_resolver
from sentinel.incidents import IncidentManager
from sentinel.model import AlertStatus, AlertTransition, Category, Severity
from sentinel.settings import Config
from sentinel.sources.graph_state import AREA, MIGRATIONS, GraphStore, PageState, Saved
from sentinel.store.events import EventLog
from sentinel.store.factory import open_database
from sentinel.store.postgres import PostgresDatabase
from sentinel.testing import at, event


async def test_event_log_deduplicates_and_reads_back_on_postgres(pg_url: str) -> None:
    db = await open_database(pg_url)
    assert isinstance(db, PostgresDatabase)
    log = EventLog(db)
    await log.start()
    await log.start()  # migrations apply once
    a, b = event("comment.created", at("1m"), id="pg:1", message="Hej?"), event("post.deleted", at("2m"), id="pg:2")
    assert [e.id for e in await log.add([a, b], "test")] == ["pg:1", "pg:2"]
    assert await log.add([a], "test") == []
    assert [e for _, e, _ in await log.read_after(0)] == [a, b]
    await log.set_cursor("c", "1")
    await log.set_cursor("c", "2")
    assert await log.get_cursor("c") == "2"
    await db.close()


async def test_failed_transaction_rolls_back_on_postgres(pg_url: str) -> None:
    db = await open_database(pg_url)
    log = EventLog(db)
    await log.start()
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await log.add([event("post.deleted", at(), id="pg:x")], "t")
            raise RuntimeError("crash mid-transaction")
    assert await log.count() == 0
    await db.close()


async def test_incidents_open_and_resume_on_postgres(pg_url: str) -> None:
    config = Config()
    db = await open_database(pg_url)
    mgr = IncidentManager(db, config, page_resolver(config.pages))
    await mgr.start()
    t = AlertTransition(
        time=at(),
        status=AlertStatus.FIRING,
        rule="hijack.manage_granted",
        category=Category.HIJACK,
        severity=Severity.CRITICAL,
        page="druvan",
        fingerprint="fp1",
        summary="new admin",
    )
    inc = await mgr.on_alert(t, at())
    assert inc is not None
    await db.close()
    db = await open_database(pg_url)  # a second replica / a restart sees the same incident
    mgr = IncidentManager(db, config, page_resolver(config.pages))
    await mgr.start()
    assert [i.id for i in await mgr.list_open()] == [inc]
    await db.close()


async def test_notification_outbox_is_durable_and_keyed_on_postgres(pg_url: str) -> None:
    from sentinel.clock import SimulatedClock
    from sentinel.model import NotificationIntent, NotificationKind, Recipient
    from sentinel.notify import build_notifier
    from sentinel.notify.config import NotifyConfig

    db = await open_database(pg_url)
    channels = NotifyConfig.model_validate({"channels": {"log": {"type": "console", "stream": "stderr"}}})
    notifier = build_notifier(channels, db, SimulatedClock(at()))
    await notifier.start(background=False)
    intent = NotificationIntent(
        time=at(),
        incident="inc-000001",
        step=1,
        channel="log",
        to="oncall:erik",
        recipient=Recipient(name="erik"),
        kind=NotificationKind.PAGE,
        category=Category.HIJACK,
        severity=Severity.CRITICAL,
        page="druvan",
        page_name="Druvan",
        summary="new admin",
    )
    assert await notifier.enqueue(intent) is True
    assert await notifier.enqueue(intent) is False  # same idempotency key
    assert await notifier.run_once(at()) == 1
    await notifier.stop(2.0)
    await db.close()


async def test_graph_posts_upgrade_to_reaction_counts_on_postgres(pg_url: str) -> None:
    """A store of the Graph poller from before reactions were counted (its first migration) is upgraded in place:
    a known post keeps its cursors and has no reaction count yet (its first count will be its baseline), and the
    counts are written and read back."""
    db = await open_database(pg_url)
    await db.migrate(AREA, MIGRATIONS[:1])
    await db.execute(
        "INSERT INTO graph_posts (page, post_id, created, message_digest, comment_hwm) VALUES (?, ?, ?, ?, ?)",
        ("druvan", "2001_7001", 1_700_000_000, "d1", 1_700_000_600),
    )
    store = GraphStore(db)
    await store.migrate()
    [post] = (await store.load_posts("druvan")).values()
    assert (post.comment_hwm, post.reactions, post.reactions_at) == (1_700_000_600, {}, 0)
    post.reactions, post.reactions_at = {"angry": 41, "like": 9}, 1_700_000_900
    await store.save_many([Saved("druvan", PageState(counted_at=1_700_000_900), [post], None)])
    assert (await store.load_all_posts())["druvan"]["2001_7001"].reactions == {"angry": 41, "like": 9}
    [state] = (await store.load_states()).values()
    assert state.counted_at == 1_700_000_900
    await db.close()
