"""Events to and from their JSON form (docs/events.md).

Raw dicts stop here: every source calls ``event_from_json`` and gets an
``Event`` or an ``EventError`` that says what is wrong. Unknown fields are
ignored; unknown kinds are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import msgspec
import orjson

from sentinel.errors import EventError
from sentinel.events.nesting import MAX_DOCUMENT_DEPTH, TooDeep, check_nesting, field_name
from sentinel.model import Actor, Event

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
    """An RFC 3339 time with an offset (``Z`` allowed) as an aware datetime. Digits of a second beyond the
    sixth round to the nearest microsecond (half up), as the typed decoder of a line (msgspec) reads them."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"'time' must be an RFC 3339 string, got {value!r}")
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    finer = _FINER_THAN_MICROSECONDS.search(text)
    if finer is not None:
        text = text[: finer.start(1)] + text[finer.end(1) :]
    try:
        t = datetime.fromisoformat(text)
        if finer is not None and finer.group(1) >= "5":
            t += _MICROSECOND
    except (ValueError, OverflowError):
        raise ValueError(f"'time' is not an RFC 3339 time: {value!r}") from None
    if t.tzinfo is None:
        raise ValueError(f"'time' needs an offset such as +01:00 or Z: {value!r}")
    return shared_zone(t)


def _placeable(ev: Event, lineno: int | None, source: str) -> Event:
    """``ev`` if its time has an instant in UTC; else ``FieldError``: ``0001-01-01T00:00+01:00`` is in the year 0 in
    UTC and ``9999-12-31T23:59-01:00`` in 10000, which no stage can place (local time, windows, the stores)."""
    try:
        ev.time.astimezone(UTC)
    except OverflowError:
        raise FieldError("time", _NO_INSTANT, line=lineno, source=source) from None
    if ev.kind in _ROLE_KINDS:
        check_role(ev, line=lineno, source=source)
    return ev


_ROLE_KINDS = frozenset({"role.granted", "role.changed", "role.revoked"})


def check_role(event: Event, *, line: int | None = None, source: str = "", item: int | None = None) -> None:
    """``FieldError`` when a role event's ``tasks`` or ``previous_tasks`` is not a list of strings (null or left out
    is allowed), or its ``user`` not an object: the hijack rules read a grant's rights from the list, and
    ``"tasks": "MANAGE"`` (a string) was read as no MANAGE at all, a full-control grant at 03:00 warned about where
    it pages (events.md: ``tasks``, a list of ``MANAGE``, ``CREATE_CONTENT``, ...)."""
    obj = event.object
    for key in ("tasks", "previous_tasks"):
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            got = (
                f'a {type(value).__name__} ("MANAGE" is written ["MANAGE"])'
                if isinstance(value, str)
                else (f"a {type(value).__name__}")
            )
            raise FieldError(
                f"object.{key}", f"must be a list of strings, got {got}", line=line, source=source, item=item
            )
        for n, task in enumerate(value, 1):
            if not isinstance(task, str):
                raise FieldError(
                    f"object.{key}[{n}]",
                    f"must be a string such as MANAGE, got {task!r}",
                    line=line,
                    source=source,
                    item=item,
                )
    user = obj.get("user")
    if user is not None and not isinstance(user, Mapping):
        raise FieldError(
            "object.user", f"must be an object with id and name, got {user!r}", line=line, source=source, item=item
        )


_NO_INSTANT = "is not an instant between the years 1 and 9999 in UTC"


_FINER_THAN_MICROSECONDS = re.compile(r"[.,][0-9]{6}([0-9]+)")  # (ASCII digits: what fromisoformat reads)
_MICROSECOND = timedelta(microseconds=1)


_decode_event = msgspec.json.Decoder(Event).decode


def line_event(line: bytes | str) -> Event | None:
    """The event of a common well-formed line, decoded straight into an ``Event`` in C (~1.3 µs; a dict and
    ``event_from_json`` take ~4); ``None`` when anything is unusual: ``parse_line`` then reads it as a dict,
    and says what is wrong. The decoder checks what ``Event``'s annotations ask for, which is what the dict
    way checks or declines to the same result (an actor id that is a number, a null ``object``, a time with
    blanks around it: decoded the dict way); what it reads, the dict way reads the same (the tests). Only
    values of unknown fields, which the dict way also ignores, are not checked beyond their syntax."""
    try:
        return _decode_event(line)
    except (msgspec.DecodeError, RecursionError):  # (a ValidationError is a DecodeError)
        return None


def decode_json(data: bytes | str, most: int = MAX_DOCUMENT_DEPTH) -> Any:
    """Untyped JSON as the intake reads an array of events or a webhook delivery, as the typed decoder of a line
    reads it: an integer stays exact, beyond 64 bits too, so that ``check_storable`` names its
    field (orjson makes it a float: 123456789012345678901234567890 was stored as 1.2345678901234568e29 when it
    came in an array and refused when it came as a line). ``ValueError`` says what is wrong: ``TooDeep`` (with
    where) for nesting deeper than ``most`` levels, found before the decoder recurses into it."""
    check_nesting(data, most)
    try:
        return msgspec.json.decode(data)
    except (msgspec.DecodeError, RecursionError) as e:  # (RecursionError: only if ``most`` is set past ~1,000)
        raise ValueError(not_utf8(data) or str(e) or type(e).__name__) from None


def not_utf8(data: bytes | str) -> str | None:
    """``"not valid UTF-8 at byte N"`` (counted from 1) when ``data`` is bytes that are not UTF-8 (the decoders say
    "surrogates not allowed: line 1 column 1"), else ``None``."""
    if isinstance(data, str):
        return None
    try:
        data.decode()
    except UnicodeDecodeError as e:
        return f"not valid UTF-8 at byte {e.start + 1:,} ({data[e.start : e.start + 1].hex(' ')})"
    return None


def too_deep(e: TooDeep, *, line: int | None = None, source: str = "", in_array: bool = False) -> EventError:
    """The error for an event (a line, or an element of an array: its index first in ``e.path``) nesting deeper than
    ``MAX_DEPTH`` levels, naming the item (from 1) and the field when the walk found them."""
    path, item = e.path, None
    if in_array and path:
        item, path = (path[0] + 1 if isinstance(path[0], int) else None), path[1:]
    what = f"nests deeper than {MAX_DEPTH} levels"
    if path:
        return FieldError(field_name(path), what, line=line, source=source, item=item)
    return EventError(f"the event {what}", line=line, source=source, item=item)


def event_from_json(obj: Any) -> Event:
    """Build an ``Event`` from a decoded JSON object; ``ValueError`` says what is wrong."""
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
    return Event(
        id=obj["id"],
        time=time,
        platform=obj["platform"],
        page=obj["page"],
        kind=obj["kind"],
        actor=actor,
        object=payload,
    )


def parse_line(line: str | bytes, *, lineno: int | None = None, source: str = "") -> Event:
    """The event of one line; ``EventError`` names the line (and the field, a ``FieldError``, where it can). A
    line nesting deeper than ``MAX_DEPTH`` levels is refused before any decoder recurses into it: orjson has no
    limit of its own, and 135,000 levels overflowed the C stack (SIGSEGV)."""
    try:
        check_nesting(line, MAX_DEPTH)
    except TooDeep as e:
        raise too_deep(e, line=lineno, source=source) from None
    ev = line_event(line)
    if ev is not None:
        if len(line) > MAX_NAME or _may_hold_controls(line):  # (else no string is long, and none holds a control)
            check_bounds(ev, line=lineno, source=source)
        return _placeable(ev, lineno, source)
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as e:
        raise EventError(not_utf8(line) or f"not valid JSON: {e}", line=lineno, source=source) from None
    try:
        ev = event_from_json(obj)
    except ValueError as e:
        raise EventError(str(e), line=lineno, source=source) from None
    check_bounds(ev, line=lineno, source=source)
    return _placeable(ev, lineno, source)


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


# -- how long a name may be --------------------------------------------------------------------------------

MAX_ID = 1024  # characters of an identifier: the event's id, page, platform, kind and the ids in ``object``
MAX_NAME = 512  # characters of a person's, page's or application's name
# the identifiers and names in ``object`` (where the kinds of docs/events.md put them), each with its bound
_OBJECT_BOUNDS = (
    ("post_id", MAX_ID),
    ("comment_id", MAX_ID),
    ("parent_id", MAX_ID),
    ("thread_id", MAX_ID),
    ("target_id", MAX_ID),
    ("reaction", MAX_ID),
    ("field", MAX_ID),
    ("type", MAX_ID),
    ("app", MAX_NAME),
)
_PERSON_BOUNDS = (("id", MAX_ID), ("name", MAX_NAME))  # ``object.user`` and ``object.admin``


def check_bounds(event: Event, *, line: int | None = None, source: str = "", item: int | None = None) -> None:
    """``FieldError`` when an identifier is longer than ``MAX_ID`` characters or holds a control character (C0,
    DEL or C1: a page of ``"p8\r\nBcc: evil@evil.example"`` went into e-mail headers), or a name is longer than
    ``MAX_NAME``. No
    platform's ids or names come near (Graph ids are a few dozen digits), and the rules keep ids and names in
    their state (an SLA item's thread and author, a new admin's name), snapshotted after every batch: a 50 KB
    name made every later batch rewrite megabytes. Free text (``message``, a setting's ``old`` and ``new``) is
    not bounded here: what of it is kept is a bounded prefix (``detectors``)."""
    for name in _REQUIRED_STR:
        _bounded(getattr(event, name), name, MAX_ID, line, source, item)
    if event.actor is not None:
        _bounded(event.actor.id, "actor.id", MAX_ID, line, source, item)
        _bounded(event.actor.name, "actor.name", MAX_NAME, line, source, item)
        _bounded(event.actor.type, "actor.type", MAX_ID, line, source, item)
    obj = event.object
    for key, most in _OBJECT_BOUNDS:
        _bounded(obj.get(key), f"object.{key}", most, line, source, item)
    for who in ("user", "admin"):
        person = obj.get(who)
        if isinstance(person, Mapping):
            for key, most in _PERSON_BOUNDS:
                _bounded(person.get(key), f"object.{who}.{key}", most, line, source, item)


def _bounded(value: Any, field: str, most: int, line: int | None, source: str, item: int | None) -> None:
    if not isinstance(value, str):
        return
    if len(value) > most:
        raise FieldError(
            field, f"is {len(value):,} characters long; at most {most:,} are accepted", line=line, source=source
        )
    if most == MAX_ID and (control := _CONTROL.search(value)) is not None:  # an identifier: no control character
        c = ord(control.group())
        named = f"U+{c:04X} {_CONTROL_NAMES[c]}" if c in _CONTROL_NAMES else f"U+{c:04X}"
        raise FieldError(
            field, f"contains a control character ({named}); no identifier may", line=line, source=source, item=item
        )


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # C0, DEL, C1
_CONTROL_NAMES = {0x00: "NUL", 0x09: "TAB", 0x0A: "LF", 0x0D: "CR", 0x7F: "DEL", 0x85: "NEL"}


def _may_hold_controls(line: bytes | str) -> bool:
    """Whether a decoded string of ``line`` may hold a control character: JSON text holds one raw only as DEL or as
    C1 (UTF-8 ``\xc2\x80``-``\xc2\x9f``), else written with a backslash (``\r``, ``\u0085``)."""
    if isinstance(line, str):
        return True
    return b"\\" in line or b"\xc2" in line or b"\x7f" in line


# -- what a store can keep ---------------------------------------------------------------------------------

MAX_DEPTH = 64  # JSON levels of a whole event (the event is level 1, its ``object`` level 2)
_INT_RANGE = range(-(2**63), 2**64)  # what orjson writes (the stores keep an event as orjson's bytes)


class FieldError(EventError):
    """An event no store can keep as it is; ``field`` is where (``id``, ``object.message``, ``object.links[2]``)."""

    def __init__(
        self, field: str, what: str, *, line: int | None = None, source: str = "", item: int | None = None
    ) -> None:
        super().__init__(f"'{field}' {what}", line=line, source=source, item=item)
        self.field = field


def check_storable(event: Event, *, line: int | None = None, source: str = "", item: int | None = None) -> None:
    """``FieldError`` when a store could not keep ``event`` as it is, the same rule for SQLite and PostgreSQL:

    - a string (or key) holding NUL (U+0000): PostgreSQL's TEXT and JSONB refuse it, so SQLite must too;
    - a string holding a lone surrogate: not UTF-8, so neither PostgreSQL nor orjson can write it (the JSON
      decoders already refuse one written in a line; this catches one made in code);
    - an integer beyond 64 bits, or nesting deeper than ``MAX_DEPTH`` levels: orjson, which writes what the
      stores keep, cannot write them (it writes 254 levels; 64 is far beyond any platform's payload);
    - a time with no UTC instant (``0001-01-01T00:00+01:00`` is in year 0 in UTC): no stage can place it;
    - an empty ``id``, ``platform``, ``page`` or ``kind``: the store could not read it back as an event;
    - an identifier or a name longer than its bound (``check_bounds``).

    The daemon's intake (the ingest API, the webhooks) checks every event before storing any, so a batch is
    accepted or refused whole with a 4xx that names the line and field, never a 500 or an endless 503.
    ``sentinel replay`` stores nothing and does not check: its hot path stays as it is."""
    try:
        event.time.astimezone(UTC)
    except OverflowError:  # (0001-01-01T00:00+01:00: before the first instant a datetime holds)
        raise FieldError("time", _NO_INSTANT, line=line, source=source, item=item) from None
    for name in _REQUIRED_STR:
        value = getattr(event, name)
        if not isinstance(value, str) or not value:  # (an ``Event`` made in code is not checked as decoded)
            raise FieldError(name, "must be a non-empty string", line=line, source=source, item=item)
        _check(value, name, 1, line, source, item)
    if event.actor is not None:
        for name in ("id", "name", "type"):
            _check(getattr(event.actor, name), f"actor.{name}", 2, line, source, item)
    _check(event.object, "object", 2, line, source, item)
    check_bounds(event, line=line, source=source, item=item)
    if event.kind in _ROLE_KINDS:
        check_role(event, line=line, source=source, item=item)


def _check(value: Any, field: str, depth: int, line: int | None, source: str, item: int | None) -> None:
    """``check_storable`` of one value at ``depth`` levels."""
    if isinstance(value, str):  # (or a StrEnum: an EventKind)
        if "\x00" in value:
            raise FieldError(field, "contains NUL (\\u0000), which no store keeps", line=line, source=source, item=item)
        if not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError:
                raise FieldError(
                    field, "contains a lone surrogate (not UTF-8 text)", line=line, source=source
                ) from None
    elif isinstance(value, Mapping | list | tuple):
        if depth > MAX_DEPTH:
            raise FieldError(field, f"nests deeper than {MAX_DEPTH} levels", line=line, source=source, item=item)
        if not isinstance(value, Mapping):
            for i, v in enumerate(value):
                _check(v, f"{field}[{i}]", depth + 1, line, source, item)
            return
        for k, v in value.items():
            _check(k, f"{field} (a key)", depth, line, source, item)
            _check(v, f"{field}.{k[:40] if type(k) is str else k}", depth + 1, line, source, item)
    elif type(value) is int and value not in _INT_RANGE:
        raise FieldError(field, "is an integer beyond 64 bits", line=line, source=source, item=item)
