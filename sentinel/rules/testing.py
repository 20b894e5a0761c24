"""Rule unit tests in the spirit of ``promtool test rules``: YAML in, readable diff out.

A test file::

    rule_files: [../my-rules]          # besides the shipped packs (include_shipped: false to drop them)
    pages: [{id: druvan, timezone: Europe/Stockholm, staffed_hours: {mon-fri: "08:00-17:00"}}]
    silences: [{matchers: ["page=druvan", "category=crisis"], starts: ..., ends: ...}]   # as in the config
    tests:
      - name: a new full admin at night pages someone
        start: "2025-09-26T21:00:00+02:00"
        page: druvan
        events:                        # or events_file: events.jsonl (relative to the test file)
          - {at: 33m, kind: role.granted, actor: {id: "1", name: Johan, type: person},
             object: {user: {id: "9", name: Mr X}, tasks: [MANAGE]}}
          - {at: 1h, repeat: 30, every: 1m, kind: comment.created,   # 30 events, 1 min apart;
             object: {comment_id: "c{i}", message: "hej"}}           # "{i}" in a string is the repetition number
        until: 2h                      # run the clock this far past start
        rules: [hijack.manage_granted] # compare only these rules' alerts (default: all)
        expect:
          - {at: 33m, status: firing, rule: hijack.manage_granted, severity: critical, labels: {user: Mr X}}
          # a silenced one: {at: ..., status: suppressed, reason: silenced, rule: ...}

Expected alerts match produced ones in order on the fields they give
(``expect: []`` says the rules must stay quiet). A rule file may carry the
same ``tests:`` list inline; ``sentinel test DIR`` runs both kinds of file.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sentinel.config.schema import PageConfig
from sentinel.config.types import parse_duration
from sentinel.config.yamlpos import load_yaml
from sentinel.errors import ConfigError, Issue
from sentinel.events.codec import event_from_json, iter_lines, parse_time
from sentinel.model import AlertTransition, Event
from sentinel.rules.build import build_engine
from sentinel.rules.ruleset import RuleSet, load_rules, shipped_rules_dir
from sentinel.rules.silences import Silence, SilenceConfig, silences_from_config


@dataclass(frozen=True, slots=True)
class CaseResult:
    file: str
    name: str
    ok: bool
    diff: str = ""


def _time(v: Any, start: datetime | None) -> datetime:
    if isinstance(v, datetime):
        return v
    if isinstance(v, timedelta):
        if start is None:
            raise ValueError("an offset needs the case's 'start'")
        return start + v
    if start is not None and not (isinstance(v, str) and "T" in v):
        return start + parse_duration(v)
    return parse_time(str(v))


def _subst(v: Any, i: int) -> Any:
    if isinstance(v, str):
        return v.replace("{i}", str(i))
    if isinstance(v, Mapping):
        return {k: _subst(x, i) for k, x in v.items()}
    if isinstance(v, list):
        return [_subst(x, i) for x in v]
    return v


def _expand(raw: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One event entry, or ``repeat`` copies of it ``every`` apart (``{i}`` in strings: 0, 1, ...)."""
    d = dict(raw)
    n = int(d.pop("repeat", 1))
    every = parse_duration(d.pop("every", "0s"))
    if n < 1 or n > 100_000:
        raise ValueError(f"repeat must be 1..100000, not {n}")
    if n == 1:
        return [d]
    first = parse_duration(d.pop("at", d.pop("time", "0s")))
    out = []
    for i in range(n):
        c = _subst(d, i)
        c["at"] = first + every * i
        out.append(c)
    return out


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
    expanded = [d for raw in case.get("events", []) for d in _expand(raw)]
    for i, d in enumerate(expanded):
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
    for k in ("status", "rule", "severity", "page", "reason"):
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
    days = f"{s // 86400}d" if s >= 86400 else ""
    return f"{sign}{days}{s % 86400 // 3600}h{s % 3600 // 60:02d}m{s % 60:02d}s"


def _as_dict(t: AlertTransition) -> dict[str, Any]:
    return {
        "time": t.time,
        "status": t.status.value,
        "rule": t.rule,
        "severity": t.severity.value,
        "page": t.page,
        "labels": dict(t.labels),
        "reason": t.reason,
    }


def _matches(exp: Mapping[str, Any], got: Mapping[str, Any]) -> bool:
    for k, v in exp.items():
        if k == "labels":
            if any(got["labels"].get(lk) != str(lv) for lk, lv in v.items()):
                return False
        elif got.get(k) != v:
            return False
    return True


def run_case(
    rules: RuleSet,
    pages: Sequence[PageConfig],
    case: Mapping[str, Any],
    base: Path,
    file: str,
    *,
    silences: Sequence[Silence] = (),
) -> CaseResult:
    name = str(case.get("name", "unnamed"))
    start = _time(case["start"], None) if "start" in case else None
    engine = build_engine(rules, pages, silences, metrics=False)
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
    if not data.get("tests"):
        return []  # a rule file without inline tests
    base = path.parent
    # a rule file with inline tests: its own rules on top of the shipped ones (a shipped pack only once)
    if "rules" in data:
        rule_paths = [] if path.resolve().parent == shipped_rules_dir().resolve() else [path]
    else:
        rule_paths = [base / str(p) for p in data.get("rule_files", [])]
    rules = load_rules(rule_paths, include_shipped=bool(data.get("include_shipped", True)))
    pages = []
    for i, p in enumerate(data.get("pages", [])):
        try:
            pages.append(PageConfig.model_validate(p))
        except ValueError as e:
            raise ConfigError([positions.issue(("pages", i), _first_error(e))]) from None
    silences = []
    for i, sc in enumerate(data.get("silences", [])):
        try:
            silences.append(SilenceConfig.model_validate(sc))
        except ValueError as e:
            raise ConfigError([positions.issue(("silences", i), _first_error(e))]) from None
    muted = silences_from_config(silences)
    out = []
    for case in data.get("tests", []):
        try:
            out.append(run_case(rules, pages, case, base, str(path), silences=muted))
        except (KeyError, ValueError, OSError) as e:
            out.append(CaseResult(str(path), str(case.get("name", "unnamed")), False, f"bad test case: {e}"))
    return out


def _first_error(e: ValueError) -> str:
    lines = str(e).splitlines()
    return " ".join(x.strip() for x in lines[1:3]) if len(lines) > 2 else lines[0]


def test_files(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*.y*ml") if f.is_file())
        else:
            out.append(p)
    return out


def exercised(files: Sequence[Path]) -> tuple[set[str], set[str]]:
    """Rule ids the test cases of ``files`` expect to fire, and ids they check stay quiet.

    A case checks that a rule stays quiet when it names the rule in ``rules:``
    and expects no firing of it.
    """
    fired: set[str] = set()
    quiet: set[str] = set()
    for path in files:
        data, _, issues = load_yaml(path.read_text(encoding="utf-8"), str(path))
        if issues:
            raise ConfigError(issues)
        if not isinstance(data, dict):
            continue
        for case in data.get("tests") or []:
            fires = {str(e.get("rule")) for e in case.get("expect") or [] if e.get("status") == "firing"}
            fired |= fires
            quiet |= {str(r) for r in case.get("rules") or []} - fires
    return fired, quiet
