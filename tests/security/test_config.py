"""The ``security:`` section: defaults and what it refuses."""

from __future__ import annotations

from datetime import timedelta

import pydantic
import pytest

from sentinel.security.config import SecurityConfig


def test_wrong_codes_are_counted_over_a_day_and_page_at_ten_by_default() -> None:
    sec = SecurityConfig()
    assert (sec.failure_window, sec.failure_alert_threshold) == (timedelta(days=1), 10)
    assert (sec.lockout_threshold, sec.lockout_for) == (5, timedelta(minutes=15))


def test_the_failure_window_must_be_above_zero() -> None:
    with pytest.raises(pydantic.ValidationError, match="above zero"):
        SecurityConfig(failure_window=timedelta(0))


def test_answers_to_unknown_sms_numbers_are_configured_under_sms_inbound() -> None:
    sec = SecurityConfig.model_validate({"sms_inbound": {"unknown_replies": {"per_number": 2, "overall": 5}}})
    assert (sec.sms_inbound.unknown_replies.per_number, sec.sms_inbound.unknown_replies.overall) == (2, 5)
    assert SecurityConfig().sms_inbound.unknown_replies.per_number == 1
    with pytest.raises(pydantic.ValidationError):
        SecurityConfig.model_validate({"sms_inbound": {"unknown_replies": {"per_nmber": 2}}})
