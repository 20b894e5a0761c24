"""Reading one page answer: the fields to ask for, and what the answer means.

The poller asks for the due edge groups of a page in one request (field
expansion on the page node); this module turns the answer into events and
updates the page's remembered state. Nested paging and deletion checks are
the only extra calls.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sentinel.model import Event
from sentinel.sources import graph_translate as tr
from sentinel.sources.graph_client import BatchItem, ErrorKind, GraphError
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.graph_state import KnownPost, PageState

SECURITY, FEED, CONVERSATIONS = "security", "feed", "conversations"
GROUPS = (SECURITY, FEED, CONVERSATIONS)
MAX_PAGES = 20  # nested pages followed per edge and poll

SETTINGS_FIELDS = "name,username,website,about,category,phone,emails,picture"
POST_FIELDS = ("id,created_time,updated_time,from,message,permalink_url,status_type,"
               "attachments{type,url,unshimmed_url},application{id,name},admin_creator{id,name}")
COMMENT_FIELDS = "id,from,message,created_time,parent{id}"
MESSAGE_FIELDS = "id,message,from,created_time"

Get = Callable[[str], Awaitable[Any]]
Batch = Callable[[list[BatchItem]], Awaitable[list[Any]]]


def page_fields(config: SourcesConfig, groups: set[str], window_start: int) -> str:
    poll = config.poll
    parts: list[str] = ["id"]
    if SECURITY in groups:
        parts += [SETTINGS_FIELDS, "roles.limit(100){id,name,tasks}", "agencies.limit(100){id,name,permitted_tasks}"]
        if config.business_id:
            parts.append(f"assigned_users.business({config.business_id}).limit(100){{id,name,user_type,tasks}}")
    if FEED in groups:
        comments = (f"comments.filter(stream).order(reverse_chronological).limit({poll.comments_limit})"
                    f"{{{COMMENT_FIELDS}}}")
        parts.append(f"feed.since({window_start}).limit({poll.feed_limit}){{{POST_FIELDS},{comments}}}")
    if CONVERSATIONS in groups:
        parts.append(f"conversations.limit(25){{id,updated_time,messages.limit(25){{{MESSAGE_FIELDS}}}}}")
    return ",".join(parts)


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
        items += _data(block)
        nxt = _next(block)
    return items, nxt is None


def _epoch(value: Any) -> int:
    return int(tr.graph_time(value).timestamp())


async def _new_items(block: Any, hwm: int, ids: list[str], get: Get) -> tuple[list[Mapping[str, Any]], int, list[str]]:
    """New items of a newest-first edge (comments, messages), following pages while all are new."""
    fresh: list[Mapping[str, Any]] = []
    pages = 0
    while True:
        items = _data(block)
        reached_old = False
        for it in items:
            try:
                t = _epoch(it.get("created_time"))
            except ValueError:
                continue
            if "id" not in it:
                continue
            if t > hwm or (t == hwm and str(it["id"]) not in ids):
                fresh.append(it)
            else:
                reached_old = True
        nxt = _next(block)
        if reached_old or nxt is None or pages >= MAX_PAGES:
            break
        block = await get(nxt)
        pages += 1
    for it in fresh:
        t = _epoch(it.get("created_time"))
        if t > hwm:
            hwm, ids = t, []
        if t == hwm:
            ids = [*ids, str(it["id"])]
    return fresh, hwm, ids


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

    async def read(self, node: Mapping[str, Any], groups: set[str], now: datetime,
                   window_start: int) -> tuple[list[Event], set[str], list[KnownPost]]:
        """Events, the groups that saw activity, and the posts whose memory changed."""
        events: list[Event] = []
        active: set[str] = set()
        touched: dict[str, KnownPost] = {}
        if SECURITY in groups:
            sec = self._security(node, now)
            events += sec
            if sec:
                active.add(SECURITY)
        if FEED in groups and "feed" in node:
            feed = await self._feed(node["feed"], now, window_start, touched)
            events += feed
            if feed:
                active.add(FEED)
        if CONVERSATIONS in groups and "conversations" in node:
            msgs = await self._conversations(node["conversations"], window_start)
            events += msgs
            if msgs:
                active.add(CONVERSATIONS)
        events.sort(key=lambda e: (e.time, e.id))
        return events, active, list(touched.values())

    def _security(self, node: Mapping[str, Any], now: datetime) -> list[Event]:
        settings = tr.settings_snapshot(node)
        events = tr.diff_settings(self.page, self.page_id, self.state.settings, settings, now)
        self.state.settings = settings
        access = tr.access_list(node)
        old = None if self.state.access is None else {
            k: tr.Access(str(v[0]), v[1], tuple(v[2])) for k, v in self.state.access.items()}
        events += tr.diff_roles(self.page, self.page_id, old, access, self.state.role_seq, now)
        self.state.access = {k: [a.id, a.name, list(a.tasks)] for k, a in access.items()}
        return events

    async def _feed(self, block: Any, now: datetime, window_start: int,
                    touched: dict[str, KnownPost]) -> list[Event]:
        posts, complete = await _all_pages(block, self.get)
        events: list[Event] = []
        listed: set[str] = set()
        for post in posts:
            if "id" not in post:
                continue
            pid = str(post["id"])
            listed.add(pid)
            try:
                created = _epoch(post.get("created_time"))
            except ValueError:
                continue
            message = post.get("message") if isinstance(post.get("message"), str) else None
            known = self.posts.get(pid)
            if known is None:
                events.append(tr.post_created(self.page, self.page_id, post))
                known = KnownPost(pid, created, tr.digest(message))
                self.posts[pid] = touched[pid] = known
            elif known.message_digest != tr.digest(message) and not known.deleted:
                when = tr.graph_time(post.get("updated_time"), now)
                app = post.get("application")
                events.append(tr.post_edited(self.page, self.page_id, pid, message,
                                             app.get("name") if isinstance(app, Mapping) else None, when,
                                             post.get("from")))
                known.message_digest = tr.digest(message)
                touched[pid] = known
            fresh, hwm, ids = await _new_items(post.get("comments"), known.comment_hwm, known.comment_ids,
                                               self.get)
            if fresh:
                events += [tr.comment_created(self.page, self.page_id, pid, c) for c in fresh]
                known.comment_hwm, known.comment_ids = hwm, ids
                touched[pid] = known
        if complete:
            events += await self._deletions(listed, now, window_start, touched)
        return events

    async def _deletions(self, listed: set[str], now: datetime, window_start: int,
                         touched: dict[str, KnownPost]) -> list[Event]:
        """Known posts missing from a complete listing are asked for; 100/33 means deleted."""
        gone = [p for p in self.posts.values()
                if not p.deleted and p.post_id not in listed and p.created >= window_start + 60]
        if not gone:
            return []
        answers = await self.batch([BatchItem(f"{p.post_id}?fields=id") for p in gone])
        events: list[Event] = []
        for p, ans in zip(gone, answers, strict=True):
            if isinstance(ans, GraphError) and ans.kind is ErrorKind.MISSING:
                events.append(tr.post_deleted(self.page, p.post_id, now))
                p.deleted = True
                touched[p.post_id] = p
        return events

    async def _conversations(self, block: Any, window_start: int) -> list[Event]:
        events: list[Event] = []
        for conv in _data(block):
            tid = str(conv.get("id") or "")
            if not tid:
                continue
            hwm, ids = self.state.threads.get(tid, [window_start - 1, []])
            fresh, hwm, ids = await _new_items(conv.get("messages"), int(hwm), list(ids), self.get)
            if fresh:
                events += [tr.message_event(self.page, self.page_id, tid, m) for m in fresh]
            self.state.threads[tid] = [hwm, ids]
        self.state.threads = {k: v for k, v in self.state.threads.items() if int(v[0]) >= window_start}
        return events
