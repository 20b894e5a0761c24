"""Slack incoming webhook: ``POST {"text", "blocks"}``; Slack answers ``ok``
or 4xx with a short code (``invalid_payload``, ``channel_not_found``,
``no_service``), 429 with ``Retry-After``."""

from __future__ import annotations

from sentinel.notify import templates
from sentinel.notify._http import HttpChannel, failure_for
from sentinel.notify.base import Outgoing, SendResult
from sentinel.notify.config import SlackChannel


class Slack(HttpChannel[SlackChannel]):
    async def send(self, message: Outgoing) -> SendResult:
        r = templates.render(message.intent, texts=message.texts)
        payload = {
            # read as mrkdwn too (the notification and fallback text): escaped like the section, so a name the
            # hijacker chose ("<!channel>", "<https://evil.example|Acknowledge>") is text, not a mention or a link
            "text": _escape(f"{r.subject}: {templates.summary_of(message.intent)}"),
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
