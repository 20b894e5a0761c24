"""A real ``sentinel run`` polling the fake Graph server over loopback, whose answer to the page token is Meta's
"Malformed access token <the token>": the health page goes out saying the token is bad, and neither it, the store
nor the log holds the token."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest

from sentinel.clock import SystemClock
from sentinel.testing.daemon import daemon_settings, free_port, sentinel_daemon
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import new_page
from sentinel.testing.providers import KeyedFake, Received, serve

PAGE_ID = "1000001"
TOKEN = "EAABdaemonPAGEtokenSECRET0123456789zz"


def config(tmp_path: Path, port: int, graph_url: str, hook_url: str) -> Path:
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    name: Druvan
    timezone: UTC
    page_id: "{PAGE_ID}"
    access_token: {TOKEN}
sources:
  base_url: {graph_url}
  request_timeout: 3s
  poll:
    security: {{min: 1s, max: 1s}}
    feed: {{min: 1s, max: 2s}}
    conversations: {{min: 1s, max: 2s}}
    auth_retry: 1s
    reactions: false
  budget: {{max_calls_per_page_hour: 10000}}
people:
  - name: erik
    phone: "+46701234501"
    channels: [webhook]
escalation:
  group_wait: 0s
  policies:
    - name: health
      steps:
        - targets: [{{person: erik}}]
          channels: [webhook]
  routes:
    - {{category: health, policy: health}}
    - {{category: hijack, severity: critical, policy: health}}
notify:
  delivery: {{backoff_initial: 0.05s, backoff_max: 0.1s}}
  channels:
    webhook: {{type: webhook, url: "{hook_url}/ops"}}
"""
        + daemon_settings(tmp_path, port)
    )
    return cfg


def tables_holding(db: Path, needle: str) -> list[str]:
    """Every table with a text (or blob) value holding ``needle``, read beside the daemon (WAL)."""
    conn = sqlite3.connect(db)
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        hits = []
        for t in tables:
            for row in conn.execute(f'SELECT * FROM "{t}"'):
                if any(
                    needle in (v.decode(errors="replace") if isinstance(v, bytes) else v)
                    for v in row
                    if isinstance(v, str | bytes)
                ):
                    hits.append(t)
                    break
        return hits
    finally:
        conn.close()


@pytest.mark.slow
async def test_a_token_echoed_by_graph_reaches_no_notification_store_or_log(tmp_path: Path) -> None:
    graph = FakeGraph(SystemClock())
    graph.add_page(new_page(PAGE_ID, "Druvan"), TOKEN)
    graph.malformed.add(TOKEN)
    port = free_port()
    async with graph.serve() as graph_url, serve(KeyedFake()) as (hook, hook_url):
        cfg = config(tmp_path, port, graph_url, hook_url)
        async with sentinel_daemon(cfg, port, "secrets-ingest-token", ready=False) as daemon:
            pages = await daemon.until(
                "the health page", lambda: [r for r in hook.delivered if isinstance(r, Received)], wait_s=30
            )
            await daemon.until("a second 190 answered", lambda: len(graph.log) >= 3)
        payloads = [orjson.dumps(r.json).decode() for r in hook.delivered if isinstance(r, Received)]
        log = daemon.log.read_text(errors="replace")
    assert "Malformed access token [token]" in payloads[0], payloads[0]
    assert pages[0].path == "/ops"
    assert all(TOKEN not in p for p in payloads)
    assert tables_holding(tmp_path / "sentinel.db", TOKEN) == []
    assert tables_holding(tmp_path / "sentinel.db", "Malformed access token [token]")  # the alert is stored
    assert TOKEN not in log
