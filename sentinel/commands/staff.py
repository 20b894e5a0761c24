"""``sentinel staff``: enrol people for TOTP codes, reset them, list them, make operator tokens."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC

import segno

from sentinel.clock import SystemClock
from sentinel.commands import add_config_option, open_store_for_reading, read_config, require_set
from sentinel.console.sessions import SessionStore
from sentinel.errors import ConfigError, StoreError
from sentinel.logs import configure
from sentinel.security.config import security_of
from sentinel.security.store import SecurityStore
from sentinel.security.tokens import hash_token, new_token
from sentinel.security.totp import SecurityError, TotpGuard
from sentinel.settings import Config
from sentinel.store.factory import open_database

HELP = "enrol staff for TOTP acknowledgement codes, reset or list them, make operator tokens"
EPILOG = """\
examples:
  SENTINEL_SECRET_KEY=... sentinel staff enroll erik -c sentinel.yaml
  sentinel staff list -c sentinel.yaml
  sentinel staff reset erik -c sentinel.yaml      (forget the secret and any lockout, end the console sessions;
                                                   also for a name no longer in people:)
  sentinel staff token ops-dashboard              (print a new token and the hash for security.operator_tokens)"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "staff",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ss = p.add_subparsers(dest="staff_cmd", required=True, metavar="COMMAND")
    for name, help_ in (
        ("enroll", "create a TOTP secret for NAME; print the otpauth:// URI and a QR code"),
        ("reset", "forget NAME's TOTP secret, failures and lockout; end their console sessions"),
    ):
        q = ss.add_parser(name, help=help_, description=help_)
        q.add_argument("name", metavar="NAME", help="a person from the config's people:")
        add_config_option(q, "the config file, whose store is used")
        q.add_argument("--no-qr", action="store_true", help="print only the URI")
    q = ss.add_parser("list", help="list enrolled people and their lockout state")
    add_config_option(q, "the config file, whose store is read")
    q = ss.add_parser("token", help="print a new operator token and its hash for the config")
    q.add_argument("name", metavar="NAME", help="who or what will use the token")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    configure(level="warning")
    if args.staff_cmd == "token":
        token = new_token()
        print(f"token (give it to {args.name}; it is not stored anywhere): {token}")
        print("config:\n  security:\n    operator_tokens:")
        print(f"      - name: {args.name}\n        hash: {hash_token(token)}")
        return 0
    try:
        # only the store, and for an enrolment the secret key: the daemon's other secrets need not be here
        config = read_config(args)
        if args.staff_cmd != "list":
            require_set(config, ("store", "url"))
        if args.staff_cmd == "enroll":
            require_set(config, ("security", "secret_key"))
    except ConfigError as e:
        for issue in e.issues:
            print(f"error: {issue}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_run(args, config))
    except (SecurityError, StoreError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


async def _run(args: argparse.Namespace, config: Config) -> int:
    db = await (open_store_for_reading(config) if args.staff_cmd == "list" else open_database(config.store.url))
    try:
        guard = TotpGuard(SecurityStore(db), security_of(config))
        now = SystemClock().now()
        if args.staff_cmd == "list":
            rows = await guard.staff()
            for r in rows:
                locked = (
                    f"locked until {r.locked_until.astimezone(UTC):%Y-%m-%d %H:%M}Z"
                    if r.locked_until and r.locked_until > now
                    else "ok"
                )
                last = f"{r.last_success.astimezone(UTC):%Y-%m-%d %H:%M}Z" if r.last_success else "never"
                print(
                    f"{r.name:<16} enrolled {r.enrolled_at:%Y-%m-%d}  last code {last}  failures {r.failures}  {locked}"
                )
            if not rows:
                print("nobody enrolled")
            return 0
        people = {p.name for p in config.people}
        if args.staff_cmd == "reset":
            return await _reset(args.name, guard, SessionStore(db), people)
        if args.name not in people:
            print(f"error: no person {args.name!r} in people: ({', '.join(sorted(people)) or 'none'})", file=sys.stderr)
            return 2
        enrolled = {r.name: r for r in await guard.staff()}
        if args.name in enrolled:  # a new secret would silently stop every code of the phone they have
            print(
                f"error: {args.name} is enrolled (since {enrolled[args.name].enrolled_at:%Y-%m-%d}): a new secret "
                f"would stop the codes of the authenticator they have; run `sentinel staff reset {args.name}` first "
                "(it also ends their console sessions)",
                file=sys.stderr,
            )
            return 2
        enrolment = await guard.enroll(args.name, now)
        print(f"Scan this with {args.name}'s authenticator app (it holds the secret: show it to nobody else):")
        print(enrolment.uri)
        if not args.no_qr:
            segno.make(enrolment.uri, error="m").terminal(out=sys.stdout, compact=True)
        return 0
    finally:
        await db.close()


async def _reset(name: str, guard: TotpGuard, sessions: SessionStore, people: set[str]) -> int:
    """Forget ``name``'s secret and end their console sessions. A name no longer in ``people:`` may still be enrolled
    (the store keeps what the config forgets): it is reset all the same, and the output says so."""
    removed = await guard.reset(name)
    ended = await sessions.end_all(name)
    if not removed and name not in people:
        print(
            f"error: no person {name!r} in people: ({', '.join(sorted(people)) or 'none'}), nor enrolled",
            file=sys.stderr,
        )
        return 2
    said = [f"reset; {ended} console session{'' if ended == 1 else 's'} ended"] if removed else ["was not enrolled"]
    if name not in people:
        said.append("not in people: (enrolled from an older config; they cannot enrol again unless added back)")
    elif removed:
        said.append("enrol again with sentinel staff enroll")
    print(f"{name}: {'; '.join(said)}")
    return 0
