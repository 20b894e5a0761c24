"""A reload refused because the new config would page nobody is told, not only logged: the running daemon
raises ``health.config_reload_refused`` through its health route, and resolves it at the next good reload
(a real daemon on loopback, SIGHUP)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon
from sentinel.testing.providers import KeyedFake, Received, serve

pytestmark = pytest.mark.slow

TOKEN = "reload-alert-test-token"


def config(tmp_path: Path, port: int, hook: str, *, person_channels: str = "[webhook]") -> str:
    return f"""pages:
  - id: druvan
people:
  - name: erik
    channels: {person_channels}
escalation:
  group_wait: 0s
  policies:
    - name: ops
      steps:
        - targets: [{{person: erik}}]
          channels: {person_channels}
  routes:
    - {{category: health, policy: ops}}
    - {{category: hijack, policy: ops}}
notify:
  channels:
    webhook: {{type: webhook, url: "{hook}/hook"}}
""" + daemon_settings(tmp_path, port)


def told(hook: KeyedFake, kind: str) -> list[dict[str, Any]]:
    return [
        r.json
        for r in hook.delivered
        if isinstance(r, Received)
        and isinstance(r.json, dict)
        and r.json.get("kind") == kind
        and "config" in r.json.get("summary", "")
    ]


async def hup(daemon: Daemon, log_event: str) -> None:
    seen = len(daemon.log_records())
    daemon.proc.send_signal(signal.SIGHUP)
    await daemon.until(
        f"log event {log_event!r}", lambda: any(r.get("event") == log_event for r in daemon.log_records()[seen:])
    )


async def test_a_refused_reload_pages_through_the_health_route_and_a_good_one_resolves_it(tmp_path: Path) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = tmp_path / "sentinel.yaml"
        cfg.write_text(config(tmp_path, port, hook_url))
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            # the policy and erik say SMS, and erik has no phone: the new config pages nobody
            cfg.write_text(config(tmp_path, port, hook_url, person_channels="[sms]"))
            await hup(daemon, "app.reload_refused")
            [page] = await daemon.until("erik paged about the refused config", lambda: told(hook, "page"))
            assert page["summary"].startswith("the new config was refused and the previous one keeps running: ")
            assert "erik" in page["summary"] and page["recipient"] == "erik"
            assert await daemon.metric("sentinel_config_last_reload_successful") == 0

            cfg.write_text(config(tmp_path, port, hook_url))
            await hup(daemon, "app.reloaded")
            await daemon.until("the all-clear", lambda: told(hook, "resolved"))
            assert await daemon.metric("sentinel_config_last_reload_successful") == 1
