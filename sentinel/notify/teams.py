"""Microsoft Teams incoming webhook: an Adaptive Card message.

Teams answers 200 (body ``1``) or 202 when accepted, 4xx with a short text,
429 when throttled."""

from __future__ import annotations

from typing import Any

from sentinel.notify import templates
from sentinel.notify._http import HttpChannel, failure_for
from sentinel.notify.base import Outgoing, SendResult
from sentinel.notify.config import TeamsChannel


class Teams(HttpChannel[TeamsChannel]):
    async def send(self, message: Outgoing) -> SendResult:
        intent = message.intent
        r = templates.render(intent, texts=message.texts)
        body: list[dict[str, Any]] = [
            {"type": "TextBlock", "text": r.subject, "weight": "Bolder", "size": "Medium", "wrap": True},
            _literal(templates.summary_of(intent)),
        ]
        body += [_literal(f"- {e}", isSubtle=True) for e in templates.evidence_of(intent)]
        body.append({"type": "TextBlock", "text": r.text.rstrip().splitlines()[-1], "wrap": True})
        payload = {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": None,
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": body,
                    },
                }
            ],
        }
        answer = await self._http.post(self.cfg.url.reveal(), json=payload)
        if answer.status >= 300:
            raise failure_for(answer, self._http.clock.now())
        return SendResult(provider_id=None)

    async def close(self) -> None:
        await self._http.close()


def _literal(text: str, **style: Any) -> dict[str, Any]:
    """``text`` shown as written: a RichTextBlock's TextRun reads no Markdown, where a TextBlock does. The summary
    and the evidence hold names and texts a hijacker chose, and "[Acknowledge here](https://evil.example)" in a
    TextBlock is a link in Sentinel's own card."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}
