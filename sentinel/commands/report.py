"""``sentinel report``: how fast and how reliably the page's customers got an answer (docs/community.md)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from sentinel.commands import add_config_option, open_store_for_reading, read_config
from sentinel.config.schema import PageConfig
from sentinel.enrich.asks import page_names
from sentinel.errors import EventError
from sentinel.logs import configure
from sentinel.model import Event
from sentinel.reports.conversations import Tracker
from sentinel.reports.render import FORMATS, render
from sentinel.reports.summary import summarize
from sentinel.settings import Config

HELP = "report first-response times and answers within the promise, per page and channel"
EPILOG = """\
Reads the events from the config's store, or from event files read as
`sentinel replay` reads them. Items are customers' comments and private
messages that ask for an answer; --all counts every one. Days are the
page's local dates of the items; times are seconds (json, csv) or hours
and minutes (text, html). Exit 2: a usage or config error.

examples:
  sentinel report --config page.yaml --from 2025-11-03 --to 2025-11-09
  sentinel report --config page.yaml --format json history.jsonl
  sentinel report --config sentinel.yaml --mail        (Monday mornings, from cron)"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "events",
        nargs="*",
        metavar="EVENTS.jsonl",
        help="event files in time order ('-' for stdin); none: the config's store",
    )
    add_config_option(p, "the config file: pages, staffed hours, response times, store")
    p.add_argument("--page", metavar="P", help="only this page key")
    p.add_argument("--from", dest="start", metavar="DATE", type=_date, help="first local day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", metavar="DATE", type=_date, help="last local day, YYYY-MM-DD (included)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument(
        "--all",
        action="store_true",
        help="count every customer comment and message, not only those that ask for an answer",
    )
    p.add_argument(
        "--mail",
        action="store_true",
        help="e-mail each page's report (default: last week's) to the "
        "people its sla route reaches first, through the config's "
        "SMTP channel",
    )
    p.set_defaults(func=run)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (write it as YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    configure(level="warning")
    for path in args.events:
        if path != "-" and not Path(path).is_file():
            print(f"error: {path}: no such events file", file=sys.stderr)
            return 2
    if args.start and args.end and args.end < args.start:
        print("error: --to is before --from", file=sys.stderr)
        return 2
    root = read_config(args)
    named = {p.id: page_names(p.id, p.name) for p in root.pages}
    tracker = Tracker(everything=args.all, names=lambda page: named.get(page) or page_names(page, None))
    if args.events:
        tracker.feed_all(from_files(args.events))
    else:
        tracker.feed_all(asyncio.run(from_store(root)))
    if args.mail:
        return asyncio.run(mail_reports(root, tracker, args))
    reports = summarize(tracker.items, _pages(root), page=args.page, start=args.start, end=args.end)
    sys.stdout.write(render(reports, args.format))
    return 0


async def mail_reports(root: Config, tracker: Tracker, args: argparse.Namespace) -> int:
    """Each page's report to its team; 0 when every mail went, 1 when one failed, 2 without an SMTP channel."""
    from sentinel.clock import SystemClock
    from sentinel.escalation.config import OnCallConfig
    from sentinel.notify.base import DeliveryFailure
    from sentinel.notify.config import SmtpChannel
    from sentinel.notify.smtp import Smtp
    from sentinel.reports.weekly import last_week, team_emails, weekly_mail

    smtp = next(((n, c) for n, c in root.notify.channels.items() if isinstance(c, SmtpChannel)), None)
    if smtp is None:
        print("error: no SMTP channel under notify.channels to send the report through", file=sys.stderr)
        return 2
    clock, oncall, pages, status = SystemClock(), OnCallConfig.of(root), _pages(root), 0
    channel = Smtp(smtp[0], smtp[1], clock)
    now = clock.now()
    for page in [p.id for p in root.pages if args.page in (None, p.id)]:
        conf = pages(page)
        start, end = (args.start, args.end) if args.start and args.end else last_week(now, conf)
        to = team_emails(oncall, page, now)
        if not to:
            print(
                f"warning: {page}: its sla route reaches nobody with an e-mail address; no report sent", file=sys.stderr
            )
            continue
        reports = summarize(tracker.items, pages, page=page, start=start, end=end)
        mail = weekly_mail(reports, conf, start, end, sender=smtp[1].sender, to=to, now=now, domain=smtp[1].domain)
        try:
            await channel.deliver(mail)
        except DeliveryFailure as e:
            print(f"error: {page}: the report was not sent ({e})", file=sys.stderr)
            status = 1
            continue
        print(f"{page}: report {start}..{end} sent to {', '.join(to)}")
    return status


def from_files(paths: list[str]) -> Iterator[Event]:
    """The events of ``paths`` as replay reads them: merged in time order, duplicates dropped, a malformed line
    reported on stderr and skipped."""
    from sentinel.pipeline.stream import Counts, EventStream

    def skipped(line: int, e: EventError) -> None:
        print(f"warning: {e}", file=sys.stderr)

    for _, ev, _ in EventStream(paths, Counts(), skipped):
        yield ev


async def from_store(root: Config) -> list[Event]:
    from sentinel.reports.store import stored_events

    db = await open_store_for_reading(root)
    try:
        return await stored_events(db)
    finally:
        await db.close()


def _pages(root: Config) -> Callable[[str], PageConfig]:
    from sentinel.config.schema import page_resolver

    return page_resolver(root.pages)
