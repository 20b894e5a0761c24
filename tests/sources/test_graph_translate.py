"""Graph objects to events: times, ids, diffs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sentinel.sources import graph_translate as tr
from sentinel.sources.graph_webhook import translate

NOW = datetime(2025, 9, 26, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2021-07-04T19:50:58+0000", "2021-07-04T19:50:58+00:00"),
        ("2021-07-04T21:50:58+0200", "2021-07-04T19:50:58+00:00"),
        (1615416577, "2021-03-10T22:49:37+00:00"),
        ("1615416577", "2021-03-10T22:49:37+00:00"),
    ],
)
def test_graph_times_parse_to_utc(raw: object, iso: str) -> None:
    assert tr.graph_time(raw).isoformat() == iso


def test_bad_times_fall_back_or_raise() -> None:
    assert tr.graph_time("yesterday", NOW) == NOW
    assert tr.graph_time(10**30, NOW) == NOW
    with pytest.raises(ValueError):
        tr.graph_time(None)


def test_settings_diff_ignores_the_first_snapshot_and_cdn_query_strings() -> None:
    a = tr.settings_snapshot({"name": "Druvan", "picture": {"data": {"url": "https://cdn/x.jpg?oh=1"}}})
    b = tr.settings_snapshot({"name": "Druvan", "picture": {"data": {"url": "https://cdn/x.jpg?oh=2"}}})
    assert tr.diff_settings("p", "1", None, a, NOW) == []
    assert tr.diff_settings("p", "1", a, b, NOW) == []
    c = dict(b, name="Crypto")
    (ev,) = tr.diff_settings("p", "1", b, c, NOW)
    assert ev.kind == "page.changed" and ev.object == {"field": "name", "old": "Druvan", "new": "Crypto"}


def test_role_diff_makes_stable_ids_per_user_change() -> None:
    old = tr.access_list({"roles": {"data": [{"id": "1", "name": "A", "tasks": ["MANAGE"]}]}})
    new = tr.access_list(
        {
            "roles": {
                "data": [
                    {"id": "1", "name": "A", "tasks": ["MODERATE"]},
                    {"id": "2", "name": "X", "tasks": ["MANAGE", "ADVERTISE"]},
                ]
            }
        }
    )
    seq: dict[str, int] = {}
    evs = tr.diff_roles("p", "9", old, new, seq, NOW)
    assert [(e.id, e.kind) for e in evs] == [
        ("fb:role:9:user:1:1", "role.changed"),
        ("fb:role:9:user:2:1", "role.granted"),
    ]
    assert evs[1].object == {"user": {"id": "2", "name": "X"}, "tasks": ["ADVERTISE", "MANAGE"]}
    again = tr.diff_roles("p", "9", old, new, {}, NOW)  # the same change seen twice: the same ids
    assert [e.id for e in again] == [e.id for e in evs]
    back = tr.diff_roles("p", "9", new, old, seq, NOW)
    assert [(e.id, e.kind) for e in back] == [
        ("fb:role:9:user:1:2", "role.changed"),
        ("fb:role:9:user:2:2", "role.revoked"),
    ]


def test_webhook_and_poll_give_the_same_comment_and_post_ids() -> None:
    polled = tr.comment_created(
        "p",
        "1",
        "1_5",
        {
            "id": "5_9",
            "created_time": "2023-12-23T12:00:00+0000",
            "from": {"id": "1", "name": "Page"},
            "message": "Tack!",
            "parent": {"id": "5_8"},
        },
    )
    hook = translate(
        {
            "entry": [
                {
                    "id": "1",
                    "time": 1703332801,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "item": "comment",
                                "verb": "add",
                                "comment_id": "5_9",
                                "post_id": "1_5",
                                "parent_id": "5_8",
                                "created_time": 1703332800,
                                "from": {"id": "1", "name": "Page"},
                                "message": "Tack!",
                            },
                        }
                    ],
                }
            ]
        },
        {"1": "p"},
    )
    (ev,) = hook.events
    assert ev == polled and ev.by_page
    edit_a = tr.post_edited("p", "1", "1_5", "new text", None, NOW)
    edit_b = translate(
        {
            "entry": [
                {
                    "id": "1",
                    "time": 1,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {"item": "status", "verb": "edited", "post_id": "1_5", "message": "new text"},
                        }
                    ],
                }
            ]
        },
        {},
    ).events[0]
    assert edit_a.id == edit_b.id
