"""``sentinel cluster status``: the replicas sharing a PostgreSQL store, the pages each holds, lease ages."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from sentinel.clock import SystemClock
from sentinel.cluster.status import Status, read_status
from sentinel.commands import add_config_option, open_store_for_reading, read_config
from sentinel.logs import configure
from sentinel.settings import Config

HELP = "the replicas sharing the store, their pages and lease ages"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("cluster", help=HELP, description="Several replicas on one PostgreSQL store.")
    verbs = p.add_subparsers(title="what", metavar="WHAT", required=True)
    s = verbs.add_parser("status", help=HELP, description=HELP[0].upper() + HELP[1:] + ".")
    add_config_option(s, "the config file, whose store is read")
    s.add_argument("--json", action="store_true", help="one JSON object")
    s.add_argument("--pages", type=int, default=10, help="pages listed per replica (default 10; 0: all)")
    s.set_defaults(func=run_status)


def run_status(args: argparse.Namespace) -> int:
    configure(level="warning")
    root = read_config(args)
    return asyncio.run(_status(root, args))


async def _status(root: Config, args: argparse.Namespace) -> int:
    db = await open_store_for_reading(root)
    now = SystemClock().now()
    try:
        status = await read_status(db, now)
    finally:
        await db.close()
    if status is None:
        print("no cluster: the store is not PostgreSQL, or no replica has run on it yet", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(status.to_json(now)))
        return 0
    print(render(status, now.timestamp(), args.pages))
    return 0


def render(status: Status, t: float, per_replica: int) -> str:
    lines = [f"{'REPLICA':<24} {'HEARTBEAT':>10} {'PAGES':>6}  PAGE (held for / renewed ago / expires in)"]
    for rep in status.replicas:
        beat = t - rep.heartbeat
        pages = rep.pages if per_replica <= 0 else rep.pages[:per_replica]
        shown = ", ".join(f"{p.page} ({t - p.acquired:.0f}s/{t - p.renewed:.0f}s/{p.expires - t:.0f}s)" for p in pages)
        more = len(rep.pages) - len(pages)
        lines.append(
            f"{rep.id:<24} {beat:>9.0f}s {len(rep.pages):>6}  {shown}{f', ... {more} more' if more > 0 else ''}"
        )
    if status.unowned:
        names = ", ".join(r.page for r in status.unowned[:20])
        lines.append(f"unowned (free, or its holder stopped renewing): {len(status.unowned)}: {names}")
    return "\n".join(lines)
