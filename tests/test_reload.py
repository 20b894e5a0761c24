"""SIGHUP on the daemon process: a good new rule file takes effect; a broken one is refused, logged,
the old rules keep running, and ``sentinel_config_last_reload_successful`` reads 0. A config that would take the
loader down (nested too deep, an alias bomb) is refused the same way, at once: the daemon serves on and stops on
SIGTERM."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from sentinel.model import Event
from sentinel.testing import at, event
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon, stop_daemon

pytestmark = pytest.mark.slow

TOKEN = "reload-test-token"
APP_SECRET = "reload-app-secret-0123456789"

ALPHA = """
rules:
  - id: reload.alpha
    category: other
    severity: warning
    match: {kinds: [comment.created], when: 'object.message.contains("alpha")'}
    detect: {type: match, key: id}
    annotations: {summary: {en: "alpha seen"}}
"""
BETA = ALPHA.replace("alpha", "beta")
BROKEN = """
rules:
  - id: reload.gamma
    category: other
    severty: warning
    match: {kinds: [comment.created], when: 'object.message.contains("gamma")'}
"""

# "billion laughs": l7 stands for 9**8 values
LAUGHS = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9 if i else ['"x"'] * 9) + "]\n" for i in range(8))


def fired(daemon: Daemon, rule: str) -> set[str]:
    """Ids of the events that fired ``rule`` (from the alerts table)."""
    db = daemon.log.with_name("sentinel.db")
    if not db.exists():
        return set()
    conn = sqlite3.connect(db, timeout=5)
    try:
        rows = conn.execute("SELECT body FROM alerts WHERE rule = ? AND status = 'firing'", (rule,)).fetchall()
    except sqlite3.OperationalError:  # not migrated yet
        return set()
    finally:
        conn.close()
    return {orjson.loads(r[0])["labels"]["key"] for r in rows}


async def hup_and_wait(daemon: Daemon, log_event: str) -> dict[str, Any]:
    seen = len(daemon.log_records())
    daemon.proc.send_signal(signal.SIGHUP)
    return await daemon.until(
        f"log event {log_event!r}",
        lambda: next((r for r in daemon.log_records()[seen:] if r.get("event") == log_event), None),
    )


@pytest.fixture
async def daemon(tmp_path: Path) -> AsyncIterator[Daemon]:
    port = free_port()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "alpha.yaml").write_text(ALPHA)
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        "pages:\n  - id: druvan\n"
        + daemon_settings(tmp_path, port)
        + f"""sources: {{app_secret: {APP_SECRET}, verify_token: v}}
rules:
  dirs: [{tmp_path / "rules"}]
  include_shipped: false
"""
    )
    async with sentinel_daemon(cfg, port, TOKEN) as d:
        yield d


def comment(n: int, text: str) -> Event:
    return event("comment.created", at(f"{n}m"), id=f"reload:{n}", message=text, post_id="p1", comment_id=f"c{n}")


async def test_sighup_loads_a_good_rule_file_and_refuses_a_broken_one_keeping_the_old_rules(
    tmp_path: Path, daemon: Daemon
) -> None:
    # before: only alpha is loaded; a beta comment processed ahead of an alpha one fires nothing
    await daemon.post_events([comment(1, "beta before"), comment(2, "alpha one")])
    await daemon.until("alpha alert", lambda: "reload:2" in fired(daemon, "reload.alpha"))
    assert fired(daemon, "reload.beta") == set()

    # a good new rule file takes effect
    (tmp_path / "rules" / "beta.yaml").write_text(BETA)
    done = await hup_and_wait(daemon, "app.reloaded")
    assert done["rules"] == 2
    assert await daemon.metric("sentinel_config_last_reload_successful") == 1
    await daemon.post_events([comment(3, "beta after")])
    await daemon.until("beta alert", lambda: "reload:3" in fired(daemon, "reload.beta"))

    # a broken one is refused with the reason logged; the metric says so
    (tmp_path / "rules" / "broken.yaml").write_text(BROKEN)
    refused = await hup_and_wait(daemon, "app.reload_refused")
    reason = " ".join(refused["issues"])
    assert "broken.yaml:5:" in reason and "severty" in reason, reason
    assert await daemon.metric("sentinel_config_last_reload_successful") == 0

    # ... and the rules that ran before keep running
    await daemon.post_events([comment(4, "gamma"), comment(5, "beta again"), comment(6, "alpha again")])
    await daemon.until("alpha alert after the refused reload", lambda: "reload:6" in fired(daemon, "reload.alpha"))
    assert "reload:5" in fired(daemon, "reload.beta")
    assert fired(daemon, "reload.gamma") == set()
    assert daemon.proc.returncode is None


async def test_sighup_with_a_config_too_deep_or_an_alias_bomb_is_refused_at_once_and_the_old_config_runs_on(
    tmp_path: Path, daemon: Daemon
) -> None:
    cfg = tmp_path / "sentinel.yaml"
    good = cfg.read_text()
    lines = good.count("\n")
    bad = [
        (good + "extra: " + "[" * 1000 + "]" * 1000 + "\n", f":{lines + 1}:107: invalid YAML: nesting deeper than 100"),
        (LAUGHS + good + "extra: *l7\n", ":6:10: invalid YAML: alias *l4: aliases would expand the document by more"),
        # a value the loader chokes on (today an OverflowError, not a ConfigError): refused all the same, with
        # the file named, and no task exception left unretrieved
        (good.replace("  - id: druvan\n", "  - id: druvan\n    response_sla: 99999999999999d\n"), ""),
        # a promise that would take 84 weeks of two staffed hours a week to fall due: tracked by nobody, refused
        (
            good.replace(
                "  - id: druvan\n", "  - id: druvan\n    staffed_hours: {sat: 10:00-12:00}\n    response_sla: 1w\n"
            ),
            ":4:5: pages[0].response_sla: 7d needs 84 weeks of these staffed hours (2h a week)",
        ),
    ]
    for n, (text, reason) in enumerate(bad):
        cfg.write_text(text)
        refused = await hup_and_wait(daemon, "app.reload_refused")
        assert [r for r in refused["issues"] if str(cfg) in r and reason in r], refused
        if reason:  # the bounds: a refusal as for any mistake in the file, not a crash with its traceback
            assert "exception" not in refused, refused
        assert await daemon.metric("sentinel_config_last_reload_successful") == 0
        async with asyncio.timeout(2):
            assert await daemon.alive()
        # the old config and its rules still run
        await daemon.post_events([comment(10 + n, "alpha after a refused reload")])
        await daemon.until("alpha alert", lambda n=n: f"reload:{10 + n}" in fired(daemon, "reload.alpha"))

    log = daemon.log.read_text()
    assert "never retrieved" not in log and "RecursionError" not in log
    assert [r["event"] for r in daemon.log_records()].count("app.reload_refused") == len(bad)
    assert await stop_daemon(daemon, wait_s=5) == 0  # SIGTERM; after 5 s it would take SIGKILL (-9)


async def test_sighup_with_an_emptied_file_or_a_new_channel_is_refused_and_the_old_config_pages_on(
    tmp_path: Path, daemon: Daemon
) -> None:
    """A deploy that truncated the file would otherwise run 'all defaults': no pages, no routes, nobody paged, and
    the reload metric 1. A channel added by a reload would be named by routes but never built: its pages would go
    nowhere. Both are refused; what a restart alone applies (the listener's port) runs on, and the reload says so."""
    cfg = tmp_path / "sentinel.yaml"
    good = cfg.read_text()
    for text, reason in [
        ("", "the config is empty"),
        (
            good
            + """people:
  - {name: erik, phone: "+46701234501", channels: [console]}
escalation:
  policies:
    - name: security
      steps:
        - targets: [{person: erik}]
          channels: [console]
  routes:
    - {category: hijack, policy: security}
notify:
  channels:
    console: {type: console, stream: stderr}
""",
            "notify.channels console: a channel added by a reload is built only at a restart",
        ),
    ]:
        cfg.write_text(text)
        refused = await hup_and_wait(daemon, "app.reload_refused")
        assert [r for r in refused["issues"] if reason in r], refused
        assert await daemon.metric("sentinel_config_last_reload_successful") == 0
    cfg.write_text(good.replace(f"port: {daemon.url.rsplit(':', 1)[1]}", "port: 1"))
    warned = await hup_and_wait(daemon, "app.reload_needs_restart")
    assert warned["sections"] == ["server"]
    await daemon.post_events([comment(30, "alpha after the refusals")])
    await daemon.until("alpha alert", lambda: "reload:30" in fired(daemon, "reload.alpha"))


def stored_pages(daemon: Daemon, event_id: str) -> list[str]:
    """The page keys the store holds the event ``event_id`` under (one per copy)."""
    conn = sqlite3.connect(daemon.log.with_name("sentinel.db"), timeout=5)
    try:
        return [r[0] for r in conn.execute("SELECT page FROM events WHERE id = ? ORDER BY seq", (event_id,))]
    finally:
        conn.close()


async def meta_comment(daemon: Daemon, graph_id: str, comment_id: str) -> None:
    """A signed Meta webhook delivery of a new comment on the page whose Graph id is ``graph_id``; committed when
    it is answered."""
    value = {"item": "comment", "verb": "add", "comment_id": comment_id, "post_id": f"{graph_id}_1"}
    value |= {"message": "Hello?", "from": {"id": "77", "name": "Cust"}, "created_time": 1767225600}
    entry = {"id": graph_id, "time": 1767225600, "changes": [{"field": "feed", "value": value}]}
    body = orjson.dumps({"object": "page", "entry": [entry]})
    sig = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    status, answer = await daemon.post_body("/webhooks/meta", body, {"X-Hub-Signature-256": sig})
    assert status == 200, answer


async def test_a_page_id_set_or_changed_by_a_reload_maps_meta_webhooks_from_the_next_delivery(
    tmp_path: Path, daemon: Daemon
) -> None:
    """The webhook receiver reads ``pages[].page_id`` from the running config: a reload that links a page (or
    re-links it) files that Graph id's deliveries under the page from then on, once each, with no restart. The
    poller's pages are read at start: a reload that changes them says so (``pages.polling``)."""
    cfg = tmp_path / "sentinel.yaml"
    good = cfg.read_text()

    def linked(graph_id: str, extra: str = "") -> str:
        return good.replace("  - id: druvan\n", f'  - id: druvan\n    page_id: "{graph_id}"\n{extra}')

    for graph_id, comment_id in [("4242", "c1"), ("4343", "c2")]:  # linked, then re-linked
        cfg.write_text(linked(graph_id))
        seen = len(daemon.log_records())
        await hup_and_wait(daemon, "app.reloaded")
        assert "app.reload_needs_restart" not in [r.get("event") for r in daemon.log_records()[seen:]]
        await meta_comment(daemon, graph_id, comment_id)
        await meta_comment(daemon, graph_id, comment_id)  # Meta's retry
        assert stored_pages(daemon, f"fb:comment:{comment_id}") == ["druvan"]
    await meta_comment(daemon, "4242", "c3")  # the old link is no page's any more
    assert stored_pages(daemon, "fb:comment:c3") == ["4242"]
    assert [r["page"] for r in daemon.log_records() if r.get("event") == "intake.unknown_page"] == ["4242"]

    cfg.write_text(linked("4343", "    access_token: page-token-0123456789\n"))
    warned = await hup_and_wait(daemon, "app.reload_needs_restart")
    assert warned["sections"] == ["pages.polling"]
    assert "page-token-0123456789" not in daemon.log.read_text()
