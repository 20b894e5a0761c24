"""A Graph answer is read up to a bound: an endpoint at ``base_url`` that answers ``Content-Length: 3000000000`` and
streams is a failed (transient) read, not the daemon's memory filled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from sentinel.sources.graph_client import ANSWER_LIMIT, BatchItem, ErrorKind, GraphClient, GraphError
from sentinel.sources.graph_config import SourcesConfig
from sentinel.testing import T0, FakeClock
from sentinel.testing.providers import KeyedFake, Reply, serve

FLOOD = ANSWER_LIMIT * 6


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def test_an_answer_longer_than_the_limit_is_a_transient_error_and_the_rest_is_not_read(
    session: aiohttp.ClientSession,
) -> None:
    async with serve(KeyedFake()) as (fake, url):  # answers a POST to any path: the batch endpoint
        fake.script(Reply(flood=FLOOD))
        config = SourcesConfig(base_url=url, request_timeout=timedelta(seconds=10))
        client = GraphClient(config, session, FakeClock(T0))
        with pytest.raises(GraphError) as caught:
            await client.batch([BatchItem("2001/feed")], "EAAB-token-0123456789abcdefghij", key="druvan")
        assert caught.value.kind is ErrorKind.TRANSIENT
        assert "longer than 32 MiB" in caught.value.message
        assert fake.flooded < ANSWER_LIMIT * 2
