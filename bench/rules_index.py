#!/usr/bin/env python3
"""Rule index: per-event evaluation time of the shipped rules, then with 200 rules for other kinds.

    python bench/rules_index.py                    # 2 pages x 21 days of `sentinel.simulate`, best of 5
    python bench/rules_index.py --pages 5 --days 28 --repeat 5 --extra 500

The engine indexes rules by event kind and page, so rules that match kinds the
stream does not contain must cost (nearly) nothing: the acceptance of issue 3 is
"adding 200 rules that match other kinds does not slow the hot path measurably".
Each figure is the best of ``--repeat`` interleaved runs of a fresh ``RuleEngine`` over the
same events (``engine.process(event, event.time)``, timers included), in
microseconds per event. A control run adds the same number of rules matching
the stream's own kinds (with a condition that never holds), to show that the
bench does see rules that are evaluated. Exit 1 when ``other/shipped`` is above
``--max-ratio`` (default 1.15).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from sentinel.config.schema import PageConfig
from sentinel.model import Event
from sentinel.rules import RuleEngine, RuleSet, load_rules
from sentinel.simulate.spec import ScenarioSpec, page_configs
from sentinel.simulate.stream import generate


def extra_rules(n: int, kinds: Sequence[str]) -> str:
    """``n`` rules spread over ``kinds``, each with a condition and a threshold detector."""
    out = ["rules:"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        out.append(
            f"- id: bench.r{i}\n  category: other\n  severity: info\n"
            f"  match: {{kinds: [{kind}], when: 'lang == \"xx{i}\" && size(domains) > 0'}}\n"
            f"  detect: {{type: threshold, window: 10m, min: 5}}"
        )
    return "\n".join(out) + "\n"


def per_event_us(rules: RuleSet, events: Sequence[Event], pages: Callable[[str], PageConfig], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        engine = RuleEngine(rules, pages)
        started = time.perf_counter()
        for ev in events:
            engine.process(ev, ev.time)
        best = min(best, time.perf_counter() - started)
    return best / len(events) * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--pages", type=int, default=2)
    ap.add_argument("--days", type=int, default=21)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--extra", type=int, default=200, help="rules to add (default 200)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure; the best counts (default 5)")
    ap.add_argument("--max-ratio", type=float, default=1.15)
    ap.add_argument("--no-control", action="store_true", help="skip the control run (rules on the stream's kinds)")
    args = ap.parse_args(argv)

    spec = ScenarioSpec(pages=args.pages, days=args.days, seed=args.seed, hijack=args.days >= 7, crisis=True)
    events = list(generate(spec))
    configs = {c.id: c for c in (PageConfig.model_validate(p) for p in page_configs(spec))}

    def pages(pid: str) -> PageConfig:
        return configs.get(pid) or PageConfig(id=pid)

    kinds = Counter(e.kind for e in events)
    print(
        f"stream: {len(events)} events, {args.pages} page(s) x {args.days} days, seed {args.seed}; "
        f"kinds: {', '.join(f'{k} {n}' for k, n in kinds.most_common())}"
    )
    shipped = load_rules([])
    with tempfile.TemporaryDirectory(prefix="sentinel-bench-") as tmp:
        other_dir = Path(tmp, "other")
        other_dir.mkdir()
        (other_dir / "other.yaml").write_text(extra_rules(args.extra, [f"bench.other{i}" for i in range(50)]))
        other = load_rules([other_dir])
        same = None
        if not args.no_control:
            same_dir = Path(tmp, "same")
            same_dir.mkdir()
            (same_dir / "same.yaml").write_text(extra_rules(args.extra, sorted(kinds)))
            same = load_rules([same_dir])

    per_event_us(shipped, events[: min(len(events), 2000)], pages, 1)  # warm up (imports, CEL caches)
    base = with_other = float("inf")
    for _ in range(args.repeat):  # interleaved, so that load from elsewhere on the machine hits both alike
        base = min(base, per_event_us(shipped, events, pages, 1))
        with_other = min(with_other, per_event_us(other, events, pages, 1))
    ratio = with_other / base
    print(f"{f'shipped rules ({len(shipped.rules)})':<46} {base:8.1f} us/event")
    print(
        f"{f'+ {args.extra} rules for other kinds ({len(other.rules)})':<46} {with_other:8.1f} us/event  "
        f"ratio {ratio:.3f}"
    )
    if same is not None:
        control = per_event_us(same, events, pages, 1)
        print(
            f"{f'control: + {args.extra} rules for its own kinds':<46} {control:8.1f} us/event  "
            f"ratio {control / base:.3f}"
        )
    if ratio > args.max_ratio:
        print(f"FAIL: rules for other kinds slowed evaluation by {ratio:.2f}x (> {args.max_ratio})", file=sys.stderr)
        return 1
    print(f"ok: ratio {ratio:.3f} <= {args.max_ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
