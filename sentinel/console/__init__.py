"""The operator console: server-rendered pages the daemon serves at ``/`` (docs/console.md).

Sign in with a person's name and TOTP code; see incidents, who is on call (and subscribe to your shifts), the
monitored pages (last event, source health, the SLA work list), silences and maintenance windows, and the audit
trail; acknowledge, take over, snooze, resolve, silence and plan maintenance. It sits beside ``sentinel.api`` and
shares its ``Services`` (one silence book, one code guard); no lower package imports it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sentinel.clock import Clock
from sentinel.console.audit import audit_routes
from sentinel.console.base import Console
from sentinel.console.calendar import calendar_routes
from sentinel.console.incidents import incident_routes
from sentinel.console.layout import stylesheet
from sentinel.console.maintenance import maintenance_routes
from sentinel.console.oncall import oncall_routes
from sentinel.console.pages import page_routes
from sentinel.console.sessions import SessionStore
from sentinel.console.signin import signin_routes
from sentinel.console.silences import silence_routes
from sentinel.security.services import Services
from sentinel.store import Database

__all__ = ["console_routes"]


def console_routes(
    config: Callable[[], Any],
    svc: Services,
    db: Database,
    clock: Clock,
    *,
    poller: Callable[[], Any] = lambda: None,
    readiness: Callable[[], Awaitable[dict[str, bool]]] | None = None,
) -> list[web.RouteDef]:
    """Every console route. ``config`` returns the running root config (roles follow a reload); ``poller`` the
    daemon's Graph poller (None if it polls no page) and ``readiness`` what ``/readyz`` checks, for the pages view."""
    console = Console(config, svc, SessionStore(db), db, clock, poller, readiness)
    return [
        web.get("/console.css", stylesheet),
        *signin_routes(console),
        *incident_routes(console),
        *oncall_routes(console),
        *calendar_routes(console),
        *page_routes(console),
        *silence_routes(console),
        *maintenance_routes(console),
        *audit_routes(console),
    ]
