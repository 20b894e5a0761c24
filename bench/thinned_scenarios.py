"""Labelled scenarios on smaller pages: the visitors' comments and reactions thinned at random, replayed and scored.

    python bench/thinned_scenarios.py                     # ../shared/scenarios/dev, keep 85/70/50 %, 8 draws
    python bench/thinned_scenarios.py --keep 0.5 --draws 4 --only dev-01

The held-out scenarios are of the same kinds as the dev ones but not the same pages: a page half as busy, or a
crisis with fewer people in it, is the nearest thing to them that can be made from what is here. Each scenario of
the set (a folder with ``events.jsonl``, ``config.yaml`` and ``truth.json``) is copied with each visitor's comment
and reaction kept with probability ``--keep`` (the page's own posts and replies, messages, admin and source events
are all kept), replayed with the shipped rules (``sentinel replay``) and scored by the set's own scorer
(``../shared/tools/score.py``): incidents found and on time, false alarms (warning or above that match no incident
and no trap). Draw ``N`` of a scenario is the same every run.

Read the late incidents with their type: an incident whose start is a visitor's comment (an SLA backlog's first
overdue question) moves when that comment is thinned away, and is then late by the bench's doing, not the rules'.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "tools" / "score.py"
THINNED = ("comment.created", "reaction.created")


def thin(src: Path, dst: Path, keep: float, rng: random.Random) -> None:
    """Copy the events, each visitor's comment and reaction kept with probability ``keep``."""
    with src.open(encoding="utf-8") as f, dst.open("w", encoding="utf-8") as out:
        for line in f:
            e = json.loads(line)
            visitor = (e.get("actor") or {}).get("type") == "person"
            if e.get("kind") in THINNED and visitor and rng.random() >= keep:
                continue
            out.write(line)


def run(scenarios: list[Path], keep: float, draw: int, work: Path) -> list[dict]:
    """Thin, replay and score each scenario; the scorer's JSON per scenario."""
    sets, alerts = work / "set", work / "alerts"
    shutil.rmtree(work, ignore_errors=True)
    alerts.mkdir(parents=True)
    for s in scenarios:
        (sets / s.name).mkdir(parents=True)
        for name in ("config.yaml", "truth.json"):
            shutil.copy(s / name, sets / s.name / name)
        thin(s / "events.jsonl", sets / s.name / "events.jsonl", keep, random.Random(f"{s.name}:{draw}"))
        with (alerts / f"{s.name}.jsonl").open("w") as out:
            cmd = [sys.executable, "-m", "sentinel", "replay", "--no-progress", "--config"]
            cmd += [str(sets / s.name / "config.yaml"), str(sets / s.name / "events.jsonl")]
            subprocess.run(cmd, stdout=out, cwd=ROOT, check=True)
    cmd = [sys.executable, str(SCORER), "--dir", str(sets), "--alerts-dir", str(alerts), "--json"]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)["scenarios"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=ROOT.parent / "shared" / "scenarios" / "dev", help="the scenario set")
    ap.add_argument("--keep", default="0.85,0.7,0.5", help="shares of visitors' events kept, comma-separated")
    ap.add_argument("--draws", type=int, default=8, help="random draws per share (default 8)")
    ap.add_argument("--only", default="", help="scenario folders to run, comma-separated (default: all)")
    args = ap.parse_args(argv)
    only = {x for x in args.only.split(",") if x}
    scenarios = sorted(p.parent for p in args.dir.glob("*/truth.json") if not only or p.parent.name in only)
    if not scenarios:
        ap.error(f"{args.dir}: no scenario folder (with truth.json){' named ' + args.only if only else ''}")
    print(f"python bench/thinned_scenarios.py --dir {args.dir} --keep {args.keep} --draws {args.draws}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for keep in (float(x) for x in args.keep.split(",")):
            found = on_time = total = 0
            false: Counter[str] = Counter()
            late: Counter[str] = Counter()
            for draw in range(args.draws):
                for sc in run(scenarios, keep, draw, Path(tmp) / "run"):
                    for inc in sc["incidents"]:
                        total += 1
                        found += inc["detected"]
                        on_time += bool(inc["on_time"])
                        if not inc["on_time"]:
                            late[f"{inc['id']} ({inc['type']}): {'late' if inc['detected'] else 'missed'}"] += 1
                    for fa in sc["false_alarms"]:
                        false[f"{sc['scenario']} {fa['rule']} {fa['severity']} {fa['time'][:16]}"] += 1
            n = sum(false.values())
            print(
                f"keep {keep:.0%}, {args.draws} draws: incidents found {found}/{total}, on time {on_time}/{total}, "
                f"false alarms {n} ({n / args.draws:.2f} a draw)"
            )
            for what, k in sorted(late.items()):
                print(f"  {what} in {k} of {args.draws} draws")
            for what, k in sorted(false.items()):
                print(f"  false alarm {what} in {k} of {args.draws} draws")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
