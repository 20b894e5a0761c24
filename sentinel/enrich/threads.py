"""Which thread a comment belongs to: its top comment, however deep the reply.

A comment's ``parent_id`` is the comment it replies to (docs/events.md), not
necessarily the top comment: a customer's "Hallå?" under their own question,
the page's answer to that. What answers a customer's item is the page's reply
to it or later in its thread (docs/replay.md), so the rules' ``sla`` pack, the
report and the daemon's SLA metrics all name a thread by its top comment, found
here, one page at a time: a reply's top comment is its parent's (remembered
when the parent was seen), or the parent itself when the parent was never seen
as a reply (a top comment).

Bounded: replies are remembered for ``MEMORY`` of event time (longer than an
SLA item is tracked: its promise and ``forget_after``) and at most ``MAX_REPLIES``
per page, oldest forgotten first. A reply to a comment forgotten, or not yet
seen (a late webhook for the middle of a thread), is placed under that comment
as if it were the top one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

MEMORY = timedelta(days=7)
MAX_REPLIES = 20_000


@dataclass(slots=True)
class Threads:
    """One page's replies: reply id -> (its top comment, its time in epoch seconds), oldest first."""

    tops: dict[str, tuple[str, float]] = field(default_factory=dict)

    def top(self, comment_id: str) -> str:
        """The top comment of ``comment_id``'s thread (itself for a top comment or one not known)."""
        known = self.tops.get(comment_id)
        return comment_id if known is None else known[0]

    def thread_of(self, comment_id: str | None, parent_id: str | None) -> str | None:
        """The top comment of the thread a new comment is written in: its parent's, or itself without a parent."""
        if parent_id:
            return self.top(parent_id)
        return comment_id or None

    def learn(self, comment_id: str | None, parent_id: str | None, t: datetime) -> None:
        """Remember a comment (a reply: a top comment needs no memory) and forget what is too old."""
        if not comment_id or not parent_id or comment_id in self.tops:
            return
        ts = t.timestamp()
        self.tops[comment_id] = (self.top(parent_id), ts)
        horizon = ts - MEMORY.total_seconds()
        tops = self.tops
        while tops:
            first = next(iter(tops))
            if len(tops) <= MAX_REPLIES and tops[first][1] >= horizon:
                break
            del tops[first]

    def to_json(self) -> list[list[Any]]:
        return [[c, top, ts] for c, (top, ts) in self.tops.items()]

    @classmethod
    def from_json(cls, data: Any) -> Threads:
        out = cls()
        for row in data if isinstance(data, list) else ():
            c, top, ts = row
            out.tops[str(c)] = (str(top), float(ts))
        return out


@dataclass(slots=True)
class PageThreads:
    """``Threads`` of every page, for a reader of many pages' events (the report, the daemon's metrics)."""

    pages: dict[str, Threads] = field(default_factory=dict)

    def __call__(self, page: str) -> Threads:
        t = self.pages.get(page)
        if t is None:
            t = self.pages[page] = Threads()
        return t


INBOX_MAX = 20_000  # private threads remembered per page (the least recent go first)


@dataclass(slots=True)
class Inbox:
    """One page's private threads: thread id -> (a customer's message waits for the page, its time in epoch seconds),
    the most recent last. Remembered for ``MEMORY`` of event time, at most ``INBOX_MAX`` threads."""

    last: dict[str, tuple[bool, float]] = field(default_factory=dict)

    def waiting(self, thread_id: str, t: datetime) -> bool:
        """At ``t``, the thread's last message the page has seen, within ``MEMORY``, is the customer's (the page's
        next one answers it)."""
        known = self.last.get(thread_id)
        return known is not None and known[0] and known[1] >= t.timestamp() - MEMORY.total_seconds()

    def learn(self, thread_id: str, from_customer: bool, t: datetime) -> None:
        ts = t.timestamp()
        self.last.pop(thread_id, None)
        self.last[thread_id] = (from_customer, ts)
        horizon, last = ts - MEMORY.total_seconds(), self.last
        while last:
            first = next(iter(last))
            if len(last) <= INBOX_MAX and last[first][1] >= horizon:
                break
            del last[first]

    def to_json(self) -> list[list[Any]]:
        return [[k, w, ts] for k, (w, ts) in self.last.items()]

    @classmethod
    def from_json(cls, data: Any) -> Inbox:
        out = cls()
        for row in data if isinstance(data, list) else ():
            k, w, ts = row
            out.last[str(k)] = (bool(w), float(ts))
        return out
