"""NAB realTweets through Sentinel's shipped crisis rules.

Each ``../shared/nab/data/*.csv`` series (Twitter mentions per 5 minutes)
becomes ``comment.created`` events on one page (each 5-minute count spread
evenly over its 5 minutes, neutral text). The events go through the shipped
rules, and a NAB result CSV gets ``anomaly_score`` 1.0 on the row where a
``crisis`` alert of any severity started firing, else 0.0. Then
``nab_score.py --threshold 0.5`` scores them.

    python bench/nab_spike.py                        # the shipped rules as they are
    python bench/nab_spike.py --grid false_alarms=1,2,3,4,8 --grid hold_for=0s,10m,20m
    python bench/nab_spike.py --thin 0.2             # the same series on a page a fifth the size
    python bench/nab_spike.py --nab ~/NAB/data/realTweets --labels ~/NAB/labels/combined_windows.json

It prints, per series, the NAB standard-profile score (fixed threshold 0.5,
normalised per series and over all of them) in-sample and leave-one-series-out:
every value that ``--grid`` offers is chosen on the other series (by their
summed raw score) and scored on the held-out one. Without ``--grid`` nothing is
chosen here and the two columns agree; that says nothing about the values the
rule file already holds (how they were chosen: docs/crisis-detectors.md); only
series the detector was not built on measure them.

``--path detector`` (the default) feeds the crisis volume rules of the rules
directory straight to their detectors (no match expressions, no ``for:``);
``--path engine`` runs every rule through ``RuleEngine``, as the product does
(no ``--set``/``--grid``).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
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
NEUTRAL = "Kommentar"  # no lexicon word: sentiment 0


def read_series(path: Path) -> list[tuple[datetime, int]]:
    rows = []
    with path.open(newline="") as f:
        for r in csv.DictReader(f):
            t = datetime.fromisoformat(r["timestamp"]).replace(tzinfo=UTC)
            rows.append((t, int(float(r["value"]))))
    return rows


def thin(rows: list[tuple[datetime, int]], p: float, seed: str, draw: int = 0) -> list[tuple[datetime, int]]:
    """Each count thinned binomially (each tweet kept with probability ``p``): the same series on a smaller page;
    ``draw`` picks another of the many such pages (0: the one the figures in the docs were measured on)."""
    if p >= 1.0:
        return rows
    rng = random.Random(f"{seed}:{p}" if draw == 0 else f"{seed}:{p}:{draw}")
    return [(t, sum(rng.random() < p for _ in range(n))) for t, n in rows]


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

    @property
    def local_offset(self) -> timedelta | None:
        return self.local_time.utcoffset()


VOLUME_TYPES = ("rate_spike", "surge")


def crisis_rate_rules(rules_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    from ruamel.yaml import YAML

    out = []
    for f in sorted(rules_dir.glob("*.yaml")):
        doc = YAML(typ="safe").load(f.read_text(encoding="utf-8")) or {}
        for rule in doc.get("rules", []) if isinstance(doc, dict) else []:
            det = rule.get("detect") or {}
            if rule.get("category") == "crisis" and det.get("type") in VOLUME_TYPES and not det.get("by"):
                out.append((str(rule["id"]), dict(det)))
    return out


def due_signals(detector: Any, state: Any, t: datetime) -> list[Any]:
    """The detector's timers due up to ``t``, each run at its own due time, as the product's pipeline runs them (a
    detector asked later sees a count decayed further, possibly under its gate: asked at the next event instead,
    a quiet page's surge pending ``hold_for`` was dropped here that the product reports)."""
    out: list[Any] = []
    for _ in range(100):
        due = detector.next_due(state)
        if due is None or due > t:
            break
        out += detector.advance(state, due)
        if detector.next_due(state) == due:
            break  # not moved on: asked again at the next event, as the pipeline does
    return out


def run_detector(rows: list[tuple[datetime, int]], rules: list[tuple[str, dict[str, Any]]]) -> tuple[set[int], int]:
    import sentinel.rules  # noqa: F401  (import order: detectors.common imports the rule engine)
    from sentinel.detectors.registry import DETECTORS

    dets = [DETECTORS[d["type"]]({k: v for k, v in d.items() if k != "type"}, None) for _, d in rules]
    states = [d.new_state() for d in dets]
    fired: set[int] = set()
    n = 0
    for i, t in spread(rows):
        n += 1
        ev = _Lite(_Raw(f"nab:{n}", t, {"post_id": "p1", "message": NEUTRAL}), t)
        for d, st in zip(dets, states, strict=True):
            for sig in due_signals(d, st, t) + list(d.observe(st, ev, t)):
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
        ev = Event(
            id=f"nab:{n}",
            time=t,
            platform="twitter",
            page=PAGE,
            kind="comment.created",
            actor=visitor,
            object={"comment_id": f"c{n}", "post_id": "p1", "parent_id": None, "message": NEUTRAL, "links": []},
        )
        timed: list[Any] = []
        while (due := engine.next_due()) is not None and due <= t:  # each timer at its own due time, as Pipeline
            timed += engine.advance(due)
            if engine.next_due() == due:
                break
        for tr in timed + engine.process(ev, t):
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


def score_dir(out: Path, labels: Path) -> dict[str, float]:
    """NAB standard-profile raw score per series (fixed threshold 0.5) of the result CSVs in ``out``."""
    report = out / "score.json"
    cmd = [
        sys.executable,
        str(SHARED / "tools" / "nab_score.py"),
        str(out),
        "--windows",
        str(labels),
        "--threshold",
        "0.5",
        "--allow-missing",
        "--json",
        str(report),
    ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    per_file = json.loads(report.read_text())["profiles"]["standard"]["per_file"]
    return {Path(r["file"]).name: float(r["raw"]) for r in per_file}


def find_series(folder: Path, labels: Path | None) -> tuple[Path, list[Path], dict[str, int]]:
    """The windows file, the series CSVs that it labels and each one's number of windows; ``ValueError`` says what
    is missing. NAB's own layout (``data/realTweets/*.csv``, ``labels/combined_windows.json``) works as well as
    ``../shared/nab``'s; series the windows file does not name are left out, and said so."""
    if labels is None:
        found = (
            [folder / "labels-dev.json"] if (folder / "labels-dev.json").is_file() else sorted(folder.rglob("*.json"))
        )
        if len(found) != 1:
            raise ValueError(f"{folder}: give the windows file with --labels (found {len(found)} .json files)")
        labels = found[0]
    try:
        named = json.loads(labels.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{labels}: {e}") from None
    windows = {Path(k).name: len(v) for k, v in named.items()}
    csvs = sorted(folder.rglob("*.csv"), key=lambda p: p.name)
    series = [p for p in csvs if p.name in windows and windows[p.name] > 0]
    for p in csvs:
        if p not in series:
            why = "no windows in" if p.name in windows else "not in"
            print(f"nab_spike: {p} left out: {why} {labels.name}", file=sys.stderr)
    if not series:
        raise ValueError(f"{folder}: no CSV series that {labels.name} gives windows for")
    return labels, series, windows


def normalized(raw: float, windows: int) -> float:
    """NAB's normalisation (standard profile: a miss costs 1, a hit earns at most 1 per window)."""
    return 100.0 * (raw + windows) / (2.0 * windows)


def parse_grid(items: list[str]) -> list[dict[str, Any]]:
    """``key=v1,v2`` items -> every combination, as detect-block overrides."""
    combos: list[dict[str, Any]] = [{}]
    for item in items:
        key, _, values = item.partition("=")
        combos = [{**c, key: _value(v)} for c in combos for v in values.split(",")]
    return combos


def _value(v: str) -> Any:
    try:
        return float(v)
    except ValueError:
        return v


def _change(detect: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """The detect block with ``over`` applied; another ``type`` starts from that type's defaults."""
    if over.get("type", detect["type"]) != detect["type"]:
        return dict(over)
    return {**detect, **over}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--nab",
        type=Path,
        default=SHARED / "nab",
        help="a folder of NAB series: its CSVs (in data/ or anywhere below it) and their windows (see --labels)",
    )
    ap.add_argument(
        "--labels",
        type=Path,
        help="the windows file, NAB's combined_windows.json format (default: labels-dev.json in --nab, else the one "
        "*.json there)",
    )
    ap.add_argument("--rules", type=Path, default=ROOT / "rules")
    ap.add_argument("--out", type=Path, default=Path("/tmp/nab_results"))
    ap.add_argument("--path", choices=["engine", "detector"], default="detector")
    ap.add_argument(
        "--thin",
        type=float,
        default=1.0,
        metavar="P",
        help="keep each tweet with probability P (a smaller page with the same labelled windows; seeded per series)",
    )
    ap.add_argument(
        "--draw",
        type=int,
        default=0,
        metavar="N",
        help="with --thin: another random thinning (0, the default, is the one the docs quote); one draw's score "
        "moves by a labelled spike found or lost, so compare settings over several",
    )
    ap.add_argument("--rule", default="crisis.volume_spike", help="the rule that --set and --grid change")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="replace a key of the rule's detect block (e.g. type=surge); repeatable",
    )
    ap.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="KEY=V1,V2",
        help="values to choose from on the data (leave-one-series-out); repeatable",
    )
    args = ap.parse_args(argv)
    try:
        labels, series, windows = find_series(args.nab, args.labels)
    except ValueError as e:
        print(f"nab_spike: {e}", file=sys.stderr)
        return 2
    rules = crisis_rate_rules(args.rules)
    if not any(rid == args.rule for rid, _ in rules):
        print(f"no crisis volume rule {args.rule} in {args.rules}", file=sys.stderr)
        return 2
    base = dict(parse_grid(args.set)[0])
    if args.path == "engine" and (args.grid or base):
        print("--set and --grid need --path detector", file=sys.stderr)
        return 2
    combos = parse_grid(args.grid)
    raws: list[dict[str, float]] = []  # per combination: series -> raw score
    for k, combo in enumerate(combos):
        over = {**base, **combo}
        use = [(rid, _change(d, over) if rid == args.rule else d) for rid, d in rules]
        out = args.out / f"c{k}"
        shutil.rmtree(out, ignore_errors=True)  # an earlier run's series are not scored again
        out.mkdir(parents=True)
        for csv_path in series:
            rows = thin(read_series(csv_path), args.thin, csv_path.name, args.draw)
            t0 = time.perf_counter()
            fired, n = run_detector(rows, use) if args.path == "detector" else run_engine(rows, args.rules)
            dt = time.perf_counter() - t0
            write_result(out / csv_path.name, rows, fired)
            print(
                f"  {over or 'as shipped'} {csv_path.name}: {n} events, {len(fired)} onsets, {n / dt:,.0f} events/s",
                file=sys.stderr,
            )
        raws.append(score_dir(out, labels))
    names = [p.name for p in series]
    total_w = sum(windows[n] for n in names)
    print(f"NAB standard profile, threshold 0.5; rule {args.rule} {base or '(as shipped)'}")
    print(f"{'series':28} {'in-sample':>10} {'leave-one-out':>14}  chosen on the other series")
    loo_raw = ins_raw = 0.0
    best_all = max(range(len(combos)), key=lambda k: sum(raws[k].values()))
    for name in names:
        others = [m for m in names if m != name]
        pick = max(range(len(combos)), key=lambda k: sum(raws[k][m] for m in others))
        loo_raw += raws[pick][name]
        ins_raw += raws[best_all][name]
        print(
            f"{name:28} {normalized(raws[best_all][name], windows[name]):10.1f} "
            f"{normalized(raws[pick][name], windows[name]):14.1f}  {combos[pick] or '(nothing chosen)'}"
        )
    print(
        f"{f'all {len(names)}':28} {normalized(ins_raw, total_w):10.1f} {normalized(loo_raw, total_w):14.1f}"
        f"  in-sample choice: {combos[best_all] or '(nothing chosen)'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
