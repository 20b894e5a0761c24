"""``Expr.specialize``: conditions with the kind and page fixed give the same answers, computed with less work."""

from __future__ import annotations

import pytest

from sentinel.conditions.expr import compile_expr
from sentinel.conditions.syntax import And, Not, Var
from sentinel.config.schema import PageConfig
from sentinel.enrich import VARIABLES, Enriched, PageKnowledge
from sentinel.model import Event
from sentinel.testing import event, page_actor, person

KNOWN = frozenset(VARIABLES)
PAGE = PageConfig(id="druvan")

EXPRESSIONS = [
    'by_page && (kind == "message.sent" || kind == "comment.created" || kind == "reaction.created")',
    '!by_page && question && (kind == "message.received" || kind == "comment.created")',
    '!(kind in ["source.error", "source.recovered"])',
    'kind == "comment.created" || question',
    'page == "druvan" && object.parent_id == null',
    'object.post_id == "p1" && kind == "post.deleted"',  # a field missing on some kinds: CEL decides
    'size(links) > 0 || kind != "comment.created"',
    "[object.comment_id, object.thread_id]",
]

EVENTS = [
    event("comment.created", actor=person(), message="Varför?", post_id="p1", comment_id="c1"),
    event("comment.created", actor=page_actor(), message="Hej", post_id="p1", comment_id="c2", parent_id="c1"),
    event("reaction.created", actor=person(), target_id="p1", reaction="like"),
    event("reaction.created", actor=page_actor(), target_id="c1", reaction="like"),
    event("message.received", actor=person(), thread_id="t1", message="Har ni öppet?"),
    event("message.sent", actor=page_actor(), thread_id="t1", message="Ja"),
    event("source.error", code=190, message="token expired"),
    event("post.deleted", page="other", post_id="p1"),
]


def enriched(ev: Event) -> Enriched:
    return Enriched(ev, PAGE, PageKnowledge())


@pytest.mark.parametrize("source", EXPRESSIONS)
def test_a_specialised_expression_answers_as_the_general_one(source: str) -> None:
    general = compile_expr(source, KNOWN)
    for ev in EVENTS:
        special = general.specialize({"kind": ev.kind, "page": ev.page})
        assert special.eval(enriched(ev)) == general.eval(enriched(ev)), (source, ev.kind)
        assert special.test(enriched(ev)) == general.test(enriched(ev)), (source, ev.kind)
        if special.const is not None:
            assert special.const == general.test(enriched(ev))


def test_conditions_decided_by_the_kind_become_constants() -> None:
    opens = compile_expr('!by_page && question && (kind == "message.received" || kind == "comment.created")', KNOWN)
    assert opens.specialize({"kind": "reaction.created", "page": "druvan"}).const is False
    # decided by an event feature: no constant, but the kind comparisons are gone
    comment = opens.specialize({"kind": "comment.created", "page": "druvan"})
    assert comment.const is None
    assert comment.tree == And(Not(Var("by_page")), Var("question"))
    wild = compile_expr('!(kind in ["source.error", "source.recovered"])', KNOWN)
    assert wild.specialize({"kind": "comment.created", "page": "druvan"}).const is True
    assert wild.specialize({"kind": "source.error", "page": "druvan"}).const is False


def test_false_decides_an_and_even_where_the_other_side_is_an_error() -> None:
    # CEL: ``error && false`` is false. A number compared with a string is an error on every event.
    e = compile_expr('object.code == "190" && kind == "post.deleted"', KNOWN)
    assert e.specialize({"kind": "source.error"}).const is False
    assert not e.test(enriched(EVENTS[6]))


def test_nothing_to_fix_returns_the_same_expression() -> None:
    e = compile_expr("question", KNOWN)
    assert e.specialize({"kind": "comment.created", "page": "druvan"}) is e


def test_an_expression_of_the_kind_alone_outside_the_subset_is_decided_by_cel_once() -> None:
    e = compile_expr('kind.startsWith("comment.")', KNOWN)
    assert e.fast is None
    assert e.specialize({"kind": "comment.created", "page": "druvan"}).const is True
    assert e.specialize({"kind": "post.created", "page": "druvan"}).const is False


def test_a_fixed_variable_that_is_not_a_bool_where_one_is_needed_is_left_to_cel() -> None:
    # ``true && kind`` is an error in CEL, not the kind
    e = compile_expr('question || (kind == "x" && kind)', KNOWN)
    special = e.specialize({"kind": "x", "page": "druvan"})
    assert special.const is None
    for ev in EVENTS:
        assert special.eval(enriched(ev)) == e.eval(enriched(ev))
