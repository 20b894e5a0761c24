"""Complaints told as facts: Sentinel's own labelled sentences, scored as the crisis rules count them.

    python3 bench/complaint_cases.py                 # both splits, per language
    python3 bench/complaint_cases.py --misses        # and the develop split's misses (never look at held-out's)

Reads ``tests/enrich/complaint_cases.jsonl``: sentences written for Sentinel (not taken from any labelled set),
in English, Swedish, Danish and Norwegian, each labelled ``complaint`` (a service failure or waiting: the crisis
rules should count it as negative) or ``not`` (near misses: a question whether something works, what is only
pending, a negated complaint, praise for what finally came). The ``develop`` half was read while the
constructions of ``sentinel/enrich/complaints.py`` were mended; the ``held-out`` half was written at the same
time, by the same writer, and only scored. Prints, per split and language, how many are read right and the
precision and recall of ``negative`` for complaints.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sentinel.enrich.sentiment import score_on_page  # noqa: E402

CASES = ROOT / "tests" / "enrich" / "complaint_cases.jsonl"
NEGATIVE_BELOW = -0.25  # rules/crisis.yaml


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--misses", action="store_true", help="list the develop split's misses")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    print("split     lang   n  right  neg P  neg R")
    for split in ("develop", "held-out"):
        for lang in ("en", "sv", "da", "no", "all"):
            sel = [r for r in rows if r["split"] == split and lang in (r["lang"], "all")]
            tp = fp = fn = right = 0
            for r in sel:
                neg = score_on_page(r["text"], r["lang"]) <= NEGATIVE_BELOW
                gold = r["label"] == "complaint"
                right += neg == gold
                tp += neg and gold
                fp += neg and not gold
                fn += gold and not neg
            p = tp / (tp + fp) if tp + fp else 0.0
            rc = tp / (tp + fn) if tp + fn else 0.0
            print(f"{split:9} {lang:4} {len(sel):3} {right:6} {p:6.3f} {rc:6.3f}")
    if args.misses:
        for r in rows:
            if r["split"] != "develop":
                continue
            s = score_on_page(r["text"], r["lang"])
            if (s <= NEGATIVE_BELOW) != (r["label"] == "complaint"):
                print(f"miss {r['lang']} {r['label']:9} {s:+.3f} {r['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
