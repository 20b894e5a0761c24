#!/usr/bin/env python3
"""What each shipped rule costs per event, by event kind (the rule engine alone, in this process).

    python bench/rule_cost.py --events big.jsonl --config pages.yaml --limit 400000

The events are parsed first (not timed); then the engine runs over them once with none of the
``--rules`` switched on (the base: plans, enrichment, page knowledge) and once with each rule alone.
Each row is the time that rule adds per event of that kind, in µs (perf_counter around the engine
call; single runs, so a few tenths of a µs are noise, and much more for kinds with few events, such
as posts). The first row runs them all together, which is less than the sum where rules share
enrichment (sentiment, local time).

    python bench/rule_cost.py --events big.jsonl --config pages.yaml --conditions

prices the conditions alone instead: each condition of the shipped rules (``when``, ``severity_when`` and
the detectors' expressions), specialised to the kind and page as the engine plans it, evaluated on every
event of its rule's kinds through ``Expr`` (the fast path where it answers) and through CEL alone
(``Expr.cel``), in µs per evaluation, with the share of events the fast path answers by itself. (The
detectors evaluate some of them on fewer events: the SLA keys only for an event that opens or closes.)
"""

from __future__ import annotations

import argparse
import collections
import itertools
import time
from pathlib import Path

from sentinel.conditions.expr import Expr
from sentinel.conditions.fast import Defer
from sentinel.config.schema import page_resolver
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.events.codec import parse_line
from sentinel.model import Event
from sentinel.pipeline.stream import quiet_gc
from sentinel.rules import RuleEngine, load_rules
from sentinel.settings import Config, load_config

HOT = ["crisis.volume_spike", "crisis.negative_surge", "crisis.post_surge", "sla.unanswered", "health.silent_source"]
KINDS = ["reaction.created", "comment.created", "message.received", "message.sent", "post.created"]


def run(events: list[Event], config: Config, disabled: list[str]) -> dict[str, float]:
    """µs per event by kind, every rule of the shipped packs on except ``disabled``."""
    engine = RuleEngine(
        load_rules([], include_shipped=True, disabled=disabled), page_resolver(config.pages), metrics=False
    )
    spent: collections.Counter[str] = collections.Counter()
    count: collections.Counter[str] = collections.Counter()
    clock = time.perf_counter
    last = None
    with quiet_gc():
        for ev in events:
            now = ev.time if last is None or ev.time > last else last
            last = now
            started = clock()
            due = engine.next_due()
            if due is not None and due <= now:  # as the replay does: every timer due by now, earliest first
                while (due := engine.next_due()) is not None and due <= now:
                    engine.advance(due)
                    if engine.next_due() == due:
                        break
            engine.process(ev, now)
            spent[ev.kind] += clock() - started
            count[ev.kind] += 1
    return {k: 1e6 * spent[k] / count[k] for k in count}


def shipped_conditions() -> dict[str, tuple[Expr, frozenset[str]]]:
    """The shipped rules' conditions by text, each with the kinds of event it is evaluated on."""
    out: dict[str, tuple[Expr, frozenset[str]]] = {}
    for rule in load_rules([], include_shipped=True).rules:
        exprs = [rule.when] if rule.when is not None else []
        exprs += [e for e, _ in rule.severity_when]
        exprs += [v for v in getattr(rule.default.detector, "__dict__", {}).values() if isinstance(v, Expr)]
        for e in exprs:
            out[e.text] = (e, out.get(e.text, (e, frozenset()))[1] | rule.kinds)
    return out


def price_conditions(events: list[Event], config: Config) -> None:
    """Each condition's µs per evaluation over the events of its rules' kinds, specialised to the kind and page
    as the engine plans it: through ``Expr`` (the fast path where it answers) and through CEL alone; and the
    share of those events the fast path answers by itself (the rest it leaves to CEL: an error, a null ...)."""
    resolve = page_resolver(config.pages)
    print(f"{'µs per evaluation':>10}{'Expr':>8}{'CEL':>8}{'fast':>7}  condition (evaluations)")
    for text, (expr, kinds) in shipped_conditions().items():
        mine = [ev for ev in events if ev.kind in kinds or "*" in kinds]
        planned: dict[tuple[str, str], Expr] = {}
        spent = {False: 0.0, True: 0.0}
        answered = 0
        with quiet_gc():
            for ev in mine:
                special = planned.get((ev.kind, ev.page))
                if special is None:
                    special = planned[ev.kind, ev.page] = expr.specialize({"kind": ev.kind, "page": ev.page})
                know = PageKnowledge()
                for cel_alone in (False, True):
                    e = Enriched(ev, resolve(ev.page), know)  # (a new one each: features are computed once)
                    started = time.perf_counter()
                    special.cel(e) if cel_alone else special.outcome(e)
                    spent[cel_alone] += time.perf_counter() - started
                answered += special.fast is not None and _answers(special, Enriched(ev, resolve(ev.page), know))
        n = max(len(mine), 1)
        short = " ".join(text.split())
        short = short if len(short) <= 70 else short[:67] + "..."
        print(f"{1e6 * spent[False] / n:18.2f}{1e6 * spent[True] / n:8.2f}{100 * answered / n:6.0f}%  {short} ({n:,})")


def _answers(expr: Expr, scope: Enriched) -> bool:
    try:
        expr.fast(scope)  # type: ignore[misc]
    except Defer:
        return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", required=True, help="events JSONL (e.g. from sentinel simulate)")
    ap.add_argument("--config", help="page config")
    ap.add_argument("--limit", type=int, default=400_000, help="first N events (default 400,000)")
    ap.add_argument("--rules", nargs="+", default=HOT, help="the rules to price (default: the hot five)")
    ap.add_argument("--conditions", action="store_true", help="price the conditions: fast path and CEL alone")
    args = ap.parse_args()
    config = load_config(args.config) if args.config else Config()
    with Path(args.events).open("rb") as f:
        events = [parse_line(line) for line in itertools.islice(f, args.limit)]
    kinds = [k for k in KINDS if any(e.kind == k for e in events)]
    if args.conditions:
        print(f"{len(events):,} events; the shipped rules' conditions")
        price_conditions(events, config)
        return
    print(f"{len(events):,} events; µs per event of each kind; base = none of the {len(args.rules)} rules")
    run(events[:50_000], config, [])  # load what loads on first use (the language model) before timing
    base = run(events, config, args.rules)
    print(f"{'':28}" + "".join(f"{k:>18}" for k in kinds))
    print(f"{'base':28}" + "".join(f"{base[k]:>18.1f}" for k in kinds))
    rows = [("all of them", []), *((r, [x for x in args.rules if x != r]) for r in args.rules)]
    for name, disabled in rows:
        cost = run(events, config, disabled)
        print(f"{'+ ' + name:28}" + "".join(f"{cost[k] - base[k]:>18.1f}" for k in kinds))


if __name__ == "__main__":
    main()
