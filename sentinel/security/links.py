"""Signed, expiring links to the small acknowledgement page.

A link names an incident and a person and ends at a time; it is signed with
HMAC-SHA256. It grants nothing by itself: the page still asks for the
person's TOTP code, so whoever reads the e-mail or SMS (a hijacker owning
the mailbox) cannot acknowledge with it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from sentinel.config.types import Secret
from sentinel.security.config import SecurityConfig
from sentinel.security.totp import SecurityError, derive_key

LINK_PATH = "/ack/"


class LinkError(SecurityError):
    """A link is malformed, tampered with, or expired."""


class LinkExpired(LinkError):
    """A genuine link, past its end."""


@dataclass(frozen=True, slots=True)
class LinkClaims:
    incident: str
    person: str
    expires: datetime


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


class LinkSigner:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise SecurityError("the link signing key is too short (at least 16 bytes)")
        self._key = key

    @classmethod
    def from_config(cls, config: SecurityConfig) -> LinkSigner:
        if config.link_key:
            return cls(config.link_key.reveal().encode())
        secret: Secret | None = config.resolved_secret_key()
        if not secret:
            raise SecurityError(
                "no link signing key: set security.link_key, security.secret_key or SENTINEL_SECRET_KEY"
            )
        return cls(derive_key(secret, "links"))

    def _sig(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def sign(self, incident: str, person: str, expires: datetime) -> str:
        payload = _b64(orjson.dumps({"i": incident, "p": person, "e": int(expires.timestamp())}))
        return f"{payload}.{self._sig(payload)}"

    def verify(self, token: str, now: datetime) -> LinkClaims:
        payload, dot, sig = token.partition(".")
        if not dot or not payload or not sig or len(token) > 2048:
            raise LinkError("malformed link")
        if not hmac.compare_digest(self._sig(payload).encode(), sig.encode("utf-8", "replace")):
            raise LinkError("the link's signature does not match")
        try:
            data = orjson.loads(_unb64(payload))
            claims = LinkClaims(str(data["i"]), str(data["p"]), datetime.fromtimestamp(int(data["e"]), UTC))
        except (ValueError, KeyError, TypeError, OverflowError, OSError):
            raise LinkError("malformed link") from None
        if now >= claims.expires:
            raise LinkExpired("the link has expired")
        return claims


def ack_url(config: SecurityConfig, incident: str, person: str, now: datetime) -> str | None:
    """The signed acknowledgement link for ``person`` (pass it to the templates as ``ack_url``), or None
    without ``security.public_url`` or a key."""
    if not config.public_url:
        return None
    try:
        signer = LinkSigner.from_config(config)
    except SecurityError:
        return None
    token = signer.sign(incident, person, now + config.link_ttl)
    return config.public_url.rstrip("/") + LINK_PATH + token
