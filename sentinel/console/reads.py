"""What the console reads from the store: recent incidents (open and closed), an incident's alerts and the
events behind them (its evidence), and the newest entries of the security audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from sentinel.incidents.state import IncidentState
from sentinel.incidents.store import IncidentStore
from sentinel.security.store import AuditEntry
from sentinel.store import Database

MAX_RECENT = 200
MAX_ALERTS = 200
MAX_EVIDENCE = 50
_EVENTS_SCANNED = 5000


async def recent_incidents(db: Database, limit: int = MAX_RECENT) -> list[IncidentState]:
    """The newest ``limit`` incidents, open or not, newest first."""
    store = IncidentStore(db)
    out = []
    for iid in await store.list_ids(open_only=False, limit=limit):
        st = await store.get(iid)
        if st is not None:
            out.append(st)
    return out


async def incident_state(db: Database, incident_id: str) -> IncidentState | None:
    if len(incident_id) > 64:
        return None
    return await IncidentStore(db).get(incident_id)


async def incident_alerts(db: Database, incident_id: str) -> list[dict[str, Any]]:
    """The alert transitions recorded for an incident, oldest first (as ``pipeline.alert_record`` wrote them)."""
    rows = await db.fetchall(
        "SELECT body FROM alerts WHERE incident = ? ORDER BY seq LIMIT ?", (incident_id, MAX_ALERTS)
    )
    return [orjson.loads(r[0]) for r in rows]


@dataclass(frozen=True, slots=True)
class Evidence:
    time: datetime
    kind: str
    id: str
    who: str
    text: str
    link: str | None  # where a person can see it (the post or comment), if known


def link_of(platform: str, obj: dict[str, Any]) -> str | None:
    """Where a person can see an event's object (the post or comment), if known."""
    for key in ("permalink", "permalink_url", "url"):
        v = obj.get(key)
        if isinstance(v, str) and v.startswith(("https://", "http://")):
            return v
    post, comment = obj.get("post_id"), obj.get("comment_id")
    if platform != "facebook" or not isinstance(post, str):
        return None
    base = f"https://www.facebook.com/{post}"
    return f"{base}?comment_id={comment}" if isinstance(comment, str) else base


def _evidence(ev: dict[str, Any]) -> Evidence:
    obj = ev.get("object") or {}
    actor = ev.get("actor") or {}
    user = obj.get("user") if isinstance(obj.get("user"), dict) else {}
    who = str(actor.get("name") or actor.get("id") or "") if isinstance(actor, dict) else ""
    if user:
        who = f"{who} → {user.get('name') or user.get('id')}" if who else str(user.get("name") or user.get("id"))
    text = obj.get("message") or obj.get("text") or ""
    if not text and obj.get("tasks"):
        text = "tasks: " + ", ".join(str(t) for t in obj["tasks"])
    return Evidence(
        datetime.fromisoformat(ev["time"]),
        str(ev.get("kind", "")),
        str(ev.get("id", "")),
        who,
        str(text)[:300],
        link_of(str(ev.get("platform", "")), obj if isinstance(obj, dict) else {}),
    )


async def evidence(db: Database, page: str, times: list[datetime]) -> list[Evidence]:
    """The page's events at the instants its alerts fired: the events that made them fire. Events keep the offset
    their source gave, so the store is read by date (a day either side) and the instants compared here."""
    wanted = {t.timestamp() for t in times}
    if not wanted:
        return []
    lo = (min(times) - timedelta(days=1)).date().isoformat()
    hi = (max(times) + timedelta(days=2)).date().isoformat()
    rows = await db.fetchall(
        "SELECT body FROM events WHERE page = ? AND time >= ? AND time < ? ORDER BY seq LIMIT ?",
        (page, lo, hi, _EVENTS_SCANNED),
    )
    out: list[Evidence] = []
    for (body,) in rows:
        try:
            ev = orjson.loads(body)
            if datetime.fromisoformat(ev["time"]).timestamp() in wanted:
                out.append(_evidence(ev))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        if len(out) >= MAX_EVIDENCE:
            break
    return out


async def audit_trail(
    db: Database, *, person: str | None = None, incident: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """The newest entries of the security audit trail first (``security.store``'s table), filtered."""
    where, params = [], []
    if person:
        where.append("person = ?")
        params.append(person)
    if incident:
        where.append("incident = ?")
        params.append(incident)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    rows = await db.fetchall(
        "SELECT time, person, source, remote, action, incident, result FROM security_audit "
        f"{clause} ORDER BY time DESC LIMIT {int(limit)}",
        params,
    )
    return [AuditEntry(datetime.fromisoformat(r[0]), *[str(x) for x in r[1:]]) for r in rows]
