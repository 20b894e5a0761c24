"""Operator bearer tokens: kept only as SHA-256 hashes, compared in constant time. And calendar-feed tokens: a
person's on-call feed URL carries one (``feed_token``).

Tokens are long random strings (``new_token``), so an unsalted hash is
enough: nothing to brute-force from it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence

from sentinel.config.types import Secret
from sentinel.security.config import OperatorTokenConfig
from sentinel.security.totp import derive_key

FEED_PREFIX = "cal_"


def new_token() -> str:
    return "snt_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_feed_nonce() -> str:
    """A fresh random value for a person's calendar feed: a new one makes a new token (the old one stops working)."""
    return secrets.token_urlsafe(24)


def feed_token(secret_key: Secret, person: str, nonce: str) -> str:
    """The token in ``person``'s calendar-feed URL: an HMAC, under a key derived from the secret key, of their name
    and a random ``nonce`` the store keeps. Not guessable (256 bits); the store holds only the nonce and the token's
    hash, so a copy of the database makes no feed URL without the secret key; a new nonce rotates it."""
    mac = hmac.new(derive_key(secret_key, "calendar-feeds"), f"{person}\0{nonce}".encode(), hashlib.sha256)
    return FEED_PREFIX + base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


class TokenRegistry:
    def __init__(self, tokens: Sequence[OperatorTokenConfig]) -> None:
        self._tokens = [(t.name, t.hash.encode()) for t in tokens]

    def authenticate(self, headers: Mapping[str, str]) -> str | None:
        """The operator's name for a valid ``Authorization: Bearer`` header, else None. Every stored hash is
        compared (in constant time), so timing tells nothing about which one matched."""
        scheme, _, given = headers.get("Authorization", "").partition(" ")
        given = given.strip()
        if scheme.lower() != "bearer" or not given or len(given) > 512:
            return None
        digest = hash_token(given).encode()
        found = None
        for name, h in self._tokens:
            if hmac.compare_digest(digest, h):
                found = name
        return found
