"""Sentinel's own alerts (health, code guessing) reach a Swedish reader in Swedish and an English one in English."""

from __future__ import annotations

import pytest

from sentinel.escalation.config import OnCallConfig
from sentinel.incidents import IncidentManager
from sentinel.model import AlertTransition, Category, NotificationIntent, NotificationKind, Recipient, Severity
from sentinel.notify.health import channel_auth_alert, delivery_failed_alert
from sentinel.notify.templates import summary_of
from sentinel.security.guessing import ACK_LOCKOUT, CODE_GUESSING, SecurityAlarm
from sentinel.settings import Config
from sentinel.settings.reach import reload_refused_alert
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import at

ONCALL = OnCallConfig.of(
    Config.model_validate(
        {
            "people": [
                {"name": "erik", "language": "sv", "channels": ["console"]},
                {"name": "maya", "language": "en", "channels": ["console"]},
            ],
            "escalation": {
                "group_wait": "0s",
                "policies": [
                    {
                        "name": "all",
                        "steps": [{"targets": [{"person": "erik"}, {"person": "maya"}], "channels": ["console"]}],
                    }
                ],
                "routes": [
                    {"category": "health", "severity": ["warning", "critical"], "policy": "all"},
                    {"category": "hijack", "severity": "critical", "policy": "all"},
                ],
            },
        }
    )
)

FAILED = NotificationIntent(
    time=at(),
    incident="inc-000007",
    step=1,
    channel="sms",
    to="anna",
    recipient=Recipient(name="anna", language="sv"),
    kind=NotificationKind.PAGE,
    category=Category.HIJACK,
    severity=Severity.CRITICAL,
    page="druvan",
    page_name="Druvan",
    summary="hijack",
)


@pytest.mark.parametrize(
    "alert",
    [
        delivery_failed_alert(FAILED, "rejected", at()),
        channel_auth_alert("sms", "HTTP 401", at()),
        reload_refused_alert(["escalation.routes[0]: pages nobody"], at()),
        SecurityAlarm(CODE_GUESSING, "erik", "10 wrong codes in a day", at()).transition(),
        SecurityAlarm(ACK_LOCKOUT, "erik", "5 wrong codes in a row", at()).transition(),
    ],
    ids=lambda t: t.rule,
)
async def test_each_reader_gets_sentinels_own_alert_in_their_language(alert: AlertTransition) -> None:
    mgr = IncidentManager(SqliteDatabase.open(":memory:"), ONCALL, lambda p: None, metrics=False)
    await mgr.start()
    await mgr.on_alert(alert, at())
    by_reader = {i.recipient.name: summary_of(i) for i in await mgr.tick(at())}
    assert by_reader["maya"] == alert.summary
    assert by_reader["erik"] == alert.summaries["sv"] != alert.summary
