"""``sentinel replay``: back-test the rules on event files (docs/replay.md)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sentinel.commands import add_config_option, config_path
from sentinel.settings import Config, load_config

HELP = "run detection, incidents and on-call over event files on a simulated clock; print JSON lines"
EPILOG = """\
Output (stdout) is one JSON object per line: alert state changes
("type": "alert"), notifications that would have been sent ("type":
"notification") and a closing "type": "summary". Nothing is delivered.
Malformed lines are reported on stderr and skipped, or stop the run with
exit status 1 under --strict. Exit 2: a usage or config error.

examples:
  sentinel replay --config page.yaml history.jsonl > alerts.jsonl
  zcat big.jsonl.gz | sentinel replay --rules my-rules/ - > alerts.jsonl"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "replay",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("events", nargs="+", metavar="EVENTS.jsonl", help="event files in time order ('-' for stdin)")
    add_config_option(p, "the page config; without one, every page seen, in UTC, no staffed hours", optional=True)
    p.add_argument(
        "--rules",
        metavar="DIR",
        action="append",
        default=[],
        help="rule directory or file, repeatable (default: the shipped rule packs)",
    )
    p.add_argument("--strict", action="store_true", help="stop with exit status 1 at the first malformed line")
    p.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")
    p.add_argument("--no-summary", action="store_true", help="no closing summary record")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sentinel.pipeline.replay import replay

    for path in args.events:
        if path != "-" and not Path(path).is_file():
            print(f"error: {path}: no such events file", file=sys.stderr)
            return 2
    path = config_path(args, optional=True)
    config = load_config(path, read_only=True) if path else Config()
    return asyncio.run(
        replay(
            args.events,
            config,
            [Path(r) for r in args.rules],
            out=sys.stdout,
            err=sys.stderr,
            strict=args.strict,
            progress=not args.no_progress,
            summary=not args.no_summary,
        )
    )
