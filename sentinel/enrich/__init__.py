"""Enrichment: what every rule may ask about an event, computed lazily and once per event.

``Enriched(event, page, knowledge)`` wraps an ``Event``. Each feature is a
cached property, so a language nobody asks for is never detected, and one
asked for by ten rules is detected once. ``cel_context(names)`` hands CEL
exactly the variables an expression uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Generic, TypeVar, overload

import cel

from sentinel.config.schema import PageConfig
from sentinel.enrich.asks import asks_reply
from sentinel.enrich.knowledge import PageKnowledge
from sentinel.enrich.sentiment import score_on_page
from sentinel.enrich.text import domains, is_question, language, urls_in
from sentinel.model import Event

__all__ = ["KIND_FIELDS", "VARIABLES", "Enriched", "PageKnowledge"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The object fields each kind has (spec/events.md): absent ones are given as null,
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
    "object": "the kind's fields; every field of spec/events.md that the event lacks is null",
    "by_page": "the page itself speaks (actor.type == 'page')",
    "text": "the message text ('' when none)",
    "lang": "language of text (ISO 639-1) or '' when too short to tell",
    "page_lang": "the page's usual language from config, or ''",
    "foreign_lang": "lang is known and differs from the page's language (and the page's posts so far)",
    "question": "text contains a question mark",
    "asks_reply": "text asks the page for an answer: a question with or without '?', or a request for help or"
    " action (Swedish, English)",
    "links": "URLs of the event (object.links plus URLs in text)",
    "domains": "registered domains of links",
    "new_domains": "domains never linked by the page's own posts before",
    "app": "publishing app ('' when none)",
    "app_known": "the app was used by the page before (true when no app)",
    "admin_id": "the admin who wrote a page post, or the user of a role change ('' when none)",
    "admin_known": "admin_id was seen as an admin of this page before",
    "actor_known": "the actor was seen administering this page before (posts, roles, settings)",
    "tasks": "role tasks granted (list)",
    "manage_granted": "this role event newly gives MANAGE",
    "staffed": "the event happened in the page's staffed hours",
    "hour": "local hour (0-23) in the page's time zone",
    "weekday": "local weekday: mon..sun",
    "learning": "the page is still in its learning period (history too short to judge 'new')",
    "sentiment": "sentiment of text in [-1, 1]",
}


T = TypeVar("T")


class _cached(Generic[T]):
    """``functools.cached_property`` without its per-access lock (Python 3.11 takes one): computed once, then
    read straight from the instance ``__dict__`` (a non-data descriptor), a few hundred ns per feature."""

    def __init__(self, fn: Callable[[Any], T]) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _cached[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> T | _cached[T]:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


class Enriched:
    """An event plus everything rules may ask about it; each feature computed at most once."""

    __slots__ = (
        "__dict__",
        "_ctx",
        "_ctx_names",
        "at_now",
        "by_page",
        "event",
        "knowledge",
        "now",
        "now_ts",
        "page",
        "time",
    )
    _ctx_names: set[str]  # set with ``_ctx``
    time: datetime  # the event's
    now_ts: float  # "now" (else the event's time) in epoch seconds

    def __init__(
        self,
        event: Event,
        page: PageConfig,
        knowledge: PageKnowledge,
        now: datetime | None = None,
        now_ts: float | None = None,
    ) -> None:
        """``now``: the engine's "now" for this event (``None``: the event's time); ``now_ts``: the same in epoch
        seconds, if the caller has it."""
        self.event = event
        self.page = page
        self.knowledge = knowledge
        self.now = now
        # in epoch seconds, for the rules that ask (the engine has it: converting costs ~0.3 µs)
        self.now_ts: float = (now or event.time).timestamp() if now_ts is None else now_ts
        self._ctx: Any = None  # the CEL context, made on first use with the names in ``_ctx_names``
        # True when the page itself speaks: ``Event.by_page`` without the enum lookup. Worked out here, not on
        # first use: nearly every event is asked (the SLA and crisis rules' conditions), and this is cheaper than
        # the first ask of a cached feature.
        actor = event.actor
        self.by_page: bool = actor is not None and actor.type == "page"
        # The event happened at "now" (the same instant): then "now" in epoch seconds is the event's too. An event
        # at the latest time so far is "now" itself, or one written alike (same fixed offset, equal), or neither.
        t = self.time = event.time  # (a slot, not a property: detectors read it for nearly every event)
        self.at_now: bool = t is now or (
            now is not None and t.tzinfo is now.tzinfo and type(t.tzinfo) is timezone and t == now
        )

    # -- plain fields ---------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.event.kind

    @_cached
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

    @_cached
    def actor(self) -> dict[str, Any] | None:
        return self.event.actor.to_json() if self.event.actor else None

    @_cached
    def text(self) -> str:
        m = self.event.object.get("message")
        return m if isinstance(m, str) else ""

    # -- features -------------------------------------------------------------
    @_cached
    def lang(self) -> str:
        return language(self.text) if self.text else ""

    @_cached
    def page_lang(self) -> str:
        return self.page.language or self.knowledge.usual_language() or ""

    @_cached
    def foreign_lang(self) -> bool:
        return (
            bool(self.lang)
            and bool(self.page_lang)
            and self.lang != self.page_lang
            and (not self.knowledge.knows_language(self.lang))
        )

    @_cached
    def question(self) -> bool:
        return is_question(self.text)

    @_cached
    def asks_reply(self) -> bool:
        return asks_reply(self.text) if self.text else False

    @_cached
    def links(self) -> list[str]:
        raw = self.event.object.get("links")
        out = [u for u in raw if isinstance(u, str)] if isinstance(raw, list) else []
        for u in urls_in(self.text):
            if u not in out:
                out.append(u)
        return out

    @_cached
    def domains(self) -> list[str]:
        return domains(self.links)

    @_cached
    def new_domains(self) -> list[str]:
        return [d for d in self.domains if not self.knowledge.knows_domain(d)]

    @_cached
    def app(self) -> str:
        a = self.event.object.get("app")
        return a if isinstance(a, str) else ""

    @_cached
    def app_known(self) -> bool:
        return not self.app or self.knowledge.knows_app(self.app)

    @_cached
    def admin_id(self) -> str:
        for key in ("admin", "user"):
            v = self.event.object.get(key)
            if isinstance(v, Mapping) and v.get("id") is not None:
                return str(v["id"])
        return ""

    @_cached
    def admin_known(self) -> bool:
        return not self.admin_id or self.knowledge.knows_admin(self.admin_id)

    @_cached
    def actor_known(self) -> bool:
        a = self.event.actor
        if a is None or a.id is None or self.by_page:
            return True
        return self.knowledge.knows_admin(a.id)

    @_cached
    def tasks(self) -> list[str]:
        t = self.event.object.get("tasks")
        return [str(x) for x in t] if isinstance(t, list) else []

    @_cached
    def manage_granted(self) -> bool:
        prev = self.event.object.get("previous_tasks")
        had = isinstance(prev, list) and "MANAGE" in prev
        return self.kind in ("role.granted", "role.changed") and "MANAGE" in self.tasks and not had

    @_cached
    def local_time(self) -> datetime:
        return self.event.time.astimezone(self.page.staffed.tz)

    @_cached
    def local_offset(self) -> timedelta | None:
        """The page's UTC offset at the event (``local_time``'s). For an event at "now" (the common case), from
        the epoch seconds the engine has already (``StaffedHours.offset_at``): ~1 µs less than converting it."""
        if self.at_now:
            return self.page.staffed.offset_at(self.now_ts)
        return self.local_time.utcoffset()

    @_cached
    def staffed(self) -> bool:
        return self.page.staffed.is_staffed(self.event.time)

    @property
    def hour(self) -> int:
        return self.local_time.hour

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.local_time.weekday()]

    @_cached
    def learning(self) -> bool:
        return self.knowledge.learning(self.event.time)

    @_cached
    def sentiment(self) -> float:
        if not self.text:
            return 0.0
        # The page's language first: detecting each comment's language costs ~0.5 ms, scoring ~10 µs.
        # A comment in another language (English on a Swedish page) scores 0 there: then try both lexicons.
        lang = self.page.language or self.knowledge.usual_language() or self.lang or None
        return score_on_page(self.text, lang)

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
            self._ctx_names = set(names)
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
