"""The values that flow through the pipeline: events in, alerts out.

Everything here is frozen (dataclasses; ``Actor`` and ``Event`` are msgspec
structs, so that a JSON line decodes straight into them, in C) or a StrEnum
whose values are what a user sees in YAML, logs, replay output and the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import msgspec


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


#: the languages Sentinel writes messages in (``Recipient.language``, ``pages[].language``); English is the fallback
LANGUAGES = ("en", "sv")


class Category(StrEnum):
    HIJACK = "hijack"
    CRISIS = "crisis"
    SLA = "sla"
    HEALTH = "health"
    OTHER = "other"


class ActorType(StrEnum):
    PAGE = "page"
    PERSON = "person"
    APP = "app"
    UNKNOWN = "unknown"


class EventKind(StrEnum):
    """The kinds of ``docs/events.md``. An event's ``kind`` is a plain str:
    unknown kinds are kept and can be matched by rules."""

    POST_CREATED = "post.created"
    POST_EDITED = "post.edited"
    POST_DELETED = "post.deleted"
    COMMENT_CREATED = "comment.created"
    COMMENT_DELETED = "comment.deleted"
    COMMENT_HIDDEN = "comment.hidden"
    REACTION_CREATED = "reaction.created"
    MESSAGE_RECEIVED = "message.received"
    MESSAGE_SENT = "message.sent"
    ROLE_GRANTED = "role.granted"
    ROLE_CHANGED = "role.changed"
    ROLE_REVOKED = "role.revoked"
    PAGE_CHANGED = "page.changed"
    SOURCE_ERROR = "source.error"
    SOURCE_RECOVERED = "source.recovered"


NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]  # (decoding checks it; ``Event(...)`` does not)

#: what makes two events one occurrence: ``(platform, page, id)`` (``Event.identity``)
EventIdentity = tuple[str, str, str]


class Actor(msgspec.Struct, frozen=True, gc=False):
    """Who did it. Decoded from JSON: a missing ``name`` is null and a missing ``type`` is ``unknown``."""

    id: str | None
    name: str | None = None
    type: NonEmpty = "unknown"  # an ActorType value, or what the platform said

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type}


class Event(msgspec.Struct, frozen=True, gc=False):
    """One occurrence on a platform (``docs/events.md``).

    ``time`` is timezone-aware (the offset the source gave is kept);
    ``object`` holds the kind-specific fields and must be treated as read-only.
    ``sentinel.events.codec`` decodes a JSON line into one, checking the types
    and the non-empty strings these annotations ask for (``gc=False``: an event
    holds no reference back to itself, so the cyclic collector need not track
    the millions a replay makes).
    """

    id: NonEmpty
    time: Annotated[datetime, msgspec.Meta(tz=True)]
    platform: NonEmpty
    page: NonEmpty
    kind: NonEmpty
    actor: Actor | None = None
    object: Mapping[str, Any] = msgspec.field(default_factory=dict)

    @property
    def identity(self) -> EventIdentity:
        """The occurrence this event is: ``(platform, page, id)``. The same occurrence seen twice (webhook and poll,
        a retried delivery, a repeated line) comes from the same platform for the same page with the same id, and
        is stored, counted and evaluated once; the same id on another page or platform is another event. The one
        notion of a duplicate: the event log's unique key and replay's duplicate check are both this."""
        return (self.platform, self.page, self.id)

    @property
    def by_page(self) -> bool:
        """True when the page itself speaks (its own post, reply or message)."""
        return self.actor is not None and self.actor.type == ActorType.PAGE

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time.isoformat(),
            "platform": self.platform,
            "page": self.page,
            "kind": self.kind,
            "actor": self.actor.to_json() if self.actor else None,
            "object": dict(self.object),
        }


class AlertStatus(StrEnum):
    FIRING = "firing"
    RESOLVED = "resolved"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True, slots=True)
class AlertTransition:
    """An alert changed state: what replay prints and the incident stage takes in."""

    time: datetime
    status: AlertStatus
    rule: str
    category: Category
    severity: Severity
    page: str
    fingerprint: str
    summary: str
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    group_key: str = ""
    reason: str | None = None  # why it was suppressed
    summaries: Mapping[str, str] = field(default_factory=dict)  # the summary in each language of LANGUAGES


class NotificationKind(StrEnum):
    PAGE = "page"  # an incident needs someone's attention
    RESOLVED = "resolved"  # all clear, to everyone who was paged
    DIGEST = "digest"  # batched low-urgency items (SLA warnings)
    TAKEN_OVER = "taken_over"  # someone not on the route took the incident over: told to those already paged


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person as far as notification needs to know them (from the people config)."""

    name: str
    phone: str | None = None  # E.164
    email: str | None = None
    language: str = "en"  # "sv" or "en": the template language
    timezone: str = "UTC"


@dataclass(frozen=True, slots=True)
class NotificationIntent:
    """The escalation stage decided that ``recipient`` is told about ``incident`` via ``channel``.

    ``to`` is the label replay prints (``"security-oncall:erik"``); the idempotency
    key of a delivery is (incident, step, recipient.name, channel, kind).
    """

    time: datetime
    incident: str
    step: int
    channel: str
    to: str
    recipient: Recipient
    kind: NotificationKind
    category: Category
    severity: Severity
    page: str
    page_name: str
    summary: str
    evidence: tuple[str, ...] = ()
    ack_url: str | None = None  # a signed, expiring link to the acknowledgement page (needs a TOTP code)
    sms_replies: bool = True  # an SMS reply acknowledges (``security.sms_inbound`` names a provider): say so
    # the summary and the evidence lines in each language of LANGUAGES that has them (``summary`` and
    # ``evidence`` are in the page's language): each recipient is told in their own (``notify.templates``)
    summaries: Mapping[str, str] = field(default_factory=dict)
    evidence_texts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def idempotency_key(self) -> str:
        return f"{self.incident}:{self.step}:{self.recipient.name}:{self.channel}:{self.kind}"
