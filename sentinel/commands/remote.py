"""``sentinel --url URL --token-file FILE COMMAND``: the operator API of a running daemon, from anywhere
(``amtool``-style). The commands and their output (documented in docs/console.md, kept stable):

  incidents                 ID, OPENED (UTC), STATUS, SEVERITY, CATEGORY, PAGE, SUMMARY: one line per open incident
  incident ID               key: value lines, then the timeline (TIME  KIND  detail)
  ack ID [--person --code]  ``ID acknowledged by WHO`` (a hijack needs a person's TOTP code)
  silence [query]           ID, STATE, ENDS (UTC), CREATED BY, MATCHERS, COMMENT
  silence add MATCHER...    the new silence's id alone (``--for 2h`` or ``--until TIME``; a silence that could mute
                            a hijack needs ``--person`` and ``--code``)
  silence expire ID...      nothing (exit 0)
  oncall                    SCHEDULE, NOW, UNTIL (UTC), NEXT: one line per schedule

``-o json`` prints what the API answered instead. Exit 0 done, 1 the daemon refused or did not answer (one
``error:`` line with its reason), 2 a usage mistake. The token file holds an operator token
(``sentinel staff token``); ``$SENTINEL_URL`` and ``$SENTINEL_TOKEN_FILE`` stand in for the options.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sentinel.events import nesting

TIMEOUT_S = 30.0


class Refused(Exception):
    """The daemon said no, or could not be reached: the message to print."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sentinel --url URL --token-file FILE",
        description="Ask a running Sentinel daemon (its operator API) about incidents, silences and on-call.",
    )
    p.add_argument("--url", default=os.environ.get("SENTINEL_URL"), help="the daemon, e.g. https://sentinel:8080")
    p.add_argument("--token-file", default=os.environ.get("SENTINEL_TOKEN_FILE"), help="a file holding a token")
    p.add_argument("-o", "--output", choices=("simple", "json"), default="simple")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sub.add_parser("incidents", help="the open incidents")
    one = sub.add_parser("incident", help="one incident with its timeline")
    one.add_argument("id")
    ack = sub.add_parser("ack", help="acknowledge an incident")
    ack.add_argument("id")
    ack.add_argument("--person", help="whose TOTP code --code is (a hijack needs one)")
    ack.add_argument("--code", help="the person's TOTP code")
    sil = sub.add_parser("silence", help="silences: query (the default), add, expire")
    ssub = sil.add_subparsers(dest="silence_command", metavar="ACTION")
    ssub.add_parser("query", help="list silences")
    add = ssub.add_parser("add", help="create a silence; prints its id")
    add.add_argument("matchers", nargs="+", metavar="MATCHER", help="like page=druvan, category!=hijack, rule=~sla.*")
    add.add_argument("--for", dest="span", help="how long, like 2h (default 1h)")
    add.add_argument("--until", help="an ISO time with an offset")
    add.add_argument("--comment", default="")
    add.add_argument("--person")
    add.add_argument("--code")
    exp = ssub.add_parser("expire", help="expire silences")
    exp.add_argument("ids", nargs="+", metavar="ID")
    sub.add_parser("oncall", help="who is on call now and next, per schedule")
    return p


class Client:
    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.token = token

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as r:
                return nesting.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            try:
                reason = nesting.loads(e.read()).get("error") or e.reason
            except (ValueError, AttributeError):
                reason = e.reason
            raise Refused(f"{reason} (HTTP {e.code})") from None
        except (urllib.error.URLError, OSError, ValueError) as e:
            why = getattr(e, "reason", None) or e
            raise Refused(f"cannot reach {self.url}: {why}") from None


def utc(text: str | None) -> str:
    """``2014-12-05 20:41Z`` for an ISO time (``-`` for none)."""
    if not text:
        return "-"
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return f"{t.astimezone(UTC):%Y-%m-%d %H:%M}Z"


def incident_id(text: str) -> str:
    return f"inc-{int(text):06d}" if text.isdigit() else text


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(list(argv))
    if not args.url:
        print("error: give --url (or set SENTINEL_URL)", file=sys.stderr)
        return 2
    if not args.token_file:
        print("error: give --token-file (or set SENTINEL_TOKEN_FILE)", file=sys.stderr)
        return 2
    try:
        token = Path(args.token_file).read_text(encoding="utf-8").strip()
    except OSError as e:
        print(f"error: {args.token_file}: {e.strerror or e}", file=sys.stderr)
        return 2
    if not token:
        print(f"error: {args.token_file}: the file is empty (it should hold an operator token)", file=sys.stderr)
        return 2
    from sentinel.commands.remote_out import run

    try:
        return run(Client(args.url, token), args)
    except Refused as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
