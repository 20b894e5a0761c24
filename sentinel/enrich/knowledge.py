"""What the engine has learned about a page: its admins, apps, link domains and languages, and its comment threads.

Updated after the rules have seen an event (so the event that introduces a
new admin is judged against what was known before it). Persisted through
``to_json``/``from_json`` in the engine snapshot; rebuilt by replaying history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sentinel.config.types import LANGUAGE_ALIASES
from sentinel.enrich.threads import Inbox, Threads
from sentinel.events.codec import parse_time

if TYPE_CHECKING:
    from sentinel.enrich import Enriched

DEFAULT_LEARNING = timedelta(days=14)
MAX_VALUES = 5000  # per set: a page with more distinct values than this stops learning new ones


@dataclass(slots=True)
class PageKnowledge:
    learning_period: timedelta = DEFAULT_LEARNING
    first_seen: datetime | None = None
    admins: set[str] = field(default_factory=set)
    apps: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    languages: Counter[str] = field(default_factory=Counter)
    threads: Threads = field(default_factory=Threads)  # which top comment each recent reply belongs to
    inbox: Inbox = field(default_factory=Inbox)  # whether a customer waits in each recent private thread

    def learning(self, t: datetime) -> bool:
        return self.first_seen is None or t - self.first_seen < self.learning_period

    def knows_admin(self, admin_id: str) -> bool:
        return admin_id in self.admins

    def knows_app(self, app: str) -> bool:
        return app in self.apps

    def knows_domain(self, domain: str) -> bool:
        return domain in self.domains

    def knows_language(self, lang: str) -> bool:
        """A language the page itself wrote in at least 3 times."""
        return self.languages.get(lang, 0) >= 3

    def usual_language(self) -> str | None:
        return self.languages.most_common(1)[0][0] if self.languages else None

    def learn(self, e: Enriched) -> None:
        """Take what ``e`` tells about the page: its time (``first_seen``), and what a page post or a role or
        settings change says of its admins (who posted or changed something, not who was granted a role), apps,
        link domains and languages; a comment's thread; whether a
        customer waits in a private thread."""
        ev = e.event
        if self.first_seen is None or ev.time < self.first_seen:
            self.first_seen = ev.time
        kind = ev.kind
        if kind == "comment.created":
            obj = ev.object
            self.threads.learn(_s(obj.get("comment_id")), _s(obj.get("parent_id")), ev.time)
        elif kind in ("message.received", "message.sent"):
            tid = _s(ev.object.get("thread_id"))
            if tid:
                self.inbox.learn(tid, kind == "message.received" and not e.by_page, ev.time)
        elif kind == "post.created" and e.by_page:
            if e.admin_id:
                _add(self.admins, e.admin_id)
            if e.app:
                _add(self.apps, e.app)
            for d in e.domains:
                _add(self.domains, d)
            if e.lang:
                self.languages[e.lang] += 1
        elif kind.startswith("role.") or kind == "page.changed":
            # who changes roles or settings administers the page; who is granted a role is not known by it: the
            # "Promo Team" given a role at 22:48 and posting scams at 23:13 has done nothing on the page yet
            if ev.actor is not None and ev.actor.id is not None and ev.actor.type != "page":
                _add(self.admins, ev.actor.id)
            if e.admin_id and ev.object.get("previous_tasks"):  # a role changed or taken: they held one before
                _add(self.admins, e.admin_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "admins": sorted(self.admins),
            "apps": sorted(self.apps),
            "domains": sorted(self.domains),
            "languages": dict(self.languages),
            "threads": self.threads.to_json(),
            "inbox": self.inbox.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], learning_period: timedelta = DEFAULT_LEARNING) -> PageKnowledge:
        fs = data.get("first_seen")
        languages: Counter[str] = Counter()
        for lang, n in data.get("languages", {}).items():  # saved before Bokmål and Nynorsk were both "no"
            languages[LANGUAGE_ALIASES.get(lang, lang)] += int(n)
        return cls(
            learning_period=learning_period,
            first_seen=parse_time(fs) if fs else None,
            admins=set(data.get("admins", ())),
            apps=set(data.get("apps", ())),
            domains=set(data.get("domains", ())),
            languages=languages,
            threads=Threads.from_json(data.get("threads")),  # (none in a snapshot from before threads)
            inbox=Inbox.from_json(data.get("inbox")),  # (none in a snapshot from before the inbox)
        )


def _s(v: object) -> str | None:
    return str(v) if v not in (None, "") else None


def _add(s: set[str], v: str) -> None:
    if len(s) < MAX_VALUES:
        s.add(v)
