"""SMS through 46elks: ``POST /a1/sms`` as a form with basic auth.

46elks answers 200 with a JSON object whose ``id`` is the message id, and
4xx with a short plain-text reason (``Invalid to number``, ``Not enough
credits``, mostly as 403: ``rejected``); 401 means the API credentials are
wrong (``auth_failed``). Both are permanent.
"""

from __future__ import annotations

from sentinel.events import nesting
from sentinel.notify import templates
from sentinel.notify._http import HttpChannel, basic_auth, failure_for, phone_of
from sentinel.notify.base import DeliveryFailure, DeliveryReason, Outgoing, SendResult
from sentinel.notify.config import Elks46Channel


class Elks46(HttpChannel[Elks46Channel]):
    needs: str | None = "phone"
    is_sms = True

    async def send(self, message: Outgoing) -> SendResult:
        phone = phone_of(message)
        form = {"from": self.cfg.sender, "to": phone, "message": templates.sms(message.intents, message.texts)}
        auth = basic_auth(self.cfg.username, self.cfg.password.reveal())
        answer = await self._http.post(self.cfg.url, data=form, headers=auth)
        if answer.status == 403:  # 46elks words request errors so ("Invalid to number"); 401 is bad credentials
            raise DeliveryFailure(DeliveryReason.REJECTED, f"HTTP 403: {answer.text.strip()[:200]}")
        if answer.status >= 300:
            raise failure_for(answer, self._http.clock.now())
        try:
            body = nesting.loads(answer.text)
            return SendResult(provider_id=str(body["id"]))
        except (ValueError, KeyError, TypeError):  # (not JSON, or nesting too deep)
            raise DeliveryFailure(DeliveryReason.INVALID_RESPONSE, "46elks answer has no message id") from None

    async def close(self) -> None:
        await self._http.close()
