"""The ``sentinel`` command: a thin dispatcher over ``sentinel.commands``.

Exit codes: 0 ok, 1 failure, 2 usage or config error. A user's mistake is
reported as a message naming the file and line, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sentinel import __version__, logs
from sentinel.errors import ConfigError, SentinelError

# Each module of ``sentinel.commands`` registers one or more subcommands: register(subparsers) and a run(args) -> int
# per parser. The command names each module registers, in the order ``--help`` lists them: a command line naming one
# imports only its module (the others import the daemon's whole stack: ~1 s before ``replay`` reads a line).
COMMANDS = {
    "run": ("run",),
    "replay": ("replay",),
    "checkconfig": ("check",),
    "test": ("test",),
    "demo": ("demo",),
    "simulate": ("simulate",),
    "oncall": ("oncall",),
    "route": ("route",),
    "incidents": ("incidents", "incident"),
    "notify_test": ("notify-test",),
    "sources": ("sources",),
    "staff": ("staff",),
    "report": ("report",),
    "enrich": ("enrich",),
    "cluster": ("cluster",),
}

DESCRIPTION = """\
Sentinel watches companies' social-media pages (posts, comments, messages,
admins and settings), detects hijacks, brewing crises, unanswered customers
and its own blindness, and pages the right people.

Start with `sentinel demo` (no setup), then `sentinel replay` to back-test
rules on your history, and `sentinel run --config FILE` for the daemon.

On another machine than the daemon's, `sentinel --url URL --token-file FILE
incidents|incident ID|ack ID|silence [add|expire]|oncall` asks a running
daemon instead (`sentinel --url URL --help`).

Every command that reads a config takes it as -c/--config FILE; without
one it reads $SENTINEL_CONFIG, else ./sentinel.yaml. Paths inside a config
are relative to the config file's folder."""


def _modules(argv: Sequence[str] | None) -> list[str]:
    """The command modules to import for ``argv``: the one whose command it names, or all (for ``--help``, a
    mistyped command, or no command)."""
    word = next((a for a in argv if not a.startswith("-")), None) if argv is not None else None
    named = [m for m, names in COMMANDS.items() if word in names]
    return named or list(COMMANDS)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv`` (None: every command)."""
    parser = argparse.ArgumentParser(
        prog="sentinel", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"sentinel {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in _modules(argv):
        try:
            module = importlib.import_module(f"sentinel.commands.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"sentinel.commands.{name}":
                continue  # a command not built in this installation
            raise
        module.register(sub)
    return parser


def _remote(argv: Sequence[str]) -> bool:
    """``sentinel --url URL ...``: the operator API of a running daemon (``sentinel.commands.remote``)."""
    with_value = {"--token-file", "-o", "--output"}
    it = iter(argv)
    for a in it:
        if a == "--url" or a.startswith("--url="):
            return True
        if a in with_value:
            next(it, None)
        elif not a.startswith("-"):
            return False
    return False


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if _remote(argv):
        from sentinel.commands.remote import main as remote_main

        return remote_main(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return 2
    logs.configure("warning")  # stdout belongs to commands' data; the daemon reconfigures from its config
    try:
        return int(args.func(args))
    except ConfigError as e:
        for issue in e.issues:
            print(f"error: {issue}", file=sys.stderr)
        return 2
    except SentinelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # a file or folder the user named cannot be used: missing, a folder, no permission
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: {where}{e.strerror or e}", file=sys.stderr)
        return 2
