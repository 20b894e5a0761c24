"""SMS through a generic HTTP gateway: a JSON or form POST with configurable
field names, bearer or basic auth; the message id is read from the JSON answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson

from sentinel.clock import Clock
from sentinel.notify import templates
from sentinel.notify._http import HttpClient, basic_auth, failure_for
from sentinel.notify.base import DeliveryFailure, DeliveryReason, Outgoing, SendResult
from sentinel.notify.config import HttpSmsChannel


class HttpSms:
    needs: str | None = "phone"
    is_sms = True
    resend_interval: timedelta | None = None

    def __init__(self, name: str, cfg: HttpSmsChannel, clock: Clock, timeout_s: float = 10.0) -> None:
        self.name = name
        self.cfg = cfg
        self._http = HttpClient(clock, timeout_s)

    async def send(self, message: Outgoing) -> SendResult:
        phone = message.intent.recipient.phone
        if not phone:
            raise DeliveryFailure(DeliveryReason.MISCONFIGURED, "recipient has no phone number")
        fields = {**self.cfg.extra, self.cfg.to_field: phone, self.cfg.message_field: templates.sms(message.intents)}
        kw: dict[str, Any] = {"headers": {"Idempotency-Key": message.key}}
        if self.cfg.format == "json":
            kw["json"] = fields
        else:
            kw["data"] = fields
        if self.cfg.token:
            kw["headers"]["Authorization"] = f"Bearer {self.cfg.token.reveal()}"
        elif self.cfg.username and self.cfg.password:
            kw["headers"].update(basic_auth(self.cfg.username, self.cfg.password.reveal()))
        answer = await self._http.post(self.cfg.url, **kw)
        if answer.status >= 300:
            raise failure_for(answer, self._http.clock.now())
        try:
            body = orjson.loads(answer.text) if answer.text.strip() else {}
        except orjson.JSONDecodeError:
            return SendResult(provider_id=None)  # accepted; the gateway gives no id
        pid = body.get(self.cfg.id_field) if isinstance(body, dict) else None
        return SendResult(provider_id=None if pid is None else str(pid))

    async def close(self) -> None:
        await self._http.close()
