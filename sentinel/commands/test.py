"""``sentinel test FILES|DIRS``: run rule unit tests (YAML), print a diff for each failure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sentinel.errors import ConfigError
from sentinel.rules.testing import run_file, test_files


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "test", help="run rule unit tests", description="Run YAML rule tests (promtool style); exit 1 when one fails."
    )
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help="test files, or directories searched for *.yaml")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    files = test_files([Path(p) for p in args.paths])
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"sentinel test: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    passed = failed = 0
    for f in files:
        try:
            results = run_file(f)
        except ConfigError as e:
            print(str(e), file=sys.stderr)
            return 2
        except OSError as e:
            print(f"{f}: cannot read: {e.strerror}", file=sys.stderr)
            return 2
        for r in results:
            if r.ok:
                passed += 1
                continue
            failed += 1
            print(f"FAIL {r.file}: {r.name}")
            for line in r.diff.splitlines():
                print(f"    {line}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
