"""The operator console: server-rendered pages the daemon serves at ``/`` (docs/console.md).

Sign in with a person's name and TOTP code; see incidents, who is on call, silences and the audit trail;
acknowledge, take over, snooze, resolve and silence. It sits beside ``sentinel.api`` and shares its
``Services`` (one silence book, one code guard); no lower package imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from sentinel.clock import Clock
from sentinel.console.audit import audit_routes
from sentinel.console.base import Console
from sentinel.console.incidents import incident_routes
from sentinel.console.layout import stylesheet
from sentinel.console.oncall import oncall_routes
from sentinel.console.sessions import SessionStore
from sentinel.console.signin import signin_routes
from sentinel.console.silences import silence_routes
from sentinel.security.services import Services
from sentinel.store import Database

__all__ = ["console_routes"]


def console_routes(config: Callable[[], Any], svc: Services, db: Database, clock: Clock) -> list[web.RouteDef]:
    """Every console route. ``config`` returns the running root config (roles follow a reload)."""
    console = Console(config, svc, SessionStore(db), db, clock)
    return [
        web.get("/console.css", stylesheet),
        *signin_routes(console),
        *incident_routes(console),
        *oncall_routes(console),
        *silence_routes(console),
        *audit_routes(console),
    ]
