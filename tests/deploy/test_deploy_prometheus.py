"""deploy/prometheus: the rules about Sentinel itself, their unit tests and the scrape configs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from deploy_tools import DEPLOY, RULE_TESTS_DIR, RULES_DIR, require_binary, run
from metric_names import exposed_names
from ruamel.yaml import YAML

pytestmark = pytest.mark.prometheus

RULE_FILES = sorted(RULES_DIR.glob("*.yml"))
RULE_TEST_FILES = sorted(RULE_TESTS_DIR.glob("*.yml"))
# What issue 9 asks the rules to cover.
REQUIRED_ALERTS = {
    "SentinelDown",
    "SentinelSourceStale",
    "SentinelSourceTokenExpired",
    "SentinelNotificationsFailing",
    "SentinelOutboxBacklogGrowing",
    "SentinelIncidentUnacknowledged",
    "Watchdog",
}
PROMQL_NAME = re.compile(r"\b(sentinel_[a-z0-9_]+)\b")


def _load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _alert_rules() -> list[dict[str, Any]]:
    return [r for f in RULE_FILES for g in _load(f)["groups"] for r in g["rules"] if "alert" in r]


def test_rule_files_pass_promtool_check() -> None:
    promtool = require_binary("promtool")
    assert RULE_FILES
    r = run(promtool, "check", "rules", *RULE_FILES)
    assert r.returncode == 0, r.stdout + r.stderr


def test_rule_unit_tests_pass() -> None:
    promtool = require_binary("promtool")
    assert RULE_TEST_FILES
    r = run(promtool, "test", "rules", *RULE_TEST_FILES)
    assert r.returncode == 0, r.stdout + r.stderr


def test_rule_unit_tests_fail_when_a_rule_is_weakened(tmp_path: Path) -> None:
    """The unit tests bite: SentinelDown waiting 10m instead of 2m must break them."""
    promtool = require_binary("promtool")
    shutil.copytree(DEPLOY / "prometheus", tmp_path / "prometheus")
    rules = tmp_path / "prometheus" / "rules" / "sentinel.rules.yml"
    text = rules.read_text(encoding="utf-8")
    down = 'expr: up{job="sentinel"} == 0\n        for: '
    weakened = text.replace(down + "2m", down + "10m")
    assert weakened != text
    rules.write_text(weakened, encoding="utf-8")
    r = run(promtool, "test", "rules", *sorted((tmp_path / "prometheus" / "tests").glob("*.yml")))
    assert r.returncode != 0
    assert "SentinelDown" in r.stdout + r.stderr


def test_the_alerts_the_issue_asks_for_exist() -> None:
    names = {r["alert"] for r in _alert_rules()}
    assert names >= REQUIRED_ALERTS


def test_every_alert_has_a_unit_test_that_expects_it_to_fire() -> None:
    fired: set[str] = set()
    for f in RULE_TEST_FILES:
        for t in _load(f)["tests"]:
            fired |= {a["alertname"] for a in t.get("alert_rule_test", []) if a["exp_alerts"]}
    untested = {r["alert"] for r in _alert_rules()} - fired
    assert untested == set()


def test_every_alert_routes_and_explains_itself() -> None:
    for r in _alert_rules():
        assert r["labels"]["service"] == "sentinel", r["alert"]
        assert r["labels"]["severity"] in {"critical", "warning", "none"}, r["alert"]
        assert r["annotations"]["summary"] and r["annotations"]["description"], r["alert"]


def test_rules_use_only_metrics_sentinel_exports() -> None:
    used = {m for r in _alert_rules() for m in PROMQL_NAME.findall(r["expr"])}
    assert used
    assert used - exposed_names() == set()


@pytest.mark.parametrize("config", ["prometheus/prometheus.yml", "compose/prometheus.yml"])
def test_scrape_configs_pass_promtool_check(config: str) -> None:
    promtool = require_binary("promtool")
    r = run(promtool, "check", "config", DEPLOY / config)
    assert r.returncode == 0, r.stdout + r.stderr
    jobs = {j["job_name"] for j in _load(DEPLOY / config)["scrape_configs"]}
    assert "sentinel" in jobs  # the rules select up{job="sentinel"}


def test_promtool_rejects_a_broken_rule(tmp_path: Path) -> None:
    promtool = require_binary("promtool")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: rate(up[5m]\n", encoding="utf-8"
    )
    r = run(promtool, "check", "rules", bad)
    assert r.returncode != 0
