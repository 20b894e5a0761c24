"""Acknowledgement a hijacker cannot forge: TOTP codes, signed links, operator tokens, SMS webhooks."""

from sentinel.security.config import SecurityConfig
from sentinel.security.store import SecurityStore
from sentinel.security.totp import Enrolment, TotpGuard, Verdict

__all__ = ["Enrolment", "SecurityConfig", "SecurityStore", "TotpGuard", "Verdict"]
