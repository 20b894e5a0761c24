"""The durable outbox: every notification is a row, committed before it is sent.

Row states: ``pending`` (due at ``due``) → ``sending`` (committed just before
the request leaves) → ``sent`` (with the provider's message id) or back to
``pending`` with a later ``due`` (retry), or ``failed``/``muted``.
Alertmanager rows stay ``firing`` (re-sent at ``due``) until the incident
resolves. A row found ``sending`` at start-up was interrupted: it is sent
again, reason ``interrupted`` (given up instead if that was its last
attempt; at-least-once: channels that pass the idempotency key to the provider
make the repeat harmless). The primary key is the intent's idempotency key,
so enqueueing the same notification twice stores it once.

On PostgreSQL several replicas share one outbox, so reading due rows is a
*claim*: ``due`` takes them with ``FOR UPDATE SKIP LOCKED`` and stamps them
with a claim token of its own call and a lease (``claim_until``, ``CLAIM_S``);
no other notifier (another replica, or this one's other task) reads a claimed
row until the lease runs out. ``mark_sending`` is fenced by the token: a
notifier whose claim ran out and was taken over raises ``ClaimLost`` instead
of sending. A ``sending`` row keeps a lease of its own (``SEND_LEASE_S``):
only when it runs out (its replica died mid-send) does any replica send it
again, so a starting replica never re-sends what a live one has in flight.
Prefer a duplicate to a lost page: a replica cut off from the database past
its send lease can send what another then sends again. SQLite (one daemon)
keeps the plain read: there is nobody to race.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sentinel.cluster import metrics as cluster_metrics
from sentinel.errors import StoreError
from sentinel.logs import get_logger
from sentinel.model import NotificationIntent, NotificationKind
from sentinel.notify.base import DeliveryReason
from sentinel.notify.intents import intent_from_json, intent_to_json
from sentinel.store import Database, Migration

MIGRATIONS = [
    Migration(
        1,
        """
CREATE TABLE notify_outbox (
  key TEXT PRIMARY KEY,
  incident TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  intent TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  due REAL NOT NULL,
  created REAL NOT NULL,
  sent_at REAL,
  provider_id TEXT,
  reason TEXT,
  bundle TEXT,
  origin TEXT);
CREATE INDEX notify_outbox_state_due ON notify_outbox (state, due);
CREATE INDEX notify_outbox_incident ON notify_outbox (incident, kind);
CREATE INDEX notify_outbox_address ON notify_outbox (address, sent_at)
""",
        "notification outbox",
    ),
    Migration(
        2,
        """
CREATE TABLE notify_unreachable (
  person TEXT NOT NULL,
  channel TEXT NOT NULL,
  since REAL NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (person, channel));
CREATE INDEX notify_outbox_origin ON notify_outbox (origin)
""",
        "who a delivery gave up on; fallback lookup by origin",
    ),
    Migration(
        3,
        "ALTER TABLE notify_outbox ADD COLUMN claimed_by TEXT; ALTER TABLE notify_outbox ADD COLUMN claim_until REAL",
        "claims: which notifier holds a row, until when (several replicas on PostgreSQL)",
    ),
]
CLAIM_S = 60.0  # a claimed row is the claimer's for this long, from reading it to marking it sending
SEND_LEASE_S = 300.0  # a row in flight is its sender's this long past its claim; then any replica sends it again
log = get_logger("notify.outbox")

PENDING, SENDING, SENT, FIRING, FAILED, MUTED = "pending", "sending", "sent", "firing", "failed", "muted"
_COLS = "key, channel, intent, state, attempts, due, created, reason, address, origin"


def ts(t: datetime) -> float:
    return t.timestamp()


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    channel: str
    intent: NotificationIntent
    state: str
    attempts: int
    due: float
    created: float
    reason: str | None
    address: str
    origin: str | None = None  # the row this one is the fallback of


def _row(r: Sequence[Any]) -> Row:
    return Row(
        key=r[0],
        channel=r[1],
        intent=intent_from_json(r[2]),
        state=r[3],
        attempts=int(r[4]),
        due=float(r[5]),
        created=float(r[6]),
        reason=r[7],
        address=r[8],
        origin=r[9],
    )


def fallback_key(origin: str, channel: str) -> str:
    """The key of ``origin``'s fallback on ``channel``: never equal to a primary key (those have no ``>``
    before the kind), so a step that already uses ``channel`` for the same person does not swallow it."""
    return f"{origin}>fallback:{channel}"


class ClaimLost(StoreError):
    """Another notifier took rows this one had claimed (its claim ran out): they are not sent from here."""


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.claims = db.dialect == "postgres"  # several replicas may share it: rows are claimed
        self._owner = secrets.token_hex(6)
        self._calls = itertools.count(1)
        self._claimed: dict[str, str] = {}  # key -> the claim token it was read under (claims only)

    async def migrate(self) -> None:
        await self.db.migrate("notify", MIGRATIONS)

    async def add(self, intent: NotificationIntent, address: str, now: datetime, origin: str | None = None) -> bool:
        """Store ``intent`` (committed on return); False when its key was stored before.

        A fallback (``origin`` given) is stored under ``fallback_key(origin, channel)``, the rest under the
        intent's idempotency key."""
        key = intent.idempotency_key if origin is None else fallback_key(origin, intent.channel)
        n = await self.db.execute(
            "INSERT INTO notify_outbox (key, incident, channel, kind, address, intent, state, due, created, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
            (
                key,
                intent.incident,
                intent.channel,
                str(intent.kind),
                address,
                intent_to_json(intent),
                PENDING,
                ts(now),
                ts(now),
                origin,
            ),
        )
        return n > 0

    async def due(self, now: datetime, limit: int, skip: Sequence[str] = ()) -> list[Row]:
        """The rows due at ``now``, oldest first; on PostgreSQL claimed for this call (see the module's doc).
        Rows on the channels in ``skip`` are left where they are (for another replica to send)."""
        not_in, args = _not_in(skip)
        if not self.claims:
            rows = await self.db.fetchall(
                f"SELECT {_COLS} FROM notify_outbox WHERE state IN (?, ?) AND due <= ?{not_in}"
                " ORDER BY due, created LIMIT ?",
                (PENDING, FIRING, ts(now), *args, limit),
            )
            return [_row(r) for r in rows]
        await self.resume_stale(now)
        token = f"{self._owner}:{next(self._calls)}"
        t = ts(now)
        rows = await self.db.fetchall(
            f"UPDATE notify_outbox SET claimed_by = ?, claim_until = ? WHERE key IN ("
            f" SELECT key FROM notify_outbox WHERE state IN (?, ?) AND due <= ?{not_in}"
            " AND (claim_until IS NULL OR claim_until <= ?) ORDER BY due, created LIMIT ? FOR UPDATE SKIP LOCKED)"
            f" RETURNING {_COLS}",
            (token, t + CLAIM_S, PENDING, FIRING, t, *args, t, limit),
        )
        out = sorted((_row(r) for r in rows), key=lambda r: (r.due, r.created))
        for r in out:
            self._claimed[r.key] = token
        if out:
            cluster_metrics.OUTBOX_CLAIMED.inc(len(out))
        return out

    async def resume_stale(self, now: datetime) -> int:
        """Rows whose sender's lease ran out while ``sending`` (it died mid-send) are due again now (claims only)."""
        n = await self.db.execute(
            "UPDATE notify_outbox SET state = ?, due = ?, reason = ?, claimed_by = NULL, claim_until = NULL"
            " WHERE state = ? AND claim_until IS NOT NULL AND claim_until <= ?",
            (PENDING, ts(now), DeliveryReason.INTERRUPTED, SENDING, ts(now)),
        )
        if n:
            log.warning("outbox.resumed_stale_sends", count=n)
        return n

    async def pending_for(self, channel: str, address: str) -> list[Row]:
        rows = await self.db.fetchall(
            f"SELECT {_COLS} FROM notify_outbox WHERE state = ? AND channel = ? AND address = ? ORDER BY created",
            (PENDING, channel, address),
        )
        return [_row(r) for r in rows]

    async def next_due(self, skip: Sequence[str] = ()) -> float | None:
        """When the next row falls due to this notifier (rows on the channels in ``skip`` left out)."""
        not_in, args = _not_in(skip)
        if self.claims:  # a row claimed by another is due to us when its claim runs out; a send when its lease does
            row = await self.db.fetchone(
                "SELECT MIN(CASE WHEN state = ? THEN claim_until"
                " WHEN claim_until IS NOT NULL AND claim_until > due THEN claim_until ELSE due END)"
                f" FROM notify_outbox WHERE (state IN (?, ?) OR (state = ? AND claim_until IS NOT NULL)){not_in}",
                (SENDING, PENDING, FIRING, SENDING, *args),
            )
        else:
            row = await self.db.fetchone(
                f"SELECT MIN(due) FROM notify_outbox WHERE state IN (?, ?){not_in}", (PENDING, FIRING, *args)
            )
        return None if row is None or row[0] is None else float(row[0])

    async def waiting(self, now: datetime, channels: Sequence[str], limit: int) -> list[Row]:
        """Rows due on ``channels`` that nobody holds, read without claiming them (to hand them to a fallback)."""
        if not channels:
            return []
        marks = ", ".join("?" for _ in channels)
        rows = await self.db.fetchall(
            f"SELECT {_COLS} FROM notify_outbox WHERE state = ? AND due <= ? AND channel IN ({marks})"
            " AND (claim_until IS NULL OR claim_until <= ?) ORDER BY due, created LIMIT ?",
            (PENDING, ts(now), *channels, ts(now), limit),
        )
        return [_row(r) for r in rows]

    async def resume_interrupted(self, now: datetime) -> int:
        """Rows left ``sending`` by a crash become due again now (reason ``interrupted``: the attempt is counted, and
        one that was the last is given up rather than sent again, so a page that kills the daemon cannot loop
        across restarts for ever). With claims (several replicas), only those
        whose sender's lease ran out: a replica starting must not re-send what a live one has in flight."""
        if self.claims:
            return await self.resume_stale(now)
        return await self.db.execute(
            "UPDATE notify_outbox SET state = ?, due = ?, reason = ? WHERE state = ?",
            (PENDING, ts(now), DeliveryReason.INTERRUPTED, SENDING),
        )

    async def resolved_incidents(self, incidents: Sequence[str]) -> set[str]:
        if not incidents:
            return set()
        marks = ", ".join("?" for _ in incidents)
        rows = await self.db.fetchall(
            f"SELECT DISTINCT incident FROM notify_outbox WHERE kind = ? AND incident IN ({marks})",
            (str(NotificationKind.RESOLVED), *incidents),
        )
        return {r[0] for r in rows}

    async def sms_sends_since(self, address: str, since: datetime) -> list[float]:
        """When SMS went out to ``address`` since ``since`` (one entry per SMS, bundles counted once)."""
        rows = await self.db.fetchall(
            "SELECT sent_at FROM notify_outbox WHERE address = ? AND sent_at >= ? AND bundle = key ORDER BY sent_at",
            (address, ts(since)),
        )
        return [float(r[0]) for r in rows]

    async def mark_sending(self, keys: Sequence[str], leader: str) -> None:
        """Committed just before the request leaves. With claims, fenced: every row must still be held under the
        token it was claimed with (else ``ClaimLost``, nothing marked) and gets the send lease."""
        if not self.claims:
            async with self.db.transaction():
                for k in keys:
                    await self.db.execute(
                        "UPDATE notify_outbox SET state = ?, attempts = attempts + 1, bundle = ? WHERE key = ?",
                        (SENDING, leader, k),
                    )
            return
        try:
            async with self.db.transaction():
                for k in keys:
                    n = await self.db.execute(
                        "UPDATE notify_outbox SET state = ?, attempts = attempts + 1, bundle = ?,"
                        " claim_until = claim_until + ? WHERE key = ? AND claimed_by = ? AND state IN (?, ?)",
                        (SENDING, leader, SEND_LEASE_S, k, self._claimed.get(k, ""), PENDING, FIRING),
                    )
                    if n != 1:
                        raise ClaimLost(f"outbox row {k} was claimed by another notifier")
        except ClaimLost:
            cluster_metrics.CLAIM_CONFLICTS.labels(kind="outbox").inc()
            log.warning("outbox.claim_lost", keys=len(keys))
            raise
        finally:
            for k in keys:
                self._claimed.pop(k, None)

    async def mark_sent(
        self, keys: Sequence[str], now: datetime, provider_id: str | None, resend_at: datetime | None = None
    ) -> None:
        state, due = (FIRING, ts(resend_at)) if resend_at else (SENT, ts(now))
        self._release(keys)
        async with self.db.transaction():
            for k in keys:
                await self.db.execute(
                    "UPDATE notify_outbox SET state = ?, due = ?, sent_at = ?, provider_id = ?, reason = ?,"
                    " claimed_by = NULL, claim_until = NULL WHERE key = ?",
                    (state, due, ts(now), provider_id, "sent", k),
                )

    async def set_state(self, keys: Sequence[str], state: str, reason: str, due: datetime | None = None) -> None:
        self._release(keys)
        async with self.db.transaction():
            for k in keys:
                if due is None:
                    await self.db.execute(
                        "UPDATE notify_outbox SET state = ?, reason = ?, claimed_by = NULL, claim_until = NULL"
                        " WHERE key = ?",
                        (state, reason, k),
                    )
                else:
                    await self.db.execute(
                        "UPDATE notify_outbox SET state = ?, reason = ?, due = ?, claimed_by = NULL, claim_until = NULL"
                        " WHERE key = ?",
                        (state, reason, ts(due), k),
                    )

    def _release(self, keys: Sequence[str]) -> None:
        """The rows' claims end with the state they are given (the columns are cleared by the same update)."""
        for k in keys:
            self._claimed.pop(k, None)

    async def has_fallback(self, key: str) -> bool:
        return await self.db.fetchone("SELECT 1 FROM notify_outbox WHERE origin = ?", (key,)) is not None

    async def mark_unreachable(self, person: str, channel: str, now: datetime, reason: str) -> None:
        """A delivery to ``person`` on ``channel`` gave up: remembered until a send to them there succeeds."""
        await self.db.execute(
            "INSERT INTO notify_unreachable (person, channel, since, reason) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (person, channel) DO UPDATE SET since = excluded.since, reason = excluded.reason",
            (person, channel, ts(now), reason),
        )

    async def mark_reachable(self, person: str, channel: str) -> None:
        await self.db.execute("DELETE FROM notify_unreachable WHERE person = ? AND channel = ?", (person, channel))

    async def unreachable(self) -> set[tuple[str, str]]:
        """(person, channel) pairs whose last delivery gave up."""
        rows = await self.db.fetchall("SELECT person, channel FROM notify_unreachable", ())
        return {(r[0], r[1]) for r in rows}

    async def backlog(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM notify_outbox WHERE state IN (?, ?)", (PENDING, SENDING))
        return int(row[0]) if row else 0

    async def get(self, key: str) -> dict[str, Any] | None:
        row = await self.db.fetchone(
            "SELECT state, attempts, provider_id, reason, bundle, origin, sent_at FROM notify_outbox WHERE key = ?",
            (key,),
        )
        if row is None:
            return None
        names = ("state", "attempts", "provider_id", "reason", "bundle", "origin", "sent_at")
        return dict(zip(names, row, strict=True))


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _not_in(channels: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """An ``AND channel NOT IN (...)`` clause and its arguments; nothing for no channels."""
    if not channels:
        return "", ()
    return f" AND channel NOT IN ({', '.join('?' for _ in channels)})", tuple(channels)
