"""The pages view against a real daemon: page ``druvan`` polled from a fake Graph API whose token has expired,
page ``norrsken`` fed by ingest with customer questions, one answered, one overdue, one not yet due. The view
shows each page's last event, its source's health (the refused token, the calls of the last hour, what
``/readyz`` says) and the SLA work list with deadlines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from console_env import INGEST, PEOPLE, START, Browser, Env, config_text, enroll

from sentinel.clock import SystemClock
from sentinel.model import Actor
from sentinel.testing import event
from sentinel.testing.daemon import free_port, sentinel_daemon
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import new_page
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.asyncio(loop_scope="module")

PAGE_TOKEN = "EAAB-console-pages-page-token"
CUSTOMER = Actor(id="501", name="Kund Karlsson", type="person")
PAGE = Actor(id="900", name="Norrsken", type="page")


def pages_config(workdir: Path, port: int, hook: str, graph: str) -> str:
    text = config_text(workdir, port, hook)
    more = f"""    page_id: "1000001"
    access_token: {PAGE_TOKEN}
  - id: norrsken
    name: Norrsken Hem
    timezone: Europe/Stockholm
    response_sla: 1h
sources:
  base_url: {graph}
people:
"""
    return text.replace("people:\n", more, 1)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def env(tmp_path_factory: Any) -> AsyncIterator[Env]:
    workdir: Path = tmp_path_factory.mktemp("console-pages")
    totp = await enroll(workdir, PEOPLE)
    fake = FakeGraph(SystemClock())
    fake.add_page(new_page("1000001", "Druvan"), PAGE_TOKEN)
    fake.expired.add(PAGE_TOKEN)  # every read: error 190
    runner = web.AppRunner(fake.app(), handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    graph_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with serve(KeyedFake()) as (hook, hook_url):
            port = free_port()
            cfg = workdir / "sentinel.yaml"
            cfg.write_text(pages_config(workdir, port, hook_url, graph_url))
            env = {"SENTINEL_TEST_CLOCK": START.isoformat()}
            async with sentinel_daemon(cfg, port, INGEST, env=env, ready=False) as daemon:
                e = Env(daemon, totp, hook, workdir)

                def ask(n: int, ago: timedelta, text: str) -> Any:
                    return event(
                        "comment.created",
                        START - ago,
                        page="norrsken",
                        id=f"pages:q{n}",
                        actor=CUSTOMER,
                        comment_id=f"c{n}",
                        post_id="900_1",
                        message=text,
                    )

                answer = event(
                    "comment.created",
                    START - timedelta(minutes=80),
                    page="norrsken",
                    id="pages:a1",
                    actor=PAGE,
                    comment_id="c9",
                    parent_id="c1",
                    post_id="900_1",
                    message="Ja, 10-16.",
                )
                await daemon.post_events(
                    [
                        ask(1, timedelta(minutes=90), "Har ni öppet på söndag?"),
                        answer,
                        ask(2, timedelta(hours=2), "Var är min beställning? Ring mig."),
                        ask(3, timedelta(minutes=10), "Do you ship to Norway?"),
                    ]
                )
                await e.advance(timedelta(seconds=1))
                yield e
    finally:
        await runner.cleanup()


async def read(browser: Browser, path: str) -> str:
    status, html, _ = await browser.get(path)
    assert status == 200, html[-800:]
    return html


async def test_the_pages_view_shows_an_expired_token_and_readyz_not_ready(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("vera") == 303

    async def failing() -> str | None:
        _, html, _ = await browser.get("/pages")
        return html if "the token was refused" in html else None

    html = await env.daemon.until("the refused token on /pages", failing)
    druvan = html[html.index('href="/pages/druvan"') :].split("</tr>")[0]
    assert "failing" in druvan and "error 190" in druvan
    assert "calls in the last hour" in druvan
    assert "sources <b><span class=critical>NOT READY" in html and "store <b>ok" in html
    status, page, _ = await browser.get("/pages/druvan")
    assert status == 200 and "refused: expired or revoked" in page


async def test_the_pages_view_shows_the_last_event_and_the_sla_work_list(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("vera") == 303  # a viewer may read the pages view
    html = await read(browser, "/pages")
    norrsken = html[html.index('href="/pages/norrsken"') :].split("</tr>")[0]
    assert "comment.created" in norrsken and "not polled" in norrsken
    cells = norrsken.split("<td>")
    assert cells[4].startswith("2") and "critical>1<" in cells[5], cells  # two open, one overdue
    page = await read(browser, "/pages/norrsken")
    work = page[page.index("id=work-list") :]
    assert "Var är min beställning" in work and "Do you ship to Norway" in work
    assert "Har ni öppet" not in work  # answered by the page in its thread
    assert work.index("Var är min beställning") < work.index("Do you ship to Norway")  # oldest deadline first
    assert "Waiting for an answer (2, 1 overdue)" in page
    assert "2025-09-26 22:30:00 CEST" in work  # the 21:30 question's deadline, one hour on (page time)
    assert 'href="https://www.facebook.com/900_1?comment_id=c2"' in work


async def test_an_unknown_page_is_refused_with_404(env: Env, browser: Browser) -> None:
    assert await browser.sign_in("vera") == 303
    for pid in ("nope", "%3Cscript%3E", "a" * 300):
        status, html, _ = await browser.get(f"/pages/{pid}")
        assert status == 404 and "<script>" not in html, (pid, status)
