"""The Graph client keeps the page tokens in: no error text holds one, and no token goes to a host other than
``base_url``'s, whatever URL an answer names. Against the fake Graph server and plain aiohttp servers on loopback."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
import structlog
from aiohttp import web

from sentinel.clock import SystemClock
from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.metrics import REGISTRY
from sentinel.sources.graph_client import BatchItem, ErrorKind, ForeignUrl, GraphClient, GraphError, redact
from sentinel.sources.graph_config import SourcesConfig
from sentinel.testing import FakeClock
from sentinel.testing.graph import FakeGraph, poll_until
from sentinel.testing.graph_life import Step, apply, new_page

PAGE_ID = "2001"
TOKEN = "EAABsecretPAGEtoken0123456789abcdef"
OTHER_TOKEN = "EAABanotherPAGEtoken9876543210zyxw"
APP_SECRET = "app-secret-0123456789abcdef"
FROM = {"id": "78", "name": "Cy"}


@contextlib.asynccontextmanager
async def server(handler: Any) -> AsyncIterator[tuple[str, list[str]]]:
    """An aiohttp server answering every request with ``handler``; yields its base URL and the requests it got."""
    got: list[str] = []

    async def record(request: web.Request) -> web.StreamResponse:
        got.append(request.path_qs)
        return await handler(request)  # type: ignore[no-any-return]

    app = web.Application()
    app.router.add_route("*", "/{p:.*}", record)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}", got
    finally:
        await runner.cleanup()


def envelope(code: int, message: str) -> web.Response:
    err = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEfGh123"}
    return web.json_response({"error": err}, status=400)


# -- redaction ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "secrets", "expected"),
    [
        (f"Malformed access token {TOKEN}", [TOKEN], "Malformed access token [token]"),
        (
            "bad: https://x/v21.0/1?access_token=abc123&fields=id",
            [],
            "bad: https://x/v21.0/1?access_token=[token]&fields=id",
        ),
        ("debug_token?input_token=zzz&x=1", [], "debug_token?input_token=[token]&x=1"),
        (f"token {OTHER_TOKEN} seen", [], "token [token] seen"),  # shaped like a Meta token, not configured
        ("quoted app%2Fsecret-0123456789abcdef", ["app/secret-0123456789abcdef"], "quoted [token]"),
        ("the token is tok", ["tok"], "the token is tok"),  # too short to search for: it would cut up words
        ("Session has expired on Sunday.", [TOKEN], "Session has expired on Sunday."),
    ],
)
def test_redact_replaces_secrets_credentials_in_queries_and_token_shapes(
    text: str, secrets: list[str], expected: str
) -> None:
    assert redact(text, secrets) == expected


async def test_a_code_190_echoing_the_token_is_an_auth_error_without_the_token() -> None:
    """Meta's wording for a malformed token quotes it; the error (message and str) says the token is bad, not what
    it is. Through a GET and through a batch's inner answers alike."""
    graph = FakeGraph(SystemClock())
    graph.add_page(new_page(PAGE_ID, "Druvan"), TOKEN)
    graph.malformed.add(TOKEN)
    async with graph.serve() as url, aiohttp.ClientSession() as session:
        client = GraphClient(SourcesConfig(base_url=url), session, SystemClock())
        with pytest.raises(GraphError) as caught:
            await client.get(PAGE_ID, {"fields": "id"}, TOKEN, key=PAGE_ID)
        inner = await client.batch([BatchItem(f"{PAGE_ID}?fields=id")], TOKEN, key=PAGE_ID)
    assert caught.value.kind is ErrorKind.AUTH
    assert caught.value.message == "Malformed access token [token]"
    assert TOKEN not in str(caught.value)
    assert isinstance(inner[0], GraphError) and inner[0].message == "Malformed access token [token]"


async def test_an_error_naming_a_url_with_an_access_token_holds_no_token() -> None:
    """An error text that quotes a request URL: its ``access_token`` (whatever token it is), the call's token and the
    app secret are all replaced."""

    async def answer(request: web.Request) -> web.Response:
        tok = request.query.get("access_token", "?")
        return envelope(
            100, f"Invalid parameter: https://graph.facebook.com/v21.0/1?access_token={tok}&fields=id ({APP_SECRET})"
        )

    async with server(answer) as (url, _), aiohttp.ClientSession() as session:
        config = SourcesConfig(base_url=url, app_secret=Secret(APP_SECRET))
        client = GraphClient(config, session, SystemClock())
        with pytest.raises(GraphError) as caught:
            await client.get(PAGE_ID, {}, "short-tok", key=PAGE_ID)  # too short to search for; still in a query
    text = str(caught.value)
    assert "short-tok" not in text and APP_SECRET not in text
    assert "access_token=[token]&fields=id ([token])" in caught.value.message


async def test_the_source_error_event_of_a_malformed_token_says_the_token_is_bad_without_it(
    clock: FakeClock, sink: Any
) -> None:
    graph = FakeGraph(clock)
    graph.add_page(new_page(PAGE_ID, "Druvan"), TOKEN)
    graph.malformed.add(TOKEN)
    pages = [PageConfig(id="druvan", page_id=PAGE_ID, access_token=Secret(TOKEN))]
    async with graph.serve() as url:
        await poll_until(SourcesConfig(base_url=url), pages, clock, sink, clock.now() + timedelta(minutes=2))
    [error] = sink.kinds("source.error")
    assert error.object["code"] == 190
    assert error.object["message"] == "Malformed access token [token]"
    assert all(TOKEN not in str(e.to_json()) for e in sink.events.values())


# -- links to other hosts ------------------------------------------------------------------------------------------


class ForeignPaging(FakeGraph):
    """Names every next page on ``foreign`` (without the token in it: one added there would be the client's)."""

    foreign = ""

    def _url(self, node: str, edge: str, query: dict[str, str]) -> str:
        q = {k: v for k, v in query.items() if k != "access_token"}
        return f"{self.foreign}/{self.version}/{node}/{edge}?{urlencode(q)}"


def foreign_refusals() -> float:
    return REGISTRY.get_sample_value("sentinel_source_errors_total", {"source": "graph", "code": "foreign_url"}) or 0.0


async def test_a_next_page_on_another_host_is_not_followed_and_gets_no_token(clock: FakeClock, sink: Any) -> None:
    """The feed and a post's comments name their next pages on another host: the first pages are read, the other
    host receives nothing, a warning names the host and path (not the query) once, and each refusal is counted."""

    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"data": []})

    graph = ForeignPaging(clock)
    page = new_page(PAGE_ID, "Druvan")
    graph.add_page(page, TOKEN)
    t = clock.now() - timedelta(minutes=30)
    for i in range(2):
        apply(
            page,
            Step(t + timedelta(minutes=i), PAGE_ID, "post", {"id": f"{PAGE_ID}_{i}", "message": "hi", "from": FROM}),
        )
    for i in range(3):
        args = {"post_id": f"{PAGE_ID}_1", "id": f"c_{i}", "message": f"comment {i}", "from": FROM}
        apply(page, Step(t + timedelta(minutes=5 + i), PAGE_ID, "comment", args))
    config = SourcesConfig.model_validate(
        {"base_url": "", "poll": {"feed_limit": 1, "comments_limit": 2, "reactions": False}}
    )
    pages = [PageConfig(id="druvan", page_id=PAGE_ID, access_token=Secret(TOKEN))]
    before = foreign_refusals()
    async with server(answer) as (foreign, got), graph.serve() as url:
        graph.foreign = foreign
        config = config.model_copy(update={"base_url": url})
        with structlog.testing.capture_logs() as logs:
            await poll_until(config, pages, clock, sink, clock.now() + timedelta(minutes=3))
    assert got == []
    assert {e.id for e in sink.kinds("post.created")} == {f"fb:post:{PAGE_ID}_1"}  # the first page of the feed
    assert {e.id for e in sink.kinds("comment.created")} == {"fb:comment:c_2", "fb:comment:c_1"}
    warned = [r for r in logs if r["event"] == "graph.foreign_url_refused"]
    assert [r["url"] for r in warned] == [f"{foreign}/v21.0/{PAGE_ID}/feed"]  # once for the host; no query
    assert foreign_refusals() - before >= 2


@pytest.mark.parametrize("mangle", ["scheme", "port", "host"])
async def test_the_client_sends_no_token_to_a_url_off_the_base_urls_scheme_host_or_port(mangle: str) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"data": []})

    async with server(answer) as (url, got), server(answer) as (other, other_got), aiohttp.ClientSession() as s:
        client = GraphClient(SourcesConfig(base_url=url), s, SystemClock())
        port = url.rsplit(":", 1)[1]
        target = {
            "scheme": url.replace("http://", "https://"),
            "port": other,
            "host": f"http://localhost:{port}",
        }[mangle]
        with pytest.raises(ForeignUrl) as caught:
            await client.get(f"{target}/v21.0/{PAGE_ID}/feed?after=x", {}, TOKEN, key=PAGE_ID)
        assert "after" not in str(caught.value)
        assert await client.get(f"{url}/v21.0/{PAGE_ID}/feed?after=x", {}, TOKEN, key=PAGE_ID) == {"data": []}
    assert other_got == []
    assert got == [f"/v21.0/{PAGE_ID}/feed?after=x&access_token={TOKEN}"]  # the same host is called, as before
