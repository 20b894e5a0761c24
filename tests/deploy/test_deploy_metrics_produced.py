"""Every metric deploy/ uses (Prometheus rules and their tests, Grafana dashboards, Alertmanager and compose
files) is exported, and changes in an end-to-end run of the real daemon: an alert or a panel over a metric
nothing sets is dead, and looks healthy.

"Changes" means: after the run, ``/metrics`` shows the family other than a fresh process does (a labelled
family has a series; an unlabelled counter or histogram counted something; an unlabelled gauge was not 0 at
some scrape during the run; an info metric is present).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import orjson
import pytest
from deploy_tools import DEPLOY
from metric_names import Family, families
from prometheus_client.parser import text_string_to_metric_families

from sentinel.clock import SystemClock
from sentinel.testing import event, page_actor, person
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import new_page
from sentinel.testing.providers import KeyedFake, Reply, serve

NAME = re.compile(r"\bsentinel_[a-z0-9_]+\b")
SCANNED = (".yml", ".yaml", ".json", ".md")  # not the systemd unit, which names the wheel sentinel_pages-*.whl
TOKEN = "metrics-e2e-ingest-token"
APP_SECRET = "metrics-e2e-app-secret"


def referenced() -> dict[str, set[str]]:
    """Every ``sentinel_*`` name in deploy/ → the files that use it."""
    out: dict[str, set[str]] = {}
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file() and path.suffix in SCANNED:
            for name in NAME.findall(path.read_text(encoding="utf-8")):
                out.setdefault(name, set()).add(str(path.relative_to(DEPLOY)))
    return out


def family_of(name: str) -> Family | None:
    return next((f for f in families() if name in f.series), None)


def test_every_metric_deploy_uses_is_exported() -> None:
    used = referenced()
    assert used, "deploy/ uses no metric: the scan is broken"
    unknown = {name: sorted(files) for name, files in used.items() if family_of(name) is None}
    assert unknown == {}, f"deploy/ uses metrics Sentinel does not export: {unknown}"


def test_the_scan_catches_a_metric_nothing_exports(tmp_path: Path) -> None:
    assert family_of("sentinel_queue_dropped_total") is None  # the counter nothing ever incremented is gone
    assert family_of("sentinel_outbox_backlog") is not None


# -- the end-to-end run --------------------------------------------------------------------------------------------


@pytest.fixture
async def graph() -> AsyncIterator[tuple[FakeGraph, str]]:
    fake = FakeGraph(SystemClock(), calls_per_hour=200)  # a few calls show in the usage headers
    fake.add_page(new_page("1000001", "Druvan"), "EAAB-druvan")
    fake.add_page(new_page("1000002", "Shop"), "EAAB-shop")
    fake.expired.add("EAAB-shop")  # every read of shop: 190/463
    async with fake.serve() as url:
        yield fake, url


def write_config(tmp_path: Path, port: int, graph_url: str, hook: str, failing: str) -> Path:
    """druvan read well, shop with an expired token, quiet silenced; every hijack pages erik through a webhook
    that works and one (``slack``) that answers 503, whose breaker opens at the first failure."""
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - {{id: druvan, timezone: UTC, page_id: "1000001", access_token: EAAB-druvan}}
  - {{id: shop, timezone: UTC, page_id: "1000002", access_token: EAAB-shop}}
  - {{id: quiet, timezone: UTC}}
silences:
  - {{matchers: ["page=quiet"], starts: 2000-01-01T00:00:00Z, ends: 2100-01-01T00:00:00Z, comment: test}}
sources:
  base_url: {graph_url}
  app_secret: {APP_SECRET}
  poll:
    security: {{min: 1s, max: 1s}}
    feed: {{min: 1s, max: 1s}}
    conversations: {{min: 1s, max: 1s}}
  budget: {{max_calls_per_page_hour: 100000}}
people:
  - name: erik
    channels: [webhook, slack]
escalation:
  group_wait: 0s
  policies:
    - name: hijack
      steps:
        - targets: [{{person: erik}}]
          channels: [webhook, slack]
  routes:
    - {{category: hijack, policy: hijack}}
    - {{category: health, policy: hijack}}
notify:
  delivery: {{backoff_initial: 1h, backoff_max: 1h, breaker_failures: 1, breaker_cooldown: 1h}}
  channels:
    webhook: {{type: webhook, url: "{hook}/hook"}}
    slack: {{type: webhook, url: "{failing}/hook"}}
"""
        + daemon_settings(tmp_path, port)
    )
    return cfg


def hijack(page: str, n: int) -> object:
    return event(
        "role.granted",
        datetime.now(UTC).replace(microsecond=0),
        page=page,
        id=f"e2e:{page}:{n}",
        user={"id": "666", "name": "Mr X"},
        tasks=["MANAGE"],
        actor=None,
    )


async def scrape(daemon: Daemon) -> dict[str, dict[str, float]]:
    """Family name (as the parser names it) → sample (name with labels) → value."""
    async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/metrics") as r:
        text = await r.text()
    out: dict[str, dict[str, float]] = {}
    for fam in text_string_to_metric_families(text):
        for smp in fam.samples:
            key = smp.name + "{" + ",".join(f"{k}={v}" for k, v in sorted(smp.labels.items())) + "}"
            out.setdefault(smp.name, {})[key] = smp.value
    return out


def shows_work(f: Family, seen: list[dict[str, dict[str, float]]]) -> bool:
    """True when some scrape shows ``f`` other than a fresh process exports it."""
    last = seen[-1]
    if f.type == "info":
        return bool(last.get(f.name))
    main = {"counter": f.name, "histogram": f.name + "_count"}.get(f.type, f.name)
    if f.labels:
        return bool(last.get(main))
    return any(v != 0 for scrape_ in seen for v in scrape_.get(main, {}).values())


async def post_webhook(daemon: Daemon, body: bytes, signed: bool) -> int:
    sig = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest() if signed else "sha256=00"
    async with (
        aiohttp.ClientSession() as s,
        s.post(f"{daemon.url}/webhooks/meta", data=body, headers={"X-Hub-Signature-256": sig}) as r,
    ):
        return r.status


async def post_raw(daemon: Daemon, body: bytes) -> int:
    async with (
        aiohttp.ClientSession() as s,
        s.post(f"{daemon.url}/api/v1/events", data=body, headers={"Authorization": f"Bearer {TOKEN}"}) as r,
    ):
        return r.status


@pytest.mark.slow
async def test_every_metric_deploy_uses_changes_in_an_end_to_end_run(
    tmp_path: Path, graph: tuple[FakeGraph, str]
) -> None:
    _fake, graph_url = graph
    used = {f.name: f for name in referenced() if (f := family_of(name)) is not None}
    async with serve(KeyedFake()) as (_hook, hook_url), serve(KeyedFake()) as (failing, failing_url):
        failing.script(*[Reply(status=503)] * 50)
        port = free_port()
        cfg = write_config(tmp_path, port, graph_url, hook_url, failing_url)
        async with sentinel_daemon(cfg, port, TOKEN, ready=False) as daemon:
            seen = [await scrape(daemon)]
            await daemon.post_events([hijack("druvan", 1), hijack("quiet", 1)])
            await daemon.post_events([hijack("druvan", 1)])  # a duplicate
            assert await post_raw(daemon, b'{"not": "an event"}') == 400
            await daemon.post_events([hijack("elsewhere", 1)])  # a page not in the config: a second incident
            now = SystemClock().now()  # a customer's question and the page's answer: the sla_* metrics
            await daemon.post_events(
                [
                    event(
                        "comment.created", now, actor=person(), comment_id="q1", post_id="p1", message="Har ni öppet?"
                    ),
                    event(
                        "comment.created",
                        now,
                        actor=page_actor(),
                        comment_id="r1",
                        post_id="p1",
                        parent_id="q1",
                        message="Ja",
                    ),
                ]
            )
            delivery = orjson.dumps(
                {
                    "object": "page",
                    "entry": [
                        {
                            "id": "1000001",
                            "time": 1703332801,
                            "changes": [{"field": "name", "value": "Druvan AB"}, {"field": "ratings", "value": {}}],
                        }
                    ],
                }
            )
            assert await post_webhook(daemon, delivery, signed=True) == 200
            assert await post_webhook(daemon, delivery, signed=False) == 403

            async def all_show_work() -> bool:
                seen.append(await scrape(daemon))
                return all(shows_work(f, seen) for f in used.values())

            try:
                await daemon.until("every metric deploy/ uses to show work", all_show_work, wait_s=30)
            except AssertionError:
                idle = sorted(n for n, f in used.items() if not shows_work(f, seen))
                raise AssertionError(f"deploy/ uses metrics the run never changed: {idle}") from None
