"""Retry timing and the per-channel circuit breaker: pure, driven by ``now``."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sentinel.notify.base import DeliveryReason

#: failures that say the channel (not this one message) is in trouble
CHANNEL_FAILURES = frozenset(
    {DeliveryReason.SERVER_ERROR, DeliveryReason.TIMEOUT, DeliveryReason.CONNECTION_FAILED, DeliveryReason.RATE_LIMITED}
)


@dataclass(frozen=True, slots=True)
class Backoff:
    initial: timedelta
    maximum: timedelta

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds before attempt ``attempt + 1``: exponential with jitter (50–100 %), never before Retry-After."""
        base: float = min(self.maximum.total_seconds(), self.initial.total_seconds() * 2 ** max(0, attempt - 1))
        jittered: float = base * (0.5 + rng.random() / 2)
        if retry_after is not None:
            # honour the provider, but within reason: a day-long Retry-After is capped at the maximum
            return float(max(jittered, min(retry_after, max(self.maximum.total_seconds(), 1.0))))
        return jittered


class CircuitBreaker:
    """closed → (``threshold`` channel failures in a row) → open for ``cooldown`` → half-open:
    one probe; its success closes the breaker, its failure opens it again."""

    def __init__(self, threshold: int, cooldown: timedelta) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self.failures = 0
        self.open_until: datetime | None = None
        self._probing = False

    def state(self, now: datetime) -> str:
        if self.open_until is None:
            return "closed"
        return "open" if now < self.open_until else "half_open"

    def allow(self, now: datetime) -> bool:
        st = self.state(now)
        if st == "closed":
            return True
        if st == "half_open" and not self._probing:
            self._probing = True
            return True
        return False

    def blocked(self, now: datetime) -> bool:
        """Would ``allow`` refuse now (open, or half-open with its one probe already out)? Does not take the probe."""
        st = self.state(now)
        return st == "open" or (st == "half_open" and self._probing)

    def retry_at(self, now: datetime) -> datetime:
        return self.open_until if self.open_until and self.open_until > now else now + self.cooldown

    def success(self) -> None:
        self.failures = 0
        self.open_until = None
        self._probing = False

    def failure(self, reason: DeliveryReason, now: datetime) -> None:
        if reason not in CHANNEL_FAILURES:
            self._probing = False
            return
        self.failures += 1
        if self._probing or self.failures >= self.threshold:
            self.open_until = now + self.cooldown
        self._probing = False
