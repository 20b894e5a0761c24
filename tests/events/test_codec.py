from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

from sentinel.errors import EventError
from sentinel.events import codec
from sentinel.events.codec import MAX_DEPTH, FieldError, event_from_json, iter_lines, parse_line, parse_time

GOOD = (
    '{"id": "fb:comment:1", "time": "2014-12-05T21:41:07+01:00", "platform": "facebook", "page": "sb",'
    ' "kind": "comment.created", "actor": {"id": "1", "name": "Anna", "type": "person"},'
    ' "object": {"comment_id": "1", "post_id": "2", "parent_id": null, "message": "Hej?"}, "extra": 1}'
)


def test_spec_example_parses_with_offset_kept() -> None:
    ev = parse_line(GOOD)
    assert ev.kind == "comment.created" and ev.actor is not None and ev.actor.name == "Anna"
    assert ev.time.utcoffset() is not None and ev.time.utcoffset().total_seconds() == 3600
    assert ev.object["message"] == "Hej?"


def test_z_suffix_and_unknown_kind_are_accepted() -> None:
    ev = event_from_json(
        {
            "id": "x",
            "time": "2014-12-05T20:41:07Z",
            "platform": "youtube",
            "page": "p",
            "kind": "video.liked",
            "actor": None,
            "object": {},
        }
    )
    assert ev.kind == "video.liked" and ev.time.tzinfo is not None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"time": "2014-12-05T20:41:07Z", "platform": "f", "page": "p", "kind": "k"}', "'id' is missing"),
        ('{"id": "x", "time": "2014-12-05 20:41", "platform": "f", "page": "p", "kind": "k"}', "needs an offset"),
        ('{"id": "x", "time": "yesterday", "platform": "f", "page": "p", "kind": "k"}', "not an RFC 3339 time"),
        (
            '{"id": "x", "time": "2014-12-05T20:41:07Z", "platform": "f", "page": "p", "kind": "k", "actor": 5}',
            "'actor' must be an object or null",
        ),
        (
            '{"id": "x", "time": "2014-12-05T20:41:07Z", "platform": "f", "page": "p", "kind": "k", "object": []}',
            "'object' must be a JSON object",
        ),
        (
            '{"id": "", "time": "2014-12-05T20:41:07Z", "platform": "f", "page": "p", "kind": "k"}',
            "'id' must be a non-empty string",
        ),
    ],
)
def test_malformed_event_names_line_and_reason(line: str, reason: str) -> None:
    with pytest.raises(EventError) as exc:
        parse_line(line, lineno=7, source="events.jsonl")
    assert str(exc.value).startswith("events.jsonl:7: ") and reason in str(exc.value)


def test_iter_lines_skips_blank_lines_and_keeps_going_after_a_bad_one() -> None:
    out = list(iter_lines([GOOD, "", "{bad", GOOD.replace("fb:comment:1", "fb:comment:2")], source="f"))
    assert [n for n, _ in out] == [1, 3, 4]
    assert isinstance(out[1][1], EventError) and out[1][1].line == 3


def test_an_event_is_frozen() -> None:
    ev = parse_line(GOOD)
    with pytest.raises(AttributeError):
        ev.page = "other"  # type: ignore[misc]
    assert ev.actor is not None
    with pytest.raises(AttributeError):
        ev.actor.name = "Mallory"  # type: ignore[misc]


def _line(**fields: object) -> bytes:
    import orjson

    base: dict[str, object] = {
        "id": "fb:c:1",
        "time": "2025-10-06T09:28:53+02:00",
        "platform": "facebook",
        "page": "druvan",
        "kind": "comment.created",
        "actor": {"id": "7", "name": "Anna", "type": "person"},
        "object": {"message": "Hej?", "comment_id": "c1", "n": 3, "x": [1.5, None]},
    }
    base.update(fields)
    return orjson.dumps({k: v for k, v in base.items() if v is not ...})


@pytest.mark.parametrize(
    "line",
    [
        _line(),
        _line(time="2025-10-06T07:28:53Z"),
        _line(time="2025-10-06T09:28:53.250+02:00"),
        _line(time=" 2025-10-06T09:28:53+02:00"),
        _line(actor=None),
        _line(actor=...),
        _line(object=...),
        _line(actor={"id": "7", "type": "page"}),
        _line(actor={"id": 7, "type": "person"}),
        _line(object=None),
        _line(actor={"id": "7", "type": ""}),
        _line(extra={"page": "other"}),
        _line(object={"page": "other", "big": 2**63 - 1}),
        _line().replace(b'"page":"druvan"', b'"p\\u0061ge":"dr\\u00fcvan"'),
        _line().replace(b'"kind":', b'"page":"second","kind":'),  # a repeated key: the last one counts
        b"  " + _line() + b" \n",
    ],
)
def test_a_line_reads_as_the_event_its_decoded_json_makes(line: bytes) -> None:
    """``parse_line`` decodes common lines straight into the event's fields; whatever it reads, and however, is
    the event ``event_from_json`` makes of the line's JSON."""
    import orjson

    assert parse_line(line) == event_from_json(orjson.loads(line))


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (_line(id=""), "'id' must be a non-empty string"),
        (_line(actor={"id": "7", "name": 5, "type": "person"}), "'actor.name' must be a string"),
        (_line(object=[]), "'object' must be a JSON object"),
        (_line().replace(b'"Hej?"', b'"\\ud800"'), "not valid JSON"),  # a lone surrogate
        (_line(time="2025-10-06T09:28:53"), "needs an offset"),
        (_line()[:-1], "not valid JSON"),
        (_line().replace(b'"n":3', b'"n":1e400'), "not valid JSON"),
    ],
)
def test_a_malformed_line_is_reported_as_the_json_way_says(line: bytes, reason: str) -> None:
    with pytest.raises(EventError) as exc:
        parse_line(line, lineno=3, source="f")
    assert str(exc.value).startswith("f:3: ") and reason in str(exc.value)


def test_a_line_as_deep_as_the_stores_keep_is_read() -> None:
    line = _line().replace(b'"x":[', b'"deep":' + b"[" * (MAX_DEPTH - 2) + b"]" * (MAX_DEPTH - 2) + b',"x":[')
    ev = parse_line(line)
    codec.check_storable(ev)  # (the guard before decoding and the stores' rule agree on the bound)
    assert orjson.dumps(ev.object["deep"]) == b"[" * (MAX_DEPTH - 2) + b"]" * (MAX_DEPTH - 2)


@pytest.mark.parametrize("levels", [MAX_DEPTH - 1, 1012, 140_000, 3_000_000])
def test_a_line_deeper_than_the_stores_keep_is_refused_before_any_decoder_reads_it(levels: int) -> None:
    """A line 140,000 arrays deep went past msgspec (Python's recursion limit) to orjson, which has no limit of its
    own: the C stack overflowed and the process died of SIGSEGV (replay, enrich, the daemon's ingest)."""
    line = _line().replace(b'"x":[', b'"deep":' + b"[" * levels + b"]" * levels + b',"x":[')
    with pytest.raises(FieldError) as exc:
        parse_line(line, lineno=7, source="f.jsonl")
    assert exc.value.field == "object.deep" + "[0]" * (MAX_DEPTH - 2) and exc.value.line == 7
    assert str(exc.value).startswith("f.jsonl:7: 'object.deep[0]") and f"nests deeper than {MAX_DEPTH} levels" in str(
        exc.value
    )


@pytest.mark.parametrize(
    ("line", "byte"),
    [(b'{"id": "\xff"}', "byte 9 (ff)"), (b"\xc3", "byte 1 (c3)"), (b'{"id": "a\xc3"}', "byte 10 (c3)")],
)
def test_a_line_that_is_not_utf8_says_so_and_where(line: bytes, byte: str) -> None:
    """orjson said "str is not valid UTF-8: surrogates not allowed: line 1 column 1 (char 0)": wrong cause and place."""
    with pytest.raises(EventError) as exc:
        parse_line(line, lineno=1)
    assert str(exc.value) == f"line 1: not valid UTF-8 at {byte}"


def test_integers_beyond_64_bits_are_kept_exact() -> None:
    """The one value the typed decoder reads differently from orjson (which makes it a float)."""
    line = _line().replace(b'"n":3', b'"n":123456789012345678901234567890')
    assert parse_line(line).object["n"] == 123456789012345678901234567890


def test_the_typed_decoder_reads_a_time_as_parse_time_does_wherever_it_reads_one() -> None:
    """A line's time is decoded in C (msgspec, ``line_event``) unless the decoder declines the line; where it
    reads a time, it is ``parse_time``'s, in the same offset: digits of a second beyond the sixth included
    (both round them half up), and ``parse_time`` reads what the decoder declines."""
    import random

    import orjson

    from sentinel.events.codec import line_event

    rng = random.Random(3)
    dates = ["2025-10-06", "2024-02-29", "0001-01-01", "9999-12-31", "20251006", "2025-W40-1", "2025-02-30"]
    times = [
        "09:28:53",
        "23:59:59",
        "23:59:60",
        "09:28",
        "09:28:53.1",
        "09:28:53.123456",
        "09:28:53.1234565",
        "09:28:53.1234564999",
        "09:28:53.9999995",
        "23:59:59.99999951",
        "09:28:53.12345678901",
        "09:28:53,5",
        "09:28:53,1234567",
        "24:00:00",
    ]
    offsets = ["+02:00", "-05:30", "Z", "z", "+0200", "+02", "+02:00:30", "+23:59", "-00:00", "", "+00:00"]
    read = declined = 0
    for _ in range(30_000):
        text = rng.choice(dates) + rng.choice("Tt _") + rng.choice(times) + rng.choice(offsets)
        ev = line_event(orjson.dumps({"id": "x", "time": text, "platform": "f", "page": "p", "kind": "k"}))
        try:
            slow = parse_time(text)
        except ValueError:
            slow = None
        if ev is None:
            declined += 1
            continue
        read += 1
        assert slow is not None, text
        assert (ev.time, ev.time.isoformat()) == (slow, slow.isoformat()), text
    assert read > 1_000 and declined > 1_000


def test_digits_of_a_second_beyond_the_sixth_round_half_up_to_the_microsecond() -> None:
    assert parse_time("2025-10-06T09:28:53.1234565+02:00").isoformat() == "2025-10-06T09:28:53.123457+02:00"
    assert parse_time("2025-10-06T09:28:53.1234564999+02:00").isoformat() == "2025-10-06T09:28:53.123456+02:00"
    assert parse_time("2025-12-31T23:59:59.9999995Z").isoformat() == "2026-01-01T00:00:00+00:00"
    with pytest.raises(ValueError, match="not an RFC 3339 time"):
        parse_time("9999-12-31T23:59:59.9999995+00:00")


def test_a_time_in_year_one_is_read_without_overflow() -> None:
    for text in ("0001-01-01T00:30:00+01:00", "0001-01-01T00:30:00.5+01:00 "):
        assert parse_time(text).isoformat().startswith("0001-01-01T00:30:00")


def test_an_actor_id_seen_with_another_name_or_type_keeps_each_events_own() -> None:
    """An actor id seen again with another name or type (a renamed page) keeps each event's own."""

    def actor(name: str | None, kind: str) -> tuple[str | None, str | None, str]:
        line = json.dumps(
            {
                "id": f"e{name}{kind}",
                "time": "2025-01-01T10:00:00+01:00",
                "platform": "facebook",
                "page": "shop",
                "kind": "comment.created",
                "actor": {"id": "42", "name": name, "type": kind},
            }
        )
        a = parse_line(line).actor
        assert a is not None
        return a.id, a.name, a.type

    seen = [("Anna", "person"), ("Anna B", "person"), (None, "person"), ("Anna B", "page"), ("Anna", "person")]
    assert [actor(n, k) for n, k in seen] == [("42", n, k) for n, k in seen]


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"id": "i" * (codec.MAX_ID + 1)}, "id"),
        ({"page": "p" * (codec.MAX_ID + 1)}, "page"),
        ({"actor": {"id": "1", "name": "n" * (codec.MAX_NAME + 1), "type": "person"}}, "actor.name"),
        ({"object": {"thread_id": "7" * (codec.MAX_ID + 1), "message": "m" * 100_000}}, "object.thread_id"),
        ({"object": {"user": {"id": "u" * (codec.MAX_ID + 1)}, "tasks": ["MANAGE"]}}, "object.user.id"),
        ({"object": {"app": "a" * (codec.MAX_NAME + 1)}}, "object.app"),
    ],
)
def test_an_id_or_name_beyond_its_bound_is_refused_by_either_way_of_reading_a_line(
    obj: dict[str, Any], field: str
) -> None:
    line = {"id": "e1", "time": "2024-05-06T12:00:00Z", "platform": "facebook", "page": "p", "kind": "x", **obj}
    for text in (orjson.dumps(line), orjson.dumps({**line, "time": " 2024-05-06T12:00:00Z"})):  # typed, then dict
        with pytest.raises(codec.FieldError) as e:
            codec.parse_line(text, lineno=3, source="f.jsonl")
        assert e.value.field == field and str(e.value).startswith(f"f.jsonl:3: '{field}' is ")


def test_free_text_is_not_bounded_by_the_codec() -> None:
    line = {"id": "e1", "time": "2024-05-06T12:00:00Z", "platform": "facebook", "page": "p", "kind": "x"}
    ev = codec.parse_line(orjson.dumps({**line, "object": {"message": "m" * 100_000}}))
    codec.check_storable(ev)
