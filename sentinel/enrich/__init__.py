"""Enrichment: what every rule may ask about an event, computed lazily and once per event.

``Enriched(event, page, knowledge)`` wraps an ``Event``. Each feature is a
cached property, so a language nobody asks for is never detected, and one
asked for by ten rules is detected once. ``cel_context(names)`` hands CEL
exactly the variables an expression uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import cel

from sentinel.config.schema import PageConfig
from sentinel.enrich.asks import asks_reply, page_names
from sentinel.enrich.knowledge import PageKnowledge
from sentinel.enrich.sentiment import reaction_score, score_on_page
from sentinel.enrich.text import domains, is_question, language, reading, urls_in
from sentinel.model import Event

__all__ = ["KIND_FIELDS", "VARIABLES", "Enriched", "PageKnowledge"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The object fields each kind has (docs/events.md): absent ones are given as null,
# so that ``object.parent_id == null`` works on every comment.
KIND_FIELDS: Mapping[str, tuple[str, ...]] = {
    "post.created": ("post_id", "message", "app", "links", "type", "admin"),
    "post.edited": ("post_id", "message", "app"),
    "post.deleted": ("post_id",),
    "comment.created": ("comment_id", "post_id", "parent_id", "message", "links"),
    "comment.deleted": ("comment_id", "post_id"),
    "comment.hidden": ("comment_id", "post_id"),
    "reaction.created": ("target_id", "reaction"),
    "message.received": ("thread_id", "message"),
    "message.sent": ("thread_id", "message", "comment_id"),
    "role.granted": ("user", "tasks"),
    "role.changed": ("user", "tasks", "previous_tasks"),
    "role.revoked": ("user", "previous_tasks"),
    "page.changed": ("field", "old", "new"),
    "source.error": ("code", "message", "retry_after"),
    "source.recovered": (),
}

_ALL_NULL: Mapping[str, None] = {f: None for fields in KIND_FIELDS.values() for f in fields}

# name -> what it means (docs/rules.md lists these)
VARIABLES: Mapping[str, str] = {
    "id": "the event id",
    "kind": "the event kind, e.g. 'post.created'",
    "page": "the page key",
    "platform": "the platform, e.g. 'facebook'",
    "time": "the event time, RFC 3339 text",
    "actor": "map {id, name, type} or null",
    "object": "the kind's fields; every field of docs/events.md that the event lacks is null",
    "by_page": "the page itself speaks (actor.type == 'page')",
    "text": "the message text ('' when none)",
    "lang": "language of text (ISO 639-1) or '' when too short to tell",
    "page_lang": "the page's usual language from config, or ''",
    "foreign_lang": (
        "lang is known and differs from the page's language (and the page's posts so far); Danish and Norwegian "
        "count as one"
    ),
    "question": "text contains a question mark",
    "asks_reply": "text asks the page for an answer: a question with or without '?', or a request for help or"
    " action (Swedish, English, Danish, Norwegian); a sentence that opens with a handle asks only when it names the"
    " page",
    "thread": "the conversation the event is in: a comment's top comment (however deep the reply; a hidden or"
    " deleted comment's too), a private message's thread_id; '' for other kinds",
    "post": "the post the event is about or under: object.post_id as text; '' when it has none",
    "unprompted": "a private message the page sends into a thread where no customer's message waits for it (the"
    " thread's last message the page has seen, within 7 days, was its own, or there is none); false for a private reply"
    " to a comment and for every other kind",
    "links": "URLs of the event (object.links plus URLs in text)",
    "domains": "registered domains of links",
    "new_domains": "domains never linked by the page's own posts before",
    "app": "publishing app ('' when none)",
    "app_known": "the app was used by the page before (true when no app)",
    "admin_id": "the admin who wrote a page post, or the user of a role change ('' when none)",
    "admin_known": (
        "admin_id was seen administering this page before (posting, changing roles or settings, or holding a role "
        "that changed); being granted one is not enough"
    ),
    "actor_known": "the actor was seen administering this page before (posts, roles, settings)",
    "tasks": "role tasks granted (list)",
    "manage_granted": "this role event newly gives MANAGE",
    "staffed": "the event happened in the page's staffed hours",
    "hour": "local hour (0-23) in the page's time zone",
    "weekday": "local weekday: mon..sun",
    "learning": "the page is still in its learning period (history too short to judge 'new')",
    "sentiment": "sentiment of text in [-1, 1] (of a reaction: angry and sad negative, like, care and love positive)",
}


# Languages a short text's language is easily mistaken between, counted as one for ``foreign_lang``: written Danish
# and Norwegian Bokmål share most of their words (a second red team's Norwegian page post was read as Danish and
# warned as a post in a foreign language).
_KIN_OF: Mapping[str, tuple[str, ...]] = {"da": ("da", "no", "nb", "nn")}


def _kin(lang: str) -> str:
    return "da" if lang in _KIN_OF["da"] else lang


class Enriched:
    """An event plus everything rules may ask about it; each feature computed at most once (on first use)."""

    def __init__(self, event: Event, page: PageConfig, knowledge: PageKnowledge) -> None:
        self.event = event
        self.page = page
        self.knowledge = knowledge
        self.time: datetime = event.time
        # the page itself speaks: nearly every event is asked (the SLA and crisis rules' conditions)
        self.by_page: bool = event.actor is not None and event.actor.type == "page"
        self._ctx: Any = None  # the CEL context, made on first use (``cel_context``)
        self._ctx_names: set[str] = set()

    # -- plain fields ---------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.event.kind

    @cached_property
    def object(self) -> dict[str, Any]:
        obj = dict(_ALL_NULL)
        obj.update(self.event.object)
        return obj

    def field(self, name: str) -> Any:
        """``object[name]`` as the ``object`` feature has it (a known field the event lacks is null), without
        that copy of the whole object; ``KeyError`` for a field neither has."""
        obj = self.event.object
        if name in obj:
            return obj[name]
        if name in _ALL_NULL:
            return None
        raise KeyError(name)

    @cached_property
    def actor(self) -> dict[str, Any] | None:
        return self.event.actor.to_json() if self.event.actor else None

    @cached_property
    def text(self) -> str:
        m = self.event.object.get("message")
        return m if isinstance(m, str) else ""

    @cached_property
    def words(self) -> str:
        """``text`` as its words are read: its start, in compatibility form (``sentinel.enrich.text.reading``)."""
        return reading(self.text)

    # -- features -------------------------------------------------------------
    @cached_property
    def lang(self) -> str:
        return language(self.words) if self.text else ""

    @cached_property
    def page_lang(self) -> str:
        return self.page.language or self.knowledge.usual_language() or ""

    @cached_property
    def foreign_lang(self) -> bool:
        if not self.lang or not self.page_lang or _kin(self.lang) == _kin(self.page_lang):
            return False
        return not any(self.knowledge.knows_language(k) for k in _KIN_OF.get(_kin(self.lang), (self.lang,)))

    @cached_property
    def question(self) -> bool:
        return is_question(self.text)

    @cached_property
    def asks_reply(self) -> bool:
        # ``asks_for_answer`` of the text, on what is already read of it (``words``: one ``reading`` an event)
        if not self.text:
            return False
        return asks_reply(self.words, page_names(self.page.id, self.page.name), self.kind == "message.received")

    @cached_property
    def post(self) -> str:
        """``object.post_id`` as text ('' when none): a key the SLA rules can build on, whatever its JSON type."""
        v = self.event.object.get("post_id")
        return str(v) if v not in (None, "") else ""

    @cached_property
    def thread(self) -> str:
        """The conversation the event is in (``sentinel.enrich.threads``): a comment's top comment, however deep
        the reply, as the page's knowledge remembers its thread; a private message's ``thread_id``."""
        obj, kind = self.event.object, self.kind
        if kind == "comment.created":
            cid, parent = obj.get("comment_id"), obj.get("parent_id")
            return self.knowledge.threads.thread_of(str(cid) if cid else None, str(parent) if parent else None) or ""
        if kind in ("comment.hidden", "comment.deleted"):
            cid = obj.get("comment_id")
            return self.knowledge.threads.top(str(cid)) if cid else ""
        if kind in ("message.received", "message.sent"):
            tid = obj.get("thread_id")
            return str(tid) if tid else ""
        return ""

    @cached_property
    def unprompted(self) -> bool:
        """The page writes into a private thread nobody waits in (``sentinel.enrich.threads.Inbox``)."""
        if self.kind != "message.sent" or not self.by_page or self.event.object.get("comment_id"):
            return False
        tid = self.event.object.get("thread_id")
        return not (tid and self.knowledge.inbox.waiting(str(tid), self.event.time))

    @cached_property
    def links(self) -> list[str]:
        raw = self.event.object.get("links")
        given = [u for u in raw if isinstance(u, str)] if isinstance(raw, list) else []
        return list(dict.fromkeys([*given, *urls_in(self.text)]))  # in order, once each (a set: a post of many)

    @cached_property
    def domains(self) -> list[str]:
        return domains(self.links)

    @cached_property
    def new_domains(self) -> list[str]:
        return [d for d in self.domains if not self.knowledge.knows_domain(d)]

    @cached_property
    def app(self) -> str:
        a = self.event.object.get("app")
        return a if isinstance(a, str) else ""

    @cached_property
    def app_known(self) -> bool:
        return not self.app or self.knowledge.knows_app(self.app)

    @cached_property
    def admin_id(self) -> str:
        for key in ("admin", "user"):
            v = self.event.object.get(key)
            if isinstance(v, Mapping) and v.get("id") is not None:
                return str(v["id"])
        return ""

    @cached_property
    def admin_known(self) -> bool:
        return not self.admin_id or self.knowledge.knows_admin(self.admin_id)

    @cached_property
    def actor_known(self) -> bool:
        a = self.event.actor
        if a is None or a.id is None or self.by_page:
            return True
        return self.knowledge.knows_admin(a.id)

    @cached_property
    def tasks(self) -> list[str]:
        t = self.event.object.get("tasks")
        return [str(x) for x in t] if isinstance(t, list) else []

    @cached_property
    def manage_granted(self) -> bool:
        prev = self.event.object.get("previous_tasks")
        had = isinstance(prev, list) and "MANAGE" in prev
        return self.kind in ("role.granted", "role.changed") and "MANAGE" in self.tasks and not had

    @cached_property
    def local_time(self) -> datetime:
        return self.event.time.astimezone(self.page.staffed.tz)

    @cached_property
    def local_offset(self) -> timedelta | None:
        """The page's UTC offset at the event."""
        return self.local_time.utcoffset()

    @cached_property
    def staffed(self) -> bool:
        return self.page.staffed.is_staffed(self.event.time)

    @property
    def hour(self) -> int:
        return self.local_time.hour

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.local_time.weekday()]

    @cached_property
    def learning(self) -> bool:
        return self.knowledge.learning(self.event.time)

    @cached_property
    def sentiment(self) -> float:
        if self.event.kind == "reaction.created":
            return reaction_score(self.event.object.get("reaction"))  # no language needed: angry is negative
        if not self.text:
            return 0.0
        # The page's language first (telling a comment's language costs about 0.04 ms, scoring about 10 µs). A
        # comment in another language scores 0 there: then Swedish and English, then its own (``score_on_page``).
        lang = self.page.language or self.knowledge.usual_language() or self.lang or None
        return score_on_page(self.words, lang)

    # -- for expressions ------------------------------------------------------
    def value(self, name: str) -> Any:
        if name in ("id", "page", "platform"):
            return getattr(self.event, name)
        if name == "time":
            return self.event.time.isoformat()
        return getattr(self, name)

    def cel_context(self, names: frozenset[str]) -> Any:
        """A CEL context holding at least ``names``; built once and extended as rules ask for more."""
        if self._ctx is None:
            self._ctx = cel.Context({n: self.value(n) for n in names})
            self._ctx_names.update(names)
        elif not names <= self._ctx_names:
            for n in names - self._ctx_names:
                self._ctx.add_variable(n, self.value(n))
                self._ctx_names.add(n)
        return self._ctx

    def to_template(self) -> dict[str, Any]:
        """What annotation templates may refer to as ``event.*``."""
        return {
            "id": self.event.id,
            "kind": self.kind,
            "time": self.local_time.strftime("%Y-%m-%d %H:%M"),
            "actor": self.actor or {},
            "object": self.object,
            "lang": self.lang if self.text else "",
            "domains": ", ".join(self.domains),
            "app": self.app,
        }
