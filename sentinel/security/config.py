"""The ``security:`` config section: keys, link lifetime, lockout, code-guessing alarm, operator tokens,
inbound SMS.

Keys may come from the environment instead of the file: ``SENTINEL_SECRET_KEY``
encrypts TOTP secrets in the store; the link signing key, unless given, is
derived from it.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta

from pydantic import Field, field_validator

from sentinel.config.types import Duration, Secret, SentinelModel
from sentinel.security.roles import ConsoleAccess
from sentinel.security.sms import UnknownReplyLimits

ENV_SECRET_KEY = "SENTINEL_SECRET_KEY"


class OperatorTokenConfig(SentinelModel):
    """An operator bearer token, stored as ``sha256:<hex>`` of the token (``sentinel staff token`` makes one)."""

    name: str = Field(min_length=1)
    hash: str

    @field_validator("hash")
    @classmethod
    def _hash(cls, v: str) -> str:
        if not re.fullmatch(r"sha256:[0-9a-f]{64}", v):
            raise ValueError("write the token's hash as sha256:<64 hex digits> (sentinel staff token NAME prints it)")
        return v


class SmsInboundConfig(SentinelModel):
    """Where SMS replies arrive. Twilio signs each request with the account's auth token over ``twilio_url``
    (the webhook URL exactly as configured at Twilio); 46elks posts to ``/api/v1/sms/46elks/<elks_token>``."""

    twilio_auth_token: Secret | None = None
    twilio_url: str | None = None
    elks_token: Secret | None = None
    unknown_replies: UnknownReplyLimits = UnknownReplyLimits()  # how often an unknown number gets an answer


class SecurityConfig(SentinelModel):
    secret_key: Secret | None = None  # else the environment's SENTINEL_SECRET_KEY
    link_key: Secret | None = None  # else derived from the secret key
    link_ttl: Duration = timedelta(hours=1)
    public_url: str | None = None  # base of signed links, e.g. https://sentinel.example.com
    issuer: str = "Sentinel"  # shown in the authenticator app
    # this many wrong codes in a row lock a person out for lockout_for
    lockout_threshold: int = Field(default=5, ge=1, le=100)
    lockout_for: Duration = timedelta(minutes=15)
    # wrong codes count over a sliding failure_window; failure_alert_threshold of them for one person, or from
    # one address (an IP, an SMS sender), page the security on-call: once per person/address and window
    failure_window: Duration = timedelta(days=1)
    failure_alert_threshold: int = Field(default=10, ge=1, le=10_000)
    operator_tokens: list[OperatorTokenConfig] = Field(default_factory=list)
    sms_inbound: SmsInboundConfig = SmsInboundConfig()
    console: ConsoleAccess = ConsoleAccess()  # roles and sessions of the operator console (``security/roles.py``)

    @field_validator("failure_window")
    @classmethod
    def _positive(cls, v: timedelta) -> timedelta:
        if v <= timedelta(0):
            raise ValueError("a duration above zero, like 15m or 1d")
        return v

    def resolved_secret_key(self) -> Secret | None:
        if self.secret_key:
            return self.secret_key
        env = os.environ.get(ENV_SECRET_KEY, "").strip()
        return Secret(env) if env else None


def security_of(config: object) -> SecurityConfig:
    """The ``security`` section of a root config (defaults if the root has none), or the section itself."""
    if isinstance(config, SecurityConfig):
        return config
    sec = getattr(config, "security", None)
    return sec if isinstance(sec, SecurityConfig) else SecurityConfig()
