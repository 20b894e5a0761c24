"""A notification intent as the outbox stores it: JSON text, and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from sentinel.model import Category, NotificationIntent, NotificationKind, Recipient, Severity


def intent_to_json(i: NotificationIntent) -> str:
    r = i.recipient
    return orjson.dumps(
        {
            "time": i.time.isoformat(),
            "incident": i.incident,
            "step": i.step,
            "channel": i.channel,
            "to": i.to,
            "recipient": {
                "name": r.name,
                "phone": r.phone,
                "email": r.email,
                "language": r.language,
                "timezone": r.timezone,
            },
            "kind": str(i.kind),
            "category": str(i.category),
            "severity": str(i.severity),
            "page": i.page,
            "page_name": i.page_name,
            "summary": i.summary,
            "evidence": list(i.evidence),
            "ack_url": i.ack_url,
            "sms_replies": i.sms_replies,
            "summaries": dict(i.summaries),
            "evidence_texts": {k: list(v) for k, v in i.evidence_texts.items()},
        }
    ).decode()


def intent_from_json(text: str) -> NotificationIntent:
    d: dict[str, Any] = orjson.loads(text)
    return NotificationIntent(
        time=datetime.fromisoformat(d["time"]),
        incident=d["incident"],
        step=int(d["step"]),
        channel=d["channel"],
        to=d["to"],
        recipient=Recipient(**d["recipient"]),
        kind=NotificationKind(d["kind"]),
        category=Category(d["category"]),
        severity=Severity(d["severity"]),
        page=d["page"],
        page_name=d["page_name"],
        summary=d["summary"],
        evidence=tuple(d["evidence"]),
        ack_url=d.get("ack_url"),
        sms_replies=bool(d.get("sms_replies", True)),  # (a row written before it: as it was then)
        summaries=dict(d.get("summaries", {})),
        evidence_texts={str(k): tuple(v) for k, v in dict(d.get("evidence_texts", {})).items()},
    )
