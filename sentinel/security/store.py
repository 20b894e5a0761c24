"""The ``security`` area of the store: enrolled staff (secrets encrypted), the audit trail,
SMS message ids already seen, silences/maintenance windows made through the API, failed codes of
the last window (per person and per address) and the security alarms already raised for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sentinel.store import Database, Migration

MIGRATIONS = [
    Migration(
        1,
        """
CREATE TABLE security_staff (
  name TEXT PRIMARY KEY, secret TEXT NOT NULL, enrolled_at TEXT NOT NULL, last_step INTEGER NOT NULL DEFAULT -1,
  failures INTEGER NOT NULL DEFAULT 0, locked_until TEXT, alerted INTEGER NOT NULL DEFAULT 0, last_success TEXT);
CREATE TABLE security_audit (
  time TEXT NOT NULL, person TEXT NOT NULL, source TEXT NOT NULL, remote TEXT NOT NULL, action TEXT NOT NULL,
  incident TEXT NOT NULL, result TEXT NOT NULL);
CREATE INDEX security_audit_person ON security_audit (person, time);
CREATE TABLE security_sms_seen (
  provider TEXT NOT NULL, message_id TEXT NOT NULL, time TEXT NOT NULL, PRIMARY KEY (provider, message_id));
CREATE TABLE security_silences (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, matchers TEXT NOT NULL, starts TEXT NOT NULL, ends TEXT NOT NULL,
  comment TEXT NOT NULL, created_by TEXT NOT NULL, expired_at TEXT)
""",
        "staff TOTP state, audit trail, seen SMS ids, API silences",
    ),
    Migration(
        2,
        """
CREATE TABLE security_failures (
  time REAL NOT NULL, person TEXT NOT NULL, remote TEXT NOT NULL, source TEXT NOT NULL, result TEXT NOT NULL);
CREATE INDEX security_failures_person ON security_failures (person, time);
CREATE INDEX security_failures_remote ON security_failures (remote, time);
CREATE INDEX security_failures_time ON security_failures (time);
CREATE TABLE security_alarms (
  rule TEXT NOT NULL, subject TEXT NOT NULL, time REAL NOT NULL, PRIMARY KEY (rule, subject))
""",
        "failed codes over a sliding window; security alarms raised, once per subject and window",
    ),
]


def _t(v: datetime | None) -> str | None:
    return None if v is None else v.isoformat()


def _p(v: Any) -> datetime | None:
    return None if v is None else datetime.fromisoformat(str(v))


@dataclass(frozen=True, slots=True)
class StaffRow:
    name: str
    secret: str  # encrypted
    enrolled_at: datetime
    last_step: int  # the last TOTP time step accepted (replay protection)
    failures: int  # failed attempts in a row (since the last right code or the end of a lockout)
    locked_until: datetime | None
    alerted: bool  # the security alert for the current lockout was raised
    last_success: datetime | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    time: datetime
    person: str
    source: str  # api, link, sms-twilio, sms-46elks
    remote: str  # where from: an IP address or a phone number
    action: str
    incident: str
    result: str  # a Verdict value, or refused/forbidden reasons

    def to_json(self) -> dict[str, str]:
        return {
            "time": self.time.isoformat(),
            "person": self.person,
            "source": self.source,
            "remote": self.remote,
            "action": self.action,
            "incident": self.incident,
            "result": self.result,
        }


_STAFF = "name, secret, enrolled_at, last_step, failures, locked_until, alerted, last_success"


def _staff(r: tuple[Any, ...]) -> StaffRow:
    enrolled = _p(r[2])
    assert enrolled is not None
    return StaffRow(r[0], r[1], enrolled, int(r[3]), int(r[4]), _p(r[5]), bool(r[6]), _p(r[7]))


class SecurityStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._started = False

    async def start(self) -> None:
        if not self._started:
            await self.db.migrate("security", MIGRATIONS)
            self._started = True

    # -- staff ------------------------------------------------------------------
    async def staff(self, name: str) -> StaffRow | None:
        r = await self.db.fetchone(f"SELECT {_STAFF} FROM security_staff WHERE name = ?", (name,))
        return None if r is None else _staff(r)

    async def all_staff(self) -> list[StaffRow]:
        return [_staff(r) for r in await self.db.fetchall(f"SELECT {_STAFF} FROM security_staff ORDER BY name")]

    async def enroll(self, name: str, encrypted: str, now: datetime) -> None:
        async with self.db.transaction():
            await self.db.execute("DELETE FROM security_staff WHERE name = ?", (name,))
            await self.db.execute(
                "INSERT INTO security_staff (name, secret, enrolled_at) VALUES (?, ?, ?)",
                (name, encrypted, now.isoformat()),
            )

    async def remove(self, name: str) -> bool:
        return await self.db.execute("DELETE FROM security_staff WHERE name = ?", (name,)) > 0

    async def hold(self, name: str) -> None:
        """Inside a transaction: wait for, and take, ``name``'s row (a no-op update locks it on PostgreSQL; SQLite's
        transaction holds the whole file), so replicas check one person's codes one at a time until the commit."""
        await self.db.execute("UPDATE security_staff SET failures = failures WHERE name = ?", (name,))

    async def accept_step(self, name: str, step: int, now: datetime) -> bool:
        """Record a code's time step as used; False if it (or a later one) was used already."""
        n = await self.db.execute(
            "UPDATE security_staff SET last_step = ?, failures = 0, locked_until = NULL, alerted = 0, "
            "last_success = ? WHERE name = ? AND last_step < ?",
            (step, now.isoformat(), name, step),
        )
        return n == 1

    async def fail_in_a_row(self, name: str, ended_lockout: datetime | None) -> int:
        """Count one more wrong code in a row (from zero if ``ended_lockout``, the lockout seen, is over); the
        new count. Each step is one statement on the stored value: two replicas do not lose a failure."""
        async with self.db.transaction():
            if ended_lockout is not None:
                await self.db.execute(
                    "UPDATE security_staff SET failures = 0, locked_until = NULL, alerted = 0 "
                    "WHERE name = ? AND locked_until = ?",
                    (name, _t(ended_lockout)),
                )
            await self.db.execute("UPDATE security_staff SET failures = failures + 1 WHERE name = ?", (name,))
            r = await self.db.fetchone("SELECT failures FROM security_staff WHERE name = ?", (name,))
        return int(r[0]) if r else 0

    async def lock(self, name: str, until: datetime) -> None:
        await self.db.execute(
            "UPDATE security_staff SET locked_until = ?, alerted = 0 WHERE name = ?", (_t(until), name)
        )

    async def claim_lockout_alarm(self, name: str) -> bool:
        """True for the first try seen during a lockout (whichever replica sees it)."""
        return (
            await self.db.execute("UPDATE security_staff SET alerted = 1 WHERE name = ? AND alerted = 0", (name,)) == 1
        )

    # -- audit ------------------------------------------------------------------
    async def audit(self, e: AuditEntry) -> None:
        await self.db.execute(
            "INSERT INTO security_audit (time, person, source, remote, action, incident, result) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (e.time.isoformat(), e.person, e.source, e.remote, e.action, e.incident, e.result),
        )

    async def audit_trail(self, person: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        where, params = ("WHERE person = ?", [person]) if person else ("", [])
        rows = await self.db.fetchall(
            "SELECT time, person, source, remote, action, incident, result FROM security_audit "
            f"{where} ORDER BY time LIMIT {int(limit)}",
            params,
        )
        out = []
        for r in rows:
            t = _p(r[0])
            assert t is not None
            out.append(AuditEntry(t, *r[1:]))
        return out

    # -- failed codes over a sliding window -------------------------------------------
    async def add_failure(
        self, now: datetime, person: str, remote: str, source: str, result: str, forget_before: datetime
    ) -> None:
        """Record one failed code (and forget those older than ``forget_before``: the window has passed them)."""
        async with self.db.transaction():
            await self.db.execute("DELETE FROM security_failures WHERE time < ?", (forget_before.timestamp(),))
            await self.db.execute(
                "INSERT INTO security_failures (time, person, remote, source, result) VALUES (?, ?, ?, ?, ?)",
                (now.timestamp(), person, remote, source, result),
            )

    async def failures_of(self, person: str, since: datetime) -> int:
        """Failed codes given for ``person`` at or after ``since``, from anywhere."""
        r = await self.db.fetchone(
            "SELECT COUNT(*) FROM security_failures WHERE person = ? AND time >= ?", (person, since.timestamp())
        )
        return int(r[0]) if r else 0

    async def failures_from(self, remote: str, since: datetime) -> tuple[int, list[str]]:
        """Failed codes sent from ``remote`` at or after ``since``, and the names they were given for."""
        rows = await self.db.fetchall(
            "SELECT person, COUNT(*) FROM security_failures WHERE remote = ? AND time >= ? "
            "GROUP BY person ORDER BY person",
            (remote, since.timestamp()),
        )
        return sum(int(r[1]) for r in rows), [str(r[0]) for r in rows]

    async def claim_alarm(self, rule: str, subject: str, now: datetime, window_start: datetime) -> bool:
        """True if no alarm ``rule`` was raised for ``subject`` since ``window_start`` (this one is now recorded);
        one statement, so two replicas cannot both claim it."""
        return (
            await self.db.execute(
                "INSERT INTO security_alarms (rule, subject, time) VALUES (?, ?, ?) ON CONFLICT (rule, subject) "
                "DO UPDATE SET time = excluded.time WHERE security_alarms.time < ?",
                (rule, subject, now.timestamp(), window_start.timestamp()),
            )
            == 1
        )

    # -- SMS replay protection ------------------------------------------------------
    async def first_sight(self, provider: str, message_id: str, now: datetime) -> bool:
        """True the first time a provider's message id is seen; False for a replay."""
        async with self.db.transaction():
            if await self.db.fetchone(
                "SELECT 1 FROM security_sms_seen WHERE provider = ? AND message_id = ?", (provider, message_id)
            ):
                return False
            await self.db.execute(
                "INSERT INTO security_sms_seen (provider, message_id, time) VALUES (?, ?, ?)",
                (provider, message_id, now.isoformat()),
            )
            return True

    # -- silences ------------------------------------------------------------------
    async def add_silence(
        self, sid: str, kind: str, matchers: str, starts: datetime, ends: datetime, comment: str, created_by: str
    ) -> None:
        await self.db.execute(
            "INSERT INTO security_silences (id, kind, matchers, starts, ends, comment, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sid, kind, matchers, starts.isoformat(), ends.isoformat(), comment, created_by),
        )

    async def silences(self) -> list[tuple[Any, ...]]:
        return await self.db.fetchall(
            "SELECT id, kind, matchers, starts, ends, comment, created_by, expired_at "
            "FROM security_silences ORDER BY starts, id"
        )

    async def expire_silence(self, sid: str, now: datetime) -> bool:
        return (
            await self.db.execute(
                "UPDATE security_silences SET expired_at = ? WHERE id = ? AND expired_at IS NULL",
                (now.isoformat(), sid),
            )
            == 1
        )
