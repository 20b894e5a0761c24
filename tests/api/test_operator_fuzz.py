"""Random bodies, headers and paths thrown at the operator API: never a 500, never a hang."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinel.testing.operator import ELKS_TOKEN, OPERATOR_TOKEN, Harness, operator_harness

PATHS = [
    "/api/v1/incidents",
    "/api/v1/incidents/{inc}",
    "/api/v1/incidents/{inc}/ack",
    "/api/v1/incidents/{inc}/resolve",
    "/api/v1/incidents/{inc}/snooze",
    "/api/v1/silences",
    "/api/v1/silences/{x}",
    "/api/v1/maintenance",
    "/api/v1/maintenance/{x}",
    "/api/v1/openapi.json",
    "/api/v1/sms/twilio",
    f"/api/v1/sms/46elks/{ELKS_TOKEN}",
    "/api/v1/sms/46elks/{x}",
    "/ack/{x}",
    "/ack/{x}.{x}",
]
segment = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#%"), max_size=30)
scalar = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False) | st.text(max_size=40)
json_value = st.recursive(
    scalar, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=4), max_leaves=12
)
keys = st.sampled_from(
    [
        "person",
        "code",
        "for",
        "until",
        "starts",
        "ends",
        "matchers",
        "page",
        "comment",
        "MessageSid",
        "From",
        "Body",
        "id",
        "from",
        "message",
        "action",
    ]
)
body = st.one_of(
    st.binary(max_size=300),
    st.dictionaries(keys, json_value, max_size=6).map(lambda d: json.dumps(d).encode()),
    st.dictionaries(keys, st.text(max_size=30), max_size=6).map(
        lambda d: "&".join(f"{k}={v}" for k, v in d.items()).encode("utf-8", "surrogatepass")
    ),
)
header_value = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Authorization": st.one_of(header_value, st.just(f"Bearer {OPERATOR_TOKEN}")),
        "Content-Type": st.sampled_from(
            [
                "application/json",
                "application/x-www-form-urlencoded",
                "text/plain",
                "multipart/form-data",
                "application/json; charset=latin-1",
            ]
        ),
        "X-Twilio-Signature": header_value,
    },
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[asyncio.AbstractEventLoop, Harness, str]]:
    loop = asyncio.new_event_loop()
    cm = operator_harness(Path(tmp_path_factory.mktemp("fuzz")))
    h = loop.run_until_complete(cm.__aenter__())
    inc = loop.run_until_complete(h.open_incident())
    try:
        yield loop, h, inc
    finally:
        loop.run_until_complete(cm.__aexit__(None, None, None))
        loop.close()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT"]),
    path=st.sampled_from(PATHS),
    x=segment,
    body=body,
    headers=headers,
    advance=st.integers(0, 4000),
)
def test_random_requests_never_get_a_500_or_hang(served, method, path, x, body, headers, advance):
    loop, h, inc = served
    h.clock.advance(advance)
    url = path.replace("{inc}", inc if x == "" else x).replace("{x}", x)

    async def one() -> int:
        async with h.client.request(method, url, data=body, headers=headers) as r:
            await r.read()
            return r.status

    status = loop.run_until_complete(asyncio.wait_for(one(), timeout=5))
    assert status < 500, (method, url, headers, body[:100])
