"""Volume alarms per page-month on simulated pages (``sentinel simulate``): every alarm on normal weeks is false.

    python bench/volume_pages.py EVENTS.jsonl [--set KEY=VALUE ...] [--list]

Feeds each page's visitor comments to one volume detector (``crisis.volume_spike`` of ``rules/crisis.yaml`` as
shipped, or with ``--set`` overrides, e.g. ``--set hold_for=0s``) and prints the onsets per page-month, overall and
for the pages with the most (``--list``: each onset too).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nab_spike


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("events", type=Path)
    ap.add_argument("--rules", type=Path, default=nab_spike.ROOT / "rules")
    ap.add_argument("--rule", default="crisis.volume_spike")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--list", action="store_true", help="also print each onset: page, time, count, expected")
    args = ap.parse_args(argv)
    import sentinel.rules  # noqa: F401
    from sentinel.detectors.registry import DETECTORS

    detect = dict(next(d for rid, d in nab_spike.crisis_rate_rules(args.rules) if rid == args.rule))
    detect = nab_spike._change(detect, nab_spike.parse_grid(args.set)[0])
    det = DETECTORS[detect["type"]]({k: v for k, v in detect.items() if k != "type"}, None)
    states: dict[str, object] = {}
    onsets: Counter[str] = Counter()
    first: dict[str, datetime] = {}
    last: dict[str, datetime] = {}
    with args.events.open() as f:
        for line in f:
            d = json.loads(line)
            if d["kind"] != "comment.created" or d["actor"].get("type") != "person":
                continue
            t = datetime.fromisoformat(d["time"])
            page = d["page"]
            st = states.get(page)
            if st is None:
                st = states[page] = det.new_state()
                first[page] = t
            last[page] = t
            ev = nab_spike._Lite(nab_spike._Raw(d["id"], t, d["object"]), t)
            for s in nab_spike.due_signals(det, st, t) + list(det.observe(st, ev, t)):
                if s.active and s.severity is None:
                    onsets[page] += 1
                    if args.list:
                        print(f"  {page} {s.at.isoformat()} count {s.values['count']} expected {s.values['baseline']}")
    months = sum((last[p] - first[p]).total_seconds() for p in states) / (30 * 86400.0)
    total = sum(onsets.values())
    print(
        f"{detect}: {len(states)} pages, {months:.1f} page-months, {total} onsets, "
        f"{total / months:.2f} per page-month; most: {onsets.most_common(5)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
