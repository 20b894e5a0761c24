#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Red-team scenario set rt7: 20 seeded, labelled Sentinel scenarios (variants of the dev kinds).

    python3 gen.py OUTDIR [--only NAME] [--check]

Writes OUTDIR/<scenario>/{events.jsonl,config.yaml,truth.json,README.md}. Deterministic: fixed seeds,
no wall clock, stdlib only. --check prints the generator's own self-checks (SLA breaches outside labels).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cal import fmt  # noqa: E402
from common import trap  # noqa: E402
import scen_hijack  # noqa: E402
import scen_crisis  # noqa: E402
import scen_sla_health  # noqa: E402
import scen_quiet  # noqa: E402
from sim import TD  # noqa: E402

BUILDERS = scen_hijack.BUILDERS + scen_crisis.BUILDERS + scen_sla_health.BUILDERS + scen_quiet.BUILDERS


def build(name, fn):
    s, incs, traps, about = fn()
    # answers that were given while Sentinel was blind are never seen: a customer-unanswered alert there is false
    for a, b in s.outages:
        unseen = [x for x in s.unseen_answers() if a <= x[2] < b]
        if unseen:
            traps.append(trap(s, "blind_unseen_answers", a, b, "info", ["sla"]))
    for i, inc in enumerate(incs, 1):
        inc["id"] = f"{name}-i{i}"
    for i, t in enumerate(traps, 1):
        t["id"] = f"{name}-t{i}"
    incs = [{k: inc[k] for k in ["id", "page", "category", "type", "start", "end", "min_severity", "max_delay_s", "onset"]
             if k in inc} for inc in incs]
    traps = [{k: t[k] for k in ["id", "page", "type", "start", "end", "max_severity", "categories"]} for t in traps]
    truth = {"scenario": name, "pages": [s.p["key"]],
             "span": {"start": s.out[0]["time"], "end": s.out[-1]["time"]},
             "incidents": incs, "traps": traps}
    return s, truth, about


def self_check(name, s, truth):
    """the generator's own view: every question it wrote is answered within the SLA, except inside labelled SLA incidents."""
    import datetime as dt
    probs = []
    sla = [(dt.datetime.fromisoformat(i["start"]), dt.datetime.fromisoformat(i["end"]))
           for i in truth["incidents"] if i["category"] == "sla"]
    for tq, dl, ta, what in s.breaches():
        if not any(a <= dl <= b for a, b in sla):
            probs.append(f"{name}: unlabelled breach {fmt(tq, s.tz)} deadline {fmt(dl, s.tz)} answered {fmt(ta, s.tz)} {what}")
    return probs


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = args[0]
    only = None
    if "--only" in argv:
        only = argv[argv.index("--only") + 1]
        args = [a for a in args if a != only]
    check = "--check" in argv
    os.makedirs(out, exist_ok=True)
    problems = []
    for name, fn in BUILDERS:
        if only and only != name:
            continue
        s, truth, about = build(name, fn)
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "events.jsonl"), "w", encoding="utf-8", newline="\n") as f:
            f.write(s.lines())
        with open(os.path.join(d, "config.yaml"), "w", encoding="utf-8", newline="\n") as f:
            f.write(s.config_yaml())
        with open(os.path.join(d, "truth.json"), "w", encoding="utf-8", newline="\n") as f:
            json.dump(truth, f, ensure_ascii=False, indent=1)
            f.write("\n")
        p = s.p
        with open(os.path.join(d, "README.md"), "w", encoding="utf-8", newline="\n") as f:
            f.write(f"# {name}\n{about}\nPage `{p['key']}` ({p['tz']}, language `{p['lang']}`), {p['days']} days from "
                    f"{p['start'].isoformat()}; {len(s.out)} events. Labelled: "
                    + ("; ".join(f"{i['type']} {i['start']} – {i['end']}" for i in truth["incidents"]) or "no incident")
                    + ". Traps: " + ("; ".join(f"{t['type']} {t['start']} – {t['end']} (max {t['max_severity']})"
                                               for t in truth["traps"]) or "none") + ".\n")
        problems += self_check(name, s, truth)
        if check:
            print(f"{name}: {len(s.out)} events, incidents {len(truth['incidents'])}, traps {len(truth['traps'])}", file=sys.stderr)
    for pr in problems:
        print("self-check: " + pr, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
