"""``sentinel oncall``: who is on call now (or at a time), schedule gaps, iCal feeds."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sentinel.clock import SystemClock
from sentinel.commands import add_config_option, read_config
from sentinel.escalation.config import OnCallConfig, ScheduleConfig
from sentinel.escalation.ical import ical
from sentinel.escalation.routing import reachable
from sentinel.escalation.schedule import gaps, shifts, who
from sentinel.settings import Config

HELP = "show who is on call, check schedules for gaps, export a person's shifts as iCal"
EPILOG = """\
examples:
  sentinel oncall -c sentinel.yaml
  sentinel oncall -c sentinel.yaml --at 2025-09-26T21:40 --schedule security-oncall
  sentinel oncall -c sentinel.yaml --check --days 28
  sentinel oncall -c sentinel.yaml --ical erik > erik.ics
A time without an offset is read in each schedule's own time zone."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "oncall",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_option(p)
    p.add_argument("--at", metavar="TIME", help="ISO time (default: now)")
    p.add_argument("--schedule", metavar="NAME", help="only this schedule")
    p.add_argument(
        "--check", action="store_true", help="find gaps and people or routes that cannot be reached (exit 1 if any)"
    )
    p.add_argument("--ical", metavar="PERSON", help="print PERSON's shifts as an iCalendar feed")
    p.add_argument("--days", type=int, default=28, help="how far ahead --check and --ical look (default 28)")
    p.set_defaults(func=run)


def parse_at(text: str | None, tz: str = "UTC") -> datetime:
    """An ISO time; naive times are local to ``tz``. Raises ValueError with a readable message."""
    if text is None:
        return SystemClock().now()
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"bad time {text!r} (write it like 2025-09-26T21:40 or 2025-09-26T21:40:00+02:00)") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=ZoneInfo(tz))
    return t.astimezone(UTC)


def run(args: argparse.Namespace) -> int:
    root = read_config(args)
    cfg = OnCallConfig.of(root)
    schedules = [s for s in cfg.schedules if args.schedule in (None, s.name)]
    if args.schedule and not schedules:
        print(
            f"error: no schedule {args.schedule!r} (schedules: {', '.join(s.name for s in cfg.schedules)})",
            file=sys.stderr,
        )
        return 2
    try:
        at = {s.name: parse_at(args.at, s.timezone) for s in schedules}
        start = parse_at(args.at, schedules[0].timezone if schedules else "UTC")
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    end = start + timedelta(days=args.days)
    if args.ical:
        if cfg.person(args.ical) is None:
            print(f"error: no person {args.ical!r}", file=sys.stderr)
            return 2
        sys.stdout.write(ical(schedules, args.ical, start, end, now=SystemClock().now()))
        return 0
    if args.check:
        return _check(root, cfg, schedules, start, end)
    for s in schedules:
        t = at[s.name]
        people = who(s, t)
        local = t.astimezone(_zone(s.timezone))
        now_shift = next((sh for sh in shifts(s, t, t + timedelta(days=14)) if sh.start <= t), None)
        until = f" until {now_shift.end.astimezone(_zone(s.timezone)):%Y-%m-%d %H:%M}" if now_shift else ""
        print(f"{s.name}  {local:%Y-%m-%d %H:%M %Z}  {', '.join(people) or 'NOBODY'}{until}")
    return 0


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _check(root: Config, cfg: OnCallConfig, schedules: list[ScheduleConfig], start: datetime, end: datetime) -> int:
    from sentinel.settings.reach import reachability_issues

    problems = 0
    for s in schedules:
        found = gaps(s, start, end)
        for a, b in found:
            tz = _zone(s.timezone)
            print(
                f"{s.name}: nobody on call {a.astimezone(tz):%a %Y-%m-%d %H:%M} – "
                f"{b.astimezone(tz):%a %Y-%m-%d %H:%M} ({_hours(b - a)})"
            )
        problems += len(found)
    for p in cfg.people:
        for c in p.channels:
            if not reachable(p, c):
                print(f"person {p.name}: prefers {c} but has no {'phone' if c == 'sms' else 'e-mail address'}")
                problems += 1
            elif c not in root.notify.channels:
                print(f"person {p.name}: prefers {c} but notify.channels defines no {c!r} channel")
                problems += 1
    for issue in reachability_issues(root):
        print(f"{issue.where}: {issue.what}")
        problems += 1
    if problems == 0:
        zone = _zone(schedules[0].timezone if schedules else "UTC")
        print(
            f"ok: {len(schedules)} schedule(s) covered {start.astimezone(zone):%Y-%m-%d %H:%M} – "
            f"{end.astimezone(zone):%Y-%m-%d %H:%M %Z}, everyone reachable"
        )
        return 0
    return 1


def _hours(d: timedelta) -> str:
    h = d.total_seconds() / 3600
    return f"{h:.1f} h"
