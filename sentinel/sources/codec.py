"""Events to and from their JSON form (spec/events.md).

Raw dicts stop here: every source calls ``event_from_json`` and gets an
``Event`` or an ``EventError`` that says what is wrong. Unknown fields are
ignored; unknown kinds are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any, cast

import msgspec
import orjson

from sentinel.errors import EventError
from sentinel.model import Actor, Event, new_event

_REQUIRED_STR = ("id", "platform", "page", "kind")


_ZONES: dict[tzinfo, tzinfo] = {}  # the one tzinfo object kept for each UTC offset seen
_MAX_ZONES = 1024  # offsets are few in any real stream: this only bounds odd input


def shared_zone(t: datetime) -> datetime:
    """``t`` with the one tzinfo object kept for its UTC offset (same instant, same offset). Each parsed time
    comes with a tzinfo object of its own, and comparing or subtracting two aware datetimes costs ~400 ns
    unless they share one (~20 ns); the engine compares event times, deadlines and timers many times per
    event."""
    tz = t.tzinfo
    if tz is None:
        return t
    shared = _ZONES.get(tz)
    if shared is None:
        if len(_ZONES) >= _MAX_ZONES:
            _ZONES.clear()
        shared = _ZONES[tz] = tz
    return t if shared is tz else t.replace(tzinfo=shared)  # the same offset (not ``astimezone``: overflows at year 1)


def parse_time(value: Any) -> datetime:
    """An RFC 3339 time with an offset (``Z`` allowed) as an aware datetime."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"'time' must be an RFC 3339 string, got {value!r}")
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'time' is not an RFC 3339 time: {value!r}") from None
    if t.tzinfo is None:
        raise ValueError(f"'time' needs an offset such as +01:00 or Z: {value!r}")
    return shared_zone(t)


class Skim:
    """What ``replay --jobs`` needs of another worker's event: it is valid, and its id, time and page."""

    __slots__ = ("id", "page", "time")

    def __init__(self, id: str, time: datetime, page: str) -> None:
        self.id, self.time, self.page = id, time, page


def _fast_event(obj: dict[str, Any], skim: bool = False) -> Event | Skim | None:
    """The common well-formed event built with few checks; ``None`` when anything is unusual (the full
    ``event_from_json`` then decides, and says what is wrong). ``skim``: the same checks, but only a
    ``Skim`` is built."""
    eid, platform, page, kind, text = obj.get("id"), obj.get("platform"), obj.get("page"), obj.get("kind"), \
        obj.get("time")
    if not (type(eid) is str and eid and type(platform) is str and platform and type(page) is str and page
            and type(kind) is str and kind and type(text) is str):
        return None
    time = _plain_time(text)
    if time is None:
        return None
    actor_raw = obj.get("actor")
    actor: Actor | None = None
    if actor_raw is not None:
        if type(actor_raw) is not dict:
            return None
        aid, name, atype = actor_raw.get("id"), actor_raw.get("name"), actor_raw.get("type")
        if not (type(aid) is str and (name is None or type(name) is str) and type(atype) is str and atype):
            return None
        if not skim:
            actor = _actor(aid, name, atype)
    payload = obj.get("object", {})
    if type(payload) is not dict:
        return None
    if skim:
        return Skim(eid, time, page)
    return new_event(eid, time, platform, page, kind, actor, payload)


def _plain_time(text: str) -> datetime | None:
    """``parse_time`` of an RFC 3339 time written plainly (no ``Z``, no blanks around it, at most 6 digits of a
    second); ``None`` for anything else (the full ``parse_time`` then decides). msgspec reads it in C and
    shares one tzinfo object per offset (``shared_zone``'s work: ~0.3 µs instead of ~0.8). On such times it
    agrees with ``datetime.fromisoformat`` (the tests); a 7th digit of a second it would round, where
    ``fromisoformat`` truncates."""
    if not text or text[-1] in _SLOW_TIME_END or text[0].isspace():
        return None
    if len(text) >= 30 and _LONG_FRACTION.search(text):  # shorter, it cannot hold 7 digits of a second
        return None
    try:
        time = _to_datetime(text, datetime)
    except msgspec.ValidationError:
        return None
    return None if time.tzinfo is None else time


_to_datetime = msgspec.convert
_LONG_FRACTION = re.compile(r"[.,]\d{7}")


def _actor(aid: str, name: str | None, atype: str) -> Actor:
    """The one ``Actor`` kept for these values. Actors repeat (the page itself, regular commenters) and are
    immutable: one object per actor saves building one per event (~0.8 µs, a frozen dataclass). Kept by id (one
    string to hash, not a tuple of three); an id seen with another name or type gets a new one."""
    actor = _ACTORS.get(aid)
    if actor is None or actor.name != name or actor.type != atype:
        if len(_ACTORS) >= _MAX_ACTORS:
            _ACTORS.clear()
        actor = _ACTORS[aid] = Actor(id=aid, name=name, type=atype)
    return actor


# -- lines decoded straight into typed structs (msgspec): the common well-formed line, without a dict ----------
class _LineActor(msgspec.Struct):
    id: str
    type: str
    name: str | None = None


class _Line(msgspec.Struct):
    id: str
    time: str
    platform: str
    page: str
    kind: str
    actor: _LineActor | None = None
    object: dict[str, Any] = {}  # msgspec gives each decoded line a fresh dict


class Where(msgspec.Struct):
    """What ``replay --jobs`` reads of every line first: whose it is, and its time as written."""

    page: str
    time: str


_decode_line = msgspec.json.Decoder(_Line).decode
decode_where = msgspec.json.Decoder(Where).decode  # ``where`` without its checks: it raises ``WHERE_DECLINES``
WHERE_DECLINES = (msgspec.DecodeError, RecursionError)  # (RecursionError: deeper than msgspec decodes)


def where(line: bytes | str) -> Where | None:
    """The page and time (as written) of a JSON line whose ``page`` and ``time`` are strings, else ``None``.
    The rest of the line is not checked, beyond its JSON syntax."""
    try:
        return decode_where(line)
    except WHERE_DECLINES:  # (the dict way reads such a line)
        return None


def line_event(line: bytes | str) -> Event | None:
    """The event of a common well-formed line, decoded straight into its fields (~3 µs less than a dict and
    ``event_from_json``); ``None`` when anything is unusual: ``parse_line`` then reads it as a dict, and says
    what is wrong. A line read here is an event that the dict way would read the same (types are checked by
    the decoder, then the values as ``_fast_event`` does); only values of unknown fields, which the dict way
    also ignores, are not checked beyond their syntax."""
    try:
        r = _decode_line(line)
    except (msgspec.DecodeError, RecursionError):
        return None
    if not (r.id and r.platform and r.page and r.kind):
        return None
    time = _plain_time(r.time)
    if time is None:
        return None
    a = r.actor
    actor = None
    if a is not None:
        if not a.type:
            return None
        actor = _actor(a.id, a.name, a.type)
    return new_event(r.id, time, r.platform, r.page, r.kind, actor, r.object)


_ACTORS: dict[str, Actor] = {}
_MAX_ACTORS = 32_768  # bounds the memory (a few MB); a busy stream's regulars are found again after a clear

_SLOW_TIME_END = frozenset("Zz \t\r\n\f\v")  # a ``Z`` or trailing blanks: ``parse_time`` handles those


def event_from_json(obj: Any) -> Event:
    """Build an ``Event`` from a decoded JSON object; ``ValueError`` says what is wrong."""
    if type(obj) is dict:
        fast = _fast_event(obj)
        if fast is not None:
            return cast(Event, fast)  # not a skim: ``skim`` was not asked for
    if not isinstance(obj, dict):
        raise ValueError(f"an event must be a JSON object, got {type(obj).__name__}")
    for key in _REQUIRED_STR:
        v = obj.get(key)
        if not isinstance(v, str) or not v:
            raise ValueError(f"'{key}' must be a non-empty string, got {v!r}" if key in obj else f"'{key}' is missing")
    time = parse_time(obj.get("time"))
    actor_raw = obj.get("actor")
    actor: Actor | None
    if actor_raw is None:
        actor = None
    elif isinstance(actor_raw, dict):
        aid, name, atype = actor_raw.get("id"), actor_raw.get("name"), actor_raw.get("type") or "unknown"
        if aid is not None and not isinstance(aid, str | int):
            raise ValueError(f"'actor.id' must be a string, got {aid!r}")
        if name is not None and not isinstance(name, str):
            raise ValueError(f"'actor.name' must be a string, got {name!r}")
        if not isinstance(atype, str):
            raise ValueError(f"'actor.type' must be a string, got {atype!r}")
        actor = Actor(id=None if aid is None else str(aid), name=name, type=atype)
    else:
        raise ValueError(f"'actor' must be an object or null, got {type(actor_raw).__name__}")
    payload = obj.get("object", {})
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise ValueError(f"'object' must be a JSON object, got {type(payload).__name__}")
    return Event(id=obj["id"], time=time, platform=obj["platform"], page=obj["page"], kind=obj["kind"],
                 actor=actor, object=payload)


def parse_line(line: str | bytes, *, lineno: int | None = None, source: str = "") -> Event:
    ev = line_event(line)
    if ev is not None:
        return ev
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as e:
        raise EventError(f"not valid JSON: {e}", line=lineno, source=source) from None
    try:
        return event_from_json(obj)
    except ValueError as e:
        raise EventError(str(e), line=lineno, source=source) from None


def skim_line(line: str | bytes, keep: Callable[[str], bool], *, lineno: int | None = None,
              source: str = "") -> Event | Skim:
    """``parse_line`` for a reader that needs only the id, time and page of events on pages it does not
    ``keep``: those come back as a ``Skim`` (after the same checks), the others as an ``Event``."""
    ev = line_event(line)
    if ev is not None:
        return ev if keep(ev.page) else Skim(ev.id, ev.time, ev.page)
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as e:
        raise EventError(f"not valid JSON: {e}", line=lineno, source=source) from None
    if type(obj) is dict:
        page = obj.get("page")
        if type(page) is str and not keep(page):
            fast = _fast_event(obj, skim=True)
            if fast is not None:
                return fast
    try:
        return event_from_json(obj)
    except ValueError as e:
        raise EventError(str(e), line=lineno, source=source) from None


def event_time(value: Any) -> datetime | None:
    """The ``time`` of an event whose JSON ``time`` is ``value``, as ``event_from_json`` reads it, or None where
    it would reject it: what ``replay --jobs`` needs of another worker's line."""
    if type(value) is str:
        try:
            t = datetime.fromisoformat(value)  # ``parse_time`` of a time written plainly, without its checks
        except ValueError:
            pass
        else:
            if t.tzinfo is not None:
                return t  # (not ``shared_zone``: compared once or twice, then dropped or parsed as an event)
    try:
        return parse_time(value)
    except ValueError:
        return None


def iter_lines(lines: Iterable[str | bytes], *, source: str = "") -> Iterator[tuple[int, Event | EventError]]:
    """Each non-blank line as (line number, event or the error for that line)."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield n, parse_line(line, lineno=n, source=source)
        except EventError as e:
            yield n, e


def event_to_json_bytes(event: Event) -> bytes:
    return orjson.dumps(event.to_json())
