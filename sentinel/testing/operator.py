"""A ready operator API for tests: a real SQLite store, a real IncidentManager, the operator routes on a
real aiohttp test server, a simulated clock, enrolled people whose codes tests can compute.

```python
async with operator_harness(tmp_path) as h:
    inc = await h.open_incident(Category.HIJACK)
    await h.client.post(f"/api/v1/incidents/{inc}/ack", json={"person": "erik", "code": h.code("erik")})
```
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pyotp
from aiohttp.test_utils import TestClient, TestServer

from sentinel.api.operator import operator_routes
from sentinel.api.server import build_app
from sentinel.clock import SimulatedClock
from sentinel.config.types import Secret
from sentinel.incidents import IncidentManager
from sentinel.model import AlertStatus, AlertTransition, Category, NotificationIntent, Severity
from sentinel.rules.silences import Suppressor
from sentinel.security.config import OperatorTokenConfig, SecurityConfig, SmsInboundConfig
from sentinel.security.guessing import SecurityAlarm
from sentinel.security.store import SecurityStore
from sentinel.security.tokens import hash_token
from sentinel.security.totp import TotpGuard
from sentinel.settings.oncall import load_oncall
from sentinel.store.sqlite import SqliteDatabase

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "druvan.yaml"
T0 = datetime(2025, 9, 26, 19, 40, 5, tzinfo=UTC)
OPERATOR_TOKEN = "snt_operator-token-for-tests-0123456789"
TWILIO_TOKEN = "twilio-auth-token-for-tests"
ELKS_TOKEN = "elks-url-token-for-tests"
SECRET_KEY = "secret-key-for-tests-only-0123456789"


@dataclass
class Harness:
    clock: SimulatedClock
    db: SqliteDatabase
    incidents: IncidentManager
    guard: TotpGuard
    client: TestClient  # type: ignore[type-arg]
    suppressor: Suppressor
    security: SecurityConfig
    secrets: dict[str, str] = field(default_factory=dict)
    alerts: list[tuple[str, str, datetime]] = field(default_factory=list)  # (subject, reason, at) of each alarm
    alarms: list[SecurityAlarm] = field(default_factory=list)
    intents: list[NotificationIntent] = field(default_factory=list)  # every notification decided, as committed
    _seq: int = 0

    def code(self, person: str, at: datetime | None = None) -> str:
        return pyotp.TOTP(self.secrets[person]).at(at or self.clock.now())

    async def open_incident(self, category: Category = Category.HIJACK, page: str = "druvan") -> str:
        self._seq += 1
        now = self.clock.now()
        t = AlertTransition(
            time=now,
            status=AlertStatus.FIRING,
            rule=f"r{self._seq}",
            category=category,
            severity=Severity.CRITICAL,
            page=page,
            fingerprint=f"fp{self._seq}",
            summary=f"{category} on {page}",
            group_key=str(self._seq),
        )
        inc = await self.incidents.on_alert(t, now)
        assert inc is not None
        await self.incidents.tick(now)
        return inc


def security_config(**over: Any) -> SecurityConfig:
    base: dict[str, Any] = {
        "secret_key": Secret(SECRET_KEY),
        "public_url": "https://sentinel.example.com",
        "operator_tokens": [OperatorTokenConfig(name="ops", hash=hash_token(OPERATOR_TOKEN))],
        "sms_inbound": SmsInboundConfig(
            twilio_auth_token=Secret(TWILIO_TOKEN),
            twilio_url="https://sentinel.example.com/api/v1/sms/twilio",
            elks_token=Secret(ELKS_TOKEN),
        ),
    }
    base.update(over)
    return SecurityConfig(**base)


@asynccontextmanager
async def operator_harness(
    tmp_path: Path, *, enroll: tuple[str, ...] = ("erik", "anna"), **security: Any
) -> AsyncIterator[Harness]:
    root, oncall = load_oncall(EXAMPLE)
    sec = security_config(**security)
    config = SimpleNamespace(pages=root.pages, people=root.people, security=sec)
    clock = SimulatedClock(T0)
    db = SqliteDatabase.open(str(tmp_path / "sentinel.db"))
    intents: list[NotificationIntent] = []

    async def sink(batch: Sequence[NotificationIntent]) -> None:
        intents.extend(batch)

    incidents = IncidentManager(db, oncall, root.page, sink=sink)
    await incidents.start()
    store = SecurityStore(db)
    await store.start()
    alerts: list[tuple[str, str, datetime]] = []
    alarms: list[SecurityAlarm] = []

    async def on_alarm(alarm: SecurityAlarm) -> None:
        alarms.append(alarm)
        alerts.append((alarm.subject, alarm.reason, alarm.at))

    suppressor = Suppressor()
    routes = operator_routes(config, incidents, db, clock, suppressor=suppressor, on_security_alarm=on_alarm)

    async def ready() -> dict[str, bool]:
        return {"store": True}

    client = TestClient(TestServer(build_app(routes, ready)))
    await client.start_server()
    guard = TotpGuard(store, sec)
    h = Harness(clock, db, incidents, guard, client, suppressor, sec, alerts=alerts, alarms=alarms, intents=intents)
    try:
        for name in enroll:
            h.secrets[name] = pyotp.parse_uri((await guard.enroll(name, T0)).uri).secret
        yield h
    finally:
        await client.close()
        await db.close()
