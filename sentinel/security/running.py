"""The security settings a running daemon acts on, in one value built from its root config.

The operator API, the console, the SMS webhooks and the code guard all read the one ``Running`` their ``Services``
holds, on every request; a reload builds a new one and installs it in one assignment. Before, each took its own
copy at start: a reload that revoked an operator token, rotated the 46elks URL token or lowered the lockout
threshold changed nothing (``/-/reload``, building its own registry, even refused the new token while the API took
the old one).

Authority comes from ``people:``: a name not there has none, enrolled or not (its codes are refused for every
action and sign-in, and its console sessions are not signed in). Taking someone out of the config and reloading
is enough to take their power away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sentinel.security.config import SecurityConfig, security_of
from sentinel.security.roles import Role
from sentinel.security.tokens import TokenRegistry


@dataclass(frozen=True, slots=True)
class Running:
    security: SecurityConfig
    people: frozenset[str]  # the names in people:, the only ones with any authority
    phones: Mapping[str, str] = field(default_factory=dict)  # E.164 phone -> person name (SMS replies)
    tokens: TokenRegistry = field(default_factory=lambda: TokenRegistry([]))
    pages: tuple[str, ...] = ()  # the configured page ids, in config order (a maintenance window names one)

    @classmethod
    def of(cls, config: Any) -> Running:
        """From a root config (its ``security`` and ``people`` sections)."""
        sec = security_of(config)
        people = list(getattr(config, "people", None) or [])
        return cls(
            sec,
            frozenset(p.name for p in people),
            {p.phone: p.name for p in people if getattr(p, "phone", None)},
            TokenRegistry(sec.operator_tokens),
            tuple(p.id for p in getattr(config, "pages", None) or []),
        )

    def listed(self, person: str) -> bool:
        """Is ``person`` in ``people:``? Nobody else may sign in or act with a code, whatever the store holds."""
        return person in self.people

    def role_of(self, person: str) -> Role | None:
        """``person``'s console role, None for a name not in ``people:`` (no authority at all)."""
        return self.security.console.role_of(person) if self.listed(person) else None
