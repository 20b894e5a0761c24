"""Operator bearer tokens: kept only as SHA-256 hashes, compared in constant time.

Tokens are long random strings (``new_token``), so an unsalted hash is
enough: nothing to brute-force from it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence

from sentinel.security.config import OperatorTokenConfig


def new_token() -> str:
    return "snt_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


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
