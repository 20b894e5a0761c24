"""``sentinel route test``: the path an incident would take (who, which channel, when), nobody acknowledging."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sentinel.commands import add_config_option, read_config
from sentinel.config.schema import PageConfig
from sentinel.config.types import format_duration, parse_duration
from sentinel.escalation.config import OnCallConfig
from sentinel.escalation.routing import route
from sentinel.logs import configure
from sentinel.model import AlertStatus, AlertTransition, Category, NotificationIntent, Severity
from sentinel.settings import Config

HELP = "print the path an incident would take: who is told, by which channel, when"
EPILOG = """\
examples:
  sentinel route test -c sentinel.yaml --category hijack --severity critical --page druvan --at 2025-09-26T21:40
  sentinel route test -c sentinel.yaml --category crisis --severity warning --page druvan --for 3d
A time without an offset is read in the page's time zone. Nobody acknowledges in this simulation.
Exit 1 when a notification on the path would go to a channel notify.channels does not define."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("route", help=HELP, description=HELP[0].upper() + HELP[1:] + ".")
    rs = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    t = rs.add_parser(
        "test",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_option(t)
    t.add_argument("--category", required=True, choices=[str(c) for c in Category])
    t.add_argument("--severity", required=True, choices=[str(s) for s in Severity])
    t.add_argument("--page", required=True, metavar="PAGE", help="a page id from the config")
    t.add_argument("--at", metavar="TIME", help="when the incident opens (default: now)")
    t.add_argument(
        "--for", dest="horizon", default="2h", metavar="DURATION", help="how long to follow the path (default 2h)"
    )
    t.set_defaults(func=run)

    def usage(args: argparse.Namespace) -> int:
        p.print_help(sys.stderr)
        return 2

    p.set_defaults(func=usage)


def run(args: argparse.Namespace) -> int:
    configure(level="warning")
    from sentinel.commands.oncall import parse_at

    root = read_config(args)
    cfg = OnCallConfig.of(root)
    page = root.page(args.page)
    if page is None:
        known = ", ".join(p.id for p in root.pages) or "none"
        print(f"error: no page {args.page!r} in the config (pages: {known})", file=sys.stderr)
        return 2
    try:
        at = parse_at(args.at, page.timezone)
        horizon = parse_duration(args.horizon)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    category, severity = Category(args.category), Severity(args.severity)
    plan = route(cfg, category, severity, page.id)
    if plan is None:
        print(f"no route matches {category}/{severity} on {page.id}: nobody would be told")
        return 0
    r = plan.route
    print(
        f"route #{plan.route_index + 1} -> policy {plan.policy.name}"
        f" (group_wait {format_duration(plan.group_wait)}, hold_until_staffed {r.hold_until_staffed},"
        f" digest {format_duration(r.digest) if r.digest else 'no'})"
    )
    intents = asyncio.run(simulate(root, cfg, page, category, severity, at, at + horizon))
    tz = ZoneInfo(page.timezone)
    undefined: set[str] = set()
    for i in intents:
        addr = i.recipient.phone if i.channel == "sms" else i.recipient.email if i.channel == "email" else ""
        delay = i.time - at
        lost = ""
        if i.channel not in root.notify.channels:
            undefined.add(i.channel)
            lost = f"  NOT SENT: no {i.channel!r} channel in notify.channels"
        print(
            f"{i.time.astimezone(tz):%Y-%m-%d %H:%M:%S %Z}  +{_dur(delay):>7}  step {i.step:<3} {i.kind:<8} "
            f"{i.channel:<6} {i.to} {addr or ''}".rstrip()
            + lost
        )
    if not intents:
        print(f"nothing sent within {args.horizon}")
    if undefined:
        print(
            f"error: notify.channels defines no {' or '.join(repr(c) for c in sorted(undefined))} channel: these "
            "notifications would not be sent (see `sentinel check`)",
            file=sys.stderr,
        )
        return 1
    return 0


def _dur(d: timedelta) -> str:
    s = int(d.total_seconds())
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


async def simulate(
    root: Config,
    cfg: OnCallConfig,
    page: PageConfig,
    category: Category,
    severity: Severity,
    at: datetime,
    end: datetime,
) -> list[NotificationIntent]:
    """Open an incident at ``at`` on a throw-away store and collect everything due until ``end``."""
    from sentinel.incidents import IncidentManager
    from sentinel.store.sqlite import SqliteDatabase

    db = SqliteDatabase.open(":memory:")
    mgr = IncidentManager(db, cfg, lambda p: root.page(p))
    await mgr.start()
    t = AlertTransition(
        time=at,
        status=AlertStatus.FIRING,
        rule="route.test",
        category=category,
        severity=severity,
        page=page.id,
        fingerprint="route-test",
        summary="route test",
    )
    await mgr.on_alert(t, at)
    out: list[NotificationIntent] = []
    while (due := mgr.next_due()) is not None and due <= end and len(out) < 500:
        out += await mgr.tick(due)
    await db.close()
    return out
