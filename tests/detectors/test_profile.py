from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sentinel.rules  # noqa: F401  (import order: sentinel.detectors.common imports the rule engine)
from sentinel.detectors.profile import ProfileDetector, ProfileParams
from sentinel.model import Severity
from sentinel.testing import event

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday


def post(t, app="Meta Business Suite", admin="a1", lang="sv", domains=(), text="Välkommen in till oss i helgen!"):
    ev = event("post.created", t, post_id=f"p{t.timestamp()}", message=text, type="photo")
    return SimpleNamespace(event=ev, local_time=t, app=app, admin_id=admin, lang=lang, domains=list(domains), text=text)


def trained():
    det = ProfileDetector(ProfileParams(type="profile"))
    st = det.new_state()
    for d in range(40):
        day = T0 + timedelta(days=d)
        if day.weekday() < 5:
            det.observe(st, post(day + timedelta(hours=d % 7), domains=("druvan.se",) if d % 3 == 0 else ()), day)
    return det, st


def test_hijack_post_is_critical_with_explanation():
    det, st = trained()
    t = datetime(2025, 4, 13, 2, 13, tzinfo=UTC)  # a Sunday
    sigs = det.observe(st, post(t, app="X", admin="evil", lang="en", domains=("free-crypto.example",)), t)
    assert sigs[0].severity == Severity.CRITICAL
    why = sigs[0].values["why"]["en"]
    assert "02:13 on a Sunday" in why and "app 'X' never used" in why and "never linked" in why
    why_sv = sigs[0].values["why"]["sv"]  # the Swedish summary says it in Swedish
    assert "02:13 en söndag" in why_sv and "appen 'X' aldrig använd" in why_sv and "aldrig länkad" in why_sv
    assert "never" not in why_sv and "usual" not in why_sv


def test_new_app_at_eleven_is_at_most_info():
    det, st = trained()
    t = datetime(2025, 4, 16, 11, 0, tzinfo=UTC)
    sigs = det.observe(st, post(t, app="Canva"), t)
    assert all(s.severity <= Severity.INFO for s in sigs)


def test_usual_post_is_silent_and_state_round_trips():
    det, st = trained()
    t = datetime(2025, 4, 16, 10, 0, tzinfo=UTC)
    assert det.observe(st, post(t), t) == []
    assert det.to_json(det.from_json(det.to_json(st))) == det.to_json(st)
