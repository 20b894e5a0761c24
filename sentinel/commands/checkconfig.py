"""``sentinel check``: validate the config and the rules without starting anything."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sentinel.config import Config, load_config
from sentinel.errors import ConfigError, Issue

HELP = "validate a config file and the rule packs; exit 0 when valid, 2 when not"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help=HELP, description=HELP[0].upper() + HELP[1:] + ".")
    p.add_argument("--config", "-c", metavar="FILE", help="config file to validate (default: none, shipped rules only)")
    p.add_argument("--rules", metavar="DIR", action="append", default=[], help="extra rule directory or file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sentinel.rules import load_rules

    issues: list[Issue] = []
    config = Config()
    if args.config:
        try:
            config = load_config(args.config)
        except ConfigError as e:
            issues += e.issues
    dirs = [Path(d) for d in (*config.rules.dirs, *args.rules)]
    try:
        rules = load_rules(dirs, include_shipped=config.rules.include_shipped, disabled=config.rules.disabled)
    except ConfigError as e:
        issues += e.issues
        rules = None
    for issue in issues:
        print(f"error: {issue}", file=sys.stderr)
    if issues:
        print(f"{len(issues)} problem(s) found", file=sys.stderr)
        return 2
    what = f"config {args.config}: ok, " if args.config else ""
    print(f"{what}{len(rules.rules) if rules is not None else 0} rules: ok")
    return 0
