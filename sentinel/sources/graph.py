"""The Graph API poller: per page and edge group, adaptive intervals, one call per visit.

Each page has three edge groups (``security``: settings, roles, assigned
users and agencies, the hijack tripwire; ``feed``: posts with their newest
comments; ``conversations``). A group's interval shrinks to its ``min`` when
it saw activity (and every group's when a security change was seen), and
grows by half toward ``max`` while quiet. When a page is visited, every group
that would fall due before the next security visit rides along in the same
request, so a page costs about one call per security interval.

The daemon calls ``tick(clock.now())`` from an APScheduler job; tests call it
directly.
"""

from __future__ import annotations

import asyncio
import copy
import random
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import structlog

from sentinel.clock import Clock
from sentinel.config.schema import PageConfig
from sentinel.errors import StoreError
from sentinel.metrics import SOURCE_LAST_SUCCESS
from sentinel.model import Event
from sentinel.sources import graph_translate as tr
from sentinel.sources.graph_client import SOURCE, BatchItem, ErrorKind, GraphClient, GraphError
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.graph_read import CONVERSATIONS, FEED, GROUPS, SECURITY, PageReader, page_fields
from sentinel.sources.graph_state import GraphStore, KnownPost, PageState
from sentinel.store import Database

EventSink = Callable[[list[Event]], Awaitable[int]]
log = structlog.get_logger("sentinel.sources.graph")
TRANSIENT_ERRORS_BEFORE_ALERT = 3


class GraphPoller:
    def __init__(self, config: SourcesConfig, pages: list[PageConfig], db: Database, sink: EventSink,
                 clock: Clock, session: aiohttp.ClientSession | None = None) -> None:
        self.config = config
        self.pages = [p for p in pages if p.page_id and p.access_token and p.platform == "facebook"]
        self.store = GraphStore(db)
        self.sink = sink
        self.clock = clock
        self._own_session = session is None
        self._session = session
        self.client: GraphClient | None = None
        self.states: dict[str, PageState] = {}
        self.posts: dict[str, dict[str, KnownPost]] = {}
        self._recent: dict[str, deque[float]] = {}
        self._rand = random.Random(0x5E57)
        self._sem = asyncio.Semaphore(config.poll.concurrency)

    # -- lifecycle ---------------------------------------------------------

    async def start(self) -> None:
        await self.store.migrate()
        if self._session is None:
            self._session = aiohttp.ClientSession()
        self.client = GraphClient(self.config, self._session, self.clock)
        saved = await self.store.load_states()
        now = self.clock.now().timestamp()
        for p in self.pages:
            st = saved.get(p.id) or PageState()
            for g in GROUPS:
                st.interval.setdefault(g, self._bounds(g)[0])
                st.due[g] = min(st.due.get(g, now), now)  # after a restart, look again at once
            self.states[p.id] = st
            self.posts[p.id] = await self.store.load_posts(p.id)
            self._recent[p.id] = deque()
        log.info("graph.started", pages=len(self.pages))

    async def stop(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()
        self._session = None
        log.info("graph.stopped")

    def next_due(self) -> datetime | None:
        dues = [min(st.due.values()) for st in self.states.values() if st.due]
        return datetime.fromtimestamp(min(dues), UTC) if dues else None

    def healthy(self) -> bool:
        """No page is in a failure episode (expired token, lost permission, throttled)."""
        return all(st.failing_since is None for st in self.states.values())

    @property
    def calls(self) -> int:
        return self.client.calls if self.client else 0

    # -- work ----------------------------------------------------------------

    async def tick(self, now: datetime) -> None:
        """Poll every (page, group) that is due at ``now``."""
        due = [p for p in self.pages if min(self.states[p.id].due.values()) <= now.timestamp()]
        results = await asyncio.gather(*(self._visit(p, now) for p in due), return_exceptions=True)
        for page, res in zip(due, results, strict=True):
            if isinstance(res, Exception):  # a store failure: the page is read again next time
                log.error("graph.visit_failed", page=page.id, error=f"{type(res).__name__}: {res}")
                self._postpone(self.states[page.id], now.timestamp() + 30.0)
            elif isinstance(res, BaseException):
                raise res

    def _bounds(self, group: str) -> tuple[float, float]:
        b = {SECURITY: self.config.poll.security, FEED: self.config.poll.feed,
             CONVERSATIONS: self.config.poll.conversations}[group]
        return b.min.total_seconds(), b.max.total_seconds()

    def _window_start(self, now: datetime) -> int:
        return int((now - self.config.poll.post_window).timestamp())

    async def _visit(self, page: PageConfig, now: datetime) -> None:
        assert self.client is not None and page.page_id and page.access_token
        st = self.states[page.id]
        t = now.timestamp()
        blocked = self.client.budget.blocked_until(page.page_id)
        if blocked is not None:
            self._postpone(st, blocked.timestamp())
            return
        if not self._within_cap(page.id, t, st):
            return
        horizon = t + st.interval[SECURITY] * self.client.budget.slow_factor(page.page_id)
        groups = {g for g in GROUPS if st.due[g] <= t or st.due[g] < horizon}
        token = page.access_token.reveal()
        page_id = page.page_id
        client = self.client

        async def get(url: str) -> Any:
            self._recent[page.id].append(t)
            return await client.get(url, {}, token, key=page_id)

        async def batch(items: list[BatchItem]) -> list[Any]:
            self._recent[page.id].extend([t] * len(items))
            return await client.batch(items, token, key=page_id)

        window = self._window_start(now)
        # the reader works on copies: nothing is remembered unless its events were committed
        st = copy.deepcopy(st)
        posts = copy.deepcopy(self.posts[page.id])
        reader = PageReader(page.id, page_id, self.config, st, posts, get, batch)
        async with self._sem:
            try:
                self._recent[page.id].append(t)
                node = await client.get(page_id, {"fields": page_fields(self.config, groups, window)}, token,
                                        key=page_id)
                if not isinstance(node, dict):
                    raise GraphError(0, "page answer is not a JSON object", transient=True)
                events, active, touched = await reader.read(node, groups, now, window)
            except GraphError as e:
                await self._failed(page, self.states[page.id], e, now)
                return
        if st.failing_since is not None or st.transient_failures:
            if st.failing_since is not None:
                events.append(tr.source_recovered(page.id, page_id, datetime.fromtimestamp(st.failing_since, UTC),
                                                  now))
                log.info("graph.recovered", page=page.id)
            st.failing_since, st.failing_code, st.transient_failures = None, None, 0
        self._reschedule(st, groups, active, t, self.client.budget.slow_factor(page_id))
        try:
            if events:
                await self.sink(events)  # committed before the cursors move: a crash re-reads, never skips
            await self.store.save(page.id, st, touched, window)
        except StoreError as e:
            log.error("graph.commit_failed", page=page.id, error=str(e))
            self._postpone(self.states[page.id], t + 30.0)
            return
        self.states[page.id] = st
        self.posts[page.id] = {k: v for k, v in posts.items() if v.created >= window}
        SOURCE_LAST_SUCCESS.labels(page.id, SOURCE).set(t)

    def _within_cap(self, page: str, t: float, st: PageState) -> bool:
        recent = self._recent[page]
        while recent and recent[0] <= t - 3600:
            recent.popleft()
        if len(recent) < self.config.budget.max_calls_per_page_hour:
            return True
        self._postpone(st, recent[0] + 3600)
        return False

    def _reschedule(self, st: PageState, polled: set[str], active: set[str], t: float, slow: float) -> None:
        for g in polled:
            lo, hi = self._bounds(g)
            if g in active or SECURITY in active:
                st.interval[g] = lo
            else:
                st.interval[g] = min(hi, st.interval[g] * 1.5)
            st.due[g] = t + st.interval[g] * slow
        if SECURITY in active:  # a security signal: look closely at everything for a while
            for g in GROUPS:
                st.interval[g] = self._bounds(g)[0]
                st.due[g] = min(st.due[g], t + st.interval[g])

    @staticmethod
    def _postpone(st: PageState, until: float) -> None:
        for g in GROUPS:
            st.due[g] = max(st.due[g], until)

    async def _failed(self, page: PageConfig, st: PageState, err: GraphError, now: datetime) -> None:
        assert page.page_id
        t = now.timestamp()
        kind = err.kind
        log.warning("graph.read_failed", page=page.id, code=err.code, subcode=err.subcode, kind=str(kind))
        if kind is ErrorKind.TRANSIENT or kind is ErrorKind.MISSING or kind is ErrorKind.OTHER:
            st.transient_failures += 1
            delay = min(300.0, 5.0 * 2 ** min(st.transient_failures, 8)) * (0.5 + self._rand.random())
            self._postpone(st, t + delay)
            alert = st.transient_failures >= TRANSIENT_ERRORS_BEFORE_ALERT
            retry = delay
        elif kind is ErrorKind.THROTTLED:
            assert self.client is not None
            until = self.client.budget.blocked_until(page.page_id) or self.client.budget.throttled(
                page.page_id, err.retry_after)
            retry = max(1.0, until.timestamp() - t)
            self._postpone(st, t + retry)
            alert = True
        else:  # AUTH, PERMISSION: someone must act; keep trying slowly
            retry = self.config.poll.auth_retry.total_seconds()
            self._postpone(st, t + retry)
            alert = True
        if alert and (st.failing_since is None or st.failing_code != err.code):
            if st.failing_since is None:
                st.failing_since = t
            st.failing_code = err.code
            ev = tr.source_error(page.id, page.page_id, err.code, err.message, retry, now)
            await self.sink([ev])
        await self.store.save(page.id, st, [], self._window_start(now))


def due_in(poller: GraphPoller, now: datetime) -> timedelta | None:
    """How long until the poller next has work (for the daemon's scheduler)."""
    nd = poller.next_due()
    return None if nd is None else max(timedelta(0), nd - now)
