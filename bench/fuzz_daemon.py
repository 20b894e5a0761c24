#!/usr/bin/env python3
"""Random and mutated HTTP requests against a running daemon: never a 5xx, a request over 5 s or a traceback.

    python bench/fuzz_daemon.py                          # 10,000 requests, seed 1
    python bench/fuzz_daemon.py --requests 2000 --seed 7 --concurrency 16

Starts ``sentinel run`` as a subprocess on a free loopback port (SQLite store in a temp dir; an ingest
token, an operator token, Meta webhook secrets, Twilio and 46elks inbound secrets and a link key
configured, so the authorised paths are reached too; 2 s header and body timeouts; ``--store-url`` for
another store; person erik enrolled for TOTP and signed in to the console once, so console requests can carry a
live session and its CSRF token), lists every route
the daemon serves from its route tables (built in this process the way ``App`` builds them: the operator API
and the console too), and sends
``--requests`` requests spread across them: well-formed ones (valid events, signed webhooks, signed
links and SMS, operator calls with the token, console pages and forms with the session's cookie and CSRF
token or without), the same mutated (bytes flipped, cut, NUL, lone
surrogates, deep nesting, huge numbers, bad or truncated gzip, unknown encodings, wrong signatures and
tokens), random ones, and some over a raw socket (split writes, chunked, broken framing, garbage request
lines, unfinished heads). ``--seed`` fixes every choice; ``--concurrency`` bounds requests in flight;
each has a client timeout (``--timeout``, 10 s).

A tenth of the events are visitors' comments whose words are slow or deep to read (``Maker.long_text``).
Before it stops the daemon, it waits (up to a minute) until every event taken in has been through the
pipeline (``sentinel_events_processed_total``), so what the texts do to the rules shows too.

Prints the command, the requests per route, the counts by status ("closed": the daemon closed the
connection without an answer, as it does for a head that never ends or a broken request), the slowest
request, the number of 5xx, of requests over 5 s and of tracebacks in the daemon's log, and the events
processed, passed over and still waiting. Exits 1 if any of those is not zero (but processed), or if the
daemon died or stopped answering /healthz.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gzip
import hashlib
import hmac
import json
import os
import random
import re
import shlex
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
import pyotp

from sentinel.config.types import Secret
from sentinel.security.config import SecurityConfig
from sentinel.security.links import LinkSigner
from sentinel.security.sms import twilio_signature
from sentinel.security.store import SecurityStore
from sentinel.security.tokens import hash_token
from sentinel.security.totp import TotpGuard
from sentinel.settings import load_config
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, start_daemon, stop_daemon

INGEST_TOKEN = "fuzz-ingest-token"
OPERATOR_TOKEN = "snt_fuzz-operator-token-0123456789abcdef"
APP_SECRET = "fuzz-app-secret"
VERIFY_TOKEN = "fuzz-verify-token"
TWILIO_TOKEN = "fuzz-twilio-auth-token"
TWILIO_URL = "https://sentinel.example.com/api/v1/sms/twilio"
ELKS_TOKEN = "fuzz-elks-token"
SECRET_KEY = "fuzz-secret-key-0123456789abcdef0123"
PAGE_ID = "101259571653026"
PHONE = "+46701234567"
SLOW_S = 5.0
PIPELINE_WAIT_S = 60.0  # the most the pipeline may take to work through what the fuzzing put in
KINDS = [
    "comment.created",
    "post.created",
    "message.received",
    "reaction.created",
    "role.granted",
    "page.changed",
    "post.deleted",
    "source.error",
    "weird.kind",
]
CLEAN = ["a", "ö", "😀", " ", '"', "\\", "%", "/", "\n", "0", "{", "["]
ODD = [*CLEAN, "\u0000", "\ud800", "\u202e", "\ufffe"]
ENCODINGS = ["gzip", "deflate", "br", "zstd", "x-gzip", "identity", "gzip, gzip", "compress"]


def write_config(workdir: Path, port: int, store_url: str | None = None) -> Path:
    cfg = workdir / "sentinel.yaml"
    settings = daemon_settings(workdir, port).replace(
        "  ingest_token:", "  max_body_bytes: 1048576\n  header_timeout: 2s\n  body_timeout: 2s\n  ingest_token:"
    )
    if store_url:
        settings = settings.replace(f"sqlite:///{workdir / 'sentinel.db'}", store_url)
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: Europe/Stockholm
    page_id: "{PAGE_ID}"
  - id: other
    timezone: UTC
people:
  - name: erik
    phone: "{PHONE}"
sources:
  app_secret: {APP_SECRET}
  verify_token: {VERIFY_TOKEN}
security:
  secret_key: {SECRET_KEY}
  public_url: https://sentinel.example.com
  operator_tokens: [{{name: fuzz, hash: "{hash_token(OPERATOR_TOKEN)}"}}]
  sms_inbound:
    twilio_auth_token: {TWILIO_TOKEN}
    twilio_url: {TWILIO_URL}
    elks_token: {ELKS_TOKEN}
"""
        + settings
    )
    return cfg


async def route_table(config_path: Path, workdir: Path) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """(method, path pattern) of every route, from the route tables ``App._start_http`` mounts; and which of
    them are the console's."""
    from sentinel.api.ingest import ingest_routes
    from sentinel.api.operator import operator_routes
    from sentinel.api.server import build_app
    from sentinel.clock import SystemClock
    from sentinel.config.schema import page_resolver
    from sentinel.console import console_routes
    from sentinel.incidents import IncidentManager
    from sentinel.security.services import Services
    from sentinel.sources.webhook import webhook_routes
    from sentinel.store.factory import open_database

    config = load_config(config_path)
    db = await open_database(f"sqlite:///{workdir / 'routes.db'}")
    try:

        async def sink(*_: Any) -> int:
            return 0

        async def ready() -> dict[str, bool]:
            return {}

        clock = SystemClock()
        routes = ingest_routes(sink, config.server.ingest_token, config.server.max_body_bytes)
        incidents = IncidentManager(db, config, page_resolver(config.pages))
        services = Services(config, incidents, db, clock)
        routes += operator_routes(config, incidents, db, clock, services=services)
        console = console_routes(lambda: config, services, db, clock)
        routes += console
        routes += webhook_routes(config.sources, sink, clock, lambda: config.pages)
        app = build_app(routes, ready)
        served = {
            (r.method, r.resource.canonical)
            for r in app.router.routes()
            if r.method != "HEAD" and r.resource is not None
        }
        return sorted(served), {(d.method, d.path) for d in console} & served
    finally:
        await db.close()


# -- what to send -------------------------------------------------------------------------------------------


@dataclass
class Req:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    raw: list[bytes] | None = None  # the request's bytes in TCP writes (a raw socket), instead of aiohttp

    def wire(self) -> bytes:
        """The request as bytes, with a Content-Length (for what aiohttp's client will not send)."""
        headers = {"Host": "127.0.0.1", "Connection": "close", **self.headers, "Content-Length": str(len(self.body))}
        lines = [f"{self.method} {self.path} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogatepass") + self.body


class Maker:
    """Requests for each route, from one seeded ``random.Random``."""

    def __init__(
        self,
        rnd: random.Random,
        now: datetime,
        signer: LinkSigner,
        console: set[tuple[str, str]] | None = None,
        session: tuple[str, str] | None = None,
    ) -> None:
        self.r, self.now, self.signer = rnd, now, signer
        self.console_routes = console or set()
        self.session = session  # a console session: (the cookie's token, its CSRF token)
        self.serial = 0

    # values
    def text(self, n: int = 20, clean: bool = False) -> str:
        r = self.r
        pool = CLEAN if clean else ODD
        return "".join(r.choice(pool) if r.random() < 0.3 else chr(r.randint(32, 126)) for _ in range(r.randint(0, n)))

    def long_text(self) -> str:
        """What is slow or deep to read, up to a Facebook comment's 8,000 characters and past it: one word of a
        repeated prefix (8,000 characters of "jätte" once recursed 1,600 compounds deep), thousands of handles,
        hashtags, links, negators or emoji, combining marks, a right-to-left run."""
        r = self.r
        n = r.choice([8_000, 30_000])
        unit = r.choice(["jätte", "super", "mega", "skit", "kæmpe", "a", "ha", "inte ", "@a ", "#b ", "😡", "\u0301"])
        if r.random() < 0.2:
            unit = r.choice(["https://x.example/", "www.a.", "\u202eابت ", "?!"])
        return (unit * (n // len(unit) + 1))[:n]

    def scalar(self) -> Any:
        r = self.r
        return r.choice(
            [
                None,
                True,
                0,
                -1,
                2**63,
                2**64 + 1,
                -(2**70),
                1.5,
                1e308,
                "",
                self.text(),
                "2025-01-01T00:00:00Z",
                "inc-000001",
                "9999-12-31T23:59:59Z",
                "30m",
                "-1h",
                "1e9d",
            ]
        )

    def value(self, depth: int = 0) -> Any:
        r = self.r
        if depth > 3 or r.random() < 0.5:
            return self.scalar()
        if r.random() < 0.5:
            return [self.value(depth + 1) for _ in range(r.randint(0, 3))]
        return {self.text(8): self.value(depth + 1) for _ in range(r.randint(0, 3))}

    def when(self) -> str:
        r = self.r
        t = self.now + timedelta(seconds=r.randint(-3600, 120))
        return r.choice(
            [
                t.isoformat(),
                t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "9999-12-31T23:59:59Z",
                "0001-01-01T00:00:00+01:00",
                "2025-13-01T00:00:00Z",
                "yesterday",
                "",
            ]
        )

    def event(self, clean: bool) -> dict[str, Any]:
        """An event: ``clean``, one the daemon should take; else with odd text and times in it."""
        r = self.r
        self.serial += 1
        long = r.random() < 0.1  # a visitor's comment whose words are slow or deep to read
        kind = "comment.created" if long else r.choice(KINDS)
        obj: dict[str, Any] = {
            "comment_id": f"c{self.serial}",
            "post_id": "p1",
            "message": "Hej? " + (self.long_text() if long else self.text(clean=clean)),
            "links": [],
        }
        if kind == "role.granted":
            obj = {"user": {"id": str(r.randint(1, 9)), "name": "Mallory"}, "tasks": ["MANAGE"]}
        elif kind == "page.changed":
            obj = {"field": r.choice(["name", "website"]), "old": "a", "new": self.text(clean=clean)}
        when = (self.now + timedelta(seconds=r.randint(-3600, 60))).isoformat() if clean else self.when()
        return {
            "id": f"fuzz:{self.serial}",
            "time": when,
            "platform": "facebook",
            "page": r.choice(["druvan", "other", "unknown"]),
            "kind": kind,
            "actor": {
                "id": str(r.randint(1, 99)),
                "name": "A",
                "type": "person" if long else r.choice(["person", "page"]),
            },
            "object": obj,
        }

    # byte-level mutations
    def mutate(self, body: bytes) -> bytes:
        r = self.r
        if not body:
            return bytes(r.randrange(256) for _ in range(r.randint(0, 64)))
        how = r.randrange(10)
        b = bytearray(body)
        if how == 0:
            for _ in range(r.randint(1, 8)):
                b[r.randrange(len(b))] = r.randrange(256)
        elif how == 1:
            del b[r.randrange(len(b)) :]
        elif how == 2:
            b[r.randrange(len(b)) : r.randrange(len(b))] = rb'"\u0000"'
        elif how == 3:
            b[r.randrange(len(b)) :] = rb'"\ud800"}' + b"]" * 3
        elif how == 4:
            d = r.choice([100, 300, 1100, 3000])
            b = bytearray(body[:-2] + b',"deep":' + b"[" * d + b"]" * d + b"}}")
        elif how == 5:
            b = bytearray(body.replace(b'"', b"", 1))
        elif how == 6:
            b += b"\xff\xfe\x00" + body[: r.randrange(len(body))]
        elif how == 7:
            b = bytearray(b"\xef\xbb\xbf" + body)
        elif how == 8:
            b = bytearray(body.replace(b"1", b"99999999999999999999999999", 1))
        else:
            b = bytearray(body * r.randint(2, 4))
        return bytes(b)

    def encode(self, req: Req) -> Req:
        """Sometimes send the body compressed, right or wrong."""
        r = self.r
        x = r.random()
        if x < 0.85 or not req.body:
            return req
        enc = r.choice(ENCODINGS)
        body = req.body
        if enc in ("gzip", "x-gzip"):
            body = gzip.compress(body)
            if r.random() < 0.5:
                body = r.choice([body[: len(body) // 2], body + b"junk", self.mutate(body)])
        elif enc == "deflate":
            body = zlib.compress(body) if r.random() < 0.5 else self.mutate(zlib.compress(body))
        req.headers["Content-Encoding"] = enc
        req.body = body
        return req

    # per route
    def ingest(self) -> Req:
        r = self.r
        clean = r.random() < 0.5
        events = [self.event(clean) for _ in range(r.randint(1, 20))]
        body = dumps(events) if r.random() < 0.3 else b"\n".join(dumps(e) for e in events)
        if r.random() < (0.1 if clean else 0.4):
            body = self.mutate(body)
        auth = r.choice([f"Bearer {INGEST_TOKEN}"] * 6 + ["Bearer wrong", "", "Basic x", "Bearer " + self.text()])
        return self.encode(Req("POST", "/api/v1/events", {"Authorization": auth}, body))

    def webhook_post(self) -> Req:
        r = self.r
        change = r.choice(
            [
                {
                    "field": "feed",
                    "value": {
                        "item": "comment",
                        "verb": r.choice(["add", "remove", "hide", "x"]),
                        "comment_id": f"wc{r.randrange(99)}",
                        "post_id": "p1",
                        "created_time": r.choice([1615416577, -1, 2**62, "x"]),
                        "message": self.text(),
                        "from": {"id": "42", "name": "Anna"},
                    },
                },
                {"field": r.choice(["name", "website", "picture", "email"]), "value": self.value()},
                self.value(),
            ]
        )
        body = dumps(
            {
                "object": "page",
                "entry": [
                    {
                        "id": r.choice([PAGE_ID, "1", self.text(5)]),
                        "time": r.choice([1615416579, "0001-01-01T00:00:00+01:00"]),
                        "changes": [change],
                    }
                ],
            }
        )
        if r.random() < 0.2:
            body = self.mutate(body)
        sig = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        if r.random() < 0.2:
            body = self.mutate(body)  # signed, then changed: 403
        headers = {"X-Hub-Signature-256": r.choice([sig] * 4 + ["", "sha256=00", self.text(), sig.upper()])}
        return self.encode(Req("POST", "/webhooks/meta", headers, body))

    def webhook_get(self) -> Req:
        r = self.r
        q = {
            "hub.mode": r.choice(["subscribe", "x"]),
            "hub.verify_token": r.choice([VERIFY_TOKEN, self.text()]),
            "hub.challenge": self.text(),
        }
        return Req("GET", "/webhooks/meta?" + urlencode(q, encoding="utf-8", errors="surrogatepass"))

    def incident_id(self) -> str:
        r = self.r
        return r.choice([f"inc-{r.randint(1, 6):06d}", self.text(10), "inc-" + "9" * 40, "..", "%00"])

    def operator_json(self) -> bytes:
        r = self.r
        keys = ["person", "code", "for", "until", "starts", "ends", "matchers", "page", "comment", "reason"]
        data = {k: self.value() for k in r.sample(keys, r.randint(0, 5))}
        if r.random() < 0.5:
            data.update({"person": "erik", "code": f"{r.randrange(10**6):06d}"})
        if r.random() < 0.3:
            data["matchers"] = [
                {
                    "name": r.choice(["page", "category", self.text(5)]),
                    "value": self.text(),
                    "op": r.choice(["=", "!=", "=~", self.text(2)]),
                }
                for _ in range(r.randint(0, 3))
            ]
        if r.random() < 0.3:
            data["for"] = r.choice(["30m", "4h", "100d", "-5m", "0s"])
        body = dumps(data)
        return self.mutate(body) if r.random() < 0.3 else body

    def operator(self, method: str, pattern: str) -> Req:
        r = self.r
        path = pattern.replace("{id}", q(self.incident_id())).replace(
            "{action}", r.choice(["ack", "resolve", "snooze"])
        )
        auth = r.choice([f"Bearer {OPERATOR_TOKEN}"] * 3 + ["", "Bearer nope", self.text()])
        body = self.operator_json() if method == "POST" else b""
        headers = {"Authorization": auth} if auth else {}
        if body:
            headers["Content-Type"] = r.choice(["application/json", "text/plain", self.text(8)])
        return self.encode(Req(method, path, headers, body))

    def form(self, fields: dict[str, str]) -> bytes:
        r = self.r
        body = urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()
        return self.mutate(body) if r.random() < 0.25 else body

    def twilio(self) -> Req:
        r = self.r
        fields = {
            "From": r.choice([PHONE, "+4670000000", self.text()]),
            "Body": r.choice(["1a 123456", "ok", self.text()]),
            "MessageSid": r.choice([f"SM{r.randrange(10**9)}", "", self.text(6)]),
        }
        body = self.form(fields)
        sig = twilio_signature(TWILIO_TOKEN, TWILIO_URL, sorted(fields.items()))
        headers = {
            "X-Twilio-Signature": r.choice([sig] * 3 + ["", self.text()]),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return self.encode(Req("POST", "/api/v1/sms/twilio", headers, body))

    def elks(self) -> Req:
        r = self.r
        token = r.choice([ELKS_TOKEN] * 3 + [self.text(8), "x"])
        body = self.form(
            {
                "from": r.choice([PHONE, "+46700000001", self.text()]),
                "message": self.text(),
                "id": r.choice([f"s{r.randrange(10**9)}", ""]),
            }
        )
        return self.encode(Req("POST", f"/api/v1/sms/46elks/{q(token)}", {}, body))

    def link(self, method: str) -> Req:
        r = self.r
        token = self.signer.sign(
            f"inc-{r.randint(1, 6):06d}", r.choice(["erik", "anna"]), self.now + timedelta(hours=r.choice([1, -1]))
        )
        token = r.choice([token] * 3 + [token[:-3] + "abc", self.text(30), "a.b", "x" * 3000])
        body = (
            self.form({"code": f"{r.randrange(10**6):06d}", "action": r.choice(["ack", "resolve", "x"])})
            if method == "POST"
            else b""
        )
        return self.encode(Req(method, "/ack/" + q(token), {}, body))

    def console(self, method: str, pattern: str) -> Req:
        """A console page or form: with the signed-in session's cookie and (mostly) its CSRF token, or without."""
        r = self.r
        verb = r.choice(["ack", "resolve", "snooze", "take-over"])
        path = (
            pattern.replace("{id}", q(self.incident_id()))
            .replace("{action:ack|resolve|snooze|take-over}", verb)
            .replace("{page}", q(r.choice(["druvan", "other", self.text(10) or "x"])))
            .replace("{token}", q(r.choice(["cal_" + "A" * 43, self.text(20) or "x"])))
        )
        if method == "GET" and r.random() < 0.4:
            keys = ["page", "category", "severity", "state", "person", "incident", "next", "done", self.text(5)]
            path += "?" + "&".join(f"{q(r.choice(keys))}={q(self.form_value())}" for _ in range(r.randint(1, 3)))
        headers: dict[str, str] = {}
        signed = self.session is not None and pattern != "/sign-out" and r.random() < 0.8
        if self.session is not None and signed:
            headers["Cookie"] = f"sentinel_session={self.session[0]}"
        elif r.random() < 0.3:
            headers["Cookie"] = "sentinel_session=" + q(self.text(40)) + r.choice(["", "; sentinel_signin=x"])
        body = b""
        if method == "POST":
            keys = ["code", "for", "matchers", "comment", "reason", "page", "starts", "hijack", "person", "next"]
            fields = {k: self.form_value() for k in r.sample(keys, r.randint(0, 6))}
            if self.session is not None and signed and r.random() < 0.8:
                fields["csrf"] = self.session[1]
            elif r.random() < 0.3:
                fields["csrf"] = self.text(30)
            body = self.form(fields)
            headers["Content-Type"] = r.choice(["application/x-www-form-urlencoded"] * 4 + [self.text(8)])
        return self.encode(Req(method, path, headers, body))

    def form_value(self) -> str:
        r = self.r
        return r.choice(
            [
                "",
                "123456",
                f"{r.randrange(10**6):06d}",
                "erik",
                "druvan",
                "1",
                "30m",
                "2h",
                "-5m",
                "999999d",
                "page=druvan category!=hijack",
                "page=druvan",
                "category!=hijack page=~(",
                "2025-09-26T23:00",
                "2025-13-45T99:99",
                "//evil.example/",
                "a" * 3000,
                self.text(40),
            ]
        )

    def plain_get(self, pattern: str) -> Req:
        return Req("GET", pattern + self.r.choice(["", "?x=1", "?" + q(self.text())]))

    def generic(self, method: str, pattern: str) -> Req:
        path = pattern
        while "{" in path:
            a, b = path.index("{"), path.index("}")
            path = path[:a] + q(self.text(10) or "x") + path[b + 1 :]
        return self.encode(Req(method, path, {}, self.mutate(dumps(self.value())) if method != "GET" else b""))

    def for_route(self, method: str, pattern: str) -> Req:
        if pattern == "/api/v1/events":
            return self.ingest()
        if pattern == "/webhooks/meta":
            return self.webhook_post() if method == "POST" else self.webhook_get()
        if pattern == "/api/v1/sms/twilio":
            return self.twilio()
        if pattern.startswith("/api/v1/sms/46elks/"):
            return self.elks()
        if pattern.startswith("/ack/"):
            return self.link(method)
        if pattern.startswith("/api/v1/") and pattern != "/api/v1/openapi.json":
            return self.operator(method, pattern)
        if (method, pattern) in self.console_routes:
            return self.console(method, pattern)
        if method == "GET" and "{" not in pattern:
            return self.plain_get(pattern)
        return self.generic(method, pattern)

    def odd(self, routes: list[tuple[str, str]]) -> Req:
        """A wrong method, an unknown path, or garbage."""
        r = self.r
        _, pattern = r.choice(routes)
        return self.encode(
            Req(
                r.choice(["PUT", "PATCH", "DELETE", "OPTIONS", "GET", "POST", "HEAD"]),
                r.choice(
                    [
                        pattern.replace("{", "").replace("}", ""),
                        "/" + q(self.text(), "/"),
                        "/api/v1/" + "a/" * 50,
                        "/%2e%2e/%2e%2e/etc/passwd",
                    ]
                ),
                {},
                self.mutate(b"{}"),
            )
        )

    def raw(self, req: Req) -> Req:
        """The same request over a raw socket: split, chunked, or broken on purpose."""
        r = self.r
        headers = {"Host": "127.0.0.1", "Connection": "close", **req.headers}
        body = req.body
        how = r.randrange(8)
        if how in (0, 1):  # split writes, with Content-Length
            headers["Content-Length"] = str(len(body))
            wire = self._head(req, headers) + body
            req.raw = _split(wire, r.randint(2, 6), r)
        elif how in (2, 3):  # chunked, in pieces
            headers["Transfer-Encoding"] = "chunked"
            chunks = b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in _split(body, r.randint(1, 4), r) if p)
            req.raw = _split(self._head(req, headers) + chunks + b"0\r\n\r\n", r.randint(1, 4), r)
        elif how == 4:  # broken chunked framing
            headers["Transfer-Encoding"] = "chunked"
            req.raw = [self._head(req, headers) + b"zz\r\n" + body[:10] + b"\r\n0\r\n\r\n"]
        elif how == 5:  # garbage request line or headers
            req.raw = [
                r.choice(
                    [
                        b"GET / HTTP/9.9\r\n\r\n",
                        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
                        b"POST /api/v1/events HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                        b"GET /healthz HTTP/1.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n",
                        b"GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n",
                        b"POST /api/v1/events HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"
                        b"\r\n0\r\n\r\n",
                    ]
                )
            ]
        elif how == 6:  # pipelined: the same request twice on one connection
            headers["Content-Length"] = str(len(body))
            headers["Connection"] = "keep-alive"
            one = self._head(req, headers) + body
            req.raw = [one + one.replace(b"keep-alive", b"close", 1)]
        else:  # a head that never ends: the daemon must close it at its header timeout
            req.raw = [self._head(req, headers)[:-4]]
        return req

    @staticmethod
    def _head(req: Req, headers: dict[str, str]) -> bytes:
        lines = [f"{req.method} {req.path} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogatepass")


def q(text: str, safe: str = "") -> str:
    """``text`` %-encoded for a URL (lone surrogates as the bytes Python would write for them)."""
    return quote(text, safe=safe, errors="surrogatepass")


def dumps(value: Any) -> bytes:
    """JSON as Python writes it: lone surrogates as escapes, integers of any size (orjson refuses both)."""
    return json.dumps(value).encode()


def _split(data: bytes, n: int, r: random.Random) -> list[bytes]:
    if len(data) < 2 or n < 2:
        return [data]
    cuts = sorted(r.sample(range(1, len(data)), min(n - 1, len(data) - 1)))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


# -- sending ------------------------------------------------------------------------------------------------


@dataclass
class Result:
    route: str
    status: str  # "200", ..., "closed", "timeout", "error:<kind>"
    seconds: float
    what: str


async def send(session: aiohttp.ClientSession, daemon: Daemon, port: int, req: Req, limit_s: float) -> tuple[str, str]:
    """(status, a short description of the answer), within ``limit_s``."""
    if req.raw is not None:
        return await send_raw(port, req.raw, limit_s)
    try:
        async with session.request(
            req.method,
            daemon.url + req.path,
            data=req.body or None,
            headers=req.headers,
            timeout=aiohttp.ClientTimeout(total=limit_s),
            allow_redirects=False,
        ) as resp:
            text = await resp.read()
            return str(resp.status), text[:160].decode("utf-8", "replace")
    except TimeoutError:
        return "timeout", ""
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, aiohttp.ClientPayloadError) as e:
        return "closed", type(e).__name__
    except (ValueError, UnicodeError):  # aiohttp's client will not send such a header or path: send it raw
        return await send_raw(port, [req.wire()], limit_s)
    except aiohttp.ClientError as e:
        return f"error:{type(e).__name__}", str(e)[:100]


async def send_raw(port: int, parts: list[bytes], limit_s: float) -> tuple[str, str]:
    try:
        async with asyncio.timeout(limit_s):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                for part in parts:
                    writer.write(part)
                    await writer.drain()
                    await asyncio.sleep(0.01)
                answer = await reader.read()
            finally:
                writer.close()
    except TimeoutError:
        return "timeout", ""
    except ConnectionError as e:
        return "closed", type(e).__name__
    if not answer:
        return "closed", "no answer"
    line = answer.split(b"\r\n", 1)[0].split()
    status = line[1].decode("ascii", "replace") if len(line) > 1 and line[0].startswith(b"HTTP/") else "garbled"
    return status, answer.partition(b"\r\n\r\n")[2][:160].decode("utf-8", "replace")


async def fuzz(args: argparse.Namespace) -> int:
    rnd = random.Random(args.seed)
    os.environ["SENTINEL_INGEST_TOKEN"] = INGEST_TOKEN  # (what ``start_daemon`` gives the daemon)
    with tempfile.TemporaryDirectory(prefix="sentinel-fuzz-") as tmp:
        workdir = Path(tmp)
        port = free_port()
        cfg = write_config(workdir, port, args.store_url)
        routes, console = await route_table(cfg, workdir)
        totp = await enroll(args.store_url or f"sqlite:///{workdir / 'sentinel.db'}")
        daemon = await start_daemon(cfg, port, INGEST_TOKEN)
        try:
            signer = LinkSigner.from_config(load_config(cfg).security)
            session = await sign_in(daemon, totp)
            maker = Maker(rnd, datetime.now(UTC), signer, console, session)
            results = await run(args, rnd, daemon, port, routes, maker)
            pipeline = await caught_up(daemon, PIPELINE_WAIT_S)
            alive = daemon.proc.returncode is None and await healthy(daemon)
        finally:
            code = await stop_daemon(daemon)
            log_text = daemon.log.read_text(encoding="utf-8", errors="replace")
        return report(args, routes, results, alive, code, log_text, pipeline)


async def enroll(store_url: str) -> pyotp.TOTP:
    """Enrol erik for TOTP in the daemon's store before it starts (what ``sentinel staff enroll`` does)."""
    from sentinel.store.factory import open_database

    db = await open_database(store_url)
    try:
        guard = TotpGuard(SecurityStore(db), SecurityConfig(secret_key=Secret(SECRET_KEY)))
        return pyotp.TOTP(pyotp.parse_uri((await guard.enroll("erik", datetime.now(UTC))).uri).secret)
    finally:
        await db.close()


async def sign_in(daemon: Daemon, totp: pyotp.TOTP) -> tuple[str, str]:
    """Sign erik in to the console: (the session cookie's token, the session's CSRF token). The cookies are sent
    by hand: they are ``Secure`` (the config's public URL is https), which a client keeps off plain HTTP."""
    csrf = re.compile(r'name="csrf" value="([^"]*)"')
    async with aiohttp.ClientSession() as s:
        async with s.get(f"{daemon.url}/sign-in") as r:
            m, pre = csrf.search(await r.text()), r.cookies["sentinel_signin"].value
        assert m, "no sign-in form"
        form = {"csrf": m.group(1), "person": "erik", "code": totp.now(), "next": "/"}
        headers = {"Cookie": f"sentinel_signin={pre}"}
        async with s.post(f"{daemon.url}/sign-in", data=form, headers=headers, allow_redirects=False) as r:
            assert r.status == 303, f"sign-in answered {r.status}: {await r.text()}"
            token = r.cookies["sentinel_session"].value
        async with s.get(f"{daemon.url}/", headers={"Cookie": f"sentinel_session={token}"}) as r:
            m = csrf.search(await r.text())
        assert m, "no form on the incidents page"
        return token, m.group(1)


async def caught_up(daemon: Daemon, wait_s: float) -> tuple[int, int, int]:
    """Wait (up to ``wait_s``) until every event the daemon took in has been through its pipeline, processed or
    passed over: what the fuzzed texts do to the rules shows only then. (ingested, processed, passed over)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/metrics") as r:
                text = await r.text()
        except aiohttp.ClientError:
            return 0, 0, 0
        counts = {"ingested": 0.0, "processed": 0.0, "passed": 0.0}
        for line in text.splitlines():
            if line.startswith("sentinel_events_ingested_total{"):
                counts["ingested"] += float(line.rsplit(" ", 1)[1])
            elif line.startswith("sentinel_events_processed_total "):
                counts["processed"] = float(line.rsplit(" ", 1)[1])
            elif line.startswith('sentinel_events_rejected_total{source="pipeline"}'):
                counts["passed"] = float(line.rsplit(" ", 1)[1])
        got = int(counts["ingested"]), int(counts["processed"]), int(counts["passed"])
        if got[1] + got[2] >= got[0] or time.monotonic() > deadline:
            return got
        await asyncio.sleep(0.2)


async def healthy(daemon: Daemon) -> bool:
    try:
        async with (
            aiohttp.ClientSession() as s,
            s.get(f"{daemon.url}/healthz", timeout=aiohttp.ClientTimeout(total=2)) as r,
        ):
            return r.status == 200
    except (aiohttp.ClientError, TimeoutError):
        return False


async def run(
    args: argparse.Namespace,
    rnd: random.Random,
    daemon: Daemon,
    port: int,
    routes: list[tuple[str, str]],
    maker: Maker,
) -> list[Result]:
    plan: list[tuple[str, Req]] = []
    # the intake (ingest, webhook deliveries) three times as often as each other route
    weights = [3 if (m, p) in (("POST", "/api/v1/events"), ("POST", "/webhooks/meta")) else 1 for m, p in routes]
    for _ in range(args.requests):  # every request decided up front, from the seed alone
        x = rnd.random()
        method, pattern = rnd.choices(routes, weights)[0]
        if x < 0.05:
            req, label = maker.odd(routes), "(odd method or path)"
        else:
            req, label = maker.for_route(method, pattern), f"{method} {pattern}"
        if rnd.random() < 0.08:
            req = maker.raw(req)
        plan.append((label, req))
    results: list[Result] = []
    limit = asyncio.Semaphore(args.concurrency)
    connector = aiohttp.TCPConnector(limit=args.concurrency)

    async with aiohttp.ClientSession(connector=connector, skip_auto_headers=["Content-Type"]) as session:

        async def one(label: str, req: Req) -> None:
            async with limit:
                t0 = time.perf_counter()
                status, what = await send(session, daemon, port, req, args.timeout)
                results.append(
                    Result(
                        label,
                        status,
                        time.perf_counter() - t0,
                        f"{req.method} {req.path[:80]}{' (raw)' if req.raw else ''} -> {what[:120]!r}",
                    )
                )

        await asyncio.gather(*(one(label, req) for label, req in plan))
    return results


def report(
    args: argparse.Namespace,
    routes: list[tuple[str, str]],
    results: list[Result],
    alive: bool,
    exit_code: int,
    log_text: str,
    pipeline: tuple[int, int, int],
) -> int:
    print("command: " + shlex.join([sys.executable, *sys.argv]))
    print(f"routes ({len(routes)}): requests each, and their answers by class")
    per: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for r in results:
        per[r.route][r.status[0] + "xx" if r.status[0].isdigit() else r.status] += 1
    for route in [f"{m} {p}" for m, p in routes] + ["(odd method or path)"]:
        classes = ", ".join(f"{k} {n:,}" for k, n in sorted(per[route].items()))
        print(f"  {sum(per[route].values()):6,}  {route:44} {classes}")
    by_status = collections.Counter(r.status for r in results)
    print("by status: " + ", ".join(f"{s}: {n:,}" for s, n in sorted(by_status.items())))
    slowest = max(results, key=lambda r: r.seconds)
    print(f"slowest: {slowest.seconds:.2f} s  {slowest.what}")
    fives = [r for r in results if r.status.startswith("5")]
    slow = [r for r in results if r.seconds > SLOW_S or r.status == "timeout"]
    tracebacks = log_text.count("Traceback (most recent call last)")
    print(
        f"5xx: {len(fives)}   over {SLOW_S:g} s: {len(slow)}   tracebacks in the daemon's log: {tracebacks}   "
        f"daemon alive and healthy at the end: {alive}   its exit status: {exit_code}"
    )
    ingested, processed, passed = pipeline
    behind = ingested - processed - passed
    print(
        f"pipeline: of {ingested:,} events taken in, {processed:,} processed, {passed:,} passed over (failed), "
        f"{behind:,} still waiting after {PIPELINE_WAIT_S:g} s"
    )
    for r in (fives + slow)[:10]:
        print(f"  {r.status} {r.seconds:.2f} s  {r.what}")
    if tracebacks:
        print("tracebacks by where they ended (count, log event, last frames, exception):")
        for (event, frames, error), n in traceback_kinds(log_text).most_common():
            print(f"  {n:4}  {event}  {' <- '.join(reversed(frames))}  {error}")
        at = log_text.index("Traceback (most recent call last)")
        print("the first, in full:\n" + log_text[max(0, at - 300) : at + 2500])
    ok = not fives and not slow and not tracebacks and alive and exit_code == 0 and not passed and behind <= 0
    return 0 if ok else 1


def traceback_kinds(log_text: str) -> collections.Counter[tuple[str, tuple[str, ...], str]]:
    """Each traceback in the log as (its log event, its last two frames, the exception line), counted."""
    kinds: collections.Counter[tuple[str, tuple[str, ...], str]] = collections.Counter()
    structured = 0
    for line in log_text.splitlines():
        if "Traceback (most recent call last)" in line and line.startswith("{"):
            event = re.search(r'"event": "([^"]+)"', line)
            kinds[(event.group(1) if event else "?", *_where(line.replace("\\n", "\n").replace('\\"', '"')))] += 1
            structured += line.count("Traceback (most recent call last)")
    plain = log_text.count("Traceback (most recent call last)") - structured
    if plain:  # printed by the standard library's last-resort handler: each up to the next JSON line
        for record in re.findall(r"Traceback \(most recent call last\):\n(?:(?!\{).*\n?)*", log_text):
            kinds[("(plain text)", *_where(record))] += 1
    return kinds


def _where(text: str) -> tuple[tuple[str, ...], str]:
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', text)
    errors = [x for x in text.split("\n") if re.match(r"^[\w.]+(Error|Exception|Warning)\b", x)]
    return tuple(f"{Path(f).name}:{n} {fn}" for f, n, fn in frames[-2:]), (errors or ["?"])[-1].rstrip('"}')[:120]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--requests", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--timeout", type=float, default=10.0, help="client timeout per request, seconds")
    p.add_argument("--store-url", help="the daemon's store (an empty PostgreSQL database, say) instead of SQLite")
    args = p.parse_args()
    return asyncio.run(fuzz(args))


if __name__ == "__main__":
    sys.exit(main())
