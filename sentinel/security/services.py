"""Everything the operator routes share: the store, the code guard, the silence book, and the running security
settings (``Running``), which a reload replaces."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from sentinel.clock import Clock
from sentinel.errors import StoreError
from sentinel.incidents import IncidentManager
from sentinel.rules.silences import Suppressor
from sentinel.security.actions import IncidentActions
from sentinel.security.config import SecurityConfig
from sentinel.security.guessing import AlarmHook
from sentinel.security.links import LinkSigner
from sentinel.security.running import Running
from sentinel.security.silences import SilenceBook
from sentinel.security.store import SecurityStore
from sentinel.security.tokens import TokenRegistry
from sentinel.security.totp import SecurityAlert, SecurityError, TotpGuard
from sentinel.store import Database

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Services:
    """The operator API's and the console's shared parts. ``running``, the security settings, is the one place
    every request reads them from (operator tokens, SMS webhook tokens, people and their phones, roles, lockout);
    ``install`` replaces it whole at a reload. The link signer and the key that opens the TOTP secrets are made
    once, at start."""

    def __init__(
        self,
        config: Any,
        incidents: IncidentManager,
        db: Database,
        clock: Clock,
        *,
        suppressor: Suppressor | None = None,
        on_security_alert: SecurityAlert | None = None,
        on_security_alarm: AlarmHook | None = None,
    ) -> None:
        self.running = Running.of(config)
        self.incidents = incidents
        self.clock = clock
        self.store = SecurityStore(db)
        self.guard = TotpGuard(
            self.store,
            lambda: self.running.security,
            listed=lambda person: self.running.listed(person),
            on_security_alert=on_security_alert,
            on_alarm=on_security_alarm,
        )
        self.actions = IncidentActions(incidents, self.guard, self.store, lambda: self.running.security.console)
        self.book = SilenceBook(self.store, suppressor)
        self.signer: LinkSigner | None
        try:
            self.signer = LinkSigner.from_config(self.running.security)
        except SecurityError:
            self.signer = None

    def install(self, config: Any) -> None:
        """A reload: from the next request on, ``config``'s security settings and people hold (one assignment)."""
        self.running = Running.of(config)

    @property
    def security(self) -> SecurityConfig:
        return self.running.security

    @property
    def tokens(self) -> TokenRegistry:
        return self.running.tokens

    @property
    def phones(self) -> Mapping[str, str]:
        return self.running.phones

    async def ready(self) -> None:
        await self.store.start()
        await self.book.ensure_loaded()


def remote_of(request: web.Request) -> str:
    return request.remote or "unknown"


def guarded(handler: Handler) -> Handler:
    """Answer a ``BadRequest`` with its status, a store failure with 503 (retry), as JSON."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except BadRequest as err:
            return web.json_response({"error": err.message}, status=err.status)
        except StoreError:
            return web.json_response({"error": "store unavailable, retry"}, status=503, headers={"Retry-After": "5"})

    return wrapped
