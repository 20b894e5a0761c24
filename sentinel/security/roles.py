"""Who may do what in the operator console: ``security.console`` (roles per person, the session lifetime).

Three roles, each able to do what the one before it can:

- ``viewer``: read incidents, on-call, silences;
- ``responder``: also acknowledge, take over, snooze and resolve incidents, create and expire silences (a hijack
  still needs the person's TOTP code, as in the API);
- ``admin``: also read the audit trail.

A person not named in ``roles`` has ``default_role`` (``responder``: what the operator API already lets an enrolled
person do with their code). Signing in always needs the person's TOTP code; the role narrows what a session may, and
what the person's code may do to an incident through the API (``IncidentActions``): a viewer's does nothing.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from pydantic import Field, field_validator

from sentinel.config.types import Duration, SentinelModel


class Role(StrEnum):
    VIEWER = "viewer"
    RESPONDER = "responder"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def may(self, needed: Role) -> bool:
        """True when this role may do what ``needed`` may."""
        return self.rank >= needed.rank


_RANK = {Role.VIEWER: 0, Role.RESPONDER: 1, Role.ADMIN: 2}


class ConsoleAccess(SentinelModel):
    """``security.console``: ``roles`` maps a person's name to their role; everyone else has ``default_role``."""

    roles: dict[str, Role] = Field(default_factory=dict)
    default_role: Role = Role.RESPONDER
    session_ttl: Duration = timedelta(hours=12)  # a session ends this long after sign-in, whatever it did

    @field_validator("session_ttl")
    @classmethod
    def _ttl(cls, v: timedelta) -> timedelta:
        if not timedelta(minutes=1) <= v <= timedelta(days=30):
            raise ValueError("between 1m and 30d")
        return v

    def role_of(self, person: str) -> Role:
        return self.roles.get(person, self.default_role)
