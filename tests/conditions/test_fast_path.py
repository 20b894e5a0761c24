"""The fast path: which conditions it takes, that it answers by itself for the values rules see, and that where
a value is of another type it leaves the answer to CEL (the generated proof is ``test_fast_equals_cel.py``)."""

from __future__ import annotations

import itertools
from typing import Any

import cel
import pytest

from sentinel.conditions.expr import ERROR, Expr, compile_expr
from sentinel.conditions.fast import Defer
from sentinel.config.schema import PageConfig
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.rules import load_rules
from sentinel.testing import event, page_actor, person

KNOWN = frozenset({"a", "b", "kind", "object"})
VALUES: list[Any] = [True, False, "x", None, 1, 1.0, [True], {"a": 1}]

# the shapes of the shipped rules' conditions (a variable, its negation, two joined), and nestings of them
EXPRESSIONS = [
    "a",
    "!a",
    "!!a",
    "!(!a)",
    "a && b",
    "a || b",
    "!a && b",
    "a && !b",
    "!a || !b",
    "!(a && b)",
    "!(a || !b)",
    "a && b && a",
    "(a || b) && !a",
    "a && (b || a)",
    "!a && b == true",
    'a && kind == "x"',
    '"x" && a',
    "a || 1",
    '!("x" || !b)',
    "a == b",
    "a != null",
    'a in ["x", "y"]',
    "a in [true, 1]",
    "a ? b : a",
    'a + "y"',
    "size(a) > 0",
    # lists of fields (the SLA rule's keys), and a list with something else in it
    "[object.a, object.b]",
    "[object.c, object.a, object.b]",
    "[object.a]",
    '[object.a, "k"]',
    "[object.d]",
    "has(object.a) && has(object.d)",
]


class Scope:
    """Variables ``a`` and ``b``, ``kind``, and ``object`` with the fields ``a`` and ``b`` (and ``c`` null)."""

    def __init__(self, a: Any, b: Any) -> None:
        self.values = {"a": a, "b": b, "kind": "x", "object": {"a": a, "b": b, "c": None}}

    def value(self, name: str) -> Any:
        return self.values[name]

    def field(self, name: str) -> Any:
        return self.values["object"][name]

    def cel_context(self, names: frozenset[str]) -> Any:
        return cel.Context({n: self.values[n] for n in names})


def same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b if a is not ERROR else b is ERROR)


@pytest.mark.parametrize("source", EXPRESSIONS)
def test_the_fast_path_answers_as_cel_for_values_of_every_type(source: str) -> None:
    expr = compile_expr(source, KNOWN)
    assert expr.fast is not None, source
    for a, b in itertools.product(VALUES, VALUES):
        scope = Scope(a, b)
        truth = expr.cel(scope)
        assert same(expr.outcome(scope), truth), (source, a, b)
        assert expr.test(scope) is (truth is True), (source, a, b)


@pytest.mark.parametrize("source", ["[object.a, object.b]", "[object.c, object.a, object.b]"])
def test_a_list_of_fields_is_read_natively_for_null_bool_and_string_values(source: str) -> None:
    """The fast path answers by itself (no CEL) for the values the SLA keys have."""
    expr = compile_expr(source, KNOWN)
    assert expr.fast is not None
    for a, b in itertools.product([True, False, "x", None], repeat=2):
        scope = Scope(a, b)
        assert expr.fast(scope) == expr.cel(scope), (source, a, b)


@pytest.mark.parametrize(
    "source",
    [
        'a == "x" == b',  # a chain of comparisons
        'a.startsWith("x")',  # a method
        "a == 1.5",  # a double
        "a == -1",  # a minus
        r'a == "x\"y"',  # an escape
        'a == r"x"',  # a raw string
        "a.b",  # a field of something other than object
        "[a, b,]",  # a trailing comma
    ],
)
def test_an_expression_outside_the_subset_is_cel_alone(source: str) -> None:
    expr = compile_expr(source, KNOWN)
    assert expr.tree is None and expr.fast is None


def test_the_size_of_a_string_is_left_to_cel_which_counts_its_bytes() -> None:
    expr = compile_expr("size(a)", KNOWN)
    assert expr.eval(Scope("åäö", None)) == 6  # the library's answer (CEL's spec says characters)
    assert expr.eval(Scope(["x", "y"], None)) == 2


PAGE = PageConfig(id="druvan")
EVENTS = [
    event("comment.created", actor=person(), message="Varför?", post_id="p1", comment_id="c1"),
    event("comment.created", actor=page_actor(), message="Hej", post_id="p1", comment_id="c2", parent_id="c1"),
    event("comment.hidden", actor=page_actor(), post_id="p1", comment_id="c1"),
    event("reaction.created", actor=person(), target_id="p1", reaction="like"),
    event("reaction.created", actor=page_actor(), target_id="c1", reaction="like"),
    event("message.received", actor=person(), thread_id="t1", message="Har ni öppet?"),
    event("message.sent", actor=page_actor(), thread_id="t1", message="Ja"),
    event("message.sent", actor=page_actor(), thread_id="t1", message="Ja", comment_id="c1"),
    event("post.created", actor=page_actor(), post_id="p2", message="Nytt", links=["https://a.se"]),
    event("source.error", code=190, message="token expired"),
]
# the shipped conditions CEL alone evaluates (fields of ``actor``; a regex): on role and page-setting events only
CEL_ALONE = {
    "actor.id",
    '(kind != "role.granted" || (manage_granted && !admin_known)) && actor != null && actor.type != "page"',
    "manage_removed && !by_page && admin_id != actor.id",  # hijack.lockout: the remover is not the one removed
    next(
        w.source
        for r in load_rules([], include_shipped=True).rules
        if r.id == "hijack.identity_changed"
        for w, _ in r.severity_when
        if "matches" in w.source
    ),
}


def shipped_conditions() -> list[Expr]:
    out: list[Expr] = []
    for rule in load_rules([], include_shipped=True).rules:
        out += [rule.when] if rule.when is not None else []
        out += [e for e, _ in rule.severity_when]
        out += [v for v in getattr(rule.default.detector, "__dict__", {}).values() if isinstance(v, Expr)]
    return out


def test_the_fast_path_takes_every_shipped_condition_but_those_on_actor_fields_and_a_regex() -> None:
    conditions = shipped_conditions()
    assert len(conditions) > 20
    assert {e.source for e in conditions if e.fast is None} == CEL_ALONE


@pytest.mark.parametrize("ev", EVENTS, ids=lambda ev: ev.kind)
def test_the_shipped_conditions_are_answered_without_cel_on_the_usual_events(ev: Any) -> None:
    """Where CEL has a value (not an error, such as a key list of another kind's fields)."""
    for expr in shipped_conditions():
        for e in (expr, expr.specialize({"kind": ev.kind, "page": ev.page})):
            scope = Enriched(ev, PAGE, PageKnowledge())
            truth = e.cel(scope)
            if e.fast is None or truth is ERROR:
                continue
            try:
                value = e.fast(scope)
            except Defer:
                pytest.fail(f"{e.text} deferred to CEL on {ev.kind}")
            assert same(value, truth), e.text
