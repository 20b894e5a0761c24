"""deploy/alertmanager and the compose Alertmanager: valid configs that route what they say."""

from __future__ import annotations

from pathlib import Path

import pytest
from deploy_tools import DEPLOY, require_binary, run

pytestmark = pytest.mark.prometheus

EXAMPLE = DEPLOY / "alertmanager" / "alertmanager.yml"
COMPOSE = DEPLOY / "compose" / "alertmanager.yml"


@pytest.mark.parametrize("config", [EXAMPLE, COMPOSE], ids=["example", "compose"])
def test_alertmanager_config_passes_amtool_check(config: Path) -> None:
    amtool = require_binary("amtool")
    r = run(amtool, "check-config", config)
    assert r.returncode == 0, r.stdout + r.stderr


def _receiver(config: Path, *labels: str) -> str:
    amtool = require_binary("amtool")
    r = run(amtool, "config", "routes", "test", f"--config.file={config}", *labels)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout.strip()


@pytest.mark.parametrize(
    ("labels", "receiver"),
    [
        (["alertname=Watchdog", "service=sentinel", "severity=none"], "deadmans-switch"),
        (["alertname=SentinelDown", "service=sentinel", "severity=critical"], "sentinel-ops-pager"),
        (
            ["alertname=SentinelSourceStale", "service=sentinel", "severity=critical", "page=shop", "source=graph"],
            "sentinel-ops-pager",
        ),
        (["alertname=SentinelOutboxBacklogGrowing", "service=sentinel", "severity=warning"], "sentinel-ops-email"),
        # What Sentinel pushes through its alertmanager channel (sentinel/notify/alertmanager.py labels).
        (
            [
                "alertname=sentinel_hijack",
                "source=sentinel",
                "category=hijack",
                "severity=critical",
                "page=shop",
                "incident=inc-1",
            ],
            "security-pager",
        ),
        (["alertname=sentinel_crisis", "source=sentinel", "category=crisis", "severity=critical"], "comms-pager"),
        (["alertname=sentinel_crisis", "source=sentinel", "category=crisis", "severity=warning"], "comms-email"),
        (["alertname=sentinel_sla", "source=sentinel", "category=sla", "severity=warning"], "support-email"),
        (["alertname=sentinel_health", "source=sentinel", "category=health", "severity=warning"], "sentinel-ops-email"),
    ],
)
def test_example_routes_each_alert_to_its_team(labels: list[str], receiver: str) -> None:
    assert _receiver(EXAMPLE, *labels) == receiver


def test_compose_mails_sentinel_alerts_and_drops_the_watchdog() -> None:
    assert _receiver(COMPOSE, "alertname=Watchdog", "service=sentinel") == "blackhole"
    assert _receiver(COMPOSE, "alertname=sentinel_hijack", "source=sentinel", "category=hijack") == "pages-mail"
    assert _receiver(COMPOSE, "alertname=SentinelDown", "service=sentinel") == "ops-mail"


def test_amtool_rejects_a_route_to_an_unknown_receiver(tmp_path: Path) -> None:
    amtool = require_binary("amtool")
    bad = tmp_path / "am.yml"
    bad.write_text("route:\n  receiver: nowhere\nreceivers:\n  - name: somewhere\n", encoding="utf-8")
    r = run(amtool, "check-config", bad)
    assert r.returncode != 0
