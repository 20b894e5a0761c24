"""Fake providers for tests and the demo: aiohttp apps that answer like
46elks, Twilio, Slack, Teams, a generic SMS gateway and a webhook receiver.

Each keeps what it received and can be scripted to misbehave for the next
requests: ``fake.script(Reply(500), Reply(429, retry_after="3"),
Reply(delay_s=5), Reply(drop=True), Reply(hold=True))``. ``hold`` accepts
the message (it is counted as delivered) and then never answers, which is
how a test kills the sender after the provider accepted but before Sentinel
recorded it. ``Reply(flood=100 << 20)`` answers (``status``, else 200) with a
``Content-Length`` of 3 GB and streams that many bytes of it, then holds: how
a hostile or broken provider tries to fill the sender's memory (``flooded``
counts what it got written).

```python
async with serve(Elks46Fake()) as (fake, url): ...
```
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import secrets
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from sentinel.notify.gsm import is_gsm7

FLOOD_CLAIMED = 3_000_000_000  # the Content-Length a flood answer claims


@dataclass(frozen=True, slots=True)
class Reply:
    status: int | None = None  # answer this status (with the provider's error body) instead of the normal one
    retry_after: str | None = None
    delay_s: float = 0.0  # answer slowly
    drop: bool = False  # close the connection without answering
    hold: bool = False  # accept (count as delivered), then never answer
    flood: int = 0  # answer claiming a 3 GB body, stream this many bytes of it, then hold


@dataclass(frozen=True, slots=True)
class Received:
    path: str
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    json: Any = None
    user: str | None = None
    password: str | None = None


class Fake:
    """Base of the fakes: the request log, the script, and the app."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.delivered: list[Received] = []
        self._script: deque[Reply] = deque()
        self.flooded = 0  # bytes of flood answers the sender let this fake write
        self.held = asyncio.Event()
        self._arrived = asyncio.Event()
        self._ids = itertools.count(1)
        self.app = web.Application()
        self.routes()

    def routes(self) -> None:
        raise NotImplementedError

    def script(self, *replies: Reply) -> None:
        self._script.extend(replies)

    async def received(self, n: int, within: float = 5.0) -> list[Received]:
        """Wait until ``n`` requests arrived (TimeoutError after ``within`` seconds)."""
        async with asyncio.timeout(within):
            while len(self.requests) < n:
                self._arrived.clear()
                await self._arrived.wait()
        return self.requests

    async def _read(self, request: web.Request) -> Received:
        user = password = None
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            with suppress(ValueError, UnicodeDecodeError):
                user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        form: dict[str, str] = {}
        body: Any = None
        if request.content_type == "application/json":
            body = await request.json()
        else:
            form = {k: str(v) for k, v in (await request.post()).items()}
        rec = Received(request.path, dict(request.headers), form, body, user, password)
        self.requests.append(rec)
        self._arrived.set()
        return rec

    async def _scripted(self, request: web.Request, rec: Received) -> web.StreamResponse | None:
        if not self._script:
            return None
        r = self._script.popleft()
        if r.delay_s:
            await asyncio.sleep(r.delay_s)
        if r.drop:
            if request.transport is not None:
                request.transport.abort()
            raise web.HTTPInternalServerError()
        if r.hold:
            self.delivered.append(rec)
            self.held.set()
            await asyncio.Event().wait()
        if r.flood:
            return await self._flood(request, rec, r)
        if r.status is not None:
            headers = {"Retry-After": r.retry_after} if r.retry_after else {}
            return self.error(r.status, headers)
        return None

    async def _flood(self, request: web.Request, rec: Received, r: Reply) -> web.StreamResponse:
        status = r.status or 200
        if status < 300:
            self.delivered.append(rec)
        resp = web.StreamResponse(
            status=status, headers={"Content-Length": str(FLOOD_CLAIMED), "Content-Type": "application/json"}
        )
        await resp.prepare(request)
        chunk = b"a" * (1 << 20)
        with suppress(ConnectionError):
            left = r.flood
            while left > 0:
                await resp.write(chunk[:left])
                self.flooded += min(left, len(chunk))
                left -= len(chunk)
            await asyncio.Event().wait()  # the rest never comes
        return resp

    def error(self, status: int, headers: dict[str, str]) -> web.Response:
        return web.Response(status=status, text=f"error {status}", headers=headers)


class Elks46Fake(Fake):
    """``POST /a1/sms`` (form, basic auth) → 200 JSON with ``id``; errors as 46elks words them."""

    def __init__(self, username: str = "u", password: str = "p") -> None:
        self.username, self.password = username, password
        super().__init__()

    def routes(self) -> None:
        self.app.router.add_post("/a1/sms", self.sms)

    def error(self, status: int, headers: dict[str, str]) -> web.Response:
        text = {429: "Too many requests", 500: "Internal server error", 503: "Service unavailable"}.get(
            status, "Invalid to number"
        )
        return web.Response(status=status, text=text, headers=headers)

    async def sms(self, request: web.Request) -> web.StreamResponse:
        rec = await self._read(request)
        if rec.user != self.username or rec.password != self.password:
            return web.Response(status=401, text="API access requires Basic HTTP authentication")
        for key in ("from", "to", "message"):
            if key not in rec.form:
                return web.Response(status=403, text=f"Missing key {key}")
        if not rec.form["to"].startswith("+") or not rec.form["to"][1:].isdigit():
            return web.Response(status=403, text="Invalid to number")
        scripted = await self._scripted(request, rec)
        if scripted is not None:
            return scripted
        self.delivered.append(rec)
        msg = rec.form["message"]
        parts = 1 if is_gsm7(msg) and len(msg) <= 160 else 2
        return web.json_response(
            {
                "status": "created",
                "direction": "outgoing",
                "from": rec.form["from"],
                "to": rec.form["to"],
                "message": msg,
                "parts": parts,
                "cost": 3500 * parts,
                "id": "s" + secrets.token_hex(16),
            }
        )


class TwilioFake(Fake):
    """``POST /2010-04-01/Accounts/{sid}/Messages.json`` → 201 with ``sid``; Twilio's JSON errors."""

    def __init__(self, account_sid: str = "AC123", auth_token: str = "tok") -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        super().__init__()

    def routes(self) -> None:
        self.app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self.messages)

    @staticmethod
    def _err(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
        return web.json_response(
            {
                "code": code,
                "message": message,
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
            status=status,
            headers=headers,
        )

    def error(self, status: int, headers: dict[str, str]) -> web.Response:
        if status == 429:
            return self._err(429, 20429, "Too Many Requests", headers)
        return self._err(
            status,
            20500 if status >= 500 else 21211,
            "Internal Server Error" if status >= 500 else "The 'To' number is not a valid phone number.",
            headers,
        )

    async def messages(self, request: web.Request) -> web.StreamResponse:
        rec = await self._read(request)
        if request.match_info["sid"] != self.account_sid or (rec.user, rec.password) != (
            self.account_sid,
            self.auth_token,
        ):
            return self._err(401, 20003, "Authenticate")
        if "To" not in rec.form or "Body" not in rec.form:
            return self._err(400, 21604, "A 'To' phone number and a 'Body' are required.")
        if "From" not in rec.form and "MessagingServiceSid" not in rec.form:
            return self._err(400, 21603, "A 'From' phone number is required.")
        if not rec.form["To"].startswith("+"):
            return self._err(400, 21211, f"The 'To' number {rec.form['To']} is not a valid phone number.")
        scripted = await self._scripted(request, rec)
        if scripted is not None:
            return scripted
        self.delivered.append(rec)
        return web.json_response(
            {
                "sid": "SM" + secrets.token_hex(16),
                "status": "queued",
                "to": rec.form["To"],
                "body": rec.form["Body"],
                "num_segments": "1",
            },
            status=201,
        )


class SlackFake(Fake):
    """``POST /services/...`` incoming webhook → ``ok``; ``invalid_payload`` for a bad body."""

    def routes(self) -> None:
        self.app.router.add_post("/services/{tail:.*}", self.hook)

    def error(self, status: int, headers: dict[str, str]) -> web.Response:
        text = {429: "rate_limited", 404: "channel_not_found", 403: "invalid_token"}.get(status, "no_service")
        return web.Response(status=status, text=text, headers=headers)

    async def hook(self, request: web.Request) -> web.StreamResponse:
        try:
            rec = await self._read(request)
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        if not isinstance(rec.json, dict) or not (rec.json.get("text") or rec.json.get("blocks")):
            return web.Response(status=400, text="invalid_payload")
        scripted = await self._scripted(request, rec)
        if scripted is not None:
            return scripted
        self.delivered.append(rec)
        return web.Response(text="ok")


class TeamsFake(Fake):
    """``POST /webhook/...`` → ``1``; 400 when the body is not a message with attachments."""

    def routes(self) -> None:
        self.app.router.add_post("/webhook/{tail:.*}", self.hook)

    async def hook(self, request: web.Request) -> web.StreamResponse:
        try:
            rec = await self._read(request)
        except ValueError:
            return web.Response(status=400, text="Bad payload received by generic incoming webhook.")
        if not isinstance(rec.json, dict) or rec.json.get("type") != "message" or not rec.json.get("attachments"):
            return web.Response(status=400, text="Bad payload received by generic incoming webhook.")
        scripted = await self._scripted(request, rec)
        if scripted is not None:
            return scripted
        self.delivered.append(rec)
        return web.Response(text="1")


class KeyedFake(Fake):
    """A webhook receiver / generic SMS gateway that keeps ``Idempotency-Key``s: a repeat is answered
    like the first time but not delivered again."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        super().__init__()

    def routes(self) -> None:
        self.app.router.add_post("/{tail:.*}", self.hook)

    async def hook(self, request: web.Request) -> web.StreamResponse:
        rec = await self._read(request)
        key = request.headers.get("Idempotency-Key")
        if key and key in self.keys:
            return web.json_response({"id": self.keys[key], "duplicate": True})
        scripted = await self._scripted(request, rec)
        if scripted is not None:
            return scripted
        mid = f"m{next(self._ids)}"
        if key:
            self.keys[key] = mid
        self.delivered.append(rec)
        return web.json_response({"id": mid})

    async def _scripted(self, request: web.Request, rec: Received) -> web.StreamResponse | None:
        key = request.headers.get("Idempotency-Key")
        if self._script and self._script[0].hold and key:
            self.keys[key] = f"m{next(self._ids)}"
        return await super()._scripted(request, rec)


F = TypeVar("F", bound=Fake)


@asynccontextmanager
async def serve(fake: F, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[tuple[F, str]]:
    """Run ``fake`` on a free loopback port; yields (fake, base URL)."""
    runner = web.AppRunner(fake.app, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    real_port = sockets[0].getsockname()[1] if sockets else port
    try:
        yield fake, f"http://{host}:{real_port}"
    finally:
        await runner.cleanup()
