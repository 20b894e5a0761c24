"""``sentinel notify-test --person NAME [--channel C]``: send a test page through each channel.

Reads the ``notify:`` and ``people:`` sections of the config, sends one test
notification to the person on the named channel (all configured channels by
default) straight through the channel, without the outbox, and prints what
each provider answered. Exit 0 when every channel accepted, 1 when one
failed, 2 for a config or usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from sentinel.clock import SystemClock
from sentinel.config.validate import validate
from sentinel.config.yamlpos import load_yaml
from sentinel.errors import ConfigError, Issue
from sentinel.model import Category, NotificationIntent, NotificationKind, Recipient, Severity
from sentinel.notify import DeliveryFailure, Outgoing, build_channel
from sentinel.notify.config import NotifyConfig

DEFAULT_CONFIG = "/etc/sentinel/sentinel.yaml"


class _NotifyOnly(BaseModel):
    """The config file seen by this command: ``notify:`` validated, the rest left to its owners."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    notify: NotifyConfig = NotifyConfig()


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("notify-test", help="send a test notification to a person through each channel")
    p.add_argument("--config", default=DEFAULT_CONFIG, help=f"config file (default {DEFAULT_CONFIG})")
    p.add_argument("--person", required=True, help="a name from the config's people")
    p.add_argument("--channel", action="append", help="a channel name (repeatable; default: every channel)")
    p.set_defaults(func=run)


def _people(data: Any) -> dict[str, Recipient]:
    """People from ``people:`` (a list of mappings with ``name``, or a mapping name → fields)."""
    raw = data.get("people") if isinstance(data, dict) else None
    items: list[tuple[str, dict[str, Any]]] = []
    if isinstance(raw, list):
        items = [(str(p.get("name")), p) for p in raw if isinstance(p, dict) and p.get("name")]
    elif isinstance(raw, dict):
        items = [(str(k), v) for k, v in raw.items() if isinstance(v, dict)]
    out = {}
    for name, p in items:
        out[name] = Recipient(name=name, phone=p.get("phone"), email=p.get("email"),
                              language=str(p.get("language", "en")), timezone=str(p.get("timezone", "UTC")))
    return out


def load(path: str) -> tuple[NotifyConfig, dict[str, Recipient]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError([Issue(path, None, None, "", f"cannot read config: {e.strerror}")]) from None
    data, positions, issues = load_yaml(text, path)
    section = data.get("notify") if isinstance(data, dict) else None
    root = validate(_NotifyOnly, {"notify": section} if section is not None else {}, positions, issues)
    return root.notify, _people(data)


async def _send_all(cfg: NotifyConfig, person: Recipient, channels: list[str]) -> int:
    clock = SystemClock()
    failed = 0
    for name in channels:
        ch = build_channel(name, cfg.channels[name], clock, cfg.delivery.timeout.total_seconds())
        intent = NotificationIntent(
            time=clock.now(), incident="test-0", step=1, channel=name, to=f"notify-test:{person.name}",
            recipient=person, kind=NotificationKind.PAGE, category=Category.OTHER, severity=Severity.INFO,
            page="notify-test", page_name="Sentinel notify-test",
            summary="Test notification from 'sentinel notify-test': this channel works.")
        try:
            result = await ch.send(Outgoing(key=f"notify-test:{name}:{person.name}:{clock.now().timestamp()}",
                                            intents=(intent,)))
            print(f"{name}: sent (provider id: {result.provider_id or '-'})")
        except DeliveryFailure as e:
            failed += 1
            print(f"{name}: FAILED {e.reason}: {e.detail}")
        finally:
            await ch.close()
    return 1 if failed else 0


def run(args: argparse.Namespace) -> int:
    try:
        cfg, people = load(args.config)
    except ConfigError as e:
        print(str(e), file=sys.stderr)
        return 2
    person = people.get(args.person)
    if person is None:
        known = ", ".join(sorted(people)) or "none"
        print(f"{args.config}: people: no person named {args.person!r} (known: {known})", file=sys.stderr)
        return 2
    names = args.channel or sorted(cfg.channels)
    unknown = [c for c in names if c not in cfg.channels]
    if unknown or not names:
        known = ", ".join(sorted(cfg.channels)) or "none"
        what = f"no channel named {unknown[0]!r}" if unknown else "no channels configured"
        print(f"{args.config}: notify.channels: {what} (known: {known})", file=sys.stderr)
        return 2
    return asyncio.run(_send_all(cfg, person, names))
