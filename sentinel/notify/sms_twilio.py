"""SMS through Twilio: ``POST /2010-04-01/Accounts/{sid}/Messages.json``.

A form (``To``, ``From`` or ``MessagingServiceSid``, ``Body``) with basic
auth (account SID, auth token). Twilio answers 201 with the message's
``sid``; errors are JSON ``{"code", "message", "more_info", "status"}``
(e.g. 21211 invalid To number, 20003 authentication, 20429 too many requests).
"""

from __future__ import annotations

from sentinel.clock import Clock
from sentinel.events import nesting
from sentinel.notify import templates
from sentinel.notify._http import HttpChannel, basic_auth, failure_for, phone_of
from sentinel.notify.base import DeliveryFailure, DeliveryReason, Outgoing, SendResult
from sentinel.notify.config import TwilioChannel


class Twilio(HttpChannel[TwilioChannel]):
    needs: str | None = "phone"
    is_sms = True

    def __init__(self, name: str, cfg: TwilioChannel, clock: Clock, timeout_s: float = 10.0) -> None:
        super().__init__(name, cfg, clock, timeout_s)
        self._url = f"{cfg.url.rstrip('/')}/2010-04-01/Accounts/{cfg.account_sid}/Messages.json"

    async def send(self, message: Outgoing) -> SendResult:
        phone = phone_of(message)
        form = {"To": phone, "Body": templates.sms(message.intents, message.texts)}
        if self.cfg.messaging_service_sid:
            form["MessagingServiceSid"] = self.cfg.messaging_service_sid
        else:
            form["From"] = self.cfg.sender or ""
        auth = basic_auth(self.cfg.account_sid, self.cfg.auth_token.reveal())
        answer = await self._http.post(self._url, data=form, headers=auth)
        try:
            body = nesting.loads(answer.text) if answer.text else {}
        except ValueError:  # (not JSON, or nesting too deep: orjson.JSONDecodeError, TooDeep)
            body = {}
        if answer.status >= 300:
            detail = None
            if isinstance(body, dict) and "code" in body:
                detail = f"HTTP {answer.status}: Twilio error {body.get('code')}: {str(body.get('message', ''))[:200]}"
            raise failure_for(answer, self._http.clock.now(), detail)
        if not isinstance(body, dict) or not body.get("sid"):
            raise DeliveryFailure(DeliveryReason.INVALID_RESPONSE, "Twilio answer has no message sid")
        return SendResult(provider_id=str(body["sid"]))

    async def close(self) -> None:
        await self._http.close()
