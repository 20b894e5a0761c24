"""A real daemon answers /healthz while it builds a report over its whole store.

A report reads every stored event and follows every conversation: on a store of 100,000 events four reports at
once held the event loop for 13 s (``bench/report_loop.py``), long enough for a liveness probe to restart the
daemon and for pages to wait. The report is now built on the loop a slice at a time (``reports.http.SLICE_S``);
its reading yields between batches.

It was built in a thread, and the test asked once whether /healthz came back before the report: that held only
while the build outlasted a round trip, and the thread bounded nothing (the loop waits its turns at the GIL: one
/healthz took 0.37 s of a 0.55 s build). The test now probes all through the build and bounds the slowest answer by
half the build's time, which a build holding the loop (its first probe waits for all of it) meets on no machine."""

from __future__ import annotations

import asyncio
import io
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import orjson
import pytest

from sentinel.security.tokens import hash_token
from sentinel.testing.daemon import daemon_settings, free_port, probe_health, sentinel_daemon

pytestmark = pytest.mark.slow

INGEST = "report-off-loop-ingest-token"
OPERATOR = "snt_report-off-loop-operator-token-0123456789"
START = datetime(2025, 11, 3, 8, tzinfo=UTC)
EVENTS = 60_000  # a report over them takes a second or more to build, far longer than a /healthz round trip
BODY = 20_000  # events a body (the ingest API's limit is 10 MiB)


def bodies() -> list[bytes]:
    """``EVENTS`` comments on a page not in the config, a question and a praise in turn, in bodies of ``BODY``."""
    lines = []
    for i in range(EVENTS):
        ev = {
            "id": f"fb:comment:c{i}",
            "time": (START + timedelta(seconds=20 * i)).isoformat(),
            "platform": "facebook",
            "page": "other",
            "kind": "comment.created",
            "actor": {"id": f"v{i}", "name": f"Visitor {i}", "type": "person"},
            "object": {
                "comment_id": f"c{i}",
                "post_id": "p",
                "parent_id": None,
                "message": "Öppet idag?" if i % 2 else "Fint!",
            },
        }
        lines.append(orjson.dumps(ev))
    return [b"\n".join(lines[k : k + BODY]) for k in range(0, EVENTS, BODY)]


class LogTail:
    """The daemon's log as it grows: only what was written since the last look is read."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset = path, 0

    def says(self, needle: bytes) -> bool:
        with self.path.open("rb") as f:
            f.seek(self.offset)
            new = f.read()
        self.offset += max(0, len(new) - len(needle))  # a needle cut by the read is found on the next look
        return needle in new


async def test_healthz_is_answered_while_a_report_is_built(tmp_path: Path) -> None:
    port = free_port()
    cfg = tmp_path / "sentinel.yaml"
    security = f'security:\n  operator_tokens: [{{name: ops, hash: "{hash_token(OPERATOR)}"}}]\n'
    # the events' page is one the daemon stores but does not evaluate (pipeline.max_unknown_pages: 0): its rules'
    # work on a backlog of them would hold the loop too, and this is about the report's
    pipeline = "pipeline:\n  max_unknown_pages: 0\n"
    pages = "pages:\n  - id: druvan\n    timezone: UTC\n"
    cfg.write_text(pages + pipeline + security + daemon_settings(tmp_path, port))
    async with sentinel_daemon(cfg, port, INGEST) as daemon, aiohttp.ClientSession() as s:
        for body in bodies():
            async with s.post(
                f"{daemon.url}/api/v1/events", data=io.BytesIO(body), headers={"Authorization": f"Bearer {INGEST}"}
            ) as r:
                assert r.status == 200, await r.text()

        async def report() -> None:
            async with s.get(f"{daemon.url}/api/v1/report", headers={"Authorization": f"Bearer {OPERATOR}"}) as r:
                assert r.status == 200
                assert (await r.json())["reports"]

        log = LogTail(daemon.log)
        log.says(b"")  # from here on
        building = asyncio.create_task(report())
        await daemon.until("the report being built", lambda: log.says(b'"report.building"'))
        began = time.perf_counter()
        stop, took = asyncio.Event(), []
        prober = asyncio.create_task(probe_health(daemon.url, stop, took, every_s=0.02))
        await building
        built, during = time.perf_counter() - began, len(took)
        stop.set()
        await prober
    assert during >= 2, f"{during} /healthz answers in the {built:.2f} s the report took to build: the loop was held"
    assert max(took) < built / 2, f"/healthz took {max(took):.3f} s while the report took {built:.2f} s to build"
