"""Rule unit tests in the spirit of ``promtool test rules``: YAML in, readable diff out.

A test file::

    rule_files: [../my-rules]          # besides the shipped packs (include_shipped: false to drop them)
    pages: [{id: druvan, timezone: Europe/Stockholm, staffed_hours: {mon-fri: "08:00-17:00"}}]
    tests:
      - name: a new full admin at night pages someone
        start: "2025-09-26T21:00:00+02:00"
        page: druvan
        events:                        # or events_file: events.jsonl (relative to the test file)
          - {at: 33m, kind: role.granted, actor: {id: "1", name: Johan, type: person},
             object: {user: {id: "9", name: Mr X}, tasks: [MANAGE]}}
        until: 2h                      # run the clock this far past start
        rules: [hijack.manage_granted] # compare only these rules' alerts (default: all)
        expect:
          - {at: 33m, status: firing, rule: hijack.manage_granted, severity: critical, labels: {user: Mr X}}

Expected alerts match produced ones in order on the fields they give.
A rule file may carry the same ``tests:`` list inline.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sentinel.config.schema import PageConfig
from sentinel.config.types import parse_duration
from sentinel.config.yamlpos import load_yaml
from sentinel.errors import ConfigError, Issue
from sentinel.model import AlertTransition, Event
from sentinel.rules.engine import RuleEngine
from sentinel.rules.ruleset import RuleSet, load_rules
from sentinel.sources.codec import event_from_json, iter_lines, parse_time


@dataclass(frozen=True, slots=True)
class CaseResult:
    file: str
    name: str
    ok: bool
    diff: str = ""


def _time(v: Any, start: datetime | None) -> datetime:
    if isinstance(v, datetime):
        return v
    if start is not None and not (isinstance(v, str) and "T" in v):
        return start + parse_duration(v)
    return parse_time(str(v))


def _events(case: Mapping[str, Any], base: Path, start: datetime | None) -> list[Any]:
    out = []
    page = case.get("page", "page")
    if "events_file" in case:
        path = base / str(case["events_file"])
        with path.open("rb") as f:
            for _, ev in iter_lines(f, source=str(path)):
                if not isinstance(ev, Event):
                    raise ValueError(str(ev))
                out.append(ev)
    for i, raw in enumerate(case.get("events", [])):
        d = dict(raw)
        t = _time(d.pop("at", d.pop("time", "0s")), start)
        d.setdefault("id", f"test:{i}")
        d.setdefault("platform", "facebook")
        d.setdefault("page", page)
        d.setdefault("actor", None)
        d["time"] = t.isoformat()
        out.append(event_from_json(d))
    out.sort(key=lambda e: e.time)
    return out


def _fmt(t: Mapping[str, Any], start: datetime | None) -> str:
    parts = []
    if "time" in t:
        tm: datetime = t["time"]
        parts.append(f"at {_offset(tm, start)}")
    for k in ("status", "rule", "severity", "page"):
        if k in t:
            parts.append(f"{k}={t[k]}")
    if t.get("labels"):
        parts.append("labels={" + ", ".join(f"{k}={v}" for k, v in sorted(t["labels"].items())) + "}")
    return " ".join(parts)


def _offset(tm: datetime, start: datetime | None) -> str:
    if start is None:
        return tm.isoformat()
    s = int((tm - start).total_seconds())
    sign = "-" if s < 0 else ""
    s = abs(s)
    return f"{sign}{s // 3600}h{s % 3600 // 60:02d}m{s % 60:02d}s"


def _as_dict(t: AlertTransition) -> dict[str, Any]:
    return {"time": t.time, "status": t.status.value, "rule": t.rule, "severity": t.severity.value,
            "page": t.page, "labels": dict(t.labels)}


def _matches(exp: Mapping[str, Any], got: Mapping[str, Any]) -> bool:
    for k, v in exp.items():
        if k == "labels":
            if any(got["labels"].get(lk) != str(lv) for lk, lv in v.items()):
                return False
        elif got.get(k) != v:
            return False
    return True


def run_case(rules: RuleSet, pages: Sequence[PageConfig], case: Mapping[str, Any], base: Path,
             file: str) -> CaseResult:
    name = str(case.get("name", "unnamed"))
    start = _time(case["start"], None) if "start" in case else None
    cfg = {p.id: p for p in pages}
    engine = RuleEngine(rules, lambda pid: cfg.get(pid) or PageConfig(id=pid))
    got: list[AlertTransition] = []
    events = _events(case, base, start)
    for ev in events:
        due = engine.next_due()
        while due is not None and due <= ev.time:
            got += engine.advance(due)
            due = engine.next_due()
        got += engine.process(ev, ev.time)
    end = events[-1].time if events else start
    if "until" in case and start is not None:
        end = start + parse_duration(case["until"])
    if end is not None:
        due = engine.next_due()
        while due is not None and due <= end:
            got += engine.advance(due)
            due = engine.next_due()
    only = set(case.get("rules", ()))
    produced = [_as_dict(t) for t in got if not only or t.rule in only]
    expected = []
    for e in case.get("expect", []):
        d = dict(e)
        if "at" in d or "time" in d:
            d["time"] = _time(d.pop("at", d.pop("time", None)), start)
        expected.append(d)
    ok = len(expected) == len(produced) and all(_matches(e, g) for e, g in zip(expected, produced, strict=True))
    if ok:
        return CaseResult(file, name, True)
    shown = []
    for i, g in enumerate(produced):
        e = expected[i] if i < len(expected) else {}
        keys = ("time", *(k for k in e if k != "time")) if e else ("time", "status", "rule", "severity")
        view = {k: g[k] for k in keys if k in g}
        if "labels" in e:
            view["labels"] = {k: g["labels"].get(k, "<missing>") for k in e["labels"]}
        shown.append(_fmt(view, start))
    diff = "\n".join(difflib.unified_diff([_fmt(e, start) for e in expected], shown, "expected", "got", lineterm=""))
    return CaseResult(file, name, False, diff)


def run_file(path: Path) -> list[CaseResult]:
    """Run every test of a test file (or the inline ``tests:`` of a rule file)."""
    text = path.read_text(encoding="utf-8")
    data, positions, issues = load_yaml(text, str(path))
    if issues:
        raise ConfigError(issues)
    if not isinstance(data, dict):
        raise ConfigError([Issue(str(path), 1, 1, "", "a rule test file must be a mapping with 'tests:'")])
    base = path.parent
    # a rule file with inline tests: its own rules on top of the shipped ones
    rule_paths = [path] if "rules" in data else [base / str(p) for p in data.get("rule_files", [])]
    rules = load_rules(rule_paths, include_shipped=bool(data.get("include_shipped", True)))
    pages = []
    for i, p in enumerate(data.get("pages", [])):
        try:
            pages.append(PageConfig.model_validate(p))
        except ValueError as e:
            raise ConfigError([positions.issue(("pages", i), str(e).splitlines()[0])]) from None
    out = []
    for case in data.get("tests", []):
        try:
            out.append(run_case(rules, pages, case, base, str(path)))
        except (KeyError, ValueError, OSError) as e:
            out.append(CaseResult(str(path), str(case.get("name", "unnamed")), False, f"bad test case: {e}"))
    return out


def test_files(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*.y*ml") if f.is_file())
        else:
            out.append(p)
    return out
