#!/usr/bin/env python3
"""rt5 red-team scenario generator for Sentinel.  Usage: python3 gen.py OUTDIR   (deterministic; stdlib only)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import scen_a  # noqa: E402
import scen_b  # noqa: E402
import scen_c  # noqa: E402


def main():
    if len(sys.argv) != 2:
        print("usage: gen.py OUTDIR", file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    fns = scen_a.SCENARIOS + scen_b.SCENARIOS + scen_c.SCENARIOS
    for i, fn in enumerate(fns, 1):
        sid = f"rt5-{i:02d}"
        sc = fn(sid)
        # baseline questions must all be answered in time except labelled SLA incidents
        sla = any(x["category"] == "sla" for x in sc.incidents)
        for p in sc.pages:
            late = [q for q in p.late_questions() if q[3] not in ("followup",)]
            if late and not sla:
                raise SystemExit(f"{sid}: {len(late)} unlabelled late questions on {p.key}, first {p.iso(late[0][0])}")
        n = sc.write(out)
        print(f"{sid}: {n} events, {len(sc.incidents)} incidents, {len(sc.traps)} traps", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
