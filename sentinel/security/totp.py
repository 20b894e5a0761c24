"""TOTP enrolment and verification: ±1 time step, each code once per person, lockout with a security alert,
and every failed code counted over a sliding window (``guessing.py``).

Secrets are encrypted in the store (Fernet, from the ``cryptography``
package) with a key from config or ``SENTINEL_SECRET_KEY``. Every attempt
is written to the audit trail (who, when, from where, result); no code and
no secret ever reaches a log line.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import pyotp
import structlog
from cryptography.fernet import Fernet, InvalidToken

from sentinel.config.types import Secret
from sentinel.errors import SentinelError
from sentinel.security.config import ENV_SECRET_KEY, SecurityConfig
from sentinel.security.guessing import ACK_LOCKOUT, AlarmHook, FailureWatch, SecurityAlarm
from sentinel.security.store import AuditEntry, SecurityStore, StaffRow

log = structlog.get_logger("sentinel.security")

STEP_S = 30
SecurityAlert = Callable[[str, str, datetime], Awaitable[None]]  # (person or address, reason, at): the older hook


class SecurityError(SentinelError):
    """A security operation cannot run (no key configured, unknown person, undecryptable secret)."""


class Verdict(StrEnum):
    OK = "ok"
    INVALID = "invalid"  # wrong, expired or malformed code
    REUSED = "reused"  # a right code whose time step was already accepted for this person: no failure
    # a right code, never used, for a time step before one already accepted (RFC 6238 5.2: the accepted step only moves
    # forward): refused, and no failure either; the person used a newer code, and must enter the next one
    SUPERSEDED = "superseded"
    LOCKED = "locked"  # too many failures in a row
    NOT_ENROLLED = "not_enrolled"
    NOT_IN_PEOPLE = "not_in_people"  # enrolled, but not in the running config's people: (no authority)


_NO_GUESS = frozenset({Verdict.OK, Verdict.REUSED, Verdict.SUPERSEDED})  # verdicts that are no failed code


def derive_key(secret: Secret, purpose: str) -> bytes:
    """32 bytes for ``purpose`` from the configured key (any string)."""
    return hmac.new(secret.reveal().encode(), f"sentinel/{purpose}".encode(), hashlib.sha256).digest()


class SecretBox:
    """Encrypts TOTP secrets at rest."""

    def __init__(self, key: Secret | None) -> None:
        if not key:
            raise SecurityError(f"no secret key: set {ENV_SECRET_KEY} or security.secret_key")
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(key, "totp-secrets")))

    def seal(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SecurityError("cannot decrypt a stored TOTP secret: wrong secret key?") from None


@dataclass(frozen=True, slots=True)
class Enrolment:
    name: str
    uri: str  # otpauth://totp/... : holds the secret, show it only to the person enrolling


@dataclass(frozen=True, slots=True)
class Attempt:
    """Who tries what from where (never the code)."""

    person: str
    source: str
    remote: str
    action: str
    incident: str = ""


def _step(t: datetime) -> int:
    return int(t.timestamp()) // STEP_S


class TotpGuard:
    def __init__(
        self,
        store: SecurityStore,
        config: SecurityConfig | Callable[[], SecurityConfig],
        *,
        listed: Callable[[str], bool] | None = None,
        on_security_alert: SecurityAlert | None = None,
        on_alarm: AlarmHook | None = None,
    ) -> None:
        """``config``: the ``security`` section, or a function returning the running one (read at every check, so a
        reload's lockout settings hold at once; the secret key is read once). ``listed``: whether a name is in the
        running config's ``people:``: an enrolled name that is not has no valid code (None: the store decides
        alone, as ``sentinel staff`` does). ``on_alarm`` receives each ``SecurityAlarm`` (its rule names it);
        without it, ``on_security_alert`` gets the subject and the reason only."""
        self.store = store
        self._config = config if callable(config) else lambda: config
        self.listed = listed
        self.on_security_alert = on_security_alert
        self.on_alarm = on_alarm
        self.watch = FailureWatch(store, self._config)
        self._box: SecretBox | None = None
        self._lock = asyncio.Lock()

    @property
    def config(self) -> SecurityConfig:
        return self._config()

    @property
    def box(self) -> SecretBox:
        if self._box is None:
            self._box = SecretBox(self.config.resolved_secret_key())
        return self._box

    # -- enrolment -----------------------------------------------------------------
    async def enroll(self, name: str, now: datetime) -> Enrolment:
        await self.store.start()
        secret = pyotp.random_base32()
        await self.store.enroll(name, self.box.seal(secret), now)
        log.info("security.staff_enrolled", person=name)
        uri = pyotp.TOTP(secret, interval=STEP_S).provisioning_uri(name=name, issuer_name=self.config.issuer)
        return Enrolment(name, uri)

    async def reset(self, name: str) -> bool:
        """Forget a person's secret, failures and lockout; they must enrol again."""
        await self.store.start()
        removed = await self.store.remove(name)
        log.info("security.staff_reset", person=name, removed=removed)
        return removed

    async def staff(self) -> list[StaffRow]:
        await self.store.start()
        return await self.store.all_staff()

    # -- verification ---------------------------------------------------------------
    async def verify(self, code: str, attempt: Attempt, now: datetime) -> Verdict:
        """Check ``code`` for ``attempt.person`` at ``now`` (a name not in ``people:`` is refused before its code is
        looked at); records the attempt, counts a failure over the sliding window, and raises the security alarms:
        the first time a locked-out person tries again, and when a person or an address reaches
        ``failure_alert_threshold`` failures in the window."""
        await self.store.start()
        alarms: list[SecurityAlarm] = []
        # one attempt at a time per person, across replicas too: the lockout read, the code check and the failure
        # counted commit together (a replica that read "not locked" used to check its guess after another locked)
        async with self._lock, self.store.db.transaction():
            await self.store.hold(attempt.person)
            row = await self.store.staff(attempt.person)
            if row is not None and self.listed is not None and not self.listed(attempt.person):
                # taken out of people: their enrolment is left in the store, their authority is not
                verdict, alert = Verdict.NOT_IN_PEOPLE, None
                log.warning("security.unlisted_refused", person=attempt.person, source=attempt.source)
            else:
                verdict, alert = await self._check(row, code, attempt, now)
            await self.store.audit(
                AuditEntry(
                    now, attempt.person, attempt.source, attempt.remote, attempt.action, attempt.incident, str(verdict)
                )
            )
            if alert is not None:
                alarms.append(SecurityAlarm(ACK_LOCKOUT, attempt.person, alert, now))
            if verdict not in _NO_GUESS:  # a spent or superseded right code is no guess (``_check``)
                alarms += await self.watch.failed(
                    now,
                    person=attempt.person,
                    remote=attempt.remote,
                    source=attempt.source,
                    result=str(verdict),
                    enrolled=verdict not in (Verdict.NOT_ENROLLED, Verdict.NOT_IN_PEOPLE),
                )
        log.info(
            "security.code_checked",
            person=attempt.person,
            source=attempt.source,
            remote=attempt.remote,
            action=attempt.action,
            incident=attempt.incident,
            result=str(verdict),
        )
        for alarm in alarms:
            await self.raise_alarm(alarm)
        return verdict

    async def raise_alarm(self, alarm: SecurityAlarm) -> None:
        log.warning("security.alarm_raised", rule=alarm.rule, subject=alarm.subject, reason=alarm.reason)
        if self.on_alarm is not None:
            await self.on_alarm(alarm)
        elif self.on_security_alert is not None:
            await self.on_security_alert(alarm.subject, alarm.reason, alarm.at)

    async def _check(
        self, row: StaffRow | None, code: str, attempt: Attempt, now: datetime
    ) -> tuple[Verdict, str | None]:
        if row is None:
            return Verdict.NOT_ENROLLED, None
        if row.locked_until is not None and now < row.locked_until:
            if row.alerted or not await self.store.claim_lockout_alarm(row.name):
                return Verdict.LOCKED, None
            return Verdict.LOCKED, (
                f"{row.failures} wrong codes in a row for {row.name}, then another try from "
                f"{attempt.source} {attempt.remote}: locked out"
            )
        step = self._matching_step(row, code, now)
        if step is not None:
            if await self.store.accept_step(row.name, step, now):
                return Verdict.OK, None
            # the person's own code, right for its time but spent (a double-submit, a second tab), or never used but
            # older than one that was (the accepted step only moves forward): nothing was guessed, so it counts no
            # failure; it acts on nothing. (``row`` was read with the person's row held: its step is the latest.)
            return (Verdict.SUPERSEDED if step < row.last_step else Verdict.REUSED), None
        verdict = Verdict.INVALID
        failures = await self.store.fail_in_a_row(row.name, row.locked_until)  # a lockout over: a fresh start
        if failures >= self.config.lockout_threshold:
            locked = now + self.config.lockout_for
            await self.store.lock(row.name, locked)
            log.warning("security.staff_locked_out", person=row.name, failures=failures, until=locked.isoformat())
        return verdict, None

    def _matching_step(self, row: StaffRow, code: str, now: datetime) -> int | None:
        code = code.strip().replace(" ", "")
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            return None
        totp = pyotp.TOTP(self.box.open(row.secret), interval=STEP_S)
        if not totp.verify(code, for_time=now, valid_window=1):
            return None
        for delta in (-1, 0, 1):
            step = _step(now) + delta
            if hmac.compare_digest(totp.at(step * STEP_S), code):
                return step
        return None  # pragma: no cover - verify() and at() agree
