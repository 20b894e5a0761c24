"""``GET /api/v1/report``: the report over the store through the operator API, behind the operator's token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sentinel.model import Actor, ActorType, Event
from sentinel.store.events import EventLog
from sentinel.testing.operator import OPERATOR_TOKEN, operator_harness

TOKEN = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}
T = datetime(2025, 11, 10, 8, 0, tzinfo=UTC)


async def test_the_operator_api_serves_the_report_from_the_store(tmp_path: Path) -> None:
    async with operator_harness(tmp_path) as h:
        log = EventLog(h.db)
        await log.start()
        await log.add(
            [
                Event(
                    "q",
                    T,
                    "facebook",
                    "druvan",
                    "comment.created",
                    Actor("c", "A", ActorType.PERSON),
                    {"comment_id": "q", "post_id": "p", "parent_id": None, "message": "Har ni öppet i dag?"},
                ),
                Event(
                    "r",
                    T + timedelta(minutes=12),
                    "facebook",
                    "druvan",
                    "comment.created",
                    Actor("p", "P", ActorType.PAGE),
                    {"comment_id": "r", "post_id": "p", "parent_id": "q", "message": "Ja"},
                ),
            ],
            "test",
        )
        assert (await h.client.get("/api/v1/report")).status == 401
        r = await h.client.get("/api/v1/report?page=druvan&from=2025-11-10&to=2025-11-10", headers=TOKEN)
        assert r.status == 200
        rows = (await r.json())["reports"]
        assert [(x["channel"], x["items"], x["answered"], x["median_first_response_s"]) for x in rows] == [
            ("comment", 1, 1, 720.0),
            ("message", 0, 0, None),
        ]
        csv = await h.client.get("/api/v1/report?format=csv", headers=TOKEN)
        assert csv.content_type == "text/csv" and "druvan,comment,1,1" in await csv.text()
        assert (await h.client.get("/api/v1/report?from=monday", headers=TOKEN)).status == 400
        assert (await h.client.get("/api/v1/report?format=pdf", headers=TOKEN)).status == 400
        spec = await (await h.client.get("/api/v1/openapi.json")).json()
        assert "/api/v1/report" in spec["paths"]
