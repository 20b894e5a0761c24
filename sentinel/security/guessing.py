"""Wrong codes counted over a sliding window, per person and per address, and the security alarms they raise.

The lockout (``totp.py``) stops fast guessing: ``lockout_threshold`` wrong
codes in a row lock a person out for ``lockout_for``, and the count starts
again when the lockout ends. Paced guessing stays under it (5 tries every 15
minutes is 480 a day). So every failed code is also kept in the store for
``failure_window`` (a day by default) and counted by the person it was given
for and by the address it came from (the HTTP client's address, an SMS
sender's number). ``failure_alert_threshold`` of either raises
``security.code_guessing``, once per person or address and window, whether or
not a lockout is in progress. The store is the only memory: a restart, or a
second replica on the same store, counts the same failures.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sentinel.config.types import format_duration
from sentinel.model import AlertStatus, AlertTransition, Category, Severity
from sentinel.security.config import SecurityConfig
from sentinel.security.store import SecurityStore

ACK_LOCKOUT = "security.ack_lockout"  # a locked-out person was tried again
CODE_GUESSING = "security.code_guessing"  # too many wrong codes in the window for a person or from an address
ADDRESS = "address:"  # the subject of an alarm about an address, not a person


@dataclass(frozen=True, slots=True)
class SecurityAlarm:
    """Someone may be trying to take an alarm down: page the security on-call as for a hijack."""

    rule: str  # ACK_LOCKOUT or CODE_GUESSING
    subject: str  # a person's name, or "address:<IP or phone number>"
    reason: str
    at: datetime

    @property
    def summary(self) -> str:
        if self.rule == ACK_LOCKOUT:
            return f"Acknowledgement locked for {self.subject}: {self.reason}"
        return f"Wrong TOTP codes ({self.subject}): {self.reason}"

    @property
    def summary_sv(self) -> str:
        if self.rule == ACK_LOCKOUT:
            return f"Kvittering låst för {self.subject}: {self.reason}"
        return f"Fel TOTP-koder ({self.subject}): {self.reason}"

    def transition(self) -> AlertTransition:
        """The alert to raise through the pipeline (a critical hijack, one fingerprint per rule and subject)."""
        label = (
            ("address", self.subject.removeprefix(ADDRESS))
            if self.subject.startswith(ADDRESS)
            else ("person", self.subject)
        )
        return AlertTransition(
            time=self.at,
            status=AlertStatus.FIRING,
            rule=self.rule,
            category=Category.HIJACK,
            severity=Severity.CRITICAL,
            page="-",
            fingerprint=f"{self.rule}:{self.subject}",
            summary=self.summary,
            summaries={"sv": self.summary_sv},
            labels=dict([label]),
        )


AlarmHook = Callable[[SecurityAlarm], Awaitable[None]]


class FailureWatch:
    """Counts failed codes in the store; says which alarms a new failure is the first to call for."""

    def __init__(self, store: SecurityStore, config: Callable[[], SecurityConfig]) -> None:
        """``config``: the running ``security`` section (a reload's thresholds count from the next failure)."""
        self.store = store
        self.config = config

    async def failed(
        self, now: datetime, *, person: str, remote: str, source: str, result: str, enrolled: bool
    ) -> list[SecurityAlarm]:
        """Record one failed code given for ``person`` from ``remote``; the alarms due for it (none if this
        person or address was already reported within the window). Names nobody enrolled under count only
        for the address they came from."""
        cfg = self.config()
        since = now - cfg.failure_window
        window = format_duration(cfg.failure_window)
        await self.store.add_failure(now, person, remote, source, result, since)
        out: list[SecurityAlarm] = []
        if enrolled:
            n = await self.store.failures_of(person, since)
            if n >= cfg.failure_alert_threshold and await self.store.claim_alarm(CODE_GUESSING, person, now, since):
                out.append(
                    SecurityAlarm(
                        CODE_GUESSING,
                        person,
                        f"{n} wrong codes for {person} in the last {window}, "
                        f"the latest from {source} {remote}: someone may be guessing codes",
                        now,
                    )
                )
        n, names = await self.store.failures_from(remote, since)
        if n >= cfg.failure_alert_threshold and await self.store.claim_alarm(
            CODE_GUESSING, ADDRESS + remote, now, since
        ):
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            out.append(
                SecurityAlarm(
                    CODE_GUESSING,
                    ADDRESS + remote,
                    f"{n} wrong codes from {source} {remote} in "
                    f"the last {window}, given for {shown}: someone may be guessing codes",
                    now,
                )
            )
        return out
