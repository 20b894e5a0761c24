"""The labelled scenarios made into others of their kind: thinned, moved a year, or busier; replayed and scored.

    python bench/scenario_variants.py                          # thin: visitors kept at 85/70/50 %, 8 draws each
    python bench/scenario_variants.py --keep 0.5 --draws 4 --only dev-01
    python bench/scenario_variants.py --variant shift          # every time moved 364 days on and back
    python bench/scenario_variants.py --variant overlay        # each page with another page's visitors added
    python bench/scenario_variants.py --variant zone           # the pages moved to other time zones

The held-out scenarios are of the same kinds as the dev ones (``../shared/scenarios/dev``: folders with
``events.jsonl``, ``config.yaml`` and ``truth.json``) but not the same pages or days. These variants are the
nearest things to them that can be made from what is here. Each variant scenario is replayed with the shipped
rules (``sentinel replay``) and scored by the set's own scorer (``../shared/tools/score.py``): incidents found and
on time, and false alarms (warning or above that match no incident and no trap), by category.

- **thin** (a smaller page): every visitor's comment and reaction kept with probability ``--keep``; the page's own
  posts and replies, messages, admin and source events all kept. Draw ``N`` of a scenario is the same every run.
- **shift** (other days): every event and truth time moved by ``--days`` (364: the same weekdays, other holidays and
  DST dates), on and back.
- **overlay** (a busier page): each scenario with every other one's visitors' comments and reactions added,
  moved by whole weeks to its span and renamed to its page. The other scenario's incidents (from 12 hours before
  each to a day after it) are left out, so what is added is ordinary life, and so are its comments that ask for
  an answer (``sentinel enrich``'s ``asks_reply``): the page's team never saw them.
- **zone** (a page elsewhere): the page's ``timezone`` set to each of ``--zones``, and every event and truth time
  moved to the same local wall time there (a customer who writes at 21:00 in Stockholm writes at 21:00 in Tokyo);
  the holidays stay the scenario's. What holds in Stockholm should hold there: a difference is the product reading
  UTC where it means local time, or a zone's other DST dates (a wall time that does not exist there is moved on).

What the bench does itself, not the rules; read the results with it in mind:

- an incident that starts at one visitor's comment (an SLA backlog's first overdue question) moves when thinning
  drops that comment, and is then late;
- the team's answers follow the scenario's own calendar, so when a shift turns its holidays into working days the
  questions it left unanswered then are overdue (SLA warnings).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sentinel.enrich.asks import asks_reply  # noqa: E402

SCORER = ROOT.parent / "shared" / "tools" / "score.py"
VISITORS = ("comment.created", "reaction.created")

Lines = Callable[[Path], Iterator[str]]  # a variant: the scenario folder -> its variant's event lines


def _visitor(e: dict) -> bool:
    return e.get("kind") in VISITORS and (e.get("actor") or {}).get("type") == "person"


def _t(s: str) -> datetime:
    return datetime.fromisoformat(s)


def thinned(keep: float, draw: int) -> Lines:
    def lines(s: Path) -> Iterator[str]:
        rng = random.Random(f"{s.name}:{draw}")
        with (s / "events.jsonl").open(encoding="utf-8") as f:
            yield from (line for line in f if not (_visitor(json.loads(line)) and rng.random() >= keep))

    return lines


def shifted(delta: timedelta) -> Lines:
    def lines(s: Path) -> Iterator[str]:
        with (s / "events.jsonl").open(encoding="utf-8") as f:
            for line in f:
                e = json.loads(line)
                e["time"] = (_t(e["time"]) + delta).isoformat()
                yield json.dumps(e, ensure_ascii=False) + "\n"

    return lines


def shift_truth(truth: dict, move: Callable[[datetime], datetime]) -> dict:
    moved = {k: move(_t(v)).isoformat() for k, v in truth["span"].items()}
    items = [
        {k: move(_t(v)).isoformat() if k in ("start", "end", "onset") else v for k, v in x.items()}
        for x in truth.get("incidents", []) + truth.get("traps", [])
    ]
    n = len(truth.get("incidents", []))
    return {**truth, "span": moved, "incidents": items[:n], "traps": items[n:]}


def _rezoned(t: datetime, zone: ZoneInfo) -> datetime:
    """``t``'s wall time in its own offset, at the same wall time in ``zone`` (a time the clocks skip is moved on)."""
    return t.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def rezoned(page_zone: str, zone: ZoneInfo) -> Lines:
    home = ZoneInfo(page_zone)

    def lines(s: Path) -> Iterator[str]:
        with (s / "events.jsonl").open(encoding="utf-8") as f:
            for line in f:
                e = json.loads(line)
                e["time"] = _rezoned(_t(e["time"]).astimezone(home), zone).isoformat()
                yield json.dumps(e, ensure_ascii=False) + "\n"

    return lines


def _page_zone(s: Path) -> str:
    found = re.findall(r"(?m)^\s*timezone: (\S+)", (s / "config.yaml").read_text(encoding="utf-8"))
    if len(set(found)) != 1:
        raise SystemExit(f"{s}: the zone variant needs one time zone for the scenario's pages, found {found}")
    return found[0]


def overlaid(other: Path) -> Lines:
    """The scenario's events with ``other``'s visitors added (outside ``other``'s incidents), moved by whole weeks
    to the scenario's start and renamed to its page."""

    def lines(s: Path) -> Iterator[str]:
        truth, theirs = (json.loads((x / "truth.json").read_text()) for x in (s, other))
        start, end = _t(truth["span"]["start"]), _t(truth["span"]["end"])
        weeks = round((start - _t(theirs["span"]["start"])) / timedelta(weeks=1))
        delta, page = timedelta(weeks=weeks), truth["pages"][0]
        out = []
        with (s / "events.jsonl").open(encoding="utf-8") as f:
            out += [(_t(json.loads(line)["time"]), 0, i, line) for i, line in enumerate(f)]
        left_out = [
            (_t(x.get("onset", x["start"])) - timedelta(hours=12), _t(x["end"]) + timedelta(days=1))
            for x in theirs.get("incidents", [])
        ]
        with (other / "events.jsonl").open(encoding="utf-8") as f:
            for i, line in enumerate(f):
                e = json.loads(line)
                t = _t(e["time"])
                if not _visitor(e) or any(a <= t < b for a, b in left_out) or not start <= t + delta <= end:
                    continue
                o = e.get("object") or {}
                if asks_reply(o.get("message") or ""):
                    continue
                for k in ("comment_id", "post_id", "parent_id"):
                    if o.get(k):
                        o[k] = "overlay" + o[k]
                e |= {"time": (t + delta).isoformat(), "page": page, "id": "overlay:" + e["id"]}
                out.append((t + delta, 1, i, json.dumps(e, ensure_ascii=False) + "\n"))
        yield from (r[3] for r in sorted(out, key=lambda r: r[:3]))

    return lines


Move = Callable[[datetime], datetime] | None  # how a variant moves the truth's times (None: not at all)
Variant = tuple[Path, Lines, Move] | tuple[Path, Lines, Move, str]  # and the pages' time zone, if it changes it


def score(variants: list[Variant], work: Path) -> list[dict]:
    """Write, replay and score each (scenario, variant lines, truth move[, time zone]); the scorer's JSON per
    scenario."""
    shutil.rmtree(work, ignore_errors=True)
    (work / "alerts").mkdir(parents=True)
    for k, (s, lines, move, *zone) in enumerate(variants):
        d = work / "set" / f"{s.name}.{k}"
        d.mkdir(parents=True)
        config = (s / "config.yaml").read_text(encoding="utf-8")
        for z in zone:
            config = re.sub(r"(?m)^(\s*)timezone: .*$", rf"\g<1>timezone: {z}", config)
        (d / "config.yaml").write_text(config, encoding="utf-8")
        truth = json.loads((s / "truth.json").read_text())
        (d / "truth.json").write_text(json.dumps(shift_truth(truth, move) if move else truth))
        with (d / "events.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(lines(s))
        with (work / "alerts" / f"{d.name}.jsonl").open("w") as out:
            cmd = [sys.executable, "-m", "sentinel", "replay", "--no-progress", "--config", str(d / "config.yaml")]
            subprocess.run([*cmd, str(d / "events.jsonl")], stdout=out, cwd=ROOT, check=True)
    cmd = [sys.executable, str(SCORER), "--dir", str(work / "set"), "--alerts-dir", str(work / "alerts"), "--json"]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)["scenarios"]


def report(title: str, results: list[dict], runs: int) -> None:
    found = on_time = total = 0
    late: Counter[str] = Counter()
    false: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    for sc in results:
        name = sc["scenario"].rsplit(".", 1)[0]
        for inc in sc["incidents"]:
            total += 1
            found += inc["detected"]
            on_time += bool(inc["on_time"])
            if not inc["on_time"]:
                late[f"{inc['id']} ({inc['type']}): {'late' if inc['detected'] else 'missed'}"] += 1
        for fa in sc["false_alarms"]:
            by_category[fa["category"]] += 1
            false[f"{name} {fa['rule']} {fa['severity']} {fa['time'][:16]}"] += 1
    n = sum(false.values())
    cats = ", ".join(f"{c} {k}" for c, k in sorted(by_category.items())) or "none"
    print(f"{title}: incidents found {found}/{total}, on time {on_time}/{total}; false alarms {n} ({cats})")
    for what, k in sorted(late.items()):
        print(f"  {what} in {k} of {runs}")
    for what, k in sorted(false.items()):
        print(f"  false alarm {what} in {k} of {runs}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=("thin", "shift", "overlay", "zone"), default="thin", help="default: thin")
    ap.add_argument("--dir", type=Path, default=ROOT.parent / "shared" / "scenarios" / "dev", help="the scenario set")
    ap.add_argument("--keep", default="0.85,0.7,0.5", help="thin: shares of visitors' events kept, comma-separated")
    ap.add_argument("--draws", type=int, default=8, help="thin: random draws per share (default 8)")
    ap.add_argument("--days", type=int, default=364, help="shift: days to move, on and back (default 364)")
    ap.add_argument(
        "--zones", default="Asia/Tokyo,America/New_York,Australia/Sydney", help="zone: IANA time zones, comma-separated"
    )
    ap.add_argument("--only", default="", help="scenario folders to run, comma-separated (default: all)")
    args = ap.parse_args(argv)
    only = {x for x in args.only.split(",") if x}
    scenarios = sorted(p.parent for p in args.dir.glob("*/truth.json") if not only or p.parent.name in only)
    if not scenarios:
        ap.error(f"{args.dir}: no scenario folder (with truth.json){' named ' + args.only if only else ''}")
    print(" ".join(["python bench/scenario_variants.py", *(sys.argv[1:] if argv is None else argv)]), flush=True)
    none = None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "run"
        if args.variant == "thin":
            for keep in (float(x) for x in args.keep.split(",")):
                results = []
                for draw in range(args.draws):
                    results += score([(s, thinned(keep, draw), none) for s in scenarios], work)
                report(f"visitors kept {keep:.0%}, {args.draws} draws", results, args.draws)
        elif args.variant == "shift":
            for days in (args.days, -args.days):
                delta = timedelta(days=days)
                variants: list[Variant] = [(s, shifted(delta), lambda t, d=delta: t + d) for s in scenarios]
                report(f"moved {days:+d} days", score(variants, work), 1)
        elif args.variant == "zone":
            for name in args.zones.split(","):
                zone = ZoneInfo(name)
                variants = []
                for s in scenarios:
                    home = ZoneInfo(_page_zone(s))
                    move = lambda t, h=home, z=zone: _rezoned(t.astimezone(h), z)  # noqa: E731
                    variants.append((s, rezoned(_page_zone(s), zone), move, name))
                report(f"the pages in {name}", score(variants, work), 1)
        else:
            for s in scenarios:
                others = [o for o in sorted(args.dir.glob("*/truth.json")) if o.parent != s]
                variants = [(s, overlaid(o.parent), none) for o in others]
                report(f"{s.name} with each other page's visitors ({len(others)})", score(variants, work), len(others))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
