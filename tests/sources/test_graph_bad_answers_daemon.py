"""A real ``sentinel run`` polling the fake Graph server on loopback with answers it cannot fully digest: a year-1 post
does not blind the page to a hijack in the same read, and a comment dated 2099 does not hide the ones after it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sentinel.clock import SystemClock
from sentinel.security.tokens import hash_token
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon
from sentinel.testing.graph import FakeGraph, retimed, roles_as
from sentinel.testing.graph_life import TASKS_ADMIN, FPage, Step, apply, new_page
from sentinel.testing.providers import KeyedFake, Received, serve

pytestmark = pytest.mark.slow

TOKEN = "bad-answers-ingest-token"
PAGE_TOKEN = "EAAB-bad-answers-page-token"
PAGE_ID = "1000001"
CY = {"id": "78", "name": "Cy"}


@pytest.fixture
async def graph() -> AsyncIterator[tuple[FakeGraph, FPage, str]]:
    fake = FakeGraph(SystemClock(), calls_per_hour=10**6)
    page = new_page(PAGE_ID, "Druvan")
    fake.add_page(page, PAGE_TOKEN)
    async with fake.serve() as url:
        yield fake, page, url


def write_config(tmp_path: Path, port: int, graph_url: str, hook: str) -> Path:
    """Page druvan polled every few seconds at ``graph_url``; erik paged for a hijack at ``hook``."""
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: UTC
    page_id: "{PAGE_ID}"
    access_token: {PAGE_TOKEN}
sources:
  base_url: {graph_url}
  request_timeout: 3s
  stale_after: 1m
  poll:
    security: {{min: 1s, max: 2s}}
    feed: {{min: 1s, max: 2s}}
    conversations: {{min: 1s, max: 2s}}
    reactions: false
  budget: {{max_calls_per_page_hour: 7200}}
people:
  - name: erik
    channels: [webhook]
escalation:
  group_wait: 0s
  policies:
    - name: hijack
      steps:
        - targets: [{{person: erik}}]
          channels: [webhook]
  routes:
    - {{category: hijack, policy: hijack}}
notify:
  delivery: {{backoff_initial: 0.05s, backoff_max: 0.1s}}
  channels:
    webhook: {{type: webhook, url: "{hook}/hook"}}
security:
  secret_key: bad-answers-secret-key-0123456789abcdef
  operator_tokens: [{{name: ops, hash: "{hash_token("snt_bad-answers-operator-token-0123456789")}"}}]
"""
        + daemon_settings(tmp_path, port)
    )
    return cfg


def stored(tmp_path: Path) -> dict[str, str]:
    """The stored events' kinds by id."""
    con = sqlite3.connect(str(tmp_path / "sentinel.db"))
    try:
        return {i: k for i, k in con.execute("SELECT id, kind FROM events")}
    except sqlite3.OperationalError:  # not created yet
        return {}
    finally:
        con.close()


def act(page: FPage, action: str, at: datetime | None = None, **args: Any) -> None:
    apply(page, Step(at or datetime.now(UTC), PAGE_ID, action, args))


def records(daemon: Daemon, event_name: str) -> list[dict[str, Any]]:
    return [r for r in daemon.log_records() if r.get("event") == event_name]


def pages_to(hook: KeyedFake, path: str) -> list[Any]:
    return [r.json for r in hook.delivered if isinstance(r, Received) and r.path == path]


async def test_a_year_1_post_in_the_feed_does_not_blind_the_page_to_a_manage_grant(
    tmp_path: Path, graph: tuple[FakeGraph, FPage, str]
) -> None:
    fake, page, graph_url = graph
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        async with sentinel_daemon(write_config(tmp_path, port, graph_url, hook_url), port, TOKEN) as daemon:
            await daemon.until("the first read", lambda: records(daemon, "graph.started") and fake.calls >= 1)
            fake.rewrite = retimed(f"{PAGE_ID}_7001", "0001-01-01T00:00:00+0100")
            act(page, "post", id=f"{PAGE_ID}_7001", message="odd post", **{"from": CY})
            act(page, "grant", user="666", name="Mr X", tasks=["MANAGE"])
            await daemon.until("the grant stored", lambda: "role.granted" in stored(tmp_path).values())
            await daemon.until("erik paged", lambda: pages_to(hook, "/hook"))
            await daemon.until("the odd post stored", lambda: f"fb:post:{PAGE_ID}_7001" in stored(tmp_path))
            assert await daemon.ready()
            assert not records(daemon, "graph.visit_failed") and not records(daemon, "graph.read_crashed")
            assert "source.error" not in stored(tmp_path).values()


async def test_comments_after_one_dated_2099_are_all_stored(
    tmp_path: Path, graph: tuple[FakeGraph, FPage, str]
) -> None:
    _fake, page, graph_url = graph
    pid = f"{PAGE_ID}_7001"
    act(page, "post", id=pid, message="hello", **{"from": CY})
    async with serve(KeyedFake()) as (_hook, hook_url):
        port = free_port()
        async with sentinel_daemon(write_config(tmp_path, port, graph_url, hook_url), port, TOKEN) as daemon:
            await daemon.until("the post stored", lambda: f"fb:post:{pid}" in stored(tmp_path))
            act(
                page,
                "comment",
                at=datetime(2099, 1, 1, tzinfo=UTC),
                id="c-future",
                post_id=pid,
                message="x",
                **{"from": CY},
            )
            await daemon.until("the 2099 comment stored", lambda: "fb:comment:c-future" in stored(tmp_path))
            for n in range(3):
                act(page, "comment", id=f"c{n}", post_id=pid, message=f"later {n}", **{"from": CY})
                await daemon.until(f"comment {n} stored", lambda n=n: f"fb:comment:c{n}" in stored(tmp_path))


def graph_state(tmp_path: Path) -> dict[str, Any]:
    """druvan's saved poller state ({} before the first save)."""
    con = sqlite3.connect(str(tmp_path / "sentinel.db"))
    try:
        row = con.execute("SELECT state FROM graph_page_state WHERE page = 'druvan'").fetchone()
    except sqlite3.OperationalError:
        row = None
    finally:
        con.close()
    return json.loads(row[0]) if row else {}


async def test_a_page_relinked_to_another_graph_page_starts_over_instead_of_reporting_a_takeover(
    tmp_path: Path, graph: tuple[FakeGraph, FPage, str]
) -> None:
    """A page whose ``page_id`` is changed (a page migrated, a wrong id corrected) was read after the restart against
    the old page's snapshot: every admin of the new page granted, the old owner removed, the name and website
    changed, the old posts deleted; at night, a critical hijack for nothing but a new link."""
    fake, page, graph_url = graph
    new_id, new_token = "1000002", "EAAB-bad-answers-new-page-token"
    other = new_page(new_id, "Druvan Vinbar")
    other.roles = {"9100": ("Ny Ägare", TASKS_ADMIN), "9101": ("Byrån", ["CREATE_CONTENT"])}
    other.settings["website"] = "https://druvan-vinbar.example"
    fake.add_page(other, new_token)
    act(page, "post", id=f"{PAGE_ID}_7100", message="Välkomna!", **{"from": {"id": PAGE_ID, "name": "Druvan"}})
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = write_config(tmp_path, port, graph_url, hook_url)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            await daemon.until("the old page read", lambda: graph_state(tmp_path).get("access"))
            await daemon.until("its post stored", lambda: f"fb:post:{PAGE_ID}_7100" in stored(tmp_path))
        cfg.write_text(cfg.read_text().replace(f'"{PAGE_ID}"', f'"{new_id}"').replace(PAGE_TOKEN, new_token))
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            await daemon.until("the new page read", lambda: "9100" in str(graph_state(tmp_path).get("access")))
            kinds = set(stored(tmp_path).values())
            assert not kinds & {"role.granted", "role.revoked", "page.changed", "post.deleted"}, kinds
            assert records(daemon, "graph.page_relinked")[0]["now"] == new_id
            act(other, "grant", user="666", name="Mr X", tasks=["MANAGE"])  # the new page is watched from here
            await daemon.until("the grant stored", lambda: "role.granted" in stored(tmp_path).values())
            await daemon.until("erik paged", lambda: pages_to(hook, "/hook"))
        assert graph_state(tmp_path)["graph_id"] == new_id


async def test_roles_left_out_empty_or_cut_short_by_the_platform_are_no_owners_removed(
    tmp_path: Path, graph: tuple[FakeGraph, FPage, str]
) -> None:
    """An attacker's fake Graph left ``roles`` out of one answer, or sent them empty: the poller read "no admins",
    paged a critical ``hijack.admin_removed`` for the owner, and ``manage_granted`` when the roles came back. A
    roles list with a next page lost everyone on it. A page always has a full admin: such an answer is judged
    unread, and who is on an unread page of the list is not removed. And the list is read to its last page: a
    stranger given full control of a page with a hundred roles is on the second, and was never seen."""
    fake, page, graph_url = graph
    page.roles["9002"] = ("Second Owner", TASKS_ADMIN)
    page.roles.update({str(9100 + i): (f"Moderator {i}", ["MODERATE"]) for i in range(100)})
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        async with sentinel_daemon(write_config(tmp_path, port, graph_url, hook_url), port, TOKEN) as daemon:
            await daemon.until("the roles read", lambda: "9002" in str(graph_state(tmp_path).get("access")))
            cut = {"paging": {"next": f"https://graph.evil.example/v19.0/{PAGE_ID}/roles?after=x"}}  # not followed
            for edit in (
                lambda b: None,
                lambda b: {"data": []},
                lambda b: {**b, "data": [r for r in b["data"] if r["id"] != "9001"], **cut},
            ):
                fake.rewrite = roles_as(edit)
                reads = len(fake.calls_of(PAGE_ID, tripwire=True))
                await daemon.until("a roles read", lambda r=reads: len(fake.calls_of(PAGE_ID, tripwire=True)) > r)
            fake.rewrite = None
            act(page, "grant", user="666", name="Mr X", tasks=["MANAGE"])  # the 103rd role: on the second page
            await daemon.until("the grant stored", lambda: "role.granted" in stored(tmp_path).values())
            kinds = list(stored(tmp_path).values())
            assert kinds.count("role.granted") == 1 and "role.revoked" not in kinds, kinds
            assert {r["roles"] for r in records(daemon, "graph.roles_unread")} == {False, True}  # left out; empty
            await daemon.until("erik paged", lambda: pages_to(hook, "/hook"))


async def test_a_stop_for_the_apps_usage_is_logged_when_it_starts(tmp_path: Path) -> None:
    """An answer with X-App-Usage at 100 % stops every read for five minutes; nothing said so. Here the fake Graph's
    app budget is two calls an hour, so its third answer says 100 %."""
    fake = FakeGraph(SystemClock(), calls_per_hour=10**6, app_calls_per_hour=2)
    fake.add_page(new_page(PAGE_ID, "Druvan"), PAGE_TOKEN)
    async with fake.serve() as graph_url, serve(KeyedFake()) as (_, hook_url):
        port = free_port()
        async with sentinel_daemon(write_config(tmp_path, port, graph_url, hook_url), port, TOKEN) as daemon:
            paused = (await daemon.until("the stop logged", lambda: records(daemon, "graph.usage_paused")))[0]
            assert (paused["scope"], paused["usage"]) == ("app", 100.0)
            until = datetime.fromisoformat(paused["until"])
            assert (
                240
                < (until - datetime.fromisoformat(paused["timestamp"].replace("Z", "+00:00"))).total_seconds()
                <= 300
            )
