"""``sentinel incidents`` (open incidents) and ``sentinel incident ID`` (one, with its timeline)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from sentinel.escalation.loader import load_oncall
from sentinel.incidents import Incident, IncidentManager
from sentinel.logs import configure
from sentinel.store import open_database

HELP_LIST = "list open incidents"
HELP_ONE = "show one incident with its timeline"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("incidents", help=HELP_LIST, description=HELP_LIST[0].upper() + HELP_LIST[1:] + ".")
    p.add_argument("--config", "-c", required=True, metavar="FILE", help="the config file (its store is read)")
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(func=run_list)
    q = sub.add_parser("incident", help=HELP_ONE, description=HELP_ONE[0].upper() + HELP_ONE[1:] + ".")
    q.add_argument("id", metavar="ID", help="an incident id such as inc-000017 (or just 17)")
    q.add_argument("--config", "-c", required=True, metavar="FILE", help="the config file (its store is read)")
    q.add_argument("--json", action="store_true", help="one JSON object")
    q.set_defaults(func=run_one)


async def _manager(path: str) -> IncidentManager:
    root, cfg = load_oncall(path)
    db = await open_database(root.store.url)
    mgr = IncidentManager(db, cfg, lambda p: root.page(p))
    await mgr.start()
    return mgr


def _line(i: Incident) -> str:
    return (f"{i.id}  {i.opened_at:%Y-%m-%d %H:%M}Z  {i.status:<12} {i.severity:<8} {i.category:<7} "
            f"{i.page}  {i.summary}")


def run_list(args: argparse.Namespace) -> int:
    configure(level="warning")
    async def go() -> int:
        mgr = await _manager(args.config)
        items = await mgr.list_open()
        for i in items:
            print(json.dumps(i.to_json(), ensure_ascii=False) if args.json else _line(i))
        if not items and not args.json:
            print("no open incidents")
        return 0

    return asyncio.run(go())


def run_one(args: argparse.Namespace) -> int:
    configure(level="warning")
    ident = args.id if args.id.startswith("inc-") else f"inc-{int(args.id):06d}" if args.id.isdigit() else args.id

    async def go() -> int:
        mgr = await _manager(args.config)
        inc = await mgr.get(ident)
        if inc is None:
            print(f"error: no incident {ident!r}", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps(inc.to_json(), ensure_ascii=False))
            return 0
        print(_line(inc))
        if inc.acked_by:
            print(f"  acknowledged by {inc.acked_by}")
        for e in inc.timeline:
            detail = " ".join(f"{k}={v}" for k, v in e.detail.items() if v is not None)
            print(f"  {e.time:%Y-%m-%d %H:%M:%S}Z  {e.kind:<18} {detail}")
        return 0

    return asyncio.run(go())
