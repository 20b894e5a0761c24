"""``sentinel_incident_oldest_unacknowledged_timestamp_seconds``: what SentinelIncidentUnacknowledged reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sentinel import metrics
from sentinel.incidents import IncidentManager
from sentinel.model import AlertStatus, AlertTransition, Category, Severity
from sentinel.settings.oncall import load_oncall
from sentinel.store.sqlite import SqliteDatabase

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "druvan.yaml"
PAGE = "metrics-test"  # a page no other test uses: the registry is process-wide
T0 = datetime(2025, 9, 26, 19, 0, tzinfo=UTC)


def oldest(page: str, severity: str) -> float | None:
    return metrics.REGISTRY.get_sample_value(
        "sentinel_incident_oldest_unacknowledged_timestamp_seconds", {"page": page, "severity": severity}
    )


def alert(
    t: datetime, category: Category, severity: Severity, fp: str, status: AlertStatus = AlertStatus.FIRING
) -> AlertTransition:
    return AlertTransition(
        time=t,
        status=status,
        rule=f"r.{fp}",
        category=category,
        severity=severity,
        page=PAGE,
        fingerprint=fp,
        summary=fp,
        group_key=fp,
    )


async def test_oldest_unacknowledged_gauge_follows_triggered_incidents_and_goes_away_on_ack() -> None:
    root, oncall = load_oncall(EXAMPLE)
    page = root.page("druvan")
    mgr = IncidentManager(SqliteDatabase.open(":memory:"), oncall, lambda p: page if p == PAGE else None)
    await mgr.start()
    assert oldest(PAGE, "critical") is None

    first = await mgr.on_alert(alert(T0, Category.HIJACK, Severity.CRITICAL, "a"), T0)
    second = await mgr.on_alert(
        alert(T0 + timedelta(minutes=5), Category.CRISIS, Severity.CRITICAL, "b"), T0 + timedelta(minutes=5)
    )
    await mgr.on_alert(
        alert(T0 + timedelta(minutes=7), Category.CRISIS, Severity.WARNING, "c"), T0 + timedelta(minutes=7)
    )
    assert first and second
    assert oldest(PAGE, "critical") == T0.timestamp()  # the older of the two critical incidents
    assert oldest(PAGE, "warning") == (T0 + timedelta(minutes=7)).timestamp()

    await mgr.acknowledge(first, "anna", T0 + timedelta(minutes=10))
    assert oldest(PAGE, "critical") == (T0 + timedelta(minutes=5)).timestamp()

    await mgr.resolve(second, "anna", T0 + timedelta(minutes=11))
    assert oldest(PAGE, "critical") is None  # no triggered critical incident left: the series is removed
    assert oldest(PAGE, "warning") == (T0 + timedelta(minutes=7)).timestamp()
