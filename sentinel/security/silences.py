"""Silences and maintenance windows made through the operator API: persisted, applied to the live
``Suppressor``. A maintenance window silences one page's alerts except hijacks; a silence that could
mute a hijack alert needs a TOTP code (the API checks ``may_mute_hijack``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import structlog

from sentinel.rules.silences import Matcher, Silence, Suppressor
from sentinel.security.store import SecurityStore

MAX_MATCHERS = 20

log = structlog.get_logger("sentinel.security")


@dataclass(frozen=True, slots=True)
class SilenceRecord:
    silence: Silence
    kind: str  # "silence" or "maintenance"
    expired_at: datetime | None

    def state(self, now: datetime) -> str:
        s = self.silence
        if self.expired_at is not None or s.ends <= now:
            return "expired"
        return "active" if s.starts <= now else "pending"

    def to_json(self, now: datetime) -> dict[str, Any]:
        s = self.silence
        out: dict[str, Any] = {
            "id": s.id,
            "kind": self.kind,
            "matchers": [f"{m.name}{m.op}{m.value}" for m in s.matchers],
            "starts": s.starts.isoformat(),
            "ends": s.ends.isoformat(),
            "comment": s.comment,
            "created_by": s.created_by,
            "state": self.state(now),
        }
        if self.kind == "maintenance":
            out["page"] = next((m.value for m in s.matchers if m.name == "page" and m.op == "="), None)
        return out


def parse_matchers(items: Any) -> tuple[Matcher, ...]:
    """Matchers from the API (a list of ``name=value`` strings); ValueError with a readable message."""
    if not isinstance(items, list) or not items or len(items) > MAX_MATCHERS:
        raise ValueError(f"matchers: give a list of 1 to {MAX_MATCHERS} strings like page=druvan")
    out = []
    for it in items:
        if not isinstance(it, str) or len(it) > 200:
            raise ValueError("matchers: each is a string like page=druvan (at most 200 characters)")
        try:
            m = Matcher.parse(it)
        except ValueError as e:
            raise ValueError(f"matchers: {e}") from None
        if not m.name:
            raise ValueError(f"matchers: {it!r} names no label")
        out.append(m)
    return tuple(out)


def may_mute_hijack(matchers: tuple[Matcher, ...]) -> bool:
    """False only if a ``category`` matcher rules hijack alerts out."""
    return all(m.matches({"category": "hijack"}) for m in matchers if m.name == "category")


class SilenceBook:
    def __init__(self, store: SecurityStore, suppressor: Suppressor | None) -> None:
        self.store = store
        self.suppressor = suppressor
        self._records: dict[str, SilenceRecord] = {}
        self._loaded = False
        self._unreadable_seen: set[str] = set()

    async def load(self) -> None:
        """Read the persisted silences and apply them to the suppressor: at start, before the pipeline takes its
        first event (``App.start``), and with several replicas before each batch and every second."""
        await self.store.start()
        self._records = {}
        for r in await self.store.silences():
            try:
                matchers = tuple(Matcher(m[0], m[1], m[2]) for m in orjson.loads(r[2]))
            except ValueError as e:
                self._unreadable(r[0], r[2], str(e))
                continue
            expired = datetime.fromisoformat(r[7]) if r[7] else None
            ends = datetime.fromisoformat(r[4])
            sil = Silence(
                id=r[0],
                matchers=matchers,
                starts=datetime.fromisoformat(r[3]),
                ends=min(ends, expired) if expired else ends,
                comment=r[5],
                created_by=r[6],
            )
            self._records[r[0]] = SilenceRecord(sil, r[1], expired)
        self._loaded = True
        self._apply()

    def _unreadable(self, sid: str, matchers: str, error: str) -> None:
        """A stored silence whose regex RE2 refuses (stored before matchers were RE2): neither listed nor applied,
        so its alerts page; said once per run, as an error, with what to do."""
        if sid not in self._unreadable_seen:
            self._unreadable_seen.add(sid)
            log.error(
                "silences.unreadable",
                id=sid,
                matchers=matchers[:500],
                error=error[:500],
                note="not applied: make it again with an RE2 pattern if it is still wanted",
            )

    async def ensure_loaded(self) -> None:
        if not self._loaded:
            await self.load()

    async def create(
        self, kind: str, matchers: tuple[Matcher, ...], starts: datetime, ends: datetime, comment: str, created_by: str
    ) -> SilenceRecord:
        await self.ensure_loaded()
        sid = ("mw-" if kind == "maintenance" else "sil-") + secrets.token_hex(6)
        await self.store.add_silence(
            sid,
            kind,
            orjson.dumps([[m.name, m.value, m.op] for m in matchers]).decode(),
            starts,
            ends,
            comment,
            created_by,
        )
        rec = SilenceRecord(Silence(sid, matchers, starts, ends, comment, created_by), kind, None)
        self._records[sid] = rec
        self._apply()
        return rec

    async def expire(self, sid: str, now: datetime) -> SilenceRecord | None:
        await self.ensure_loaded()
        rec = self._records.get(sid)
        if rec is None or not await self.store.expire_silence(sid, now):
            return None
        s = rec.silence
        new = SilenceRecord(
            Silence(s.id, s.matchers, s.starts, min(s.ends, now), s.comment, s.created_by), rec.kind, now
        )
        self._records[sid] = new
        self._apply()
        return new

    async def list(self, kind: str | None = None) -> list[SilenceRecord]:
        await self.ensure_loaded()
        return [r for r in self._records.values() if kind is None or r.kind == kind]

    def get(self, sid: str) -> SilenceRecord | None:
        return self._records.get(sid)

    def _apply(self) -> None:
        if self.suppressor is None:
            return
        mine = set(self._records)
        keep = [s for s in self.suppressor.silences if s.id not in mine]
        self.suppressor.silences[:] = keep + [r.silence for r in self._records.values() if r.expired_at is None]
