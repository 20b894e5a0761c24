"""``sentinel sources check`` against the fake Graph server."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from sentinel.commands import sources as cmd
from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.sources.graph_config import SourcesConfig
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import new_page


async def test_check_reports_missing_permissions_and_tasks(fake: tuple[FakeGraph, str]) -> None:
    graph, url = fake
    graph.add_page(new_page("1", "Druvan"), "tok-secret-1")
    graph.scopes.remove("pages_manage_metadata")
    graph.tasks = ["CREATE_CONTENT", "ANALYZE"]
    pages = [PageConfig(id="druvan", page_id="1", access_token=Secret("tok-secret-1"))]
    (res,) = await cmd.check_pages(SourcesConfig(base_url=url), pages)
    text = "\n".join(res.lines)
    assert not res.ok
    assert "missing permission pages_manage_metadata" in text
    assert "missing task MANAGE" in text and "missing task MODERATE" in text
    assert "tok-secret-1" not in text
    assert graph.calls == 2  # one HTTP request: a batch of two


async def test_check_passes_a_complete_token_and_names_an_expired_one(fake: tuple[FakeGraph, str]) -> None:
    graph, url = fake
    graph.add_page(new_page("1", "Druvan"), "good")
    graph.add_page(new_page("2", "Other"), "old")
    graph.expired.add("old")
    pages = [
        PageConfig(id="a", page_id="1", access_token=Secret("good")),
        PageConfig(id="b", page_id="2", access_token=Secret("old")),
    ]
    a, b = await cmd.check_pages(SourcesConfig(base_url=url), pages)
    assert a.ok and not b.ok
    assert any("190" in line and "expired" in line for line in b.lines)


def test_run_with_a_bad_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("pages:\n  - id: x\n    pagez: 1\n")
    assert cmd.run(argparse.Namespace(config=str(cfg))) == 2
    assert "c.yaml:3" in capsys.readouterr().err


def test_register_adds_the_check_subcommand() -> None:
    parser = argparse.ArgumentParser()
    cmd.register(parser.add_subparsers())
    args: Any = parser.parse_args(["sources", "check", "--config", "x.yaml"])
    assert args.func is cmd.run and args.config == "x.yaml"


async def test_check_names_a_page_whose_reactions_would_reach_no_one(fake: tuple[FakeGraph, str]) -> None:
    """With an ``app_secret`` the poller leaves reactions to the webhooks: a page the token's app is not subscribed
    to (or not to its feed) would give ``crisis.angry_reactions`` nothing, and the check says so."""
    graph, url = fake
    subscriptions: dict[str, dict[str, list[str]]] = {"1": {}, "2": {"1234": ["messages"]}, "3": {"1234": ["feed"]}}
    for page_id, subscribed in subscriptions.items():  # 1234: the app the fake's tokens belong to
        page = new_page(page_id, f"Page {page_id}")
        page.subscribed = subscribed
        graph.add_page(page, f"tok-{page_id}")
    pages = [PageConfig(id=p, page_id=p, access_token=Secret(f"tok-{p}")) for p in ("1", "2", "3")]
    hooked = SourcesConfig(base_url=url, app_secret=Secret("s3cret"))
    none, other_fields, fine = await cmd.check_pages(hooked, pages)
    assert not none.ok and any("app 1234 is not subscribed to this page's webhooks" in line for line in none.lines)
    assert not other_fields.ok and any("without its feed field" in line for line in other_fields.lines)
    assert any("poll.reactions: true" in line for line in none.lines + other_fields.lines)
    assert fine.ok and any("reactions: by webhook" in line for line in fine.lines)
    polled = await cmd.check_pages(SourcesConfig(base_url=url), pages[:1])
    assert polled[0].ok and any("counted by polling" in line for line in polled[0].lines)
