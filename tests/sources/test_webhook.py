"""The Meta webhook receiver: handshake, signatures, limits, dedup, fuzz."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.webhook import PATH, webhook_routes
from sentinel.testing import FakeClock

SECRET = "test_app_secret"
VECTOR = (
    b'{"object":"page","entry":[{"id":"101259571653026","time":1615416579,"changes":[{"field":"feed","value":'
    b'{"from":{"id":"101259571653026","name":"Vargotha"},"message":"Test Post plz ignore","post_id":'
    b'"101259571653026_253689226410059","created_time":1615416577,"item":"status","published":1,"verb":"add"}}'
    b"]}]}"
)
VECTOR_SIG = "sha256=e3c19bc7a15bfb3e729651492698ddd43543c750480f6251d0c6885878e038c9"


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
async def client(sink: Any, clock: FakeClock) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    config = SourcesConfig(app_secret=Secret(SECRET), verify_token=Secret("vt-123"), webhook_max_body_bytes=4096)
    app = web.Application()
    app.add_routes(
        webhook_routes(
            config,
            sink,
            clock,
            lambda: [PageConfig(id="vargotha", page_id="101259571653026", access_token=Secret("x"))],
        )
    )
    async with TestClient(TestServer(app)) as c:
        yield c


async def test_handshake_answers_the_challenge_only_for_the_right_token(client: Any) -> None:
    ok = await client.get(
        PATH, params={"hub.mode": "subscribe", "hub.verify_token": "vt-123", "hub.challenge": "1158201444"}
    )
    assert ok.status == 200 and await ok.text() == "1158201444"
    bad = await client.get(PATH, params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"})
    assert bad.status == 403
    mode = await client.get(PATH, params={"hub.mode": "unsubscribe", "hub.verify_token": "vt-123"})
    assert mode.status == 403


async def test_spec_test_vector_is_accepted_and_translated(client: Any, sink: Any) -> None:
    assert sign(VECTOR) == VECTOR_SIG
    r = await client.post(PATH, data=VECTOR, headers={"X-Hub-Signature-256": VECTOR_SIG})
    assert r.status == 200
    ev = sink.events["fb:post:101259571653026_253689226410059"]
    assert ev.kind == "post.created" and ev.page == "vargotha" and ev.by_page
    assert ev.object["message"] == "Test Post plz ignore"
    assert ev.time.isoformat() == "2021-03-10T22:49:37+00:00"


@pytest.mark.parametrize(
    "headers",
    [
        {},  # missing header
        {"X-Hub-Signature-256": sign(VECTOR, "wrong_secret")},
        {"X-Hub-Signature-256": "sha1=" + hashlib.sha1(VECTOR).hexdigest()},
        {"X-Hub-Signature-256": "sha256=zz"},
    ],
    ids=["missing", "wrong-secret", "sha1", "garbage"],
)
async def test_bad_signatures_are_refused_with_403(client: Any, sink: Any, headers: dict[str, str]) -> None:
    r = await client.post(PATH, data=VECTOR, headers=headers)
    assert r.status == 403
    assert sink.events == {}


async def test_one_changed_byte_is_refused(client: Any, sink: Any) -> None:
    body = VECTOR.replace(b"plz", b"plx")
    r = await client.post(PATH, data=body, headers={"X-Hub-Signature-256": VECTOR_SIG})
    assert r.status == 403 and sink.events == {}


async def test_replayed_delivery_is_counted_once(client: Any, sink: Any) -> None:
    for _ in range(3):
        r = await client.post(PATH, data=VECTOR, headers={"X-Hub-Signature-256": VECTOR_SIG})
        assert r.status == 200
    assert len(sink.events) == 1 and sink.duplicates == 2


async def test_malformed_json_is_400_and_oversize_is_413(client: Any) -> None:
    bad = b'{"object": "page", "entry": ['
    r = await client.post(PATH, data=bad, headers={"X-Hub-Signature-256": sign(bad)})
    assert r.status == 400
    not_delivery = b"[1, 2]"
    r = await client.post(PATH, data=not_delivery, headers={"X-Hub-Signature-256": sign(not_delivery)})
    assert r.status == 400
    big = b'{"entry": []}' + b" " * 5000
    r = await client.post(PATH, data=big, headers={"X-Hub-Signature-256": sign(big)})
    assert r.status == 413


async def test_non_ascii_is_signed_over_the_escaped_bytes(client: Any, sink: Any) -> None:
    body = (
        b'{"object":"page","entry":[{"id":"101259571653026","time":1703332801,"changes":[{"field":"feed",'
        b'"value":{"item":"comment","verb":"add","comment_id":"253689226410059_987654321","post_id":'
        b'"101259571653026_253689226410059","parent_id":"101259571653026_253689226410059","created_time":'
        b'1703332800,"from":{"id":"987654321","name":"A Person"},"message":"Finns den h\\u00e4r?"}}]}]}'
    )
    r = await client.post(PATH, data=body, headers={"X-Hub-Signature-256": sign(body)})
    assert r.status == 200
    ev = sink.events["fb:comment:253689226410059_987654321"]
    assert ev.object["message"] == "Finns den här?" and ev.object["parent_id"] is None
    assert ev.actor.type == "person"


async def test_profile_changes_and_removals_become_events(client: Any, sink: Any) -> None:
    body = orjson.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "101259571653026",
                    "time": 1703332801,
                    "changes": [
                        {"field": "name", "value": "Free Crypto"},
                        {"field": "website", "value": {"new_value": "https://evil.example"}},
                        {
                            "field": "feed",
                            "value": {"item": "status", "verb": "remove", "post_id": "101259571653026_1"},
                        },
                        {
                            "field": "feed",
                            "value": {"item": "comment", "verb": "hide", "comment_id": "1_2", "post_id": "x_1"},
                        },
                        {
                            "field": "feed",
                            "value": {
                                "item": "reaction",
                                "verb": "add",
                                "post_id": "x_1",
                                "reaction_type": "angry",
                                "from": {"id": "5"},
                            },
                        },
                        {"field": "ratings", "value": {}},
                    ],
                }
            ],
        }
    )
    r = await client.post(PATH, data=body, headers={"X-Hub-Signature-256": sign(body)})
    assert r.status == 200
    kinds = sorted(e.kind for e in sink.events.values())
    assert kinds == ["comment.hidden", "page.changed", "page.changed", "post.deleted", "reaction.created"]
    names = {e.object["new"] for e in sink.kinds("page.changed")}
    assert names == {"Free Crypto", "https://evil.example"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**62), 2**62) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "object",
                    "entry",
                    "id",
                    "time",
                    "changes",
                    "field",
                    "value",
                    "item",
                    "verb",
                    "post_id",
                    "comment_id",
                    "from",
                    "message",
                    "created_time",
                    "messaging",
                    "sender",
                    "recipient",
                    "mid",
                    "timestamp",
                    "parent_id",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values | st.binary(max_size=300).map(lambda b: b))
async def test_fuzzed_signed_bodies_never_answer_500(client: Any, body: Any) -> None:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    r = await client.post(PATH, data=raw, headers={"X-Hub-Signature-256": sign(raw)})
    assert r.status in (200, 400, 413)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.text(max_size=5) | st.integers(0, 10**18),
                "time": st.integers(-(10**15), 10**15) | st.text(max_size=8),
                "changes": st.lists(json_values, max_size=3),
            }
        ),
        max_size=3,
    )
)
async def test_fuzzed_delivery_shapes_are_accepted_or_refused_cleanly(client: Any, entries: Any) -> None:
    raw = orjson.dumps({"object": "page", "entry": entries})
    r = await client.post(PATH, data=raw, headers={"X-Hub-Signature-256": sign(raw)})
    assert r.status == 200
