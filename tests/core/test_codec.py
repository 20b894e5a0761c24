from __future__ import annotations

import pytest

from sentinel.errors import EventError
from sentinel.sources.codec import event_from_json, iter_lines, parse_line

GOOD = ('{"id": "fb:comment:1", "time": "2014-12-05T21:41:07+01:00", "platform": "facebook", "page": "sb",'
        ' "kind": "comment.created", "actor": {"id": "1", "name": "Anna", "type": "person"},'
        ' "object": {"comment_id": "1", "post_id": "2", "parent_id": null, "message": "Hej?"}, "extra": 1}')


def test_spec_example_parses_with_offset_kept() -> None:
    ev = parse_line(GOOD)
    assert ev.kind == "comment.created" and ev.actor is not None and ev.actor.name == "Anna"
    assert ev.time.utcoffset() is not None and ev.time.utcoffset().total_seconds() == 3600
    assert ev.object["message"] == "Hej?"


def test_z_suffix_and_unknown_kind_are_accepted() -> None:
    ev = event_from_json({"id": "x", "time": "2014-12-05T20:41:07Z", "platform": "youtube", "page": "p",
                          "kind": "video.liked", "actor": None, "object": {}})
    assert ev.kind == "video.liked" and ev.time.tzinfo is not None


@pytest.mark.parametrize(("line", "reason"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"time": "2014-12-05T20:41:07Z", "platform": "f", "page": "p", "kind": "k"}', "'id' is missing"),
    ('{"id": "x", "time": "2014-12-05 20:41", "platform": "f", "page": "p", "kind": "k"}', "needs an offset"),
    ('{"id": "x", "time": "yesterday", "platform": "f", "page": "p", "kind": "k"}', "not an RFC 3339 time"),
    ('{"id": "x", "time": "2014-12-05T20:41:07Z", "platform": "f", "page": "p", "kind": "k", "actor": 5}',
     "'actor' must be an object or null"),
    ('{"id": "x", "time": "2014-12-05T20:41:07Z", "platform": "f", "page": "p", "kind": "k", "object": []}',
     "'object' must be a JSON object"),
    ('{"id": "", "time": "2014-12-05T20:41:07Z", "platform": "f", "page": "p", "kind": "k"}',
     "'id' must be a non-empty string"),
])
def test_malformed_event_names_line_and_reason(line: str, reason: str) -> None:
    with pytest.raises(EventError) as exc:
        parse_line(line, lineno=7, source="events.jsonl")
    assert str(exc.value).startswith("events.jsonl:7: ") and reason in str(exc.value)


def test_iter_lines_skips_blank_lines_and_keeps_going_after_a_bad_one() -> None:
    out = list(iter_lines([GOOD, "", "{bad", GOOD.replace("fb:comment:1", "fb:comment:2")], source="f"))
    assert [n for n, _ in out] == [1, 3, 4]
    assert isinstance(out[1][1], EventError) and out[1][1].line == 3
