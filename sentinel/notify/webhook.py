"""Generic JSON webhook, signed with HMAC-SHA256.

Headers: ``X-Sentinel-Timestamp`` (Unix seconds), ``X-Sentinel-Signature:
sha256=<hex HMAC of "<timestamp>.<body>">`` and ``Idempotency-Key`` (the
same on every retry of one notification, so a receiver that keeps keys
drops a repeat). ``verify`` is what a receiver runs.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import orjson

from sentinel.events import nesting
from sentinel.notify import templates
from sentinel.notify._http import HttpChannel, failure_for
from sentinel.notify.base import Outgoing, SendResult
from sentinel.notify.config import WebhookChannel


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def payload(message: Outgoing) -> dict[str, Any]:
    i = message.intent
    r = templates.render(i, texts=message.texts)
    return {
        "idempotency_key": message.key,
        "time": i.time.isoformat(),
        "incident": i.incident,
        "step": i.step,
        "kind": str(i.kind),
        "category": str(i.category),
        "severity": str(i.severity),
        "page": i.page,
        "page_name": i.page_name,
        "summary": templates.summary_of(i),
        "evidence": list(templates.evidence_of(i)),
        "to": i.to,
        "recipient": i.recipient.name,
        "subject": r.subject,
        "text": r.text,
    }


class Webhook(HttpChannel[WebhookChannel]):
    async def send(self, message: Outgoing) -> SendResult:
        body = orjson.dumps(payload(message))
        ts = str(int(self._http.clock.now().timestamp()))
        key = templates.one_line(message.key)
        headers = {"Content-Type": "application/json", "Idempotency-Key": key, "X-Sentinel-Timestamp": ts}
        if self.cfg.secret:
            headers["X-Sentinel-Signature"] = sign(self.cfg.secret.reveal(), ts, body)
        answer = await self._http.post(self.cfg.url, data=body, headers=headers)
        if answer.status >= 300:
            raise failure_for(answer, self._http.clock.now())
        try:
            got = nesting.loads(answer.text) if answer.text.strip() else {}
        except ValueError:  # (not JSON, or nesting too deep: orjson.JSONDecodeError, TooDeep)
            got = {}
        pid = got.get("id") if isinstance(got, dict) else None
        return SendResult(provider_id=str(pid) if pid is not None else message.key)

    async def close(self) -> None:
        await self._http.close()
