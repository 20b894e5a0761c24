"""Reactions as the Graph poller reports them, against reactions as webhooks report them: does the crisis side see
the same?

    python bench/polled_reactions.py             # the dev scenarios, reads every 25 s, 5 and 15 min
    python bench/polled_reactions.py --every 900 ../shared/scenarios/dev/dev-03
    python bench/polled_reactions.py --simulate 11 --crisis storm   # 10 simulated pages x 28 days, one storm

A webhook names each reaction, its reactor and its time. The poller reads counts per post and type
(``docs/sources.md``, Reactions): what a count grew by between two reads becomes that many events with no actor,
spread evenly between the reads, and reactions to comments are not counted at all. This script rewrites each
scenario's reactions that way for a fixed read interval (reads on a grid from the scenario's first event: a page
busy or quiet all along), replays both versions with ``sentinel replay`` and prints, per scenario, when
``crisis.angry_reactions`` first fired in each and the scorer's line (``../shared/tools/score.py``). The page's
own reactions to comments (the SLA's "seen") are gone in the polled version too, so the SLA figures move with it;
the crisis rule is what this measures. With ``--simulate SEED`` it runs on ``sentinel simulate`` pages instead
(no truth there: the rule's firings are printed, each page's first, and their number).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RULE = "crisis.angry_reactions"


def polled(events: list[dict[str, Any]], every: float) -> list[dict[str, Any]]:
    """``events`` with their reactions rewritten as a poller reading every ``every`` seconds reports them, in time
    order. Reactions to a post (a ``post.created`` of the scenario) are counted per read, type and post; those to
    anything else are dropped."""
    posts = {e["object"].get("post_id") for e in events if e["kind"] == "post.created"}
    start = min(_t(e) for e in events)
    out = [e for e in events if e["kind"] != "reaction.created"]
    grown: dict[tuple[int, str, str, str], int] = defaultdict(int)  # (read, page, post, type) -> new
    for e in events:
        target = e["object"].get("target_id")
        if e["kind"] == "reaction.created" and target in posts:
            read = int((_t(e) - start).total_seconds() // every) + 1  # the first read at or after it
            grown[(read, e["page"], target, str(e["object"].get("reaction", "")).lower())] += 1
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    for (read, page, post, kind), n in sorted(grown.items()):
        at = start + timedelta(seconds=read * every)
        first = seen[(page, post, kind)] + 1
        seen[(page, post, kind)] += n
        for i in range(n):
            out.append(
                {
                    "id": f"fb:reaction:{post}:polled:{kind}:{first + i}",
                    "time": (at - timedelta(seconds=every * (n - 1 - i) / n)).isoformat(),
                    "platform": "facebook",
                    "page": page,
                    "kind": "reaction.created",
                    "actor": None,
                    "object": {"target_id": post, "reaction": kind},
                }
            )
    return sorted(out, key=_t)


def _t(e: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(e["time"]).replace("Z", "+00:00")).astimezone(UTC)


def replay(config: Path, events: list[dict[str, Any]], tmp: Path, name: str) -> tuple[Path, list[dict[str, Any]]]:
    ev, out = tmp / f"{name}.events.jsonl", tmp / f"{name}.jsonl"
    ev.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    with out.open("wb") as f:
        cmd = [sys.executable, "-m", "sentinel", "replay", "--config", str(config), "--no-progress", str(ev)]
        subprocess.run(cmd, stdout=f, check=True, cwd=ROOT)
    return out, [json.loads(line) for line in out.open(encoding="utf-8")]


def first_firing(alerts: list[dict[str, Any]]) -> str:
    times = [
        a["time"] for a in alerts if a.get("type") == "alert" and a.get("status") == "firing" and a.get("rule") == RULE
    ]
    return ", ".join(t[:16] for t in times[:3]) + (f" (+{len(times) - 3})" if len(times) > 3 else "") or "never"


def simulated(seed: int, pages: int, crisis: str | None, tmp: Path) -> Path:
    """A ``sentinel simulate`` scenario as a folder of ``events.jsonl`` and ``config.yaml`` (no hijack)."""
    folder = tmp / f"sim-{seed}"
    folder.mkdir()
    cmd = [sys.executable, "-m", "sentinel", "simulate", "--pages", str(pages), "--days", "28", "--seed", str(seed)]
    cmd += ["--no-hijack", "-q", "-o", str(folder / "events.jsonl"), "--config-out", str(folder / "config.yaml")]
    subprocess.run(cmd + (["--crisis", crisis] if crisis else []), check=True, cwd=ROOT)
    return folder


def firings(alerts: list[dict[str, Any]]) -> str:
    """Without a truth: each page's first firing of the rule, and how many there were."""
    fired = [a for a in alerts if a.get("type") == "alert" and a.get("status") == "firing" and a.get("rule") == RULE]
    first: dict[str, str] = {}
    for a in fired:
        first.setdefault(a["page"], a["time"][:16])
    return f"{len(fired)} firings on {len(first)} pages" + "".join(f"; {p} {t}" for p, t in sorted(first.items()))


def result(truth: Path, out: Path, alerts: list[dict[str, Any]]) -> str:
    """The rule's firings, and the scorer's line where the scenario has a truth."""
    if truth.exists():
        return f"{RULE}: {first_firing(alerts)}; {score(truth, out)}"
    return f"{RULE}: {firings(alerts)}"


def score(truth: Path, alerts: Path) -> str:
    cmd = [sys.executable, str(SHARED / "tools" / "score.py"), str(truth), str(alerts)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenarios", nargs="*", type=Path, help="scenario folders (default: ../shared/scenarios/dev/*)")
    ap.add_argument("--every", default="25,300,900", help="read intervals in seconds, comma-separated")
    ap.add_argument("--simulate", type=int, metavar="SEED", help="simulated pages of this seed instead")
    ap.add_argument("--pages", type=int, default=10, help="with --simulate: how many (default 10)")
    ap.add_argument("--crisis", help="with --simulate: a crisis on the first page (storm, slow-burn, ...)")
    args = ap.parse_args()
    intervals = [float(x) for x in args.every.split(",")]
    print("python bench/polled_reactions.py " + " ".join(sys.argv[1:]))
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.simulate is not None:
            folders = [simulated(args.simulate, args.pages, args.crisis, tmp)]
        else:
            folders = args.scenarios or sorted(p for p in (SHARED / "scenarios" / "dev").iterdir() if p.is_dir())
        for folder in folders:
            events = [json.loads(line) for line in (folder / "events.jsonl").open(encoding="utf-8") if line.strip()]
            config, truth = folder / "config.yaml", folder / "truth.json"
            got = replay(config, events, tmp, folder.name)
            print(f"{folder.name} webhooks      {result(truth, *got)}")
            for every in intervals:
                got = replay(config, polled(events, every), tmp, f"{folder.name}-{every:g}")
                print(f"{folder.name} polled {every:4g} s {result(truth, *got)}")


if __name__ == "__main__":
    main()
