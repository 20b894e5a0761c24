"""Everything the operator routes share, built once from config."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sentinel.clock import Clock
from sentinel.errors import StoreError
from sentinel.incidents import IncidentManager
from sentinel.rules.silences import Suppressor
from sentinel.security.actions import IncidentActions
from sentinel.security.config import SecurityConfig, security_of
from sentinel.security.guessing import AlarmHook
from sentinel.security.links import LinkSigner
from sentinel.security.silences import SilenceBook
from sentinel.security.store import SecurityStore
from sentinel.security.tokens import TokenRegistry
from sentinel.security.totp import SecurityAlert, SecurityError, TotpGuard
from sentinel.store import Database

MAX_BODY = 64 * 1024
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(slots=True)
class Services:
    security: SecurityConfig
    phones: dict[str, str]  # E.164 phone -> person name
    incidents: IncidentManager
    store: SecurityStore
    guard: TotpGuard
    actions: IncidentActions
    tokens: TokenRegistry
    book: SilenceBook
    signer: LinkSigner | None
    clock: Clock

    @classmethod
    def build(
        cls,
        config: Any,
        incidents: IncidentManager,
        db: Database,
        clock: Clock,
        *,
        suppressor: Suppressor | None = None,
        on_security_alert: SecurityAlert | None = None,
        on_security_alarm: AlarmHook | None = None,
    ) -> Services:
        sec = security_of(config)
        store = SecurityStore(db)
        guard = TotpGuard(store, sec, on_security_alert=on_security_alert, on_alarm=on_security_alarm)
        phones = {p.phone: p.name for p in getattr(config, "people", []) if getattr(p, "phone", None)}
        try:
            signer: LinkSigner | None = LinkSigner.from_config(sec)
        except SecurityError:
            signer = None
        return cls(
            sec,
            phones,
            incidents,
            store,
            guard,
            IncidentActions(incidents, guard, store, sec.console),
            TokenRegistry(sec.operator_tokens),
            SilenceBook(store, suppressor),
            signer,
            clock,
        )

    async def ready(self) -> None:
        await self.store.start()
        await self.book.ensure_loaded()


async def read_body(request: web.Request) -> bytes:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise BadRequest(413, f"body over {MAX_BODY} bytes")
    try:
        body = await request.content.read(MAX_BODY + 1)
    except (ConnectionError, ValueError):
        raise BadRequest(400, "could not read the body") from None
    if len(body) > MAX_BODY:
        raise BadRequest(413, f"body over {MAX_BODY} bytes")
    return body


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
