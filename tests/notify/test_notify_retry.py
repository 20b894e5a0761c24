from __future__ import annotations

import random
from datetime import timedelta

from sentinel.notify.base import DeliveryReason
from sentinel.notify.retry import Backoff, CircuitBreaker
from sentinel.notify.stages import SmsLimit
from sentinel.testing import T0


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    b = Backoff(timedelta(seconds=2), timedelta(seconds=60))
    rng = random.Random(1)
    for attempt, base in [(1, 2), (2, 4), (3, 8), (4, 16), (10, 60)]:
        d = b.delay(attempt, rng)
        assert base / 2 <= d <= base


def test_backoff_never_retries_before_retry_after() -> None:
    b = Backoff(timedelta(seconds=2), timedelta(seconds=60))
    assert b.delay(1, random.Random(1), retry_after=30) >= 30
    assert b.delay(1, random.Random(1), retry_after=86400) == 60  # capped: a page must not wait a day


def test_breaker_opens_after_threshold_and_probes_after_cooldown() -> None:
    br = CircuitBreaker(3, timedelta(seconds=60))
    for _ in range(3):
        assert br.allow(T0)
        br.failure(DeliveryReason.SERVER_ERROR, T0)
    assert br.state(T0) == "open"
    assert not br.allow(T0 + timedelta(seconds=59))
    later = T0 + timedelta(seconds=61)
    assert br.allow(later)  # the probe
    assert not br.allow(later)  # only one
    br.failure(DeliveryReason.TIMEOUT, later)
    assert br.state(later) == "open"
    assert br.allow(later + timedelta(seconds=61))
    br.success()
    assert br.state(later) == "closed"


def test_breaker_ignores_failures_of_one_message() -> None:
    br = CircuitBreaker(2, timedelta(seconds=60))
    for _ in range(5):
        br.failure(DeliveryReason.REJECTED, T0)
        br.failure(DeliveryReason.MISCONFIGURED, T0)
    assert br.state(T0) == "closed"


def test_sms_limit_holds_within_bundle_window_and_past_the_per_number_limit() -> None:
    lim = SmsLimit(timedelta(minutes=2), 3, timedelta(minutes=10))
    t = T0.timestamp()
    assert lim.hold_until([], T0) == (None, False)
    hold, limited = lim.hold_until([t - 30], T0)
    assert hold == T0 + timedelta(seconds=90) and not limited
    assert lim.hold_until([t - 300], T0) == (None, False)
    hold, limited = lim.hold_until([t - 500, t - 400, t - 300], T0)
    assert limited and hold == T0 + timedelta(seconds=100)
