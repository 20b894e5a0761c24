"""``sentinel demo``: see Sentinel catch a Friday-night hijack, with no setup."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

HELP = "replay a generated page life with a Friday-night hijack through the whole pipeline"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help=HELP, description=HELP[0].upper() + HELP[1:] + ".")
    p.add_argument(
        "--dir",
        default="sentinel-demo",
        metavar="DIR",
        help="where the events, config and SQLite store are written (default: ./sentinel-demo)",
    )
    p.add_argument("--days", type=int, default=28, help="days of normal page life before the hijack (default 28)")
    p.add_argument("--seed", type=int, default=1, help="random seed of the generated scenario")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sentinel.demo import run_demo

    if args.days < 7:
        print("error: --days must be at least 7 (the rules learn the page's habits first)", file=sys.stderr)
        return 2
    return asyncio.run(run_demo(Path(args.dir), sys.stdout, days=args.days, seed=args.seed))
