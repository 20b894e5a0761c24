"""deploy/grafana: the dashboard parses, queries valid PromQL over metrics Sentinel exports."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from deploy_tools import DEPLOY, require_binary, run
from metric_names import exposed_names
from ruamel.yaml import YAML

DASHBOARDS = sorted((DEPLOY / "grafana").glob("*.json"))
PROMQL_NAME = re.compile(r"\b(sentinel_[a-z0-9_]+)\b")
# Grafana's variables, replaced by something Prometheus accepts when checking the PromQL.
VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h", "$page": ".*", "${datasource}": ""}


def _dashboard(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _panels(d: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for p in d["panels"]:
        yield p
        yield from p.get("panels", [])


def _exprs(d: dict[str, Any]) -> list[str]:
    out = [t["expr"] for p in _panels(d) for t in p.get("targets", [])]
    out += [a["expr"] for a in d.get("annotations", {}).get("list", []) if "expr" in a]
    return out


def _substituted(expr: str) -> str:
    for k, v in VARIABLES.items():
        expr = expr.replace(k, v)
    assert "$" not in expr, f"unknown Grafana variable in {expr!r}"
    return expr


def test_there_is_a_dashboard() -> None:
    assert DASHBOARDS


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.name for p in DASHBOARDS])
def test_dashboard_parses_with_unique_panel_ids_and_a_query_in_every_panel(path: Path) -> None:
    d = _dashboard(path)
    assert d["uid"] and d["title"]
    ids = [p["id"] for p in _panels(d)]
    assert len(ids) == len(set(ids))
    for p in _panels(d):
        if p["type"] != "row":
            assert p.get("targets") and all(t["expr"].strip() for t in p["targets"]), p["title"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.name for p in DASHBOARDS])
def test_dashboard_references_only_metrics_sentinel_exports(path: Path) -> None:
    d = _dashboard(path)
    used = {m for e in _exprs(d) for m in PROMQL_NAME.findall(e)}
    used |= {m for v in d["templating"]["list"] for m in PROMQL_NAME.findall(json.dumps(v.get("query", "")))}
    assert used
    assert used - exposed_names() == set()


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.name for p in DASHBOARDS])
def test_dashboard_queries_are_valid_promql(path: Path, tmp_path: Path) -> None:
    """promtool parses each query as the expression of a recording rule."""
    promtool = require_binary("promtool")
    exprs = _exprs(_dashboard(path))
    rules = [{"record": f"dashboard:query:{i}", "expr": _substituted(e)} for i, e in enumerate(exprs)]
    f = tmp_path / "queries.yml"
    with f.open("w", encoding="utf-8") as out:
        YAML().dump({"groups": [{"name": "dashboard", "rules": rules}]}, out)
    r = run(promtool, "check", "rules", f)
    assert r.returncode == 0, r.stdout + r.stderr


def test_dashboard_covers_pages_incidents_comments_and_notifications() -> None:
    titles = " ".join(p["title"].lower() for path in DASHBOARDS for p in _panels(_dashboard(path)))
    for topic in ("page", "incident", "comment", "notification", "outbox", "delivery"):
        assert topic in titles, topic
