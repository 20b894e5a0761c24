"""Which customer items asked for an answer, and when the page first answered each (docs/community.md).

An item is a customer's comment or private message that asks for an answer (``asks_reply``; every one with
``everything=True``). What answers it, first one wins:
- a comment: the page's reply to it, or the page's reply later in its thread (the top comment it belongs to,
  however deep the reply: ``sentinel.enrich.threads``, as the rules name it); the page's private reply to it
  (``message.sent`` with its ``comment_id``);
- a private message: the page's next ``message.sent`` in the conversation (whatever its ``actor``: null, or an app
  sending as the page; a ``comment.created`` answers only with ``actor.type`` ``page``).
A like (any reaction) by the page marks an unanswered item ``seen``; hiding or deleting it (or its top comment)
``closed``. The same rules as the ``sla`` rule pack, read here for the whole history instead of for deadlines.

Events need not come in time order: what closes an item (an answer, a like, hiding or deleting) is remembered,
and an item fed after it (a late webhook, a file whose reply line comes first) is answered, seen or closed by what
came at or after its own time, as if fed in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sentinel.enrich.asks import asks_for_answer, page_names
from sentinel.enrich.threads import PageThreads, Threads
from sentinel.model import Event

COMMENT, MESSAGE = "comment", "message"


@dataclass(slots=True)
class Item:
    id: str  # the event id
    page: str
    channel: str  # ``comment`` | ``message``
    opened: datetime
    who: str
    key: str  # the comment id, or the conversation's thread id
    root: str | None  # a comment's top comment (itself for a top comment)
    answered: datetime | None = None
    responder: str | None = None  # who answered, where the platform says (a page post's ``admin``)
    seen: datetime | None = None
    closed: datetime | None = None

    @property
    def first_response_s(self) -> float | None:
        return (self.answered - self.opened).total_seconds() if self.answered is not None else None

    @property
    def open(self) -> bool:
        return self.answered is None and self.closed is None


@dataclass
class Tracker:
    """Feed it events in time order (``feed``); ``items`` are every item seen, in order."""

    everything: bool = False
    on_answer: Callable[[Item], None] | None = None  # told of each item as it is answered (the daemon's metrics)
    # each page's comment threads: its own (a report), or the rules' (the daemon's metrics, after a restart too)
    threads: Callable[[str], Threads] = field(default_factory=PageThreads)
    # how a handle may name each page (``asks.page_names``), as the rules read it: by default its id alone
    names: Callable[[str], frozenset[str]] = field(default=lambda page: page_names(page, None))
    items: list[Item] = field(default_factory=list)
    _by_comment: dict[tuple[str, str], Item] = field(default_factory=dict)
    _by_root: dict[tuple[str, str], list[Item]] = field(default_factory=dict)
    _by_thread: dict[tuple[str, str], list[Item]] = field(default_factory=dict)
    _by_post: dict[tuple[str, str], list[Item]] = field(default_factory=dict)  # comments' items under each post
    # what closed what, for an item fed after it: (page, "how:id") -> [(time, responder)]; how is ``c`` (an answer
    # to comment id), ``r`` (a page reply in the thread of top comment id), ``t`` (a message in conversation id),
    # ``s`` (a like of comment id), ``g`` (comment id hidden or deleted), ``p`` (post id deleted: its comments too)
    _closes: dict[tuple[str, str], list[tuple[datetime, str | None]]] = field(default_factory=dict)

    def feed_all(self, events: Iterable[Event]) -> Tracker:
        for ev in events:
            self.feed(ev)
        return self

    def feed(self, ev: Event) -> None:
        obj, page, t = ev.object, ev.page, ev.time
        by_page = ev.actor is not None and ev.actor.type == "page"
        kind = ev.kind
        if kind == "comment.created":
            cid, parent = _s(obj.get("comment_id")), _s(obj.get("parent_id"))
            threads = self.threads(page)
            root = threads.thread_of(cid, parent)
            threads.learn(cid, parent, t)  # (the rules' threads know it already: the same answer)
            if by_page:
                if parent and root:
                    responder = _responder(ev)
                    self._remember(page, t, responder, "c:" + parent, "r:" + root)
                    self._answer(
                        [self._by_comment.get((page, parent)), *self._by_root.get((page, root), [])], t, responder
                    )
            elif cid and root and self._asks(obj, page):
                item = Item(ev.id, page, COMMENT, t, _who(ev), cid, root)
                self.items.append(item)
                self._by_comment[(page, cid)] = item
                self._by_root.setdefault((page, root), []).append(item)
                post = _s(obj.get("post_id"))
                if post:
                    self._by_post.setdefault((page, post), []).append(item)
                gone = ("g:" + cid, "g:" + root, *(("p:" + post,) if post else ()))
                self._late(item, ("c:" + cid, "r:" + root), "s:" + cid, gone)
        elif kind == "message.received" and not by_page:
            thread = _s(obj.get("thread_id"))
            if thread and self._asks(obj, page, private=True):
                item = Item(ev.id, page, MESSAGE, t, _who(ev), thread, None)
                self.items.append(item)
                self._by_thread.setdefault((page, thread), []).append(item)
                self._late(item, ("t:" + thread,), None, ())
        elif kind == "message.sent":  # the page's by definition (docs/events.md), whoever the platform says sent it
            thread, cid = _s(obj.get("thread_id")), _s(obj.get("comment_id"))
            responder = _responder(ev)
            self._remember(page, t, responder, *(["t:" + thread] if thread else []), *(["c:" + cid] if cid else []))
            targets: list[Item | None] = list(self._by_thread.get((page, thread), [])) if thread else []
            if cid:
                targets.append(self._by_comment.get((page, cid)))
            self._answer(targets, t, responder)
        elif kind == "reaction.created" and by_page:
            target = _s(obj.get("target_id")) or ""
            self._remember(page, t, None, "s:" + target)
            liked = self._by_comment.get((page, target))
            if liked is not None and liked.open and liked.seen is None and liked.opened <= t:
                liked.seen = t
        elif kind in ("comment.hidden", "comment.deleted"):
            cid = _s(obj.get("comment_id")) or ""
            self._remember(page, t, None, "g:" + cid)
            self._remove([self._by_comment.get((page, cid)), *self._by_root.get((page, cid), [])], t)
        elif kind == "post.deleted":  # its comments went with it: nobody can answer them now
            post = _s(obj.get("post_id")) or ""
            self._remember(page, t, None, "p:" + post)
            self._remove(self._by_post.get((page, post), []), t)

    @staticmethod
    def _remove(items: Iterable[Item | None], t: datetime) -> None:
        for gone in items:
            if gone is not None and gone.open and gone.opened <= t:
                gone.closed = t

    def _remember(self, page: str, t: datetime, responder: str | None, *keys: str) -> None:
        for k in keys:
            self._closes.setdefault((page, k), []).append((t, responder))

    def _first(self, page: str, keys: Iterable[str], since: datetime) -> tuple[datetime, str | None] | None:
        """The earliest close under ``keys`` at or after ``since``."""
        found = [c for k in keys for c in self._closes.get((page, k), ()) if c[0] >= since]
        return min(found, key=lambda c: c[0]) if found else None

    def _late(self, item: Item, answers: tuple[str, ...], seen: str | None, gone: tuple[str, ...]) -> None:
        """A new item whose answer, like or removal may have been fed before it: what came at or after its time
        counts as if fed in order (first answer or removal wins; a like before either marks it seen)."""
        answer = self._first(item.page, answers, item.opened)
        removed = self._first(item.page, gone, item.opened)
        if removed is not None and (answer is None or removed[0] < answer[0]):
            item.closed = removed[0]
        elif answer is not None:
            self._answer([item], answer[0], answer[1])
        liked = self._first(item.page, (seen,), item.opened) if seen else None
        end = item.answered or item.closed
        if liked is not None and (end is None or liked[0] < end):
            item.seen = liked[0]

    def _asks(self, obj: dict[str, object] | object, page: str, private: bool = False) -> bool:
        if self.everything:
            return True
        text = obj.get("message") if isinstance(obj, dict) else None
        return isinstance(text, str) and asks_for_answer(text, self.names(page), private)

    def _answer(self, items: Iterable[Item | None], t: datetime, responder: str | None) -> None:
        for item in items:
            if item is not None and item.open and item.opened <= t:
                item.answered, item.responder = t, responder
                if self.on_answer is not None:
                    self.on_answer(item)

    def forget(self, before: datetime) -> None:
        """Drop the items opened before ``before``, and what closed items before it (a daemon keeps a window, not
        the whole history)."""
        self._closes = {k: v for k, v in ((k, [c for c in v if c[0] >= before]) for k, v in self._closes.items()) if v}
        if not self.items or self.items[0].opened >= before:
            return
        self.items = [i for i in self.items if i.opened >= before]
        keep = {id(i) for i in self.items}
        self._by_comment = {k: i for k, i in self._by_comment.items() if id(i) in keep}
        self._by_root = {k: v for k, v in ((k, [i for i in v if id(i) in keep]) for k, v in self._by_root.items()) if v}
        self._by_thread = {
            k: v for k, v in ((k, [i for i in v if id(i) in keep]) for k, v in self._by_thread.items()) if v
        }
        self._by_post = {k: v for k, v in ((k, [i for i in v if id(i) in keep]) for k, v in self._by_post.items()) if v}


def _s(v: object) -> str | None:
    return str(v) if v not in (None, "") else None


def _who(ev: Event) -> str:
    return (ev.actor.name or ev.actor.id or "") if ev.actor is not None else ""


def _responder(ev: Event) -> str | None:
    """The person who answered for the page, where the platform says (``admin``), else None."""
    admin = ev.object.get("admin")
    if isinstance(admin, dict):
        name = admin.get("name") or admin.get("id")
        return str(name) if name else None
    return None
