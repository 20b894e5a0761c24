"""``sentinel check``: validate the config and the rules without starting anything.

Beyond the schema, it proves the config can do its job: every escalation
route pages someone through a channel that is defined (``config.reach``),
and the SQLite store can be opened where the config puts it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sentinel.commands import add_config_option, config_path, issue_at
from sentinel.config import source_of
from sentinel.errors import ConfigError, Issue
from sentinel.settings import Config, load_config

HELP = "validate a config file and the rule packs; exit 0 when valid, 2 when not"
EPILOG = """\
Checks the schema, the rules, that every escalation route reaches people
through channels defined in notify.channels, and that the store can be
opened. It needs none of the daemon's secrets: a ${VAR} that is not set is
a note, not an error, unless --strict (use --strict where the daemon runs)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_option(p, "config file to validate", optional=True)
    p.add_argument("--rules", metavar="DIR", action="append", default=[], help="extra rule directory or file")
    p.add_argument(
        "--strict",
        action="store_true",
        help="also require every ${VAR} and secret file the daemon reads (as the daemon's start does)",
    )
    p.set_defaults(func=run)


def store_issues(config: Config) -> list[Issue]:
    """Can the daemon open the config's SQLite store? (Nothing to say about PostgreSQL or memory.)"""
    from sentinel.config.paths import sqlite_file

    path = sqlite_file(config.store.url)
    if path is None:
        return []
    file = Path(path)
    what = ""
    if file.exists():
        if not os.access(file, os.R_OK | os.W_OK):
            what = f"the store {file} cannot be read and written by this user"
    elif not file.parent.is_dir():
        what = f"the store's folder {file.parent} does not exist (create it, or point store.url elsewhere)"
    elif not os.access(file.parent, os.W_OK | os.X_OK):
        what = f"the store {file} cannot be created: its folder is not writable by this user"
    return [issue_at(config, ("store", "url"), what)] if what else []


def language_warnings(config: Config) -> list[Issue]:
    """A page whose language Sentinel reads no words of: its crisis rules see volume, reactions and emoji only (a
    storm of angry comments in Finnish is a volume spike, info). Not an error: the page is watched all the same."""
    from sentinel.enrich.sentiment import LANGUAGES

    read = sorted({*LANGUAGES, "en"} - {"nb", "nn"})
    return [
        issue_at(
            config,
            ("pages", i, "language"),
            f"Sentinel reads the words of {', '.join(read)}; on a page in {p.language!r} the crisis rules count "
            "volume, reactions and emoji, not negative words, and questions only by their '?'",
        )
        for i, p in enumerate(config.pages)
        if p.language and p.language not in read
    ]


# An ingest token shorter than this is a warning: 16 characters hold 64 bits even as hex (4 bits a character), the
# least OWASP asks of a session identifier; 5 letters and digits are 9 x 10^8 guesses, a day at 10,000 requests/s.
MIN_INGEST_TOKEN_CHARS = 16


def token_warnings(config: Config) -> list[Issue]:
    """An ingest token short enough to guess. Not an error: a running deployment's token keeps working. The warning
    names the key and the file, never the token (nor its length)."""
    from sentinel.config.types import UNREAD_SECRET

    token = config.server.ingest_token
    source = source_of(config)
    key = "ingest_token_file" if source and source.positions.has(("server", "ingest_token_file")) else "ingest_token"
    unset = any(u.where == "server.ingest_token" for u in (source.unset if source else ()))
    if token is None or unset or token.reveal() == UNREAD_SECRET or len(token.reveal()) >= MIN_INGEST_TOKEN_CHARS:
        return []
    return [
        issue_at(
            config,
            ("server", key),
            f"the ingest token is shorter than {MIN_INGEST_TOKEN_CHARS} characters: anyone who can reach the "
            "server could guess it and send events (make a new one, e.g. `openssl rand -hex 32`)",
        )
    ]


def run(args: argparse.Namespace) -> int:
    from sentinel.rules import load_rules
    from sentinel.settings.reach import coverage_warnings, reachability_issues

    issues: list[Issue] = []
    notes: list[Issue] = []
    warnings: list[Issue] = []
    config = Config()
    path = config_path(args, optional=True)
    if path:
        try:
            config = load_config(path, read_only=not args.strict)
        except ConfigError as e:
            issues += e.issues
            notes += e.notes  # unset variables beside a real error are still notes
        else:
            source = source_of(config)
            notes += source.unset if source else ()
            issues += reachability_issues(config) + store_issues(config)
            warnings += coverage_warnings(config) + language_warnings(config) + token_warnings(config)
    dirs = [Path(d) for d in (*config.rules.dirs, *args.rules)]
    try:
        rules = load_rules(dirs, include_shipped=config.rules.include_shipped, disabled=config.rules.disabled)
    except ConfigError as e:
        issues += e.issues
        rules = None
    for issue in issues:
        print(f"error: {issue}", file=sys.stderr)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for note in notes:
        print(f"note: {note} (the daemon needs it; --strict makes this an error)", file=sys.stderr)
    if issues:
        print(f"{len(issues)} problem(s) found", file=sys.stderr)
        return 2
    what = f"config {path}: ok, " if path else ""
    print(f"{what}{len(rules.rules) if rules is not None else 0} rules: ok")
    return 0
