#!/usr/bin/env python3
"""What the ``rate_spike`` detector itself costs per event: each shipped ``rate_spike`` rule alone.

    python bench/rate_spike_cost.py --events big.jsonl --config pages.yaml --limit 200000

The events are parsed and enriched first, and the enrichment the detector reads (local time,
sentiment) is worked out before timing, so the figures are the detector's own work: ``observe`` for
each event the rule's ``when`` lets through, and ``advance`` whenever a surge's timer is due (per
page, as the engine would run it). As in the engine, each event is wrapped afresh just before the
detector sees it (a wrapper made long before would be out of the CPU's caches): the time of the
same loop without the detector is taken off. CPU time (``process_time``), the least of ``--reps``
runs. The digest of the signals shows that a change to the detector left its decisions alone.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from sentinel.config.schema import PageConfig, page_resolver
from sentinel.detectors.base import QUIET, Signal
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.events.codec import parse_line
from sentinel.model import Event
from sentinel.pipeline.stream import quiet_gc
from sentinel.rules import load_rules
from sentinel.rules.ruleset import CompiledRule
from sentinel.settings import Config, load_config

Prepared = tuple[Event, PageConfig, PageKnowledge, datetime, float]


def prepare(path: Path, limit: int, config: Config, rule: CompiledRule) -> list[Prepared]:
    """The events among the first ``limit`` that ``rule`` sees, each with its page, the page's knowledge and
    the enrichment the detector reads (learned and worked out as the engine would)."""
    resolve = page_resolver(config.pages)
    pages: dict[str, tuple[PageConfig, PageKnowledge]] = {}
    out = []
    with path.open("rb") as f:
        for line in itertools.islice(f, limit):
            event = parse_line(line)
            page = pages.get(event.page)
            if page is None:
                page = pages[event.page] = (resolve(event.page), PageKnowledge())
            e = Enriched(event, *page)
            if event.kind in rule.kinds and (rule.when is None or rule.when.test(e)):
                out.append((event, *page, e.local_time, e.sentiment))
            page[1].learn(e)
    return out


def run(detector: Any, events: list[Prepared]) -> tuple[float, int, str]:
    """CPU seconds for ``detector`` over ``events`` (or for the loop alone: None), the number of signals and
    their digest."""
    states: dict[str, list[Any]] = {}  # page -> [state, the detector's next_due]
    signals: list[Signal] = []
    last = None
    with quiet_gc():
        started = time.process_time()
        for event, page, knowledge, local_time, sentiment in events:
            now = last = event.time if last is None or event.time > last else last  # the replay's clock
            e = Enriched(event, page, knowledge)
            e.__dict__.update(local_time=local_time, sentiment=sentiment)  # what ``Enriched`` caches them as
            if detector is None:
                continue
            slot = states.get(event.page)
            if slot is None:
                slot = states[event.page] = [detector.new_state(), None]
            state, due = slot
            while due is not None and due <= now:  # the engine's timer
                signals += detector.advance(state, due)
                due = slot[1] = detector.next_due(state)
            out = detector.observe(state, e, now)
            if out is not QUIET:  # as the engine: only then may the due time have moved
                signals += out
                slot[1] = detector.next_due(state)
        spent = time.process_time() - started
    digest = hashlib.sha1(repr([(s.at, s.active, s.severity, s.labels, s.values) for s in signals]).encode())
    return spent, len(signals), digest.hexdigest()[:12]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", required=True, help="events JSONL (e.g. from sentinel simulate)")
    ap.add_argument("--config", help="page config")
    ap.add_argument("--limit", type=int, default=200_000, help="first N events (default 200,000)")
    ap.add_argument("--reps", type=int, default=3, help="runs per rule; the least CPU time counts (default 3)")
    args = ap.parse_args()
    config = load_config(args.config) if args.config else Config()
    rules = [r for r in load_rules([], include_shipped=True).rules if r.detect_type == "rate_spike"]
    print(f"first {args.limit:,} events; CPU µs per event the rule sees (least of {args.reps} runs)")
    for rule in rules:
        events = prepare(Path(args.events), args.limit, config, rule)
        loop = min(run(None, events)[0] for _ in range(args.reps))
        spent, n, digest = min(run(rule.default.detector, events) for _ in range(args.reps))
        print(
            f"{rule.id:28} {len(events):>9,} events {1e6 * (spent - loop) / len(events):8.2f} µs   {n:>5} signals  "
            f"{digest}"
        )


if __name__ == "__main__":
    main()
