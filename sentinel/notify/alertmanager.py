"""Prometheus Alertmanager as a receiver: ``POST /api/v2/alerts``.

One alert per incident, identified by its labels (``alertname``,
``incident``, ``page``, ``category``, ``severity``), so every step, person and
retry posts the same alert and Alertmanager de-duplicates it. A firing alert
is re-sent every ``resend_interval`` with ``endsAt`` four intervals ahead
(as Prometheus does), so it lapses by itself if Sentinel dies; the all-clear
posts it with ``endsAt`` set to the resolve time.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sentinel.clock import Clock
from sentinel.model import NotificationIntent, NotificationKind
from sentinel.notify import templates
from sentinel.notify._http import HttpClient, basic_auth, failure_for
from sentinel.notify.base import Outgoing, SendResult
from sentinel.notify.config import AlertmanagerChannel


def _ts(t: Any) -> str:
    return str(t.isoformat().replace("+00:00", "Z"))


def labels(intent: NotificationIntent) -> dict[str, str]:
    """The alert's identity; one line each (a page id comes from event data)."""
    return {
        "alertname": f"sentinel_{intent.category}",
        "incident": templates.one_line(intent.incident),
        "page": templates.one_line(intent.page),
        "category": str(intent.category),
        "severity": str(intent.severity),
        "source": "sentinel",
    }


class Alertmanager:
    needs: str | None = None
    is_sms = False

    def __init__(self, name: str, cfg: AlertmanagerChannel, clock: Clock, timeout_s: float = 10.0) -> None:
        self.name = name
        self.cfg = cfg
        self.resend_interval: timedelta | None = cfg.resend_interval
        self._http = HttpClient(clock, timeout_s)
        self._url = cfg.url.rstrip("/") + "/api/v2/alerts"

    def alert(self, intent: NotificationIntent) -> dict[str, Any]:
        now = self._http.clock.now()
        ends = intent.time if intent.kind == NotificationKind.RESOLVED else now + 4 * self.cfg.resend_interval
        annotations = {"summary": templates.summary_of(intent), "page_name": templates.one_line(intent.page_name)}
        if evidence := templates.evidence_of(intent):
            annotations["evidence"] = "\n".join(evidence)
        return {
            "labels": labels(intent),
            "annotations": annotations,
            "startsAt": _ts(intent.time if intent.kind != NotificationKind.RESOLVED else min(intent.time, now)),
            "endsAt": _ts(ends),
            "generatorURL": f"{self.cfg.external_url.rstrip('/')}/incidents/{intent.incident}",
        }

    async def send(self, message: Outgoing) -> SendResult:
        alerts = [self.alert(i) for i in message.intents]
        auth: dict[str, str] = {}
        if self.cfg.username and self.cfg.password:
            auth = basic_auth(self.cfg.username, self.cfg.password.reveal())
        answer = await self._http.post(self._url, json=alerts, headers=auth)
        if answer.status >= 300:
            raise failure_for(answer, self._http.clock.now())
        return SendResult(provider_id=f"alertmanager:{message.intent.incident}")

    async def close(self) -> None:
        await self._http.close()
