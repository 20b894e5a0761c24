"""What the console's pages view reads for one monitored page: its last event (the store), its source's health
(the running Graph poller: the failure episode, the calls of the last hour against the page's budget, the usage
Meta's headers report) and its open customer items with their deadlines (the SLA work list, read from the store's
last ``KEEP`` of events by the same rules as the report and the ``sla`` rule pack: docs/community.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from sentinel.config.schema import PageConfig
from sentinel.console.reads import link_of
from sentinel.events.codec import event_from_json
from sentinel.model import Event
from sentinel.reports.conversations import Tracker
from sentinel.sources.graph_budget import HOUR
from sentinel.sources.graph_client import ErrorKind, GraphError
from sentinel.store import Database

KEEP = timedelta(days=7)  # as the daemon's live SLA figures (``reports.live``): older items are not listed
MAX_EVENTS = 5000  # the newest events of a page read for its work list (the list says when it was cut short)
TROUBLE = {
    ErrorKind.AUTH: "the token was refused (expired or revoked): make a new one",
    ErrorKind.PERMISSION: "a permission or task is missing (sentinel sources check names it)",
    ErrorKind.THROTTLED: "throttled by Meta: reads wait until it lifts",
    ErrorKind.MISSING: "the page or an object is gone (deleted, or a wrong page_id)",
}


@dataclass(frozen=True, slots=True)
class SourceHealth:
    polled: bool
    note: str  # how its events arrive, or why it is not polled
    healthy: bool  # what /readyz counts for it
    failing_since: datetime | None
    trouble: str | None  # what the failure episode means
    kind: ErrorKind | None  # the failure episode's kind of error
    error_code: int | None
    calls_last_hour: int | None
    calls_cap: int | None
    usage_pct: float | None  # the highest of Meta's usage headers for it (app, page)
    next_read: datetime | None


@dataclass(frozen=True, slots=True)
class OpenItem:
    opened: datetime
    channel: str  # comment | message
    who: str
    text: str
    deadline: datetime | None  # None: the promise never comes due (no staffed time ahead)
    link: str | None


@dataclass(frozen=True, slots=True)
class WorkList:
    items: tuple[OpenItem, ...]  # oldest deadline first
    cut_short: bool  # more than ``MAX_EVENTS`` events: the oldest were not read

    def overdue(self, now: datetime) -> int:
        return sum(1 for i in self.items if i.deadline is not None and i.deadline <= now)

    def next_deadline(self, now: datetime) -> datetime | None:
        return min((i.deadline for i in self.items if i.deadline is not None and i.deadline > now), default=None)


def polled(page: PageConfig) -> bool:
    return page.platform == "facebook" and bool(page.page_id) and page.access_token is not None


def source_health(page: PageConfig, poller: Any, now: datetime) -> SourceHealth:
    """``poller``: the daemon's ``GraphPoller`` (None when no page is polled)."""
    if not polled(page):
        why = "needs page_id and access_token" if page.platform == "facebook" else f"a {page.platform} page"
        return SourceHealth(False, f"not polled ({why}): events arrive by ingest and webhooks", True, *[None] * 8)
    st = poller.states.get(page.id) if poller is not None else None
    if st is None:
        return SourceHealth(True, "polled from the Graph API; not started yet", True, *[None] * 8)
    t = now.timestamp()
    code = st.failing_code
    trouble, kind = None, None
    if st.failing_since is not None:
        kind = GraphError(code or 0, "").kind
        trouble = TROUBLE.get(kind, f"reads fail (Graph API error {code})")
    budget = poller.budgets.get(page.id)
    client = poller.client
    usage = client.budget.highest(page.page_id) if client is not None else None
    return SourceHealth(
        True,
        "polled from the Graph API",
        page.id not in poller.unhealthy_pages(now),
        datetime.fromtimestamp(st.failing_since, UTC) if st.failing_since is not None else None,
        trouble,
        kind,
        code if st.failing_since is not None else None,
        sum(1 for c in st.calls if c > t - HOUR),
        budget.cap if budget is not None else None,
        usage,
        datetime.fromtimestamp(min(st.due.values()), UTC) if st.due else None,
    )


def _decode(rows: list[tuple[Any, ...]]) -> list[Event]:
    out = []
    for (body,) in rows:
        try:
            out.append(event_from_json(orjson.loads(body)))
        except (ValueError, TypeError):
            continue
    return out


async def last_event(db: Database, page: str) -> Event | None:
    """The page's newest event to arrive."""
    rows = await db.fetchall("SELECT body FROM events WHERE page = ? ORDER BY seq DESC LIMIT 1", (page,))
    found = _decode(rows)
    return found[0] if found else None


async def work_list(db: Database, page: PageConfig, now: datetime) -> WorkList:
    """The page's customer items still waiting for an answer (not answered, hidden, deleted or liked), opened in
    the last ``KEEP``, each with its deadline: ``response_sla`` of staffed time after it was written."""
    since = now - KEEP
    # events keep their source's offset: the store is read by date (a day early), the instants compared here
    rows = await db.fetchall(
        "SELECT body FROM events WHERE page = ? AND time >= ? ORDER BY time DESC LIMIT ?",
        (page.id, (since - timedelta(days=1)).date().isoformat(), MAX_EVENTS + 1),
    )
    events = sorted((e for e in _decode(rows[:MAX_EVENTS]) if since <= e.time <= now), key=lambda e: e.time)
    by_id = {e.id: e for e in events}
    tracker = Tracker().feed_all(events)
    items = []
    for it in tracker.items:
        if not it.open or it.seen is not None:
            continue
        ev = by_id.get(it.id)
        text = str(ev.object.get("message") or "")[:200] if ev is not None else ""
        link = link_of(ev.platform, dict(ev.object)) if ev is not None else None
        deadline = page.staffed.add(it.opened, page.response_sla)
        items.append(OpenItem(it.opened, it.channel, it.who, text, deadline, link))
    far = datetime.max.replace(tzinfo=UTC)
    items.sort(key=lambda i: (i.deadline or far, i.opened))
    return WorkList(tuple(items), len(rows) > MAX_EVENTS)
