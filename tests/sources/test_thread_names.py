"""The webhook and the poller name a private conversation alike: by the person's page-scoped id (the webhook's
sender or recipient), not by the poller's ``t_...`` conversation id, so an answer seen by one source closes a
question seen by the other."""

from __future__ import annotations

from typing import Any

from sentinel.sources import graph_translate as tr
from sentinel.sources.graph_webhook import translate

PAGE_ID, PSID = "101", "7001"


def webhook(sender: str, recipient: str, mid: str, echo: bool = False) -> Any:
    body = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": 1762333200,
                "messaging": [
                    {
                        "sender": {"id": sender},
                        "recipient": {"id": recipient},
                        "timestamp": 1762333200000,
                        "message": {"mid": mid, "text": "Hej?", **({"is_echo": True} if echo else {})},
                    }
                ],
            }
        ],
    }
    return translate(body, {PAGE_ID: "druvan"}).events[0]


def test_received_and_sent_messages_carry_the_same_thread_id_from_webhook_and_poller() -> None:
    conv = {
        "id": "t_10223",
        "messages": {
            "data": [
                {
                    "id": "m2",
                    "message": "Ja",
                    "from": {"id": PAGE_ID},
                    "to": {"data": [{"id": PSID}]},
                    "created_time": "2025-11-05T09:05:00+0000",
                },
                {
                    "id": "m1",
                    "message": "Hej?",
                    "from": {"id": PSID, "name": "Anna"},
                    "to": {"data": [{"id": PAGE_ID}]},
                    "created_time": "2025-11-05T09:00:00+0000",
                },
            ]
        },
    }
    party = tr.conversation_party(conv, PAGE_ID)
    polled = [tr.message_event("druvan", PAGE_ID, party or conv["id"], m) for m in conv["messages"]["data"]]
    pushed = [webhook(PAGE_ID, PSID, "m2", echo=True), webhook(PSID, PAGE_ID, "m1")]
    assert (
        [(e.kind, e.object["thread_id"]) for e in polled]
        == [(e.kind, e.object["thread_id"]) for e in pushed]
        == [("message.sent", PSID), ("message.received", PSID)]
    )


def test_a_page_message_alone_is_named_by_its_recipient() -> None:
    conv = {"id": "t_1", "messages": {"data": [{"id": "m", "from": {"id": PAGE_ID}, "to": {"data": [{"id": PSID}]}}]}}
    assert tr.conversation_party(conv, PAGE_ID) == PSID


def test_an_answer_naming_no_one_but_the_page_has_no_party() -> None:
    assert (
        tr.conversation_party({"id": "t_1", "messages": {"data": [{"id": "m", "from": {"id": PAGE_ID}}]}}, PAGE_ID)
        is None
    )
