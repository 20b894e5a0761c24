"""The generic ingest API answers only after commit, and refuses bad requests clearly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinel.api.ingest import ingest_routes
from sentinel.api.server import build_app
from sentinel.config.types import Secret
from sentinel.model import Event
from sentinel.store.events import EventLog
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import at, event

TOKEN = "t0k3n-for-tests"


def line(ev: Event) -> bytes:
    return orjson.dumps(ev.to_json())


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[tuple[TestClient, EventLog]]:  # type: ignore[type-arg]
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    log = EventLog(db)
    await log.start()

    async def sink(events: list[Event], source: str) -> int:
        return len(await log.add(events, source))

    async def ready() -> dict[str, bool]:
        return {"store": await db.ping()}

    app = build_app(ingest_routes(sink, Secret(TOKEN), max_bytes=4096), ready)
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client, log
    await client.close()
    await db.close()


AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def test_json_lines_are_committed_before_the_answer(setup: tuple[TestClient, EventLog]) -> None:  # type: ignore[type-arg]
    client, log = setup
    evs = [event("comment.created", at(f"{i}m"), id=f"c:{i}", message="Hej?") for i in range(3)]
    resp = await client.post("/api/v1/events", data=b"\n".join(line(e) for e in evs), headers=AUTH)
    assert resp.status == 200
    assert await resp.json() == {"accepted": 3, "new": 3, "duplicates": 0}
    assert await log.count() == 3


async def test_json_array_and_duplicates_are_counted_once(setup: tuple[TestClient, EventLog]) -> None:  # type: ignore[type-arg]
    client, log = setup
    body = orjson.dumps([event("post.deleted", at(), id="d:1").to_json()] * 2)
    resp = await client.post("/api/v1/events", data=body, headers=AUTH)
    assert (await resp.json())["new"] == 1 and await log.count() == 1


async def test_an_id_used_on_another_page_or_platform_is_new_and_a_true_repeat_a_duplicate(
    setup: tuple[TestClient, EventLog],  # type: ignore[type-arg]
) -> None:
    client, log = setup
    first = event("comment.created", at(), page="other", id="42", message="hej")
    resp = await client.post("/api/v1/events", data=line(first), headers=AUTH)
    assert await resp.json() == {"accepted": 1, "new": 1, "duplicates": 0}
    grant = event("role.granted", at("1m"), page="druvan", id="42", user={"id": "666"}, tasks=["MANAGE"])
    elsewhere = event("comment.created", at(), page="other", id="42", platform="instagram", message="hej")
    resp = await client.post("/api/v1/events", data=b"\n".join(map(line, [grant, elsewhere, first])), headers=AUTH)
    assert await resp.json() == {"accepted": 3, "new": 2, "duplicates": 1}
    assert await log.identities() == [first.identity, grant.identity, elsewhere.identity]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
async def test_missing_or_wrong_token_is_401(setup: tuple[TestClient, EventLog], headers: dict[str, str]) -> None:  # type: ignore[type-arg]
    client, log = setup
    resp = await client.post("/api/v1/events", data=line(event("post.deleted", at())), headers=headers)
    assert resp.status == 401 and await log.count() == 0
    assert TOKEN not in await resp.text()


async def test_bad_line_is_400_naming_it_and_nothing_is_stored(setup: tuple[TestClient, EventLog]) -> None:  # type: ignore[type-arg]
    client, log = setup
    body = line(event("post.deleted", at(), id="ok:1")) + b'\n{"id": 5}\n'
    resp = await client.post("/api/v1/events", data=body, headers=AUTH)
    assert resp.status == 400
    data = await resp.json()
    assert data["line"] == 2 and "line 2" in data["error"]
    assert await log.count() == 0


async def test_oversized_body_is_413(setup: tuple[TestClient, EventLog]) -> None:  # type: ignore[type-arg]
    client, _ = setup
    resp = await client.post("/api/v1/events", data=b"x" * 5000, headers=AUTH)
    assert resp.status == 413


async def test_health_ready_and_metrics(setup: tuple[TestClient, EventLog]) -> None:  # type: ignore[type-arg]
    client, _ = setup
    assert (await client.get("/healthz")).status == 200
    ready = await client.get("/readyz")
    assert ready.status == 200 and (await ready.json())["checks"] == {"store": True}
    text = await (await client.get("/metrics")).text()
    assert "sentinel_events_ingested_total" in text


FIELDS = st.sampled_from(["id", "time", "platform", "page", "kind", "actor", "object"])
VALUES = st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=30), st.lists(st.integers(0, 9)))
EVENTISH = st.lists(st.dictionaries(FIELDS, VALUES, max_size=7), max_size=4).map(orjson.dumps)


@given(
    body=st.one_of(st.binary(max_size=600), st.text(max_size=600).map(str.encode), EVENTISH),
    content_type=st.sampled_from(["application/json", "application/x-ndjson", "text/plain", ""]),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_random_bodies_get_a_clear_answer_never_a_500(
    setup: tuple[TestClient, EventLog],
    body: bytes,  # type: ignore[type-arg]
    content_type: str,
) -> None:
    client, _ = setup
    resp = await asyncio.wait_for(
        client.post("/api/v1/events", data=body, headers={**AUTH, "Content-Type": content_type}), 5
    )
    assert resp.status in (200, 400, 413), (resp.status, body[:100])
    if resp.status == 400:
        assert (await resp.json())["error"]
