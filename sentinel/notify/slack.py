"""Slack incoming webhook: ``POST {"text", "blocks"}``; Slack answers ``ok``
or 4xx with a short code (``invalid_payload``, ``channel_not_found``,
``no_service``), 429 with ``Retry-After``."""

from __future__ import annotations

from datetime import timedelta

from sentinel.clock import Clock
from sentinel.notify import templates
from sentinel.notify._http import HttpClient, failure_for
from sentinel.notify.base import Outgoing, SendResult
from sentinel.notify.config import SlackChannel


class Slack:
    needs: str | None = None
    is_sms = False
    resend_interval: timedelta | None = None

    def __init__(self, name: str, cfg: SlackChannel, clock: Clock, timeout_s: float = 10.0) -> None:
        self.name = name
        self.cfg = cfg
        self._http = HttpClient(clock, timeout_s)

    async def send(self, message: Outgoing) -> SendResult:
        r = templates.render(message.intent)
        payload = {
            "text": f"{r.subject}: {message.intent.summary}",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": r.subject[:150]}},
                {"type": "section", "text": {"type": "mrkdwn", "text": _escape(r.text)[:3000]}},
            ],
        }
        answer = await self._http.post(self.cfg.url.reveal(), json=payload)
        if answer.status >= 300:
            raise failure_for(answer, self._http.clock.now())
        return SendResult(provider_id=None)

    async def close(self) -> None:
        await self._http.close()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
