"""Graph API objects (decoded JSON) to ``Event`` values; pure functions, no I/O.

Ids are stable so that the poller and the webhook receiver, seeing the same
occurrence, make the same id (``docs/events.md``): ``fb:post:<id>``,
``fb:comment:<id>``, ``fb:message:<id>``; an edit is named by a digest of the
new text, a page setting change by the field and a digest of the new value,
a role change by the user and that user's change sequence number, and a
reaction the poller counted by its post, type and number
(``fb:reaction:<post>:polled:angry:41``; a webhook's reaction names its reactor
instead, which is why the two sources do not both report reactions).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sentinel.model import Actor, ActorType, Event, EventKind

PLATFORM = "facebook"
SETTING_FIELDS = ("name", "username", "website", "about", "picture", "category", "phone", "email")
TASKS = ("MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE")
_URL = re.compile(r"https?://[^\s<>\"']+")
_STATUS_TYPES = {
    "added_photos": "photo",
    "added_video": "video",
    "shared_story": "share",
    "mobile_status_update": "status",
    "wall_post": "status",
    "created_note": "status",
    "photo": "photo",
    "video": "video",
    "share": "share",
    "status": "status",
    "post": "status",
    "link": "link",
}


def digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def graph_time(value: Any, default: datetime | None = None) -> datetime:
    """``2021-07-04T19:50:58+0000`` (REST) or epoch seconds (webhooks) as an aware UTC time. A time that is not
    one, or one no datetime can hold in UTC (``0001-01-01T00:00:00+0100``), is ``default`` (a ``ValueError``
    without one)."""
    if isinstance(value, bool):
        value = None
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC)
        if isinstance(value, str) and value.strip().isdigit():
            return datetime.fromtimestamp(int(value.strip()), UTC)
    except (OverflowError, OSError, ValueError):
        value = None
    if isinstance(value, str) and value:
        text = value.strip()
        if len(text) >= 5 and text[-5] in "+-" and text[-4:].isdigit():
            text = f"{text[:-2]}:{text[-2:]}"
        try:
            t = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if t.tzinfo is not None:
                return t.astimezone(UTC)
        except (ValueError, OverflowError):
            pass
    if default is None:
        raise ValueError(f"not a Graph API time: {value!r}")
    return default


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else (str(v) if isinstance(v, int) and not isinstance(v, bool) else None)


def actor_of(frm: Any, page_id: str) -> Actor | None:
    if not isinstance(frm, Mapping):
        return None
    aid = _str(frm.get("id"))
    kind = ActorType.PAGE if aid == page_id else ActorType.PERSON if aid else ActorType.UNKNOWN
    return Actor(id=aid, name=_str(frm.get("name")), type=kind)


def links_in(message: str | None, extra: list[str] | None = None) -> list[str]:
    found = _URL.findall(message or "")
    for u in extra or []:
        if u not in found:
            found.append(u)
    return found


def _attachment_urls(post: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    att = post.get("attachments")
    data = att.get("data") if isinstance(att, Mapping) else None
    for a in data if isinstance(data, list) else []:
        if isinstance(a, Mapping):
            u = _str(a.get("unshimmed_url")) or _str(a.get("url"))
            if u and a.get("type") in ("share", "link"):
                out.append(u)
    return out


def _name(obj: Any) -> str | None:
    return _str(obj.get("name")) if isinstance(obj, Mapping) else None


def post_created(page: str, page_id: str, post: Mapping[str, Any], at: datetime | None = None) -> Event:
    post_id = str(post["id"])
    message = _str(post.get("message"))
    admin = post.get("admin_creator")
    return Event(
        id=f"fb:post:{post_id}",
        time=graph_time(post.get("created_time"), at),
        platform=PLATFORM,
        page=page,
        kind=EventKind.POST_CREATED,
        actor=actor_of(post.get("from"), page_id),
        object={
            "post_id": post_id,
            "message": message,
            "app": _name(post.get("application")),
            "links": links_in(message, _attachment_urls(post)),
            "type": _STATUS_TYPES.get(_str(post.get("status_type")) or "", "status"),
            "admin": (
                {"id": _str(admin.get("id")), "name": _str(admin.get("name"))} if isinstance(admin, Mapping) else None
            ),
        },
    )


def post_edited(
    page: str, page_id: str, post_id: str, message: str | None, app: str | None, when: datetime, frm: Any = None
) -> Event:
    return Event(
        id=f"fb:post:{post_id}:edit:{digest(message)}",
        time=when,
        platform=PLATFORM,
        page=page,
        kind=EventKind.POST_EDITED,
        actor=actor_of(frm, page_id),
        object={"post_id": post_id, "message": message, "app": app},
    )


def post_deleted(page: str, post_id: str, when: datetime) -> Event:
    return Event(
        id=f"fb:post:{post_id}:deleted",
        time=when,
        platform=PLATFORM,
        page=page,
        kind=EventKind.POST_DELETED,
        actor=None,
        object={"post_id": post_id},
    )


def comment_created(page: str, page_id: str, post_id: str, c: Mapping[str, Any], at: datetime | None = None) -> Event:
    cid = str(c["id"])
    parent = c.get("parent")
    parent_id = _str(parent.get("id")) if isinstance(parent, Mapping) else None
    message = _str(c.get("message"))
    return Event(
        id=f"fb:comment:{cid}",
        time=graph_time(c.get("created_time"), at),
        platform=PLATFORM,
        page=page,
        kind=EventKind.COMMENT_CREATED,
        actor=actor_of(c.get("from"), page_id),
        object={
            "comment_id": cid,
            "post_id": post_id,
            "parent_id": parent_id,
            "message": message,
            "links": links_in(message),
        },
    )


REACTION_TYPES = ("LIKE", "LOVE", "CARE", "HAHA", "WOW", "SAD", "ANGRY")  # what a post's reactions edge counts


def reaction_counts(post: Mapping[str, Any]) -> dict[str, int]:
    """A post's reactions per type (``angry`` -> n) from the aliased summaries a feed read asks for
    (``reactions_angry``: ``reactions.type(ANGRY).limit(0).summary(total_count)``); a type not in the answer is
    left out."""
    out: dict[str, int] = {}
    for kind in REACTION_TYPES:
        block = post.get(f"reactions_{kind.lower()}")
        summary = block.get("summary") if isinstance(block, Mapping) else None
        n = summary.get("total_count") if isinstance(summary, Mapping) else None
        if isinstance(n, int) and not isinstance(n, bool) and n >= 0:
            out[kind.lower()] = n
    return out


def polled_reactions(
    page: str, post_id: str, reaction: str, first: int, last: int, since: float, now: float
) -> list[Event]:
    """The ``first``-th to ``last``-th reaction of one type on a post, counted by the poller between ``since`` and
    ``now`` (epoch seconds). The count says neither who nor when: the actor is unknown and the times are spread
    evenly over the span they came in, so that reactions counted after a long gap (an outage, a restart) read as
    the rate they came at, not as a burst. Ids count the type's reactions (the highest count seen is the
    poller's cursor), so a re-read makes the same ids and a reaction taken back and given again is not counted
    twice."""
    n = last - first + 1
    span = max(0.0, now - since)
    return [
        Event(
            id=f"fb:reaction:{post_id}:polled:{reaction}:{first + i}",
            time=datetime.fromtimestamp(now - span * (n - 1 - i) / n, UTC),
            platform=PLATFORM,
            page=page,
            kind=EventKind.REACTION_CREATED,
            actor=None,
            object={"target_id": post_id, "reaction": reaction},
        )
        for i in range(n)
    ]


def comment_gone(
    page: str, kind: str, comment_id: str, post_id: str | None, when: datetime, frm: Any, page_id: str
) -> Event:
    verb = "hidden" if kind == EventKind.COMMENT_HIDDEN else "deleted"
    return Event(
        id=f"fb:comment:{comment_id}:{verb}",
        time=when,
        platform=PLATFORM,
        page=page,
        kind=kind,
        actor=actor_of(frm, page_id),
        object={"comment_id": comment_id, "post_id": post_id},
    )


def conversation_party(conv: Mapping[str, Any], page_id: str) -> str | None:
    """The person a conversation is with (their page-scoped id), from its messages' ``from`` and ``to``: the
    name the webhook gives the same conversation (its sender or recipient), so the two sources agree on
    ``thread_id``. None when the answer names no one but the page."""
    msgs = conv.get("messages")
    rows = msgs.get("data") if isinstance(msgs, Mapping) else None
    for m in rows if isinstance(rows, list) else []:
        if not isinstance(m, Mapping):
            continue
        parties = [m.get("from")]
        to = m.get("to")
        if isinstance(to, Mapping) and isinstance(to.get("data"), list):
            parties += to["data"]
        for p in parties:
            pid = _str(p.get("id")) if isinstance(p, Mapping) else None
            if pid and pid != page_id:
                return pid
    return None


def message_event(page: str, page_id: str, thread_id: str, m: Mapping[str, Any], at: datetime | None = None) -> Event:
    actor = actor_of(m.get("from"), page_id)
    sent = actor is not None and actor.type == ActorType.PAGE
    return Event(
        id=f"fb:message:{m['id']}",
        time=graph_time(m.get("created_time"), at),
        platform=PLATFORM,
        page=page,
        kind=EventKind.MESSAGE_SENT if sent else EventKind.MESSAGE_RECEIVED,
        actor=actor,
        object={"thread_id": thread_id, "message": _str(m.get("message"))},
    )


# -- page settings -----------------------------------------------------------


def settings_snapshot(node: Mapping[str, Any]) -> dict[str, str | None]:
    """The comparable value of each setting in a page node answer."""
    out: dict[str, str | None] = {}
    for f in SETTING_FIELDS:
        if f == "email":
            emails = node.get("emails")
            out[f] = ",".join(sorted(str(e) for e in emails)) if isinstance(emails, list) else None
        elif f == "picture":
            pic = node.get("picture")
            data = pic.get("data") if isinstance(pic, Mapping) else None
            url = _str(data.get("url")) if isinstance(data, Mapping) else _str(pic)
            out[f] = urlunsplit(urlsplit(url)._replace(query="", fragment="")) if url else None
        else:
            out[f] = _str(node.get(f))
    return out


def page_changed(page: str, page_id: str, field: str, old: Any, new: Any, when: datetime) -> Event:
    return Event(
        id=f"fb:page:{page_id}:{field}:{digest(new)}",
        time=when,
        platform=PLATFORM,
        page=page,
        kind=EventKind.PAGE_CHANGED,
        actor=None,
        object={"field": field, "old": old, "new": new},
    )


def diff_settings(
    page: str, page_id: str, old: Mapping[str, Any] | None, new: Mapping[str, Any], when: datetime
) -> list[Event]:
    if old is None:  # first sight: the baseline, nothing changed yet
        return []
    return [
        page_changed(page, page_id, f, old.get(f), new.get(f), when)
        for f in SETTING_FIELDS
        if f in new and old.get(f) != new.get(f)
    ]


# -- roles -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Access:
    id: str
    name: str | None
    tasks: tuple[str, ...]


# the lists of who can act for the page in a tripwire answer, and the key prefix of each list's members
ACCESS_EDGES = {"roles": "user", "assigned_users": "user", "agencies": "agency"}


def access_list(node: Mapping[str, Any]) -> dict[str, Access]:
    """People with a role, business users and agencies, keyed ``user:<id>``/``agency:<id>``."""
    out: dict[str, Access] = {}
    for edge, prefix in ACCESS_EDGES.items():
        block = node.get(edge)
        data = block.get("data") if isinstance(block, Mapping) else None
        for item in data if isinstance(data, list) else []:
            if not isinstance(item, Mapping) or _str(item.get("id")) is None:
                continue
            tasks = item.get("tasks") or item.get("permitted_tasks") or []
            key = f"{prefix}:{item['id']}"
            prev = out.get(key)
            merged = set(prev.tasks if prev else ()) | {str(t) for t in tasks if isinstance(t, str)}
            out[key] = Access(
                str(item["id"]), _str(item.get("name")) or (prev.name if prev else None), tuple(sorted(merged))
            )
    return out


def roles_read(node: Mapping[str, Any]) -> bool:
    """Whether the answer holds the page's ``roles`` as a list (an answer that leaves them out, or carries something
    else there, says nothing of who holds a role)."""
    block = node.get("roles")
    return isinstance(block, Mapping) and isinstance(block.get("data"), list)


def has_manager(access: Mapping[str, Access]) -> bool:
    return any("MANAGE" in a.tasks for a in access.values())


def diff_roles(
    page: str,
    page_id: str,
    old: Mapping[str, Access] | None,
    new: Mapping[str, Access],
    seq: dict[str, int],
    when: datetime,
) -> list[Event]:
    """Role events between two access lists; ``seq`` (per user change count) is updated in place."""
    if old is None:
        return []
    events: list[Event] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and a.tasks == b.tasks:
            continue
        n = seq.get(key, 0) + 1
        seq[key] = n
        who = b or a
        assert who is not None
        user = {"id": who.id, "name": who.name}
        if a is None and b is not None:
            kind, obj = EventKind.ROLE_GRANTED, {"user": user, "tasks": list(b.tasks)}
        elif b is None and a is not None:
            kind, obj = EventKind.ROLE_REVOKED, {"user": user, "previous_tasks": list(a.tasks)}
        else:
            assert a is not None and b is not None
            kind, obj = EventKind.ROLE_CHANGED, {"user": user, "tasks": list(b.tasks), "previous_tasks": list(a.tasks)}
        events.append(
            Event(
                id=f"fb:role:{page_id}:{key}:{n}",
                time=when,
                platform=PLATFORM,
                page=page,
                kind=kind,
                actor=None,
                object=obj,
            )
        )
    return events


# -- source health -----------------------------------------------------------


def source_error(page: str, page_id: str, code: int, message: str, retry_after: float | None, since: datetime) -> Event:
    return Event(
        id=f"fb:source:{page_id}:error:{code}:{int(since.timestamp())}",
        time=since,
        platform=PLATFORM,
        page=page,
        kind=EventKind.SOURCE_ERROR,
        actor=None,
        object={"code": code, "message": message, "retry_after": None if retry_after is None else round(retry_after)},
    )


def source_recovered(page: str, page_id: str, since: datetime, when: datetime) -> Event:
    return Event(
        id=f"fb:source:{page_id}:recovered:{int(since.timestamp())}",
        time=when,
        platform=PLATFORM,
        page=page,
        kind=EventKind.SOURCE_RECOVERED,
        actor=None,
        object={},
    )
