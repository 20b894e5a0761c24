"""A role changed by a reload holds for the operator API at once, against a real daemon: the console read its roles
from the running config, the API from the config it started with, so a person made a viewer by SIGHUP could still
take a hijack over with their code."""

from __future__ import annotations

import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sentinel.testing.daemon import enroll, free_port, hijack_paging_config, new_admin, operator_call, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "roles-reload-ingest-token"


async def test_a_person_made_a_viewer_by_a_reload_cannot_take_over_through_the_api(tmp_path: Path) -> None:
    vera = await enroll(tmp_path, "vera")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            await daemon.post_events([new_admin(datetime.now(UTC), "roles:grant")])
            await daemon.until("the hijack's page", lambda: hook.delivered)
            status, listed = await operator_call(daemon, "GET", "/api/v1/incidents")
            [incident] = listed["incidents"]

            text = cfg.read_text()
            cfg.write_text(
                text.replace("  operator_tokens:", "  console: {roles: {vera: viewer}}\n  operator_tokens:", 1)
            )
            seen = len(daemon.log_records())
            daemon.proc.send_signal(signal.SIGHUP)
            await daemon.until(
                "the reload", lambda: any(r.get("event") == "app.reloaded" for r in daemon.log_records()[seen:])
            )
            body = {"person": "vera", "code": vera.now()}
            status, answer = await operator_call(daemon, "POST", f"/api/v1/incidents/{incident['id']}/take-over", body)
    assert status == 403 and "viewer" in str(answer), answer
