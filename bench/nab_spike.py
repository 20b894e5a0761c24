"""NAB realTweets through Sentinel's shipped crisis rules.

Each ``../shared/nab/data/*.csv`` series (Twitter mentions per 5 minutes)
becomes ``comment.created`` events on one page (each 5-minute count spread
evenly over its 5 minutes, neutral text). The events go through the shipped
rules, and a NAB result CSV gets ``anomaly_score`` 1.0 on the row where a
``crisis`` alert of any severity started firing, else 0.0. Then
``nab_score.py --threshold 0.5`` scores them.

    python bench/nab_spike.py [--nab DIR] [--rules DIR] [--out DIR] [--path engine|detector]

``--path engine`` (the default) runs every rule of the rules directory
through ``RuleEngine``, as the product does; ``--path detector`` feeds the
``rate_spike`` rules of ``rules/crisis.yaml`` straight to the detector (same
frozen parameters, no match expressions, no ``for:``): a faster path for
tuning.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PAGE = "nab"
NEUTRAL = "Kommentar"   # no lexicon word: sentiment 0


def read_series(path: Path) -> list[tuple[datetime, int]]:
    rows = []
    with path.open(newline="") as f:
        for r in csv.DictReader(f):
            t = datetime.fromisoformat(r["timestamp"]).replace(tzinfo=UTC)
            rows.append((t, int(float(r["value"]))))
    return rows


def spread(rows: list[tuple[datetime, int]]) -> Iterator[tuple[int, datetime]]:
    """(row index, event time): each row's count spread evenly over its 5 minutes."""
    for i, (t, n) in enumerate(rows):
        for k in range(n):
            yield i, t + timedelta(seconds=(k + 0.5) * 300.0 / n)


@dataclass(frozen=True, slots=True)
class _Raw:
    id: str
    time: datetime
    object: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Lite:
    """What ``rate_spike`` reads of an enriched event (detector path only)."""

    event: _Raw
    local_time: datetime
    sentiment: float = 0.0


def crisis_rate_rules(rules_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    from ruamel.yaml import YAML

    out = []
    for f in sorted(rules_dir.glob("*.yaml")):
        doc = YAML(typ="safe").load(f.read_text(encoding="utf-8")) or {}
        for rule in doc.get("rules", []) if isinstance(doc, dict) else []:
            det = rule.get("detect") or {}
            if rule.get("category") == "crisis" and det.get("type") == "rate_spike" and not det.get("by"):
                out.append((str(rule["id"]), dict(det)))
    return out


def run_detector(rows: list[tuple[datetime, int]], rules: list[tuple[str, dict[str, Any]]]) -> tuple[set[int], int]:
    import sentinel.rules  # noqa: F401  (import order: detectors.common imports the rule engine)
    from sentinel.detectors.rate_spike import RateSpikeDetector

    dets = [(RateSpikeDetector({k: v for k, v in d.items() if k != "type"}), None) for _, d in rules]
    states = [d.new_state() for d, _ in dets]
    fired: set[int] = set()
    n = 0
    for i, t in spread(rows):
        n += 1
        ev = _Lite(_Raw(f"nab:{n}", t, {"post_id": "p1", "message": NEUTRAL}), t)
        for (d, _), st in zip(dets, states, strict=True):
            due = d.next_due(st)
            if due is not None and due <= t:
                d.advance(st, t)
            for sig in d.observe(st, ev, t):
                if sig.active and sig.severity is None:
                    fired.add(i)
    return fired, n


def run_engine(rows: list[tuple[datetime, int]], rules_dir: Path) -> tuple[set[int], int]:
    """Every shipped rule, through the real engine; the rows where a crisis alert started firing."""
    from sentinel.config.schema import PageConfig
    from sentinel.model import Actor, AlertStatus, Category, Event
    from sentinel.rules import RuleEngine, load_rules

    engine = RuleEngine(load_rules([rules_dir], include_shipped=False), lambda page: PageConfig(id=page))
    visitor = Actor(id="nab-visitor", name="Visitor", type="person")
    firing: set[str] = set()
    fired: set[int] = set()
    n = 0
    for i, t in spread(rows):
        n += 1
        ev = Event(id=f"nab:{n}", time=t, platform="twitter", page=PAGE, kind="comment.created", actor=visitor,
                   object={"comment_id": f"c{n}", "post_id": "p1", "parent_id": None, "message": NEUTRAL,
                           "links": []})
        for tr in engine.process(ev, t):
            if tr.category != Category.CRISIS:
                continue
            if tr.status == AlertStatus.FIRING and tr.fingerprint not in firing:
                firing.add(tr.fingerprint)
                fired.add(i)
            elif tr.status == AlertStatus.RESOLVED:
                firing.discard(tr.fingerprint)
    return fired, n


def write_result(path: Path, rows: list[tuple[datetime, int]], fired: set[int]) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "value", "anomaly_score"])
        for i, (t, v) in enumerate(rows):
            w.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), v, "1.0" if i in fired else "0.0"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nab", type=Path, default=SHARED / "nab")
    ap.add_argument("--rules", type=Path, default=ROOT / "rules")
    ap.add_argument("--out", type=Path, default=Path("/tmp/nab_results"))
    ap.add_argument("--path", choices=["engine", "detector"], default="engine")
    ap.add_argument("--no-score", action="store_true")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rules = crisis_rate_rules(args.rules)
    if args.path == "detector" and not rules:
        print(f"no crisis rate_spike rule in {args.rules}", file=sys.stderr)
        return 2
    for csv_path in sorted((args.nab / "data").glob("*.csv")):
        rows = read_series(csv_path)
        t0 = time.perf_counter()
        fired, n = run_detector(rows, rules) if args.path == "detector" else run_engine(rows, args.rules)
        dt = time.perf_counter() - t0
        write_result(args.out / csv_path.name, rows, fired)
        print(f"{csv_path.name}: {n} events, {len(fired)} onsets, {n / dt:,.0f} events/s", file=sys.stderr)
    if args.no_score:
        return 0
    cmd = [sys.executable, str(SHARED / "tools" / "nab_score.py"), str(args.out),
           "--windows", str(args.nab / "labels-dev.json"), "--threshold", "0.5", "--per-file"]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
