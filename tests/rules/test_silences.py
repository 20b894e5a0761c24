"""Silences from config: matchers and a time range mute alerts, which still show as ``suppressed`` with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from sentinel.config.schema import PageConfig
from sentinel.metrics import ALERTS_SUPPRESSED
from sentinel.model import AlertStatus, Event
from sentinel.pipeline import alert_record
from sentinel.rules import RuleEngine, load_rules
from sentinel.rules.silences import Matcher, SilenceConfig, silences_from_config
from sentinel.testing import at, event, person


def pages(pid: str) -> PageConfig:
    return PageConfig(id=pid, timezone="Europe/Stockholm", staffed_hours={"mon-fri": "08:00-17:00"})


def window(*matchers: str, start: str = "0s", end: str = "2h") -> SilenceConfig:
    return SilenceConfig.model_validate(
        {
            "matchers": list(matchers),
            "starts": at(start).isoformat(),
            "ends": at(end).isoformat(),
            "comment": "campaign",
        }
    )


def grant(t: str, page: str = "druvan") -> Event:
    return event(
        "role.granted", at(t), page=page, actor=person("Boss"), user={"id": "9", "name": "X"}, tasks=["MANAGE"]
    )


def test_a_silenced_alert_is_emitted_as_suppressed_with_a_reason_and_counted() -> None:
    eng = RuleEngine(load_rules([]), pages, silences=silences_from_config([window("page=druvan")]))
    before = ALERTS_SUPPRESSED.labels("silenced")._value.get()
    ev = grant("30m")
    out = [t for t in eng.process(ev, ev.time) if t.rule == "hijack.manage_granted"]
    assert [(t.status, t.reason) for t in out] == [(AlertStatus.SUPPRESSED, "silenced")]
    assert ALERTS_SUPPRESSED.labels("silenced")._value.get() == before + 1
    rec = alert_record(out[0], None)
    assert rec["status"] == "suppressed" and rec["reason"] == "silenced"
    # a suppressed alert never notified anyone, so it does not resolve either
    assert [t for t in eng.advance(at("3h")) if t.rule == "hijack.manage_granted"] == []


def test_a_silence_mutes_only_inside_its_time_range_and_matchers() -> None:
    eng = RuleEngine(
        load_rules([]),
        pages,
        silences=silences_from_config([window("page=druvan", "rule=~hijack\\.manage.*", end="1h")]),
    )
    for t, page, want in [("30m", "other", AlertStatus.FIRING), ("3h", "druvan", AlertStatus.FIRING)]:
        ev = grant(t, page)
        out = [x for x in eng.process(ev, ev.time) if x.rule == "hijack.manage_granted" and x.page == page]
        assert [x.status for x in out] == [want], (t, page)
    ev = event("role.granted", at("4h"), actor=person("Boss"), user={"id": "8", "name": "Y"}, tasks=["MODERATE"])
    out = [x for x in eng.process(ev, ev.time) if x.rule == "hijack.role_granted"]
    assert [x.status for x in out] == [AlertStatus.FIRING]


def test_silences_from_config_parses_matchers_and_keeps_stable_ids() -> None:
    cfg = [window("page=druvan", "severity!=critical", "rule=~crisis\\..*"), window("category!~sla|health")]
    a, b = silences_from_config(cfg)
    assert a.matchers == (
        Matcher("page", "druvan"),
        Matcher("severity", "critical", "!="),
        Matcher("rule", "crisis\\..*", "=~"),
    )
    assert a.comment == "campaign" and a.created_by == "config" and a.ends - a.starts == timedelta(hours=2)
    assert a.mutes({"page": "druvan", "severity": "warning", "rule": "crisis.volume_spike"}, at("1h"))
    assert not a.mutes({"page": "druvan", "severity": "critical", "rule": "crisis.volume_spike"}, at("1h"))
    assert b.mutes({"category": "crisis"}, at("0s")) and not b.mutes({"category": "sla"}, at("0s"))
    assert not b.mutes({"category": "crisis"}, at("2h"))  # ends is exclusive
    assert [s.id for s in silences_from_config(cfg)] == [a.id, b.id] and a.id != b.id


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (
            {"matchers": ["page=druvan"], "starts": "2025-09-01T10:00:00+02:00", "ends": "2025-09-01T09:00:00+02:00"},
            "'ends' must be after 'starts'",
        ),
        (
            {"matchers": ["page=druvan"], "starts": "2025-09-01T10:00:00", "ends": "2025-09-01T12:00:00+02:00"},
            "UTC offset",
        ),
        (
            {"matchers": ["druvan"], "starts": "2025-09-01T10:00:00+02:00", "ends": "2025-09-01T12:00:00+02:00"},
            "bad matcher",
        ),
        (
            {"matchers": ["rule=~crisis("], "starts": "2025-09-01T10:00:00+02:00", "ends": "2025-09-01T12:00:00+02:00"},
            "bad regular expression",
        ),
        (
            {"matchers": ["rule=~(a)\\1"], "starts": "2025-09-01T10:00:00+02:00", "ends": "2025-09-01T12:00:00+02:00"},
            "bad regular expression in matcher 'rule=~(a)\\\\1': invalid escape sequence",
        ),
        ({"matchers": [], "starts": "2025-09-01T10:00:00+02:00", "ends": "2025-09-01T12:00:00+02:00"}, "at least 1"),
        ({"matchers": ["page=x"], "start": "2025-09-01T10:00:00+02:00", "ends": "2025-09-01T12:00:00+02:00"}, "starts"),
    ],
)
def test_a_bad_silence_is_a_clear_config_error(data: dict[str, object], needle: str) -> None:
    with pytest.raises(ValidationError) as e:
        SilenceConfig.model_validate(data)
    assert needle in str(e.value)
