"""The fake Graph server speaks the real shapes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import aiohttp
import orjson

from sentinel.testing import T0, FakeClock
from sentinel.testing.graph import FakeGraph, parse_fields, unparse
from sentinel.testing.graph_life import Step, new_page


def _life(graph: FakeGraph, clock: FakeClock) -> None:
    graph.add_page(new_page("10", "Druvan"), "tok")
    steps = [
        Step(
            T0 + timedelta(minutes=i),
            "10",
            "post",
            {"id": f"10_{i}", "message": f"p{i}", "from": {"id": "10", "name": "Druvan"}},
        )
        for i in range(5)
    ]
    steps += [
        Step(
            T0 + timedelta(minutes=10, seconds=i),
            "10",
            "comment",
            {
                "id": f"4_{i}",
                "post_id": "10_4",
                "message": f"c{i}",
                "from": {"id": "7", "name": "A"},
                "parent_id": "4_0" if i == 3 else None,
            },
        )
        for i in range(4)
    ]
    steps.append(Step(T0 + timedelta(minutes=20), "10", "delete", {"post_id": "10_1"}))
    graph.play(steps)
    clock.set(T0 + timedelta(minutes=30))


async def _get(session: aiohttp.ClientSession, url: str, **params: str) -> tuple[int, Any, Any]:
    async with session.get(url, params=params) as r:
        return r.status, r.headers, orjson.loads(await r.read())


def test_field_expansion_round_trips() -> None:
    text = "id,feed.since(5).limit(2){id,comments.filter(stream).limit(1){id,parent{id}}},name"
    fields = parse_fields(text)
    assert [f.name for f in fields] == ["id", "feed", "name"]
    assert fields[1].mods == {"since": "5", "limit": "2"}
    assert unparse(fields) == text


async def test_feed_pages_by_time_and_comments_by_cursor(fake: tuple[FakeGraph, str], clock: FakeClock) -> None:
    graph, url = fake
    _life(graph, clock)
    async with aiohttp.ClientSession() as s:
        status, _, body = await _get(
            s, f"{url}/v21.0/10/feed", access_token="tok", limit="2", fields="id,created_time,message"
        )
        assert status == 200
        assert [p["id"] for p in body["data"]] == ["10_4", "10_3"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", body["data"][0]["created_time"])
        assert "until=" in body["paging"]["next"] and "__paging_token=" in body["paging"]["next"]
        assert "since=" in body["paging"]["previous"] and "__previous=1" in body["paging"]["previous"]
        _, _, page2 = await _get(s, body["paging"]["next"])
        assert [p["id"] for p in page2["data"]] == ["10_2", "10_0"]  # 10_1 was deleted
        assert "next" not in page2.get("paging", {})
        _, _, com = await _get(
            s,
            f"{url}/v21.0/10_4/comments",
            access_token="tok",
            filter="stream",
            order="chronological",
            summary="1",
            limit="3",
            fields="id,parent{id}",
        )
        assert [c["id"] for c in com["data"]] == ["4_0", "4_1", "4_2"]
        assert com["summary"]["total_count"] == 4 and set(com["paging"]["cursors"]) == {"before", "after"}
        _, _, com2 = await _get(s, com["paging"]["next"])
        assert com2["data"] == [{"id": "4_3", "parent": {"id": "4_0"}}]
        _, _, top = await _get(s, f"{url}/v21.0/10_4/comments", access_token="tok")
        assert len(top["data"]) == 3  # without filter=stream, replies are not listed


async def test_a_probe_gets_comment_counts_without_comments(fake: tuple[FakeGraph, str], clock: FakeClock) -> None:
    graph, url = fake
    _life(graph, clock)
    fields = "id,feed.since(0).limit(2){id,updated_time,comments.filter(stream).limit(0).summary(true)}"
    async with aiohttp.ClientSession() as s:
        _, _, body = await _get(s, f"{url}/v21.0/10", access_token="tok", fields=fields)
    newest = body["feed"]["data"][0]
    assert newest["id"] == "10_4" and newest["comments"]["data"] == []
    assert newest["comments"]["summary"]["total_count"] == 4
    assert [c.fields for c in graph.log] == [fields]
    assert graph.calls_of("10") == [clock.now().timestamp()] and graph.calls_of("10", tripwire=True) == []


async def test_errors_batch_and_usage_headers(fake: tuple[FakeGraph, str], clock: FakeClock) -> None:
    graph, url = fake
    _life(graph, clock)
    graph.calls_per_hour = 4
    async with aiohttp.ClientSession() as s:
        status, _, body = await _get(s, f"{url}/v21.0/10_1", access_token="tok")
        assert status == 400 and body["error"]["code"] == 100 and body["error"]["error_subcode"] == 33
        assert body["error"]["type"] == "GraphMethodException" and "fbtrace_id" in body["error"]
        status, _, body = await _get(s, f"{url}/v21.0/10", access_token="nope")
        assert body["error"]["code"] == 190
        batch = orjson.dumps(
            [{"method": "GET", "relative_url": "10?fields=name"}, {"method": "GET", "relative_url": "10_1?fields=id"}]
        ).decode()
        async with s.post(f"{url}/v21.0/", data={"access_token": "tok", "batch": batch}) as r:
            answers = orjson.loads(await r.read())
        assert [a["code"] for a in answers] == [200, 400]
        assert orjson.loads(answers[0]["body"]) == {"name": "Druvan"}
        usage = [h["value"] for h in answers[0]["headers"] if h["name"] == "X-Business-Use-Case-Usage"]
        assert orjson.loads(usage[0])["10"][0]["call_count"] == 50  # 2 of 4 calls this hour
        status, headers, body = await _get(s, f"{url}/v21.0/10", access_token="tok")
        assert status == 200
        status, headers, body = await _get(s, f"{url}/v21.0/10", access_token="tok")
        assert body["error"]["code"] == 80001
        buc = orjson.loads(headers["X-Business-Use-Case-Usage"])["10"][0]
        assert buc["call_count"] == 100 and buc["estimated_time_to_regain_access"] > 0
        graph.expired.add("tok")
        clock.advance(7200)
        _, _, body = await _get(s, f"{url}/v21.0/10", access_token="tok")
        assert (body["error"]["code"], body["error"]["error_subcode"]) == (190, 463)
