"""Console sessions, kept in the store: a sign-in makes one, its cookie holds a random token, the store only the
token's SHA-256 (a stolen database opens no session). Each session has its own CSRF token, which every form of
the console carries and every POST must give back. A session ends ``session_ttl`` after sign-in (by the daemon's
clock), at sign-out, or when ``sentinel staff reset`` ends all of its person's (``end_all``). The role is not
stored: it is read from the running config at each request, so a reload that demotes someone takes effect at once
(and one that takes them out of ``people:`` ends their sessions: ``Console.who``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sentinel.store import Database, Migration

COOKIE = "sentinel_session"
PRE_COOKIE = "sentinel_signin"  # the sign-in form's CSRF token, before there is a session (double submit)
MAX_SESSIONS_PER_PERSON = 20  # the oldest go first: a script signing in in a loop cannot fill the store

MIGRATIONS = [
    Migration(
        1,
        """
CREATE TABLE console_sessions (
  token_hash TEXT PRIMARY KEY, person TEXT NOT NULL, csrf TEXT NOT NULL, created REAL NOT NULL,
  expires REAL NOT NULL, remote TEXT NOT NULL);
CREATE INDEX console_sessions_person ON console_sessions (person, created)
""",
        "operator console sessions (token hashes only)",
    )
]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    person: str
    csrf: str
    created: datetime
    expires: datetime

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(self.csrf.encode(), given.encode("utf-8", "replace"))


class SessionStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._migrated = False

    async def start(self) -> None:
        if not self._migrated:
            await self.db.migrate("console", MIGRATIONS)
            self._migrated = True

    async def create(self, person: str, now: datetime, expires: datetime, remote: str) -> tuple[str, Session]:
        """A new session for ``person``: (the cookie's token, the session). Expired sessions are forgotten, and
        the person's oldest beyond ``MAX_SESSIONS_PER_PERSON``."""
        await self.start()
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        async with self.db.transaction():
            await self.db.execute("DELETE FROM console_sessions WHERE expires <= ?", (now.timestamp(),))
            await self.db.execute(
                "INSERT INTO console_sessions (token_hash, person, csrf, created, expires, remote) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (_hash(token), person, csrf, now.timestamp(), expires.timestamp(), remote[:100]),
            )
            rows = await self.db.fetchall(
                "SELECT token_hash FROM console_sessions WHERE person = ? ORDER BY created DESC", (person,)
            )
            for (old,) in rows[MAX_SESSIONS_PER_PERSON:]:
                await self.db.execute("DELETE FROM console_sessions WHERE token_hash = ?", (old,))
        return token, Session(person, csrf, now, expires)

    async def get(self, token: str | None, now: datetime) -> Session | None:
        """The live session for a cookie's token; None for no token, an unknown one, or one that has expired."""
        if not token or len(token) > 200:
            return None
        await self.start()
        row = await self.db.fetchone(
            "SELECT person, csrf, created, expires FROM console_sessions WHERE token_hash = ?", (_hash(token),)
        )
        if row is None:
            return None
        tz = now.tzinfo
        created, expires = datetime.fromtimestamp(float(row[2]), tz), datetime.fromtimestamp(float(row[3]), tz)
        if now >= expires:
            return None
        return Session(str(row[0]), str(row[1]), created, expires)

    async def end(self, token: str | None) -> None:
        if token and len(token) <= 200:
            await self.start()
            await self.db.execute("DELETE FROM console_sessions WHERE token_hash = ?", (_hash(token),))

    async def end_all(self, person: str) -> int:
        """End every session of ``person`` (``sentinel staff reset``); how many there were."""
        await self.start()
        return await self.db.execute("DELETE FROM console_sessions WHERE person = ?", (person,))
