"""Prometheus's endpoint conventions on a real daemon: /-/healthy, /-/ready, POST /-/reload, process metrics."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from sentinel.testing.daemon import OPERATOR_TOKEN, free_port, hijack_paging_config, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "conventions-ingest-token"


async def test_healthy_ready_reload_and_process_metrics(tmp_path: Path) -> None:
    async with serve(KeyedFake()) as (_, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon, aiohttp.ClientSession() as s:
            for path in ("/-/healthy", "/-/ready"):
                async with s.get(daemon.url + path) as r:
                    assert r.status == 200, path
            async with s.get(daemon.url + "/metrics") as r:
                text = await r.text()
            for name in (
                "process_resident_memory_bytes",
                "process_cpu_seconds_total",
                "python_info",
                "python_gc_collections_total",
            ):
                assert f"\n{name}" in text, name

            async with s.post(daemon.url + "/-/reload") as r:
                assert r.status == 401
            auth = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}
            async with s.post(daemon.url + "/-/reload", headers=auth) as r:
                assert (r.status, (await r.json())["status"]) == (200, "reloaded")

            good = cfg.read_text()
            cfg.write_text(good.replace("policy: hijack\n", "policy: nobody\n"))
            async with s.post(daemon.url + "/-/reload", headers=auth) as r:
                answer = await r.json()
            assert r.status == 400 and answer["status"] == "refused"
            assert any("nobody" in e for e in answer["errors"]), answer
            async with s.get(daemon.url + "/-/ready") as r:  # the old config keeps running
                assert r.status == 200
