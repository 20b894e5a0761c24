"""A comment's thread is its top comment, however deep the reply; remembered for a while, bounded, and kept across
a restart with the engine's state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sentinel.config.schema import PageConfig
from sentinel.enrich import Enriched, PageKnowledge, threads
from sentinel.enrich.threads import Threads
from sentinel.model import AlertStatus
from sentinel.rules import RuleEngine, load_rules
from sentinel.testing import event, page_actor, person

T0 = datetime(2025, 9, 23, 7, 0, tzinfo=UTC)  # a Tuesday, 09:00 in Stockholm
PAGE = PageConfig(
    id="druvan",
    timezone="Europe/Stockholm",
    language="sv",
    staffed_hours={"mon-fri": "08:00-17:00"},
    response_sla=timedelta(hours=1),
)


def test_a_reply_belongs_to_its_parents_top_comment_however_deep() -> None:
    t = Threads()
    assert t.thread_of("c1", None) == "c1"
    for cid, parent in (("c2", "c1"), ("c3", "c2"), ("p1", "c3")):
        assert t.thread_of(cid, parent) == "c1"
        t.learn(cid, parent, T0)
    assert [t.top(c) for c in ("c1", "c2", "c3", "p1", "unknown")] == ["c1", "c1", "c1", "c1", "unknown"]
    assert Threads.from_json(t.to_json()) == t


def test_replies_are_forgotten_after_the_memory_and_beyond_the_bound() -> None:
    t = Threads()
    t.learn("c2", "c1", T0)
    t.learn("c9", "c8", T0 + threads.MEMORY + timedelta(seconds=1))
    assert t.top("c2") == "c2" and t.top("c9") == "c8"
    many = Threads()
    for i in range(threads.MAX_REPLIES + 5):
        many.learn(f"r{i}", "top", T0)
    assert len(many.tops) == threads.MAX_REPLIES and many.top("r0") == "r0"


def test_after_a_restart_a_reply_to_a_follow_up_still_answers_the_question_above_it() -> None:
    anna = person("Anna Berg", "1001")
    first = RuleEngine(load_rules([]), lambda p: PAGE, metrics=False)
    question = event("comment.created", T0, actor=anna, comment_id="C1", parent_id=None, message="Har ni öppet?")
    first.process(question, T0)
    t1 = T0 + timedelta(minutes=5)
    first.process(event("comment.created", t1, actor=anna, comment_id="C2", parent_id="C1", message="Hallå?"), t1)
    again = RuleEngine(load_rules([]), lambda p: PAGE, metrics=False)
    again.restore(first.snapshot())
    t2 = T0 + timedelta(minutes=30)
    answer = event("comment.created", t2, actor=page_actor(), comment_id="P1", parent_id="C2", message="Ja, 10-14.")
    out = again.process(answer, t2)
    out += again.advance(T0 + timedelta(hours=3))
    assert [a.rule for a in out if a.status == AlertStatus.FIRING and a.rule == "sla.unanswered"] == []


def _msg(kind: str, t: datetime, thread: str, **extra: object):
    actor = page_actor() if kind == "message.sent" else person()
    return event(kind, t, actor=actor, thread_id=thread, message="Hej!", **extra)


def test_the_page_writing_where_no_customer_waits_is_unprompted() -> None:
    know = PageKnowledge()

    def seen(kind: str, t: datetime, thread: str, **extra: object) -> Enriched:
        e = Enriched(_msg(kind, t, thread, **extra), PAGE, know)
        assert isinstance(e.unprompted, bool)  # judged on what was known before it, as the engine does
        know.learn(e)
        return e

    seen("message.received", T0, "t1")
    assert not seen("message.sent", T0 + timedelta(minutes=5), "t1").unprompted  # answers the customer
    assert seen("message.sent", T0 + timedelta(minutes=9), "t1").unprompted  # writes again: nobody waits
    assert seen("message.sent", T0, "t-never-seen").unprompted
    assert not seen("message.sent", T0, "t2", comment_id="c1").unprompted  # a private reply answers a comment
    assert not seen("message.received", T0, "t3").unprompted  # only the page's own messages are
    seen("message.received", T0, "t4")
    assert seen("message.sent", T0 + threads.MEMORY + timedelta(hours=1), "t4").unprompted  # forgotten: a week on
    assert threads.Inbox.from_json(know.inbox.to_json()) == know.inbox
    assert PageKnowledge.from_json(know.to_json()).inbox == know.inbox
