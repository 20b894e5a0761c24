"""Meta webhook deliveries (decoded JSON) to ``Event`` values; pure, tolerant.

Ids are the ones the poller makes for the same occurrence, so the store keeps
one. A change this module does not understand is skipped and counted, never
an error: Meta adds fields and verbs without notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sentinel.model import Actor, ActorType, Event, EventKind
from sentinel.sources import graph_translate as tr

_POST_ITEMS = {"status", "photo", "video", "post", "share", "link", "note", "album", "event"}
_PROFILE_FIELDS = {
    "name": "name",
    "website": "website",
    "picture": "picture",
    "email": "email",
    "phone": "phone",
    "category": "category",
    "username": "username",
    "about": "about",
    "description": "about",
}


# what odd values raise deep in a translation: the change is skipped (OverflowError: a time or number at the
# ends of what datetime or int-to-str handle)
_ODD = (KeyError, ValueError, TypeError, OverflowError)
_EPOCH = tr.graph_time(0)


@dataclass(frozen=True, slots=True)
class Translation:
    events: list[Event]
    skipped: int
    untimed: int = 0  # entries whose ``time`` was missing or unreadable: placed at their arrival
    untimed_changes: int = 0  # changes whose own time was there but unreadable: placed at their entry's time


class _Placed(NamedTuple):
    event: Event
    untimed: bool = False  # its own time (``created_time``, ``timestamp``) was there but not a time


def _own_time(value: Any, when: datetime) -> tuple[datetime, bool]:
    """A change's own time; ``when`` (its entry's) when it has none, or has one that is not a time (``1e30``,
    ``"NaN"``, a year past 9999), then with True: such a change is counted and warned about, never placed silently."""
    if value is None:
        return when, False
    try:
        return tr.graph_time(value), False
    except _ODD:
        return when, True


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else (str(v) if isinstance(v, int) and not isinstance(v, bool) else None)


def _profile_value(field: str, value: Any, depth: int = 0) -> str | None:
    """Tolerant: a bare value, or ``{"value"|"new_value"|"url": ...}``."""
    if isinstance(value, Mapping):
        for k in ("new_value", "value", "url", field):
            if k in value and depth < 4:
                return _profile_value(field, value[k], depth + 1)
        return None
    if isinstance(value, list):
        return ",".join(sorted(str(v) for v in value))
    return _str(value)


def translate(body: Any, pages: Mapping[str, str], received: datetime | None = None) -> Translation:
    """Events in a delivery; ``pages`` maps a Graph page id to its config key (unknown ids keep the id). An entry
    whose ``time`` is missing or unreadable, and its changes without a time of their own, are placed at
    ``received``, when the delivery arrived (the daemon's clock; Meta sends within seconds): not at 1970, where
    the delivery would read as 56 years late and hold the rules' event-time clock back."""
    if not isinstance(body, Mapping) or not isinstance(body.get("entry"), list):
        return Translation([], 1)
    events: list[Event] = []
    skipped = untimed = untimed_changes = 0
    arrival = received if received is not None else _EPOCH
    for entry in body["entry"]:
        if not isinstance(entry, Mapping):
            skipped += 1
            continue
        page_id = _str(entry.get("id"))
        if not page_id:
            skipped += 1
            continue
        page = pages.get(page_id, page_id)
        try:
            when = tr.graph_time(entry.get("time"))
        except _ODD:  # missing, unreadable, or at the ends of the calendar
            when = arrival
            untimed += 1
        changes, messaging = entry.get("changes"), entry.get("messaging")
        for items, translate in ((changes, _change), (messaging, _messaging)):
            for item in items if isinstance(items, list) else []:
                try:
                    placed = translate(item, page, page_id, when) if isinstance(item, Mapping) else None
                except _ODD:
                    placed = None
                if placed is None:
                    skipped += 1
                else:
                    events.append(placed.event)
                    untimed_changes += placed.untimed
    return Translation(events, skipped, untimed, untimed_changes)


def _change(change: Mapping[str, Any], page: str, page_id: str, when: datetime) -> _Placed | None:
    field = change.get("field")
    value = change.get("value")
    if field == "feed" and isinstance(value, Mapping):
        try:
            return _feed(value, page, page_id, when)
        except _ODD:
            return None
    if isinstance(field, str) and field in _PROFILE_FIELDS:
        name = _PROFILE_FIELDS[field]
        new = _profile_value(field, value)
        if name == "picture" and new:
            new = tr.settings_snapshot({"picture": new})["picture"]
        old = _profile_value(field, value.get("old_value")) if isinstance(value, Mapping) else None
        return _Placed(tr.page_changed(page, page_id, name, old, new, when))
    return None


def _feed(v: Mapping[str, Any], page: str, page_id: str, when: datetime) -> _Placed | None:
    item, verb = v.get("item"), v.get("verb")
    created, untimed = _own_time(v.get("created_time"), when)
    post_id = _str(v.get("post_id"))
    message = _str(v.get("message"))
    if item in _POST_ITEMS and post_id:
        if verb == "add":
            post: dict[str, Any] = {
                "id": post_id,
                "created_time": int(created.timestamp()),
                "from": v.get("from"),
                "message": message,
                "status_type": item,
            }
            ev = tr.post_created(page, page_id, post)
            link = _str(v.get("link"))
            if link and link not in ev.object["links"]:
                ev = _with(ev, links=[*ev.object["links"], link])
            return _Placed(ev, untimed)
        if verb == "edited":
            return _Placed(tr.post_edited(page, page_id, post_id, message, None, when, v.get("from")))
        if verb == "remove":
            return _Placed(tr.post_deleted(page, post_id, when))
        return None
    comment_id = _str(v.get("comment_id"))
    if item == "comment" and comment_id:
        if verb == "add":
            parent = _str(v.get("parent_id"))
            c = {
                "id": comment_id,
                "created_time": int(created.timestamp()),
                "from": v.get("from"),
                "message": message,
                "parent": {"id": parent} if parent and parent != post_id else None,
            }
            return _Placed(tr.comment_created(page, page_id, post_id or "", c), untimed)
        if verb in ("remove", "hide"):
            kind = EventKind.COMMENT_DELETED if verb == "remove" else EventKind.COMMENT_HIDDEN
            return _Placed(tr.comment_gone(page, kind, comment_id, post_id, when, v.get("from"), page_id))
        return None
    if item in ("reaction", "like") and verb == "add":
        target = comment_id or post_id
        actor = tr.actor_of(v.get("from"), page_id)
        if target is None:
            return None
        reaction = (_str(v.get("reaction_type")) or "like").lower()
        who = actor.id if actor else "unknown"
        ev = Event(
            id=f"fb:reaction:{target}:{who}:{reaction}",
            time=created,
            platform=tr.PLATFORM,
            page=page,
            kind=EventKind.REACTION_CREATED,
            actor=actor,
            object={"target_id": target, "reaction": reaction},
        )
        return _Placed(ev, untimed)
    return None


def _messaging(m: Mapping[str, Any], page: str, page_id: str, when: datetime) -> _Placed | None:
    msg = m.get("message")
    sender = m.get("sender")
    recipient = m.get("recipient")
    if not isinstance(msg, Mapping) or not isinstance(sender, Mapping) or not isinstance(recipient, Mapping):
        return None
    mid = _str(msg.get("mid"))
    sid, rid = _str(sender.get("id")), _str(recipient.get("id"))
    if mid is None or sid is None:
        return None
    t, untimed = _message_time(m.get("timestamp"), when)
    sent = sid == page_id or msg.get("is_echo") is True
    thread = rid if sent else sid
    ev = Event(
        id=f"fb:message:{mid}",
        time=t,
        platform=tr.PLATFORM,
        page=page,
        kind=EventKind.MESSAGE_SENT if sent else EventKind.MESSAGE_RECEIVED,
        actor=Actor(sid, None, ActorType.PAGE if sent else ActorType.PERSON),
        object={"thread_id": thread, "message": _str(msg.get("text"))},
    )
    return _Placed(ev, untimed)


def _message_time(ts: Any, when: datetime) -> tuple[datetime, bool]:
    """A message's ``timestamp``, in milliseconds; anything but a number is not a time."""
    if ts is None:
        return when, False
    if not isinstance(ts, int | float) or isinstance(ts, bool):
        return when, True
    try:
        return _own_time(ts / 1000, when)
    except OverflowError:  # an int too large for a float
        return when, True


def _with(ev: Event, **obj: Any) -> Event:
    return Event(ev.id, ev.time, ev.platform, ev.page, ev.kind, ev.actor, {**ev.object, **obj})
