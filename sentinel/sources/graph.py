"""The Graph API poller: one tripwire call per page, content on its own calls when busy.

Each page has three edge groups: ``security`` (settings, roles, assigned
users, agencies: the hijack tripwire, polled because roles have no webhook),
``feed`` (posts with their newest comments) and ``conversations``. The
tripwire runs every ``poll.security.max``, short enough that a role grant is
seen within a minute. Content groups that fall due before the next tripwire
ride along in it; otherwise it carries a cheap probe of them (comment counts,
thread update times) whose change makes that group due at once. A content
group's interval drops to its ``min`` when a read finds something and grows
by half toward ``max`` while quiet; when it falls due well before the next
tripwire it gets a call of its own, paced by the page's budget
(``graph_budget``), which keeps every sliding hour under
``budget.max_calls_per_page_hour`` and never takes room the tripwire needs.
A security change drops every interval, the tripwire's to
``poll.security.min``; they relax again while the page is quiet. A tripwire
read late (more pages due than a tick could read) keeps its place: the next
is due a gap after this one was due.

A tick reads the due pages most overdue first, a chunk at a time, each
chunk's states written in one transaction, and starts no new chunk after
``TICK_BUDGET`` (the daemon's tick renews the page leases too).

The daemon calls ``tick(clock.now())`` from an APScheduler job; tests call it
directly.
"""

from __future__ import annotations

import asyncio
import copy
import random
import traceback
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import structlog

from sentinel.clock import Clock
from sentinel.config.schema import PageConfig
from sentinel.errors import StoreError
from sentinel.events.codec import FieldError, check_storable
from sentinel.metrics import EVENTS_REJECTED, SOURCE_LAST_SUCCESS
from sentinel.model import Event
from sentinel.sources import graph_translate as tr
from sentinel.sources.graph_budget import HOUR, OverBudget, PageBudget
from sentinel.sources.graph_client import SOURCE, BatchItem, ErrorKind, GraphClient, GraphError
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.graph_read import (
    CONTENT,
    CONVERSATIONS,
    FEED,
    GROUPS,
    SECURITY,
    PageReader,
    page_fields,
    signatures,
)
from sentinel.sources.graph_state import GraphStore, KnownPost, PageState, Saved
from sentinel.store import Database

EventSink = Callable[[list[Event]], Awaitable[int]]
log = structlog.get_logger("sentinel.sources.graph")
TRANSIENT_ERRORS_BEFORE_ALERT = 3
# A tick reads its due pages most overdue first, a chunk at a time (each chunk's states written together), and
# starts no new chunk after TICK_BUDGET: the daemon's tick renews the page leases too, and thousands of pages due
# at once (a replica that took over another's pages, or a machine too loaded to keep up) must not hold that up
# past the lease time; the rest are read at the next tick, first. bench/cluster_scale.py at 30,000 pages.
TICK_BUDGET = timedelta(seconds=2)
CHUNK_PER_CONCURRENCY = 4


@dataclass(slots=True)
class _Read:
    """A page read whose events are committed and whose state is not yet: the tick writes its reads together."""

    saved: Saved
    posts: dict[str, KnownPost]  # what the page remembers of its posts once the state is written
    seen: dict[str, str]  # the groups' signatures in the answer
    settled: bool
    refused: bool
    sent: list[str]  # the ids of the events sent
    t: float


def _storable(ev: Event) -> bool:
    """An item no store keeps as it is, or with an id or name beyond its bound (``codec.check_storable``), is
    refused, logged and counted like a malformed event at any intake; the rest of the read goes on (Graph's own
    ids and names are short: such an item is not Graph's)."""
    try:
        check_storable(ev)
    except FieldError as e:
        log.warning("graph.item_refused", kind=ev.kind, id=ev.id[:200], field=e.field, error=str(e)[:200])
        EVENTS_REJECTED.labels(source=SOURCE).inc()
        return False
    return True


class GraphPoller:
    def __init__(
        self,
        config: SourcesConfig,
        pages: list[PageConfig],
        db: Database,
        sink: EventSink,
        clock: Clock,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
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
        self.budgets: dict[str, PageBudget] = {}
        self._signatures: dict[str, dict[str, str]] = {}  # page -> group -> what its last answer showed
        self._unsettled: dict[str, set[str]] = {}  # page -> ids sent from reads cut short (they come again)
        self._rand = random.Random(0x5E57)
        self._sem = asyncio.Semaphore(config.poll.concurrency)
        # this run's reads: when each page was last read successfully, and whether its latest read failed
        self._read_ok: dict[str, float] = {}
        self._read_failed: set[str] = set()
        # several replicas: the pages whose lease this replica holds (``adopt`` when one is taken over)
        self.owns: Callable[[str], bool] = lambda page: True
        self.fence: Callable[[list[str]], Awaitable[None]] | None = None  # LeaseLost (a StoreError) if it moved

    # -- lifecycle ---------------------------------------------------------

    async def start(self) -> None:
        await self.store.migrate()
        if self._session is None:
            self._session = aiohttp.ClientSession()
        tokens = [p.access_token.reveal() for p in self.pages if p.access_token]
        self.client = GraphClient(self.config, self._session, self.clock, secrets=tokens)
        saved = await self.store.load_states()
        posts = await self.store.load_all_posts()
        now = self.clock.now().timestamp()
        gap = self._bounds(SECURITY)[1]
        # First reads (and, after a restart, overdue ones) are spread over one tripwire gap: a thousand pages read
        # in the same second, and again every gap after it, would queue behind each other. In the order of a hash
        # of their names, not the config's: replicas share pages out by name, and each one's share must be spread
        # over the gap too (in config order "p1", "p10".."p19", "p100".. sat together in a third of it).
        rank = {p.id: r for r, p in enumerate(sorted(self.pages, key=lambda p: zlib.crc32(p.id.encode())))}
        for p in self.pages:
            st = await self._linked(p, saved.get(p.id) or PageState(), posts)
            first = now + gap * rank[p.id] / len(self.pages)
            for g in GROUPS:
                st.interval.setdefault(g, self._bounds(g)[1])  # quiet until it shows activity
                due = st.due.get(g, now)
                st.due[g] = min(due, first) if due > now else first
            self.states[p.id] = st
            self.posts[p.id] = posts.get(p.id, {})
            # the calls made before a restart still count against the cap for the rest of their hour
            self.budgets[p.id] = PageBudget(
                self.config.budget.max_calls_per_page_hour, calls=sorted(c for c in st.calls if c > now - HOUR)
            )
            self._signatures[p.id] = {}
            self._unsettled[p.id] = set()
        log.info("graph.started", pages=len(self.pages))

    async def adopt(self, pages: set[str], now: datetime) -> None:
        """Several replicas: ``pages`` were taken over; read their state as their last owner committed it (what
        was seen, when each group is due), so nothing is read twice or skipped."""
        saved = await self.store.load_states()
        posts = await self.store.load_all_posts()  # one query, not one per page (thousands move at a time)
        gap = self._bounds(SECURITY)[1]
        unread = [p.id for p in self.pages if p.id in pages and p.id not in saved]
        # pages nobody has read yet are spread over one tripwire gap, as at start: thousands of them due in the
        # same second would hold up one tick (and everything after it in the daemon's tick) while all are read
        first = {page: now.timestamp() + gap * i / len(unread) for i, page in enumerate(unread)}
        for p in self.pages:
            if p.id not in pages:
                continue
            st = await self._linked(p, saved.get(p.id) or PageState(), posts)
            for g in GROUPS:
                st.interval.setdefault(g, self._bounds(g)[1])
                st.due.setdefault(g, first.get(p.id, now.timestamp()))
            self.states[p.id] = st
            self.posts[p.id] = posts.get(p.id, {})
            self._signatures[p.id] = {}
            self._unsettled[p.id] = set()

    async def _linked(self, page: PageConfig, st: PageState, posts: dict[str, dict[str, KnownPost]]) -> PageState:
        """``st``, the state saved for ``page``, if it was read from the Graph page ``page`` is linked to now; else
        (its ``page_id`` changed in the config) a fresh state, and ``posts`` and the store forget its posts: compared
        with another page's roles, settings and posts, the first read would report every admin of the new page
        granted, the old ones removed, the name and website changed and the old posts deleted (a hijack's
        signature, paged at night), where nothing happened but a new link."""
        if st.graph_id is not None and st.graph_id != page.page_id:
            log.warning("graph.page_relinked", page=page.id, was=st.graph_id, now=page.page_id)
            st = PageState()
            posts.pop(page.id, None)
            await self.store.forget_posts(page.id)
        st.graph_id = page.page_id
        return st

    async def stop(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()
        self._session = None
        log.info("graph.stopped")

    def next_due(self) -> datetime | None:
        dues = [min(st.due.values()) for st in self.states.values() if st.due]
        return datetime.fromtimestamp(min(dues), UTC) if dues else None

    def healthy(self, now: datetime) -> bool:
        """Every page can be read: none is in a failure episode (expired token, lost permission, throttled, or
        transient errors past ``TRANSIENT_ERRORS_BEFORE_ALERT``), and none whose latest read failed has gone
        without a successful read for ``stale_after`` (or since start). So one blip on a page read a minute ago
        does not flip readiness, and a Graph API that fails every call does at its first failed read. A page
        not read yet since start counts as healthy (the first reads are spread over one tripwire gap)."""
        if any(st.failing_since is not None for st in self.states.values()):
            return False
        stale = now.timestamp() - self.config.stale_after.total_seconds()
        return all(self._read_ok.get(page, stale - 1) >= stale for page in self._read_failed)

    def unhealthy_pages(self, now: datetime) -> list[str]:
        """The pages that make ``healthy`` false, for the log."""
        stale = now.timestamp() - self.config.stale_after.total_seconds()
        return sorted(
            p
            for p, st in self.states.items()
            if st.failing_since is not None or (p in self._read_failed and self._read_ok.get(p, stale - 1) < stale)
        )

    @property
    def calls(self) -> int:
        return self.client.calls if self.client else 0

    # -- work ----------------------------------------------------------------

    async def tick(self, now: datetime) -> None:
        """Poll every (page, group) that is due at ``now``, most overdue first, a chunk at a time (each chunk's
        states written in one transaction), until ``TICK_BUDGET`` has passed; the rest come first next tick."""
        t = now.timestamp()
        dues = [(d, i) for i, p in enumerate(self.pages) if (d := min(self.states[p.id].due.values())) <= t]
        due = [self.pages[i] for _, i in sorted(dues) if self.owns(self.pages[i].id)]
        size = self.config.poll.concurrency * CHUNK_PER_CONCURRENCY
        started = self.clock.now()
        for at in range(0, len(due), size):
            if at and self.clock.now() - started >= TICK_BUDGET:
                log.warning("graph.tick_over_budget", read=at, left=len(due) - at)
                return
            await self._read_chunk(due[at : at + size], now)

    async def _read_chunk(self, pages: list[PageConfig], now: datetime) -> None:
        results = await asyncio.gather(*(self._visit(p, now) for p in pages), return_exceptions=True)
        reads = []
        for page, res in zip(pages, results, strict=True):
            if isinstance(res, StoreError):  # the page is read again next time
                error = f"{type(res).__name__}: {res}"  # may name a URL with its token
                log.error("graph.visit_failed", page=page.id, error=self.client.redact(error) if self.client else error)
                self._postpone(self.states[page.id], now.timestamp() + 30.0)
            elif isinstance(res, Exception):
                await self._crashed(page, res, now)
            elif isinstance(res, BaseException):
                raise res
            elif res is not None:
                reads.append(res)
        await self._commit(reads)

    async def _commit(self, reads: list[_Read]) -> None:
        """The reads' states in one transaction, fenced (several replicas: only pages this one still holds).
        If it is refused (a page's lease moved, a store failure), each page on its own, so one lost page does not
        hold back the others; a page whose state is not written is read again in 30 s (its events come again
        with the same ids, which the store drops)."""
        if not reads:
            return
        try:
            async with self.store.db.transaction():
                if self.fence is not None:  # several replicas: written only while this one holds the pages
                    await self.fence([r.saved.page for r in reads])
                await self.store.save_many([r.saved for r in reads])
        except StoreError as e:
            if len(reads) > 1:
                for r in reads:
                    await self._commit([r])
                return
            log.error("graph.commit_failed", page=reads[0].saved.page, error=str(e))
            self._postpone(self.states[reads[0].saved.page], reads[0].t + 30.0)
            return
        for r in reads:
            page = r.saved.page
            self.states[page] = r.saved.state
            self.posts[page] = r.posts
            self._signatures[page].update(r.seen)
            if r.settled:
                self._unsettled[page].clear()
            elif r.refused:
                self._unsettled[page].update(r.sent)
            self._read_ok[page] = r.t
            self._read_failed.discard(page)
            SOURCE_LAST_SUCCESS.labels(page, SOURCE).set(r.t)

    def _bounds(self, group: str) -> tuple[float, float]:
        b = {
            SECURITY: self.config.poll.security,
            FEED: self.config.poll.feed,
            CONVERSATIONS: self.config.poll.conversations,
        }[group]
        return b.min.total_seconds(), b.max.total_seconds()

    def _window_start(self, now: datetime) -> int:
        return int((now - self.config.poll.post_window).timestamp())

    async def _visit(self, page: PageConfig, now: datetime) -> _Read | None:
        """Read the page's due groups and commit their events; what its state becomes (None: nothing read)."""
        assert self.client is not None and page.page_id and page.access_token
        st = self.states[page.id]
        t = now.timestamp()
        blocked = self.client.budget.blocked_until(page.page_id)
        if blocked is not None:
            self._postpone(st, blocked.timestamp())
            return None
        budget = self.budgets[page.id]
        slow = self.client.budget.slow_factor(page.page_id)
        regular = self._bounds(SECURITY)[1] * slow  # the tripwire's own gap; the budget keeps room for it
        if st.due[SECURITY] <= t:
            retry = budget.take_tripwire(t, regular)
            if retry is not None:
                self._postpone(st, retry)
                return None
            next_trip = t + st.interval[SECURITY] * slow
            # a content group due before the tripwire after next rides along now (no call of its own
            # later); one due later gets the probe
            groups = {SECURITY} | {g for g in CONTENT if st.due[g] < next_trip + regular}
        else:
            next_trip = st.due[SECURITY]
            groups = self._content_call(st, budget, t, regular, slow)
            if not groups:
                return None
        token = page.access_token.reveal()
        page_id = page.page_id
        client = self.client

        nested = 0  # calls made for paging and deletion checks

        async def get(url: str) -> Any:
            nonlocal nested
            if not budget.room(t, 1, regular, next_trip):
                raise OverBudget(page.id)
            budget.record(t)
            budget.spend(1)
            nested += 1
            return await client.get(url, {}, token, key=page_id)

        async def batch(items: list[BatchItem]) -> list[Any]:
            nonlocal nested
            if not budget.room(t, len(items), regular, next_trip):
                raise OverBudget(page.id)
            budget.record(t, len(items))
            budget.spend(len(items))
            nested += len(items)
            return await client.batch(items, token, key=page_id)

        window = self._window_start(now)
        # the reader works on copies: nothing is remembered unless its events were committed
        st = copy.deepcopy(st)
        posts = copy.deepcopy(self.posts[page.id])
        paging = budget.fits_content(t, regular, next_trip)
        reader = PageReader(
            page.id,
            page_id,
            self.config,
            st,
            posts,
            get,
            batch,
            paging=paging,
            give_up=paging and budget.giving_up(regular),
        )
        read = groups - {SECURITY}
        async with self._sem:
            try:
                budget.record(t)
                node = await client.get(
                    page_id, {"fields": page_fields(self.config, groups, window)}, token, key=page_id
                )
                if not isinstance(node, dict):
                    err = GraphError(0, "page answer is not a JSON object", transient=True)
                    client.note_error(err, page_id)
                    raise err
                events = await reader.security(node, now) if SECURITY in groups else []
                active = {SECURITY} if events else set()
                found, active_content, touched = await reader.content(node, read, now, window)
                events += found
                active |= active_content
            except GraphError as e:
                await self._failed(page, self.states[page.id], e, now)
                return None
            except Exception as e:  # an answer the reader could not digest: a failed read, not a blind page
                await self._crashed(page, e, now)
                return None
        if reader.refused and paging:
            budget.cut_short(nested, reader.more, regular)
            log.info("graph.read_cut_short", page=page.id, groups=sorted(read), calls=nested, backlog=budget.backlog)
        settled = bool(read) and not reader.refused
        if settled:
            budget.backlog = 0
        if reader.truncated:
            log.warning("graph.read_truncated", page=page.id, groups=sorted(read), calls=nested)
        unsettled = self._unsettled[page.id]
        events = sorted((e for e in events if e.id not in unsettled and _storable(e)), key=lambda e: (e.time, e.id))
        if st.failing_since is not None or st.transient_failures:
            if st.failing_since is not None:
                events.append(tr.source_recovered(page.id, page_id, datetime.fromtimestamp(st.failing_since, UTC), now))
                log.info("graph.recovered", page=page.id)
            st.failing_since, st.failing_code, st.transient_failures = None, None, 0
        seen = {g: v for g, v in signatures(node).items() if g in read or SECURITY in groups}
        known = self._signatures[page.id]
        changed = {g for g, v in seen.items() if g not in read and known.get(g, v) != v}
        self._reschedule(st, read | (groups & {SECURITY}), active, changed, t, slow)
        budget.used(t)  # drops the calls older than an hour from the window
        st.calls = list(budget.calls)
        try:
            if events:
                await self.sink(events)  # committed before the cursors move: a crash re-reads, never skips
        except StoreError as e:
            log.error("graph.commit_failed", page=page.id, error=str(e))
            self._postpone(self.states[page.id], t + 30.0)
            return None
        # the store forgets the page's posts older than the window only when it holds some (it holds what
        # ``self.posts`` holds: loaded from it, and written with every state)
        forget = window if any(v.created < window for v in posts.values()) else None
        return _Read(
            Saved(page.id, st, touched, forget),
            {k: v for k, v in posts.items() if v.created >= window},
            seen,
            settled,
            reader.refused,
            [e.id for e in events],
            t,
        )

    def _content_call(self, st: PageState, budget: PageBudget, t: float, regular: float, slow: float) -> set[str]:
        """The content groups to read on a call of their own at ``t``; the others are set to ride
        along with the next tripwire (when it is close, the budget has nothing to spare, or Meta's
        usage headers ask to slow down)."""
        lead = st.due[SECURITY] - t
        due = [g for g in CONTENT if st.due[g] <= t]
        own = {g for g in due if slow == 1.0 and lead >= self._bounds(g)[0] / 2}
        for g in due:
            if g not in own:
                st.due[g] = st.due[SECURITY]
        if not own:
            return set()
        retry = budget.take_content(t, regular, st.due[SECURITY])  # None: a token, and room for the backlog
        if retry is not None:
            for g in own:
                st.due[g] = min(st.due[SECURITY], retry)
            return set()
        return own | {g for g in CONTENT if st.due[g] <= t + st.interval[g] / 2}

    def _reschedule(
        self, st: PageState, read: set[str], active: set[str], changed: set[str], t: float, slow: float
    ) -> None:
        for g in read:
            lo, hi = self._bounds(g)
            was_due = st.due[g]
            if g in active:  # busier: a quarter of the interval (a quiet page needs a few reads to get there)
                st.interval[g] = max(lo, st.interval[g] / 4) if g in CONTENT else lo
            else:
                st.interval[g] = min(hi, st.interval[g] * 1.5)
            st.due[g] = t + st.interval[g] * slow
            if g == SECURITY and g not in active:
                # a tripwire read late (a tick with more pages due than it could read) keeps its place: the next
                # is due a gap after this one was due, not after it was read (never sooner than half a gap), so
                # pages read late together do not stay due together, a clump that comes late again every gap
                st.due[g] = max(min(st.due[g], was_due + st.interval[g] * slow), t + st.interval[g] * slow / 2)
        for g in changed:  # the tripwire's probe saw activity: read that group now
            st.due[g] = min(st.due[g], t)
        if SECURITY in active:  # a security signal: look closely at everything for a while
            for g in GROUPS:
                st.interval[g] = self._bounds(g)[0]
                st.due[g] = min(st.due[g], t + st.interval[g])

    def heighten(self, page: str, now: datetime) -> None:
        """A security signal from elsewhere (a hijack alert, a webhook's settings change) for ``page``: look
        closely, as after a change the tripwire saw itself (the budget still keeps the cap)."""
        st = self.states.get(page)
        if st is None:
            return
        t = now.timestamp()
        for g in GROUPS:
            st.interval[g] = self._bounds(g)[0]
            st.due[g] = min(st.due[g], t + (0.0 if g == SECURITY else st.interval[g]))
        log.info("graph.heightened", page=page)

    @staticmethod
    def _postpone(st: PageState, until: float) -> None:
        for g in GROUPS:
            st.due[g] = max(st.due[g], until)

    async def _crashed(self, page: PageConfig, exc: Exception, now: datetime) -> None:
        """A read that failed on something other than a Graph error (an answer the reader could not digest) is a
        failed read like a transient one: retried with backoff, not ready once stale, a ``source.error`` after a
        few. The exception is logged with its traceback at the first of a failure episode only."""
        st = self.states[page.id]
        first = st.transient_failures == 0 and st.failing_since is None
        assert self.client is not None and page.page_id
        redact = self.client.redact  # an exception's text, or its traceback's, may quote a URL with its token
        trace = redact("".join(traceback.format_exception(exc))) if first else None
        log.error("graph.read_crashed", page=page.id, error=redact(f"{type(exc).__name__}: {exc}"), traceback=trace)
        err = GraphError(0, f"the answer could not be read ({type(exc).__name__})", transient=True)
        self.client.note_error(err, page.page_id)
        try:
            await self._failed(page, st, err, now)
        except StoreError as e:
            log.error("graph.commit_failed", page=page.id, error=str(e))
            self._postpone(st, now.timestamp() + 30.0)

    async def _failed(self, page: PageConfig, st: PageState, err: GraphError, now: datetime) -> None:
        assert page.page_id
        t = now.timestamp()
        kind = err.kind
        self._read_failed.add(page.id)
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
                page.page_id, err.retry_after
            )
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
        budget = self.budgets[page.id]
        budget.used(t)
        st.calls = list(budget.calls)
        await self.store.save(page.id, st, [], self._window_start(now))


def due_in(poller: GraphPoller, now: datetime) -> timedelta | None:
    """How long until the poller next has work (for the daemon's scheduler)."""
    nd = poller.next_due()
    return None if nd is None else max(timedelta(0), nd - now)
