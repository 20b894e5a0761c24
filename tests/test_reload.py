"""SIGHUP on the daemon process: a good new rule file takes effect; a broken one is refused, logged,
the old rules keep running, and ``sentinel_config_last_reload_successful`` reads 0."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from sentinel.model import Event
from sentinel.testing import at, event

pytestmark = pytest.mark.slow

TOKEN = "reload-test-token"
POLL_S = 0.05

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Daemon:
    def __init__(self, tmp_path: Path, port: int) -> None:
        self.db = tmp_path / "sentinel.db"
        self.log = tmp_path / "sentinel.log"
        self.url = f"http://127.0.0.1:{port}"
        self.proc: asyncio.subprocess.Process | None = None

    def log_records(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            with contextlib.suppress(orjson.JSONDecodeError):
                out.append(orjson.loads(line))
        return out

    def fail(self, what: str) -> AssertionError:
        tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        return AssertionError(f"{what}; daemon log:\n{tail}")

    async def until(self, what: str, check: Any, wait_s: float = 20.0) -> Any:
        """Poll ``check()`` (sync or async) until it returns something truthy."""
        try:
            async with asyncio.timeout(wait_s):
                while True:
                    assert self.proc is not None
                    if self.proc.returncode is not None:
                        raise self.fail(f"daemon exited {self.proc.returncode} waiting for {what}")
                    got = check()
                    if asyncio.iscoroutine(got):
                        got = await got
                    if got:
                        return got
                    await asyncio.sleep(POLL_S)
        except TimeoutError:
            raise self.fail(f"no {what} within {wait_s:g}s") from None

    async def ready(self) -> bool:
        with contextlib.suppress(aiohttp.ClientError):
            async with aiohttp.ClientSession() as s, s.get(f"{self.url}/readyz") as r:
                return r.status == 200
        return False

    async def post(self, *events: Event) -> None:
        body = b"\n".join(orjson.dumps(e.to_json()) for e in events)
        async with aiohttp.ClientSession() as s, s.post(
                f"{self.url}/api/v1/events", data=body, headers={"Authorization": f"Bearer {TOKEN}"}) as r:
            assert r.status == 200, await r.text()

    async def reload_metric(self) -> float | None:
        async with aiohttp.ClientSession() as s, s.get(f"{self.url}/metrics") as r:
            for line in (await r.text()).splitlines():
                if line.startswith("sentinel_config_last_reload_successful "):
                    return float(line.split()[1])
        return None

    def fired(self, rule: str) -> set[str]:
        """Ids of the events that fired ``rule`` (from the alerts table)."""
        if not self.db.exists():
            return set()
        conn = sqlite3.connect(self.db, timeout=5)
        try:
            rows = conn.execute("SELECT body FROM alerts WHERE rule = ? AND status = 'firing'", (rule,)).fetchall()
        except sqlite3.OperationalError:  # not migrated yet
            return set()
        finally:
            conn.close()
        return {orjson.loads(r[0])["labels"]["key"] for r in rows}

    async def hup_and_wait(self, log_event: str) -> dict[str, Any]:
        assert self.proc is not None
        seen = len(self.log_records())
        self.proc.send_signal(signal.SIGHUP)
        return await self.until(f"log event {log_event!r}", lambda: next(
            (r for r in self.log_records()[seen:] if r.get("event") == log_event), None))


@pytest.fixture
async def daemon(tmp_path: Path) -> AsyncIterator[Daemon]:
    port = free_port()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "alpha.yaml").write_text(ALPHA)
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(f"""
pages:
  - id: druvan
store:
  url: sqlite:///{tmp_path / 'sentinel.db'}
server:
  host: 127.0.0.1
  port: {port}
  ingest_token: ${{SENTINEL_INGEST_TOKEN}}
logging:
  format: json
rules:
  dirs: [{tmp_path / 'rules'}]
  include_shipped: false
""")
    d = Daemon(tmp_path, port)
    with d.log.open("ab") as f:
        d.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "sentinel", "run", "--config", str(cfg),
            env=dict(os.environ, SENTINEL_INGEST_TOKEN=TOKEN), stdin=asyncio.subprocess.DEVNULL, stdout=f,
            stderr=f)
    try:
        await d.until("readiness", d.ready, 30)
        yield d
    finally:
        if d.proc.returncode is None:
            d.proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(d.proc.wait(), 15)


def comment(n: int, text: str) -> Event:
    return event("comment.created", at(f"{n}m"), id=f"reload:{n}", message=text, post_id="p1", comment_id=f"c{n}")


async def test_sighup_loads_a_good_rule_file_and_refuses_a_broken_one_keeping_the_old_rules(
        tmp_path: Path, daemon: Daemon) -> None:
    # before: only alpha is loaded; a beta comment processed ahead of an alpha one fires nothing
    await daemon.post(comment(1, "beta before"), comment(2, "alpha one"))
    await daemon.until("alpha alert", lambda: "reload:2" in daemon.fired("reload.alpha"))
    assert daemon.fired("reload.beta") == set()

    # a good new rule file takes effect
    (tmp_path / "rules" / "beta.yaml").write_text(BETA)
    done = await daemon.hup_and_wait("app.reloaded")
    assert done["rules"] == 2
    assert await daemon.reload_metric() == 1
    await daemon.post(comment(3, "beta after"))
    await daemon.until("beta alert", lambda: "reload:3" in daemon.fired("reload.beta"))

    # a broken one is refused with the reason logged; the metric says so
    (tmp_path / "rules" / "broken.yaml").write_text(BROKEN)
    refused = await daemon.hup_and_wait("app.reload_refused")
    reason = " ".join(refused["issues"])
    assert "broken.yaml:5:" in reason and "severty" in reason, reason
    assert await daemon.reload_metric() == 0

    # ... and the rules that ran before keep running
    await daemon.post(comment(4, "gamma"), comment(5, "beta again"), comment(6, "alpha again"))
    await daemon.until("alpha alert after the refused reload", lambda: "reload:6" in daemon.fired("reload.alpha"))
    assert "reload:5" in daemon.fired("reload.beta")
    assert daemon.fired("reload.gamma") == set()
    assert daemon.proc is not None and daemon.proc.returncode is None
