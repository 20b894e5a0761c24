"""TOTP codes: ±1 step, once per person, lockout with a security alert, an audit trail, encrypted secrets."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from sentinel.config.types import Secret
from sentinel.security.config import SecurityConfig
from sentinel.security.store import SecurityStore
from sentinel.security.totp import Attempt, SecurityError, TotpGuard, Verdict
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing.operator import T0

KEY = Secret("k" * 40)


async def guard(tmp_path: Path, **over: object) -> tuple[TotpGuard, str, list[tuple[str, str, datetime]]]:
    alerts: list[tuple[str, str, datetime]] = []

    async def on_alert(person: str, reason: str, at: datetime) -> None:
        alerts.append((person, reason, at))

    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    g = TotpGuard(SecurityStore(db), SecurityConfig(secret_key=KEY, **over), on_security_alert=on_alert)  # type: ignore[arg-type]
    secret = pyotp.parse_uri((await g.enroll("erik", T0)).uri).secret
    return g, secret, alerts


def attempt() -> Attempt:
    return Attempt("erik", "api", "10.0.0.1", "ack", "inc-000001")


@pytest.mark.parametrize(
    "offset_s, expected",
    [(0, Verdict.OK), (-30, Verdict.OK), (30, Verdict.OK), (-65, Verdict.INVALID), (65, Verdict.INVALID)],
)
async def test_code_is_accepted_within_one_time_step_either_side(tmp_path, offset_s, expected):
    g, secret, _ = await guard(tmp_path)
    code = pyotp.TOTP(secret).at(T0 + timedelta(seconds=offset_s))
    assert await g.verify(code, attempt(), T0) == expected


async def test_each_code_is_accepted_once_even_after_a_restart(tmp_path):
    g, secret, _ = await guard(tmp_path)
    code = pyotp.TOTP(secret).at(T0)
    assert await g.verify(code, attempt(), T0) == Verdict.OK
    assert await g.verify(code, attempt(), T0 + timedelta(seconds=5)) == Verdict.REUSED
    fresh = TotpGuard(SecurityStore(g.store.db), g.config)
    assert await fresh.verify(code, attempt(), T0 + timedelta(seconds=10)) == Verdict.REUSED
    older = pyotp.TOTP(secret).at(T0 - timedelta(seconds=30))
    assert await fresh.verify(older, attempt(), T0 + timedelta(seconds=10)) == Verdict.SUPERSEDED  # never used
    later = T0 + timedelta(seconds=30)
    assert await fresh.verify(pyotp.TOTP(secret).at(later), attempt(), later) == Verdict.OK


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 34 5"])
async def test_malformed_codes_are_refused(tmp_path, code):
    g, _, _ = await guard(tmp_path)
    assert await g.verify(code, attempt(), T0) == Verdict.INVALID


async def test_sixth_try_after_five_wrong_codes_is_locked_out_and_raises_a_security_alert(tmp_path):
    g, secret, alerts = await guard(tmp_path)
    right = pyotp.TOTP(secret).at(T0)
    wrong = "000000" if right != "000000" else "111111"
    for i in range(5):
        assert await g.verify(wrong, attempt(), T0 + timedelta(seconds=i)) == Verdict.INVALID
        assert alerts == []
    assert await g.verify(right, attempt(), T0 + timedelta(seconds=6)) == Verdict.LOCKED
    assert len(alerts) == 1 and alerts[0][0] == "erik" and alerts[0][2] == T0 + timedelta(seconds=6)
    assert await g.verify(right, attempt(), T0 + timedelta(seconds=7)) == Verdict.LOCKED
    assert len(alerts) == 1  # one alert per lockout
    after = T0 + timedelta(minutes=16)
    assert await g.verify(pyotp.TOTP(secret).at(after), attempt(), after) == Verdict.OK


async def test_a_right_code_resets_the_failure_count(tmp_path):
    g, secret, alerts = await guard(tmp_path)
    for i in range(4):
        assert await g.verify("000001", attempt(), T0 + timedelta(seconds=i)) != Verdict.OK
    assert await g.verify(pyotp.TOTP(secret).at(T0), attempt(), T0 + timedelta(seconds=5)) == Verdict.OK
    for i in range(4):
        assert await g.verify("000001", attempt(), T0 + timedelta(seconds=10 + i)) != Verdict.OK
    later = T0 + timedelta(seconds=40)
    assert await g.verify(pyotp.TOTP(secret).at(later), attempt(), later) == Verdict.OK
    assert alerts == []


async def test_every_attempt_is_in_the_audit_trail_without_the_code(tmp_path):
    g, secret, _ = await guard(tmp_path)
    code = pyotp.TOTP(secret).at(T0)
    await g.verify("999999" if code != "999999" else "888888", attempt(), T0)
    await g.verify(code, attempt(), T0 + timedelta(seconds=1))
    await g.verify(
        "123456", Attempt("nobody", "sms-twilio", "+46700000000", "ack", "inc-000002"), T0 + timedelta(seconds=2)
    )
    trail = await g.store.audit_trail()
    assert [(e.person, e.source, e.remote, e.result) for e in trail] == [
        ("erik", "api", "10.0.0.1", "invalid"),
        ("erik", "api", "10.0.0.1", "ok"),
        ("nobody", "sms-twilio", "+46700000000", "not_enrolled"),
    ]
    assert all(code not in str(e.to_json()) for e in trail)


async def test_secrets_are_encrypted_at_rest_and_need_the_key(tmp_path):
    g, secret, _ = await guard(tmp_path)
    rows = await g.store.db.fetchall("SELECT secret FROM security_staff")
    assert rows and secret not in rows[0][0]
    other = TotpGuard(SecurityStore(g.store.db), SecurityConfig(secret_key=Secret("another-key-entirely")))
    with pytest.raises(SecurityError, match="wrong secret key"):
        await other.verify(pyotp.TOTP(secret).at(T0), attempt(), T0)


async def test_enrolment_without_a_key_is_refused_with_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("SENTINEL_SECRET_KEY", raising=False)
    g = TotpGuard(SecurityStore(SqliteDatabase.open(":memory:")), SecurityConfig())
    with pytest.raises(SecurityError, match="SENTINEL_SECRET_KEY"):
        await g.enroll("erik", T0)


async def test_the_key_can_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SENTINEL_SECRET_KEY", "from-the-environment-0123456789")
    g = TotpGuard(SecurityStore(SqliteDatabase.open(":memory:")), SecurityConfig())
    secret = pyotp.parse_uri((await g.enroll("erik", T0)).uri).secret
    assert await g.verify(pyotp.TOTP(secret).at(T0), attempt(), T0) == Verdict.OK


def test_enrolling_someone_enrolled_again_is_refused_and_their_codes_keep_working(tmp_path, monkeypatch):
    """`sentinel staff enroll erik` a second time replaced his secret in silence: the codes of the phone he has
    stopped working, exit 0. It is refused now, naming `staff reset`; after a reset it works."""
    import subprocess
    import sys

    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"pages:\n  - id: druvan\npeople:\n  - {{name: erik, phone: '+46701234501'}}\n"
        f"store: {{url: 'sqlite:///{tmp_path / 'sentinel.db'}'}}\nsecurity: {{secret_key: test-key-0123456789abcdef}}\n"
    )

    def staff(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "sentinel", "staff", *args, "-c", str(cfg)]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60)

    first = staff("enroll", "erik", "--no-qr")
    assert first.returncode == 0, first.stderr
    again = staff("enroll", "erik", "--no-qr")
    assert again.returncode == 2 and "otpauth://" not in again.stdout
    assert "erik is enrolled" in again.stderr and "sentinel staff reset erik" in again.stderr
    assert staff("reset", "erik").returncode == 0
    assert staff("enroll", "erik", "--no-qr").returncode == 0
