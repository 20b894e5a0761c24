"""SMS through a generic HTTP gateway: a JSON or form POST with configurable
field names, bearer or basic auth; the message id is read from the JSON answer."""

from __future__ import annotations

from typing import Any

from sentinel.events import nesting
from sentinel.notify import templates
from sentinel.notify._http import HttpChannel, basic_auth, failure_for, phone_of
from sentinel.notify.base import Outgoing, SendResult
from sentinel.notify.config import HttpSmsChannel


class HttpSms(HttpChannel[HttpSmsChannel]):
    needs: str | None = "phone"
    is_sms = True

    async def send(self, message: Outgoing) -> SendResult:
        phone = phone_of(message)
        text = templates.sms(message.intents, message.texts)
        fields = {**self.cfg.extra, self.cfg.to_field: phone, self.cfg.message_field: text}
        kw: dict[str, Any] = {"headers": {"Idempotency-Key": templates.one_line(message.key)}}
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
            body = nesting.loads(answer.text) if answer.text.strip() else {}
        except ValueError:  # (not JSON, or nesting too deep: orjson.JSONDecodeError, TooDeep)
            return SendResult(provider_id=None)  # accepted; the gateway gives no id
        pid = body.get(self.cfg.id_field) if isinstance(body, dict) else None
        return SendResult(provider_id=None if pid is None else str(pid))

    async def close(self) -> None:
        await self._http.close()
