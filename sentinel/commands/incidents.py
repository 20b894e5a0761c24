"""``sentinel incidents`` (open incidents) and ``sentinel incident ID`` (one, with its timeline)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from sentinel.commands import add_config_option, open_store_for_reading, read_config
from sentinel.escalation.config import OnCallConfig
from sentinel.incidents import Incident, IncidentManager
from sentinel.logs import configure
from sentinel.markup import plain
from sentinel.settings import Config
from sentinel.store import Database

HELP_LIST = "list open incidents"
HELP_ONE = "show one incident with its timeline"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("incidents", help=HELP_LIST, description=HELP_LIST[0].upper() + HELP_LIST[1:] + ".")
    add_config_option(p, "the config file, whose store is read")
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(func=run_list)
    q = sub.add_parser("incident", help=HELP_ONE, description=HELP_ONE[0].upper() + HELP_ONE[1:] + ".")
    q.add_argument("id", metavar="ID", help="an incident id such as inc-000017 (or just 17)")
    add_config_option(q, "the config file, whose store is read")
    q.add_argument("--json", action="store_true", help="one JSON object")
    q.set_defaults(func=run_one)


async def _manager(root: Config) -> tuple[IncidentManager, Database]:
    db = await open_store_for_reading(root)
    mgr = IncidentManager(db, OnCallConfig.of(root), lambda p: root.page(p))
    await mgr.start()
    return mgr, db


def local(t: datetime, root: Config, page: str, fmt: str = "%Y-%m-%d %H:%M %Z") -> str:
    """``t`` in the page's time zone (UTC for a page the config does not have), with the zone's name."""
    conf = root.page(page)
    return t.astimezone(ZoneInfo(conf.timezone if conf else "UTC")).strftime(fmt)


HEADER = f"{'ID':<10}  {'OPENED (page time)':<21}  {'STATUS':<12} {'SEVERITY':<8} {'CATEGORY':<8} {'PAGE':<10}  SUMMARY"


def _line(i: Incident, root: Config) -> str:
    return (
        f"{i.id:<10}  {local(i.opened_at, root, i.page):<21}  {i.status:<12} {i.severity:<8} {i.category:<8} "
        f"{i.page:<10}  {i.summary}"
    )


def run_list(args: argparse.Namespace) -> int:
    configure(level="warning")
    root = read_config(args)

    async def go() -> int:
        mgr, db = await _manager(root)
        try:
            items = await mgr.list_open()
        finally:
            await db.close()
        if items and not args.json:
            print(HEADER)
        for i in items:
            print(json.dumps(i.to_json(), ensure_ascii=False) if args.json else plain(_line(i, root)))
        if not items and not args.json:
            print("no open incidents")
        return 0

    return asyncio.run(go())


def run_one(args: argparse.Namespace) -> int:
    configure(level="warning")
    ident = args.id if args.id.startswith("inc-") else f"inc-{int(args.id):06d}" if args.id.isdigit() else args.id
    root = read_config(args)

    async def go() -> int:
        mgr, db = await _manager(root)
        try:
            inc = await mgr.get(ident)
        finally:
            await db.close()
        if inc is None:
            print(f"error: no incident {ident!r}", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps(inc.to_json(), ensure_ascii=False))
            return 0
        print(HEADER)
        print(plain(_line(inc, root)))
        if inc.acked_by:
            print(plain(f"  acknowledged by {inc.acked_by}"))
        for e in inc.timeline:
            detail = " ".join(f"{k}={v}" for k, v in e.detail.items() if v is not None)
            print(plain(f"  {local(e.time, root, inc.page, '%Y-%m-%d %H:%M:%S %Z')}  {e.kind:<18} {detail}"))
        return 0

    return asyncio.run(go())
