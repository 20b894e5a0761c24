"""Console channel for the demo and replay: prints each notification as text, or (``sms``) as the one SMS
segment an SMS provider would be given, to the recipient's number."""

from __future__ import annotations

import itertools
import sys
from datetime import timedelta
from typing import TextIO

from sentinel.notify import templates
from sentinel.notify.base import Outgoing, SendResult


class Console:
    needs: str | None = None
    is_sms = False
    resend_interval: timedelta | None = None

    def __init__(self, name: str, stream: TextIO | None = None, *, sms: bool = False) -> None:
        self.name = name
        self.is_sms = sms
        self.needs = "phone" if sms else None
        self._stream = stream
        self._n = itertools.count(1)
        self.sent: list[Outgoing] = []

    async def send(self, message: Outgoing) -> SendResult:
        out = self._stream or sys.stdout
        if self.is_sms:
            i, text = message.intent, templates.sms(message.intents, message.texts)
            out.write(f"  SMS    to {i.recipient.phone} ({i.recipient.name}): {text}\n")
        else:
            r = templates.render(message.intent, texts=message.texts)
            out.write(f"--- {self.name} → {message.intent.to} [{message.key}]\n{r.text}")
        out.flush()
        self.sent.append(message)
        return SendResult(provider_id=f"console:{next(self._n)}")

    async def close(self) -> None:
        return None
