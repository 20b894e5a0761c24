"""Shared HTTP plumbing for the HTTP channels: one session, answers classified.

Transport errors and status codes map to a ``DeliveryReason``: 429 and 5xx
and dropped connections are retried (``Retry-After`` honoured), other 4xx
are not. A redirect is not followed: aiohttp would follow a 301 or 302 with a
GET and no body, whose 200 read as "sent" while the page reached nobody; it is
a permanent failure naming the host it points to (the config's URL is out of
date). Error bodies are kept short in ``DeliveryFailure.detail``; request
bodies and credentials never are.

An answer is read up to ``ANSWER_LIMIT`` bytes, whatever its ``Content-Length``
says, and not decompressed (``Accept-Encoding: identity``): a provider that
answers with gigabytes, by mistake or on purpose, costs 64 KiB. The status
still decides; the channel reads the cut body as it would a short one (a 2xx
whose message id is lost in it is ``invalid_response``).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import aiohttp

from sentinel.answers import read_bounded
from sentinel.clock import Clock
from sentinel.notify.base import DeliveryFailure, DeliveryReason, Outgoing

ANSWER_LIMIT = 64 * 1024  # bytes of a provider's answer kept: enough for any id or error it words


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    text: str
    headers: Mapping[str, str]
    cut: bool = False  # the provider said more than ANSWER_LIMIT bytes; ``text`` is the start


def _decode(raw: bytes, charset: str | None) -> str:
    try:
        return raw.decode(charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return raw.decode("utf-8", errors="replace")


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


def failure_for(answer: Answer, now: datetime, detail: str | None = None) -> DeliveryFailure:
    """The failure a non-2xx answer stands for."""
    s = answer.status
    if detail is None and 300 <= s < 400:  # its host only: a chat webhook's path is its secret
        where = urlsplit(answer.headers.get("Location", "")).netloc[:100] or "another address"
        detail = f"HTTP {s}: the provider redirects to {where}; a page is not sent on to a redirect (fix the URL)"
    text = detail if detail is not None else f"HTTP {s}: {answer.text.strip()[:200]}"
    retry_after = parse_retry_after(answer.headers.get("Retry-After"), now)
    if s == 429:
        return DeliveryFailure(DeliveryReason.RATE_LIMITED, text, retry_after=retry_after)
    if s >= 500 or s == 408:
        return DeliveryFailure(DeliveryReason.SERVER_ERROR, text, retry_after=retry_after)
    if s in (401, 403):
        return DeliveryFailure(DeliveryReason.AUTH_FAILED, text)
    return DeliveryFailure(DeliveryReason.REJECTED, text)


class HttpClient:
    """A lazily opened aiohttp session with a per-request timeout."""

    def __init__(self, clock: Clock, timeout_s: float = 10.0) -> None:
        self.clock = clock
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    def _get(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, auto_decompress=False, headers={"Accept-Encoding": "identity"}
            )
        return self._session

    async def post(self, url: str, **kw: Any) -> Answer:
        try:
            async with self._get().post(url, allow_redirects=False, **kw) as resp:
                raw, cut = await read_bounded(resp, ANSWER_LIMIT)
                return Answer(resp.status, _decode(raw, resp.charset), dict(resp.headers), cut)
        except TimeoutError:
            raise DeliveryFailure(DeliveryReason.TIMEOUT, "no answer in time") from None
        except aiohttp.InvalidURL:
            raise DeliveryFailure(DeliveryReason.REJECTED, "invalid URL") from None
        except (aiohttp.ClientError, OSError) as e:
            raise DeliveryFailure(DeliveryReason.CONNECTION_FAILED, type(e).__name__) from None

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
            await asyncio.sleep(0)


def basic_auth(user: str, password: str) -> dict[str, str]:
    """An ``Authorization: Basic`` header (RFC 7617, UTF-8)."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


C = TypeVar("C")


class HttpChannel(Generic[C]):
    """What every channel that posts over HTTP shares: its name, its config and one client."""

    needs: str | None = None  # the recipient field it needs ("phone", "email"), if any
    is_sms = False
    resend_interval: timedelta | None = None

    def __init__(self, name: str, cfg: C, clock: Clock, timeout_s: float = 10.0) -> None:
        self.name = name
        self.cfg = cfg
        self._http = HttpClient(clock, timeout_s)


def phone_of(message: Outgoing) -> str:
    """The recipient's phone number; a page to someone without one is misconfigured, not retried."""
    phone = message.intent.recipient.phone
    if not phone:
        raise DeliveryFailure(DeliveryReason.MISCONFIGURED, "recipient has no phone number")
    return phone
