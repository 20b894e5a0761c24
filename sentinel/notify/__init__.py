"""Notification: a durable outbox and one module per channel.

```python
notifier = build_notifier(notify_config, db, clock)
await notifier.start()              # migrate, resume what a crash left undelivered, start the worker
await notifier.enqueue(intent)      # committed before it returns
await notifier.run_once(now)        # deliver what is due (tests; the worker does this itself)
await notifier.stop(deadline_s)
```
Delivery is at-least-once: a crash between the provider accepting a message
and the outbox recording it sends it once more after restart. Channels whose
provider takes an idempotency key (webhook, generic SMS gateway) or that
de-duplicate by identity (Alertmanager) pass it, so the repeat is dropped.

A permanent provider error hands the notification to the channel's fallback
at once (one hop, under a key of its own); a page with nothing left to try is
passed to ``on_give_up``, which the app turns into ``health.delivery_failed``
(``notify.health``). What holds is in ``docs/delivery.md``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TextIO

from sentinel.clock import Clock
from sentinel.notify.base import Channel, DeliveryFailure, DeliveryReason, Outgoing, SendResult, SuppressReason
from sentinel.notify.config import ChannelConfig, NotifyConfig
from sentinel.notify.notifier import ChannelHealth, GiveUp, Notifier
from sentinel.notify.stages import Muter
from sentinel.store import Database

__all__ = [
    "Channel",
    "DeliveryFailure",
    "DeliveryReason",
    "Notifier",
    "NotifyConfig",
    "Outgoing",
    "SendResult",
    "SuppressReason",
    "build_channel",
    "build_notifier",
]


def build_channel(
    name: str, cfg: ChannelConfig, clock: Clock, timeout_s: float = 10.0, stream: TextIO | None = None
) -> Channel:
    """The sender for one configured channel."""
    from sentinel.notify import (
        alertmanager,
        console,
        slack,
        sms_46elks,
        sms_http,
        sms_twilio,
        smtp,
        teams,
        webhook,
    )
    from sentinel.notify import config as c

    if isinstance(cfg, c.ConsoleChannel):
        import sys

        return console.Console(
            name, stream or (sys.stderr if cfg.stream == "stderr" else None), sms=cfg.format == "sms"
        )
    senders: list[tuple[type, Callable[..., Channel]]] = [
        (c.SmtpChannel, smtp.Smtp),
        (c.Elks46Channel, sms_46elks.Elks46),
        (c.TwilioChannel, sms_twilio.Twilio),
        (c.HttpSmsChannel, sms_http.HttpSms),
        (c.SlackChannel, slack.Slack),
        (c.TeamsChannel, teams.Teams),
        (c.WebhookChannel, webhook.Webhook),
        (c.AlertmanagerChannel, alertmanager.Alertmanager),
    ]
    for kind, sender in senders:
        if isinstance(cfg, kind):
            return sender(name, cfg, clock, timeout_s)
    raise TypeError(f"no sender for channel {name!r} of type {type(cfg).__name__}")


def build_notifier(
    config: NotifyConfig,
    db: Database,
    clock: Clock,
    *,
    muter: Muter | None = None,
    on_give_up: GiveUp | None = None,
    on_channel_health: ChannelHealth | None = None,
    rng: random.Random | None = None,
) -> Notifier:
    """A notifier with one sender per configured channel (channel name → sender)."""
    timeout_s = config.delivery.timeout.total_seconds()
    channels = {name: build_channel(name, cfg, clock, timeout_s) for name, cfg in config.channels.items()}
    fallbacks = {name: cfg.fallback for name, cfg in config.channels.items() if cfg.fallback}
    return Notifier(
        db,
        clock,
        channels,
        fallbacks,
        config.delivery,
        muter=muter,
        on_give_up=on_give_up,
        on_channel_health=on_channel_health,
        rng=rng,
        texts=config.templates,
    )
