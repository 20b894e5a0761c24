"""``sentinel notify-test --person NAME [--channel C]``: send a test page through each of a person's channels.

Sends one test notification to the person on each of their channels (or the
named ones) straight through the channel, without the outbox, and prints what
each provider answered. Exit 0 when every channel accepted, 1 when one
failed, 2 for a config or usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from sentinel.clock import SystemClock
from sentinel.commands import add_config_option, read_config, require_set
from sentinel.errors import ConfigError
from sentinel.escalation.config import PersonConfig
from sentinel.model import Category, NotificationIntent, NotificationKind, Recipient, Severity
from sentinel.notify import DeliveryFailure, Outgoing, build_channel
from sentinel.notify.config import ChannelConfig, NotifyConfig

HELP = "send a test notification to a person through each of their channels"
EPILOG = """\
examples:
  sentinel notify-test -c sentinel.yaml --person erik
  sentinel notify-test -c sentinel.yaml --person erik --channel sms
Only the person's channels (people[].channels) are tried, and of those only
the ones that can reach them (an SMS channel needs their phone, an e-mail
channel their address). Exit 0 when every channel accepted, 1 when one
failed, 2 for a config or usage error."""

# Channel types that need an address of the person: SMS a phone number, e-mail an address.
_NEEDS = {"46elks": "phone", "twilio": "phone", "http_sms": "phone", "smtp": "email"}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "notify-test",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_option(p)
    p.add_argument("--person", required=True, metavar="NAME", help="a name from the config's people")
    p.add_argument(
        "--channel",
        action="append",
        metavar="NAME",
        help="one of the person's channels (repeatable; default: each of them)",
    )
    p.set_defaults(func=run)


def recipient(p: PersonConfig) -> Recipient:
    return Recipient(name=p.name, phone=p.phone, email=p.email, language=p.language, timezone=p.timezone)


def usable(person: PersonConfig, channel: ChannelConfig) -> str | None:
    """Why ``channel`` cannot reach ``person`` (None: it can)."""
    need = _NEEDS.get(channel.type)
    if need and not getattr(person, need):
        return f"{person.name} has no {'phone number' if need == 'phone' else 'e-mail address'}"
    return None


async def _send_all(cfg: NotifyConfig, person: Recipient, channels: list[str]) -> int:
    clock = SystemClock()
    failed = 0
    for name in channels:
        ch = build_channel(name, cfg.channels[name], clock, cfg.delivery.timeout.total_seconds())
        intent = NotificationIntent(
            time=clock.now(),
            incident="test-0",
            step=1,
            channel=name,
            to=f"notify-test:{person.name}",
            recipient=person,
            kind=NotificationKind.PAGE,
            category=Category.OTHER,
            severity=Severity.INFO,
            page="notify-test",
            page_name="Sentinel notify-test",
            summary="Test notification from 'sentinel notify-test': this channel works.",
        )
        try:
            result = await ch.send(
                Outgoing(key=f"notify-test:{name}:{person.name}:{clock.now().timestamp()}", intents=(intent,))
            )
            print(f"{name}: sent (provider id: {result.provider_id or '-'})")
        except DeliveryFailure as e:
            failed += 1
            print(f"{name}: FAILED {e.reason}: {e.detail}")
        finally:
            await ch.close()
    return 1 if failed else 0


def plan(cfg: NotifyConfig, person: PersonConfig, wanted: list[str] | None) -> tuple[list[str], list[str]]:
    """The channels to try for ``person``, and the problems that stop the test (a usage or config error)."""
    mine = list(dict.fromkeys(person.channels))
    names = wanted or mine
    problems = [
        f"{person.name} has no {c!r} channel (their channels: {', '.join(mine) or 'none'})"
        for c in names
        if c not in mine
    ]
    problems += [
        f"notify.channels defines no {c!r} channel (defined: {', '.join(sorted(cfg.channels)) or 'none'})"
        for c in names
        if c in mine and c not in cfg.channels
    ]
    chosen = []
    for c in names:
        if c in mine and c in cfg.channels:
            why = usable(person, cfg.channels[c])
            if why is None:
                chosen.append(c)
            elif wanted:
                problems.append(f"{c}: {why}")
            else:
                print(f"{c}: skipped: {why}")
    if not chosen and not problems:
        problems.append(f"no channel of {person.name}'s can reach them")
    return chosen, problems


def run(args: argparse.Namespace) -> int:
    try:
        config = read_config(args)  # the person and their channels' secrets are required below; no other
    except ConfigError as e:
        for issue in e.issues:
            print(f"error: {issue}", file=sys.stderr)
        return 2
    person = next((p for p in config.people if p.name == args.person), None)
    if person is None:
        known = ", ".join(sorted(p.name for p in config.people)) or "none"
        print(f"error: people: no person named {args.person!r} (known: {known})", file=sys.stderr)
        return 2
    names, problems = plan(config.notify, person, args.channel)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 2
    try:
        require_set(config, ("people", config.people.index(person)), *(("notify", "channels", n) for n in names))
    except ConfigError as e:
        for issue in e.issues:
            print(f"error: {issue}", file=sys.stderr)
        return 2
    return asyncio.run(_send_all(config.notify, recipient(person), names))
