"""Reading one page answer: the fields to ask for, and what the answer means.

The poller asks for a page's due edge groups in one request (field expansion
on the page node). A tripwire request that does not read the content groups
carries a cheap probe of them instead (posts with their comment counts,
threads with their update times): when the probe's signature changes, the
poller reads that group soon. This module turns an answer into events and
updates the page's remembered state; nested paging and deletion checks are
the only extra calls.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import structlog

from sentinel.model import Event
from sentinel.sources import graph_translate as tr
from sentinel.sources.graph_budget import OverBudget
from sentinel.sources.graph_client import BatchItem, ErrorKind, ForeignUrl, GraphError
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.graph_state import KnownPost, PageState

SECURITY, FEED, CONVERSATIONS = "security", "feed", "conversations"
GROUPS = (SECURITY, FEED, CONVERSATIONS)
CONTENT = (FEED, CONVERSATIONS)
MAX_PAGES = 20  # nested pages followed per edge and poll
# reactions of one type on one post reported per read at most: a count that leaps further (a viral post, or an
# answer that is wrong) moves the cursor past the rest with a warning instead of making millions of events
MAX_REACTIONS = 5000
PAGE_LIMIT = 100  # items asked for when following a comment or message edge's next page

SETTINGS_FIELDS = "name,username,website,about,category,phone,emails,picture"
POST_FIELDS = (
    "id,created_time,updated_time,from,message,permalink_url,status_type,"
    "attachments{type,url,unshimmed_url},application{id,name},admin_creator{id,name}"
)
COMMENT_FIELDS = "id,from,message,created_time,parent{id}"


def _reaction_fields(types: tuple[str, ...]) -> str:
    """A post's reactions of ``types``, counted per type (the reactors and their times are not asked for). The
    probe counts the negative ones only, so that an angry wave on a quiet page is read soon and a trickle of likes
    costs no read."""
    return ",".join(f"reactions.type({t}).limit(0).summary(total_count).as(reactions_{t.lower()})" for t in types)


REACTION_FIELDS = _reaction_fields(tr.REACTION_TYPES)
PROBE_REACTIONS = ("ANGRY", "SAD")
MESSAGE_FIELDS = "id,message,from,to,created_time"

log = structlog.get_logger("sentinel.sources.graph")

Get = Callable[[str], Awaitable[Any]]  # may raise OverBudget or ForeignUrl; the reader then stops paging that edge
Batch = Callable[[list[BatchItem]], Awaitable[list[Any]]]


def page_fields(config: SourcesConfig, groups: set[str], window_start: int) -> str:
    """Fields for one request on the page node: the ``groups`` read in full; with the tripwire, a
    probe of each content group not read."""
    poll = config.poll
    parts: list[str] = ["id"]
    probe = SECURITY in groups
    if SECURITY in groups:
        parts += [SETTINGS_FIELDS, "roles.limit(100){id,name,tasks}", "agencies.limit(100){id,name,permitted_tasks}"]
        if config.business_id:
            parts.append(f"assigned_users.business({config.business_id}).limit(100){{id,name,user_type,tasks}}")
    feed = f"feed.since({window_start}).limit({poll.feed_limit})"
    count = "comments.filter(stream).limit(0).summary(true)"
    if FEED in groups:
        comments = (
            f"comments.filter(stream).order(reverse_chronological).limit({poll.comments_limit})"
            f".summary(true){{{COMMENT_FIELDS}}}"
        )
        reactions = f",{REACTION_FIELDS}" if config.polls_reactions else ""
        parts.append(f"{feed}{{{POST_FIELDS},{comments}{reactions}}}")
    elif probe:
        reactions = f",{_reaction_fields(PROBE_REACTIONS)}" if config.polls_reactions else ""
        parts.append(f"{feed}{{id,updated_time,{count}{reactions}}}")
    if CONVERSATIONS in groups:
        parts.append(f"conversations.limit(25){{id,updated_time,messages.limit(25){{{MESSAGE_FIELDS}}}}}")
    elif probe:
        parts.append("conversations.limit(25){id,updated_time}")
    return ",".join(parts)


def signatures(node: Mapping[str, Any]) -> dict[str, str]:
    """Per content group in the answer, a digest of what the probe sees: the first page of posts
    (id, update time, comment count and, where reactions are counted, angry and sad ones) and of threads (id,
    update time). A full read gives the same."""
    out: dict[str, str] = {}
    if "feed" in node:
        rows = []
        for post in _data(node["feed"]):
            comments = post.get("comments")
            summary = comments.get("summary") if isinstance(comments, Mapping) else None
            count = summary.get("total_count") if isinstance(summary, Mapping) else None
            counts = tr.reaction_counts(post)
            negative = [counts.get(t.lower()) for t in PROBE_REACTIONS]
            rows.append((str(post.get("id")), str(post.get("updated_time")), str(count), str(negative)))
        out[FEED] = tr.digest(rows)
    if "conversations" in node:
        out[CONVERSATIONS] = tr.digest(
            [(str(c.get("id")), str(c.get("updated_time"))) for c in _data(node["conversations"])]
        )
    return out


def _widen(url: str) -> str:
    """The same next page, asking for ``PAGE_LIMIT`` items: fewer calls through a burst."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "limit"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("limit", str(PAGE_LIMIT))])))


def _data(block: Any) -> list[Mapping[str, Any]]:
    data = block.get("data") if isinstance(block, Mapping) else None
    return [d for d in data if isinstance(d, Mapping)] if isinstance(data, list) else []


def _next(block: Any) -> str | None:
    paging = block.get("paging") if isinstance(block, Mapping) else None
    nxt = paging.get("next") if isinstance(paging, Mapping) else None
    return nxt if isinstance(nxt, str) and nxt else None


async def _all_pages(block: Any, get: Get) -> tuple[list[Mapping[str, Any]], bool]:
    """Every item of a paged edge answer; the flag says whether the last page was reached."""
    items = _data(block)
    nxt = _next(block)
    for _ in range(MAX_PAGES):
        if nxt is None:
            return items, True
        block = await get(nxt)
        if block is None:
            return items, False
        items += _data(block)
        nxt = _next(block)
    return items, nxt is None


def _epoch(value: Any) -> int:
    return int(tr.graph_time(value).timestamp())


def _placed(value: Any, now: int) -> int | None:
    """An item's time for an edge's cursor: None for one the cursor cannot take, a time that is unreadable (or
    one no datetime can hold) or that is after the read's ``now`` (a cursor moved to 2099 would hide every later
    item). Such an item is still delivered (at the read's time, if its own is unreadable)."""
    try:
        t = _epoch(value)
    except ValueError:
        return None
    return t if t <= now else None


async def _new_items(
    block: Any, hwm: int, ids: list[str], get: Get, floor: int, now: int
) -> tuple[list[Mapping[str, Any]], int, list[str], int]:
    """New items of a newest-first edge (comments, messages), following pages while all are new.
    The last value is 0 when the edge was read to its known items, else an estimate of the pages
    left (a page was not given): the unread stretch down to ``hwm`` (or ``floor``, the oldest an
    item can be) at the rate of the items read. The cursor (``hwm`` and the ids at it) never passes
    ``now``: an item it cannot place (``_placed``) is new while its id is not among the cursor's ids, and
    is added to them (so it comes again only after the cursor moved, with the same id)."""
    if hwm > now:  # stored by a version that let a future-dated item move it: read the edge again (what was hidden
        hwm, ids = floor - 1, []  # comes late; what was stored comes again with the same ids, which the store drops)
    fresh: list[Mapping[str, Any]] = []
    times: list[int] = []
    unplaced: list[Mapping[str, Any]] = []
    pages = 0
    cut = False
    while True:
        items = _data(block)
        reached_old = False
        for it in items:
            if "id" not in it:
                continue
            t = _placed(it.get("created_time"), now)
            if t is None:
                unplaced.append(it)
            elif t > hwm or (t == hwm and str(it["id"]) not in ids):
                fresh.append(it)
                times.append(t)
            else:
                reached_old = True
        nxt = _next(block)
        if reached_old or nxt is None or pages >= MAX_PAGES:
            break
        block = await get(_widen(nxt))
        if block is None:
            cut = True
            break
        pages += 1
    more = 0
    if cut:
        span = max(1, max(times, default=0) - min(times, default=0))
        unread = max(0, min(times, default=0) - max(hwm, floor))
        more = max(1, math.ceil(len(fresh) * unread / span / PAGE_LIMIT))
    for it, t in zip(fresh, times, strict=True):
        if t > hwm:
            hwm, ids = t, []
        if t == hwm:
            ids = [*ids, str(it["id"])]
    for it in unplaced:
        if str(it["id"]) not in ids:
            fresh.append(it)
            ids = [*ids, str(it["id"])]
    return fresh, hwm, ids, more


def unreadable(items: list[Mapping[str, Any]]) -> int:
    """How many of ``items`` have a ``created_time`` that is not a time (they are placed at the read's time)."""
    n = 0
    for it in items:
        try:
            _epoch(it.get("created_time"))
        except ValueError:
            n += 1
    return n


@dataclass(slots=True)
class PageReader:
    """Reads one answer for one page; ``posts`` and ``state`` are updated in place."""

    page: str
    page_id: str
    config: SourcesConfig
    state: PageState
    posts: dict[str, KnownPost]
    get: Get
    batch: Batch
    paging: bool = True  # follow next pages (False: first pages only, while a backlog waits for room)
    give_up: bool = False  # an edge whose pages stop early moves its cursor anyway (losing what is older)
    refused: bool = False  # a page was not read: the budget refused it, or paging was off
    more: int = 0  # the pages those edges are expected to need still
    truncated: bool = False  # and an edge gave up items for it
    unreadable: int = 0  # items delivered at the read's time, their own being unreadable

    async def _page(self, url: str) -> Any:
        """The next page of an edge, or None when paging is off, the budget refuses it or the URL is on another
        host than ``base_url`` (the client sends the token nowhere else; it logs and counts that). A foreign
        link is not a refusal: the edge keeps its cursor, and it is not waited for as a backlog."""
        if self.paging:
            try:
                return await self.get(url)
            except OverBudget:
                pass
            except ForeignUrl:
                return None
        self.refused = True
        return None

    def _keep(self, more: int, old: tuple[int, list[str]], new: tuple[int, list[str]]) -> tuple[int, list[str]]:
        """The cursor to remember for an edge with ``more`` pages unread. An edge cut short keeps its old
        cursor, so the unread items are read later (the items read now come again; the poller holds them)."""
        if more == 0:
            return new
        self.more += more
        if self.give_up:
            self.truncated = True
            return new
        return old

    async def security(self, node: Mapping[str, Any], now: datetime) -> list[Event]:
        """Settings and access changes in a tripwire answer; the lists of who can act for the page are read to their
        last page (a new admin of a page with more than a hundred roles is on the second)."""
        node = await self._access_pages(node)
        settings = tr.settings_snapshot(node)
        events = tr.diff_settings(self.page, self.page_id, self.state.settings, settings, now)
        self.state.settings = settings
        access = tr.access_list(node)
        old = (
            None
            if self.state.access is None
            else {k: tr.Access(str(v[0]), v[1], tuple(v[2])) for k, v in self.state.access.items()}
        )
        # A page always has a full admin: an answer without its roles, or with nobody holding MANAGE where somebody
        # did, is a platform glitch, not the owners removed (a critical hijack alert at night, and a grant when the
        # roles come back; on a first read, a baseline of nobody and every admin "granted" next). The snapshot is
        # kept and the roles are judged at the next read.
        if not tr.roles_read(node) or (old is not None and tr.has_manager(old) and not tr.has_manager(access)):
            log.warning("graph.roles_unread", page=self.page, roles=tr.roles_read(node), holders=len(access))
            return events
        if old is not None and any(_next(node.get(e)) for e in tr.ACCESS_EDGES):
            # a list whose pages stopped early: who is not on the pages read is not removed
            access = {**{k: a for k, a in old.items() if k not in access}, **access}
        events += tr.diff_roles(self.page, self.page_id, old, access, self.state.role_seq, now)
        self.state.access = {k: [a.id, a.name, list(a.tasks)] for k, a in access.items()}
        return events

    async def _access_pages(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """``node`` with each of ``roles``, ``assigned_users`` and ``agencies`` read to its last page. A list whose
        pages stop early keeps a ``paging.next``: who is not on the pages read is then not taken as removed."""
        out = dict(node)
        for edge in tr.ACCESS_EDGES:
            block = node.get(edge)
            nxt = _next(block)
            if nxt is None or not isinstance(block, Mapping) or not isinstance(block.get("data"), list):
                continue
            items, complete = await _all_pages(block, self._page)
            out[edge] = {"data": items} if complete else {"data": items, "paging": {"next": nxt}}
        return out

    async def content(
        self, node: Mapping[str, Any], groups: set[str], now: datetime, window_start: int
    ) -> tuple[list[Event], set[str], list[KnownPost]]:
        """Events of the content ``groups`` read in full, the groups that saw activity, and the
        posts whose memory changed. ``refused`` then says whether a page was left unread."""
        events: list[Event] = []
        active: set[str] = set()
        touched: dict[str, KnownPost] = {}
        if FEED in groups and "feed" in node:
            feed = await self._feed(node["feed"], now, window_start, touched)
            events += feed
            if feed:
                active.add(FEED)
        if CONVERSATIONS in groups and "conversations" in node:
            msgs = await self._conversations(node["conversations"], now, window_start)
            events += msgs
            if msgs:
                active.add(CONVERSATIONS)
        if self.unreadable:
            log.warning("graph.time_unreadable", page=self.page, items=self.unreadable)
        return events, active, list(touched.values())

    async def _feed(self, block: Any, now: datetime, window_start: int, touched: dict[str, KnownPost]) -> list[Event]:
        posts, complete = await _all_pages(block, self._page)
        t = int(now.timestamp())
        events: list[Event] = []
        listed: set[str] = set()
        for post in posts:
            if "id" not in post:
                continue
            pid = str(post["id"])
            listed.add(pid)
            try:
                created = _epoch(post.get("created_time"))
            except ValueError:  # placed at the read's time, as an unreadable comment is
                created = int(now.timestamp())
                self.unreadable += pid not in self.posts
            message = post.get("message") if isinstance(post.get("message"), str) else None
            known = self.posts.get(pid)
            new = known is None
            if known is None:
                events.append(tr.post_created(self.page, self.page_id, post, now))
                known = KnownPost(pid, created, tr.digest(message))
                self.posts[pid] = touched[pid] = known
            elif known.message_digest != tr.digest(message) and not known.deleted:
                when = tr.graph_time(post.get("updated_time"), now)
                app = post.get("application")
                events.append(
                    tr.post_edited(
                        self.page,
                        self.page_id,
                        pid,
                        message,
                        app.get("name") if isinstance(app, Mapping) else None,
                        when,
                        post.get("from"),
                    )
                )
                known.message_digest = tr.digest(message)
                touched[pid] = known
            if self.config.polls_reactions:
                events += self._reactions(known, tr.reaction_counts(post), new, now, touched)
            fresh, hwm, ids, more = await _new_items(
                post.get("comments"), known.comment_hwm, known.comment_ids, self._page, known.created, t
            )
            if fresh:
                self.unreadable += unreadable(fresh)
                events += [tr.comment_created(self.page, self.page_id, pid, c, now) for c in fresh]
                known.comment_hwm, known.comment_ids = self._keep(
                    more, (known.comment_hwm, known.comment_ids), (hwm, ids)
                )
                touched[pid] = known
        if complete:
            events += await self._deletions(listed, now, window_start, touched)
        if self.config.polls_reactions:
            self.state.counted_at = int(now.timestamp())
        return events

    def _reactions(
        self, known: KnownPost, counts: dict[str, int], new: bool, now: datetime, touched: dict[str, KnownPost]
    ) -> list[Event]:
        """Reactions counted beyond each type's highest count so far, as events spread over the time since they
        were last counted: the post's last count, the page's last feed read (stored with the page on every read,
        where the post's own time is stored only when its count grows) or the post's creation, whichever is
        latest. The first count of a post is its baseline, unless the post is new since the feed's slowest read
        (``poll.feed.max``): reactions on an older post that the poller meets for the first time (at its first
        start, or on a post it knew before it counted reactions) came at unknown times, maybe days ago."""
        if not counts:
            return []
        t = int(now.timestamp())
        grew = {kind: n for kind, n in counts.items() if n > known.reactions.get(kind, 0)}
        events: list[Event] = []
        if known.reactions_at or (new and known.created >= t - self.config.poll.feed.max.total_seconds()):
            since = max(known.reactions_at, self.state.counted_at, known.created)
            for kind, n in grew.items():
                seen = known.reactions.get(kind, 0)
                if n - seen > MAX_REACTIONS:
                    log.warning(
                        "graph.reactions_capped", page=self.page, post=known.post_id, reaction=kind, grew=n - seen
                    )
                    seen = n - MAX_REACTIONS
                events += tr.polled_reactions(self.page, known.post_id, kind, seen + 1, n, since, now.timestamp())
        if grew or not known.reactions_at:  # stored with the post when a count grew, or as its baseline
            touched[known.post_id] = known
        known.reactions.update(grew)
        known.reactions_at = t  # in memory on every read
        return events

    async def _deletions(
        self, listed: set[str], now: datetime, window_start: int, touched: dict[str, KnownPost]
    ) -> list[Event]:
        """Known posts missing from a complete listing are asked for; 100/33 means deleted."""
        gone = [
            p
            for p in self.posts.values()
            if not p.deleted and p.post_id not in listed and p.created >= window_start + 60
        ]
        if not gone:
            return []
        if not self.paging:
            return []
        try:
            answers = await self.batch([BatchItem(f"{p.post_id}?fields=id") for p in gone])
        except OverBudget:
            self.refused = True
            return []  # asked again after the next complete listing
        events: list[Event] = []
        for p, ans in zip(gone, answers, strict=True):
            if isinstance(ans, GraphError) and ans.kind is ErrorKind.MISSING:
                events.append(tr.post_deleted(self.page, p.post_id, now))
                p.deleted = True
                touched[p.post_id] = p
        return events

    async def _conversations(self, block: Any, now: datetime, window_start: int) -> list[Event]:
        events: list[Event] = []
        for conv in _data(block):
            tid = str(conv.get("id") or "")
            if not tid:
                continue
            hwm, ids = self.state.threads.get(tid, [window_start - 1, []])
            old = (int(hwm), list(ids))
            fresh, hwm, ids, more = await _new_items(
                conv.get("messages"), old[0], old[1], self._page, window_start, int(now.timestamp())
            )
            if fresh:
                self.unreadable += unreadable(fresh)
                # named by the person, as the webhook names it (its sender id), not by the ``t_...`` id
                party = tr.conversation_party(conv, self.page_id) or tid
                events += [tr.message_event(self.page, self.page_id, party, m, now) for m in fresh]
            self.state.threads[tid] = list(self._keep(more, old, (hwm, ids)))
        self.state.threads = {k: v for k, v in self.state.threads.items() if int(v[0]) >= window_start}
        return events
