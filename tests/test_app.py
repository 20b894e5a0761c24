"""The daemon's object graph in-process: intake → store → rules → incidents, and the mounted APIs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import orjson
import pytest

from sentinel.app import App
from sentinel.security.guessing import ACK_LOCKOUT, SecurityAlarm
from sentinel.settings import parse_config
from sentinel.testing import at, event, person

TOKEN = "app-test-token"


def base_config(tmp_path: Path) -> str:
    """One page staffed on weekdays, a store in ``tmp_path``, an ingest API on a free port."""
    return f"""
pages:
  - id: druvan
    timezone: Europe/Stockholm
    staffed_hours: {{mon-fri: "08:00-17:00"}}
store:
  url: sqlite:///{tmp_path / "sentinel.db"}
server:
  port: 0
  ingest_token: {TOKEN}
"""


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    config = parse_config(base_config(tmp_path))
    a = App(config)
    await a.start()
    yield a
    await a.stop()


async def test_an_ingested_manage_grant_fires_a_critical_hijack_alert(app: App) -> None:
    """Friday 21:00 in Stockholm, outside staffed hours: a new full admin is critical."""
    grant = event("role.granted", at(), actor=person("Mr X"), user={"id": "666", "name": "Mr X"}, tasks=["MANAGE"])
    async with (
        aiohttp.ClientSession() as s,
        s.post(
            f"http://127.0.0.1:{app.port}/api/v1/events",
            data=orjson.dumps([grant.to_json()]),
            headers={"Authorization": f"Bearer {TOKEN}"},
        ) as r,
    ):
        assert r.status == 200
    assert app.events is not None and app.worker is not None
    await asyncio.wait_for(app.worker.wait_processed(await app.events.count()), 10)
    alerts = [a for a in await app.events.alerts() if a["status"] == "firing"]
    assert [(a["category"], a["severity"]) for a in alerts] == [("hijack", "critical")]
    assert alerts[0]["incident"].startswith("inc-")


async def test_operator_api_and_openapi_are_mounted(app: App) -> None:
    async with aiohttp.ClientSession() as s:
        async with s.get(f"http://127.0.0.1:{app.port}/api/v1/openapi.json") as r:
            assert r.status == 200 and "/api/v1/incidents" in str((await r.json())["paths"])
        async with s.get(f"http://127.0.0.1:{app.port}/api/v1/incidents") as r:
            assert r.status == 401


async def test_a_totp_lockout_pages_like_a_hijack(app: App) -> None:
    await app._security_alarm(SecurityAlarm(ACK_LOCKOUT, "erik", "5 wrong codes in a row", at()))
    assert app.events is not None
    alerts = await app.events.alerts()
    assert [(a["rule"], a["severity"], a["category"]) for a in alerts if a["status"] == "firing"] == [
        ("security.ack_lockout", "critical", "hijack")
    ]


async def test_reload_brings_new_people_and_routes_to_new_incidents(tmp_path: Path) -> None:
    base = (
        base_config(tmp_path)
        + """notify:
  channels:
    console: {type: console, stream: stderr}
"""
    )
    oncall = """
people:
  - {name: erik, phone: "+46701234501", channels: [console]}
escalation:
  group_wait: 0s
  policies:
    - name: security
      steps:
        - targets: [{person: erik}]
          channels: [console]
  routes:
    - {category: hijack, severity: critical, policy: security}
"""
    path = tmp_path / "sentinel.yaml"
    path.write_text(base)
    app = App(parse_config(base), config_path=path)
    await app.start()
    try:
        path.write_text(base + "people: [\n")  # broken: refused, the old config stays
        assert await app.reload() is False and app.config.people == []
        path.write_text(base + oncall)
        assert await app.reload() is True
        grant = event("role.granted", at(), actor=person("Mr X"), user={"id": "666", "name": "Mr X"}, tasks=["MANAGE"])
        assert await app.accept([grant], "test") == 1
        assert app.worker is not None and app.db is not None
        await asyncio.wait_for(app.worker.wait_processed(1), 10)
        rows = await app.db.fetchall("SELECT key FROM notify_outbox")
        # inc-000001 is the refused reload's own alert (health.config_reload_refused), which no route here takes
        assert [r[0] for r in rows] == ["inc-000002:1:erik:console:page"]
        refused = await app.db.fetchall("SELECT rule FROM alerts WHERE incident = 'inc-000001'")
        assert {r[0] for r in refused} == {"health.config_reload_refused"}
    finally:
        await app.stop()


async def test_a_firing_hijack_alert_asks_the_sources_to_look_closer() -> None:
    from sentinel.app import DaemonOutput
    from sentinel.model import AlertStatus, AlertTransition, Category, Severity
    from sentinel.store.events import EventLog
    from sentinel.store.sqlite import SqliteDatabase

    db = SqliteDatabase.open(":memory:")
    events = EventLog(db)
    await events.start()
    signalled: list[str] = []
    out = DaemonOutput(events, None, on_hijack=signalled.append)

    def transition(category: Category, status: AlertStatus, n: int) -> AlertTransition:
        return AlertTransition(
            time=at(),
            status=status,
            rule=f"{category.value}.x",
            category=category,
            severity=Severity.CRITICAL,
            page="druvan",
            fingerprint=f"f{n}",
            summary="s",
            labels={},
            annotations={},
            group_key="g",
        )

    await out.alert(transition(Category.CRISIS, AlertStatus.FIRING, 1), None)
    await out.alert(transition(Category.HIJACK, AlertStatus.RESOLVED, 2), None)
    assert signalled == []
    await out.alert(transition(Category.HIJACK, AlertStatus.FIRING, 3), None)
    assert signalled == ["druvan"]
    await db.close()


async def test_reloads_in_a_row_run_one_at_a_time_and_the_newest_file_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files are read in a thread: a second SIGHUP while the first is still reading waits its turn, so an
    older, slower read never lands over a newer one (and the loop answers meanwhile)."""
    import threading

    import sentinel.app as app_module

    path = tmp_path / "sentinel.yaml"
    base = base_config(tmp_path)
    path.write_text(base)
    app = App(parse_config(base), config_path=path)
    await app.start()
    first_reading, let_first_go, second_built = threading.Event(), threading.Event(), threading.Event()
    real_load, reads = app_module._load_for_reload, []

    def slow_first(p: Path) -> object:
        """Read the file as the real reload does. The first read is held until the test lets it go, and then
        gives a second reload a second to overtake it (which it must not: it waits for the first to end)."""
        text = p.read_text()
        reads.append(text)
        n = len(reads)
        if n == 1:
            first_reading.set()
            let_first_go.wait(10)
            second_built.wait(1)
        seen = tmp_path / f"read-{n}.yaml"  # build what was read then, not what is on disk now
        seen.write_text(text)
        built = real_load(seen)
        if n == 2:
            second_built.set()
        return built

    monkeypatch.setattr(app_module, "_load_for_reload", slow_first)
    try:
        path.write_text(base.replace("druvan", "older"))
        first = asyncio.create_task(app.reload())
        await asyncio.to_thread(first_reading.wait, 10)
        path.write_text(base.replace("druvan", "newer"))
        second = asyncio.create_task(app.reload())
        assert await app.accept([event("comment.created", at(), id="c1")], "test") == 1  # the loop is free
        let_first_go.set()
        assert await first is True and await second is True
        assert [p.id for p in app.config.pages] == ["newer"]
        assert len(reads) == 2 and "newer" in reads[1]
    finally:
        await app.stop()
