#!/usr/bin/env python3
"""What the worker's undo of a failed batch costs: the rule engine's ``begin``/``commit`` around each batch.

    python bench/worker_undo.py --events big.jsonl --config pages.yaml          # e.g. replay_throughput's files
    python bench/worker_undo.py --events big.jsonl --config pages.yaml --warm 300000 --measure 20000

The engine first takes ``--warm`` events (not timed), so that its state is that of a daemon that has run a while.
Then two engines restored from the same snapshot each take the next ``--measure`` events in batches of ``--batch``
sizes (1: a live daemon, one event per batch; 500: a backlog, the worker's largest batch): one plain, one with
``begin``/``commit`` around each batch (each page the batch changes is copied, as JSON, before its first change).
Printed: microseconds per event of each and the difference per batch; and, for scale, what a full snapshot of
the engine costs (the worker's commit already takes one per batch; a second per batch was the obvious fix).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from pathlib import Path

import orjson

from sentinel.events.codec import parse_line
from sentinel.model import Event
from sentinel.pipeline.stream import quiet_gc
from sentinel.rules.build import build_engine, load_ruleset
from sentinel.rules.engine import RuleEngine
from sentinel.settings import load_config


def run(engine: RuleEngine, events: list[Event], batch: int, undo: bool) -> float:
    """Seconds to process ``events`` in batches of ``batch``, with ``begin``/``commit`` around each if ``undo``."""
    started = time.perf_counter()
    for i in range(0, len(events), batch):
        if undo:
            engine.begin()
        for ev in events[i : i + batch]:
            engine.process(ev, ev.time)
        if undo:
            engine.commit()
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=Path, required=True)
    ap.add_argument("--config", type=Path, required=True)
    ap.add_argument("--warm", type=int, default=300_000)
    ap.add_argument("--measure", type=int, default=20_000)
    ap.add_argument("--batch", type=int, nargs="+", default=[1, 500])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    cfg = load_config(args.config)
    rules = load_ruleset(cfg.rules)
    with args.events.open("rb") as f:
        lines = list(itertools.islice(f, args.warm + args.measure))
    events = [parse_line(line) for line in lines]
    warm, measured = events[: args.warm], events[args.warm :]
    engine = build_engine(rules, cfg.pages, metrics=False)
    with quiet_gc():
        for ev in warm:
            engine.process(ev, ev.time)
    snap = orjson.loads(orjson.dumps(engine.snapshot()))
    took = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        text = orjson.dumps(engine.snapshot())
        took.append(time.perf_counter() - t0)
    print(
        f"engine after {len(warm):,} events: {len(cfg.pages)} pages, {len(snap['detectors']):,} detector states, "
        f"{len(snap['alerts'])} alerts; a full snapshot (+ JSON) takes {statistics.median(took) * 1e3:.1f} ms, "
        f"{len(text) / 1e6:.1f} MB"
    )
    for batch in args.batch:
        plain, undo = [], []
        for _ in range(args.repeat):
            for use, into in ((False, plain), (True, undo)):
                eng = build_engine(rules, cfg.pages, metrics=False)
                eng.restore(snap)
                with quiet_gc():
                    into.append(run(eng, measured, batch, use))
        p, u = statistics.median(plain), statistics.median(undo)
        n, batches = len(measured), -(-len(measured) // batch)
        print(
            f"batches of {batch:>3}: plain {p / n * 1e6:7.1f} us/event, with undo {u / n * 1e6:7.1f} us/event "
            f"({(u - p) / p * 100:+.1f} %, {(u - p) / batches * 1e3:+.3f} ms per batch)"
        )


if __name__ == "__main__":
    main()
