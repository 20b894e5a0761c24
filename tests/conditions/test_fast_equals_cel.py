"""The fast path answers as CEL does: values, their types and errors, for generated expressions and events.

Expressions are drawn from a grammar over the variables rules use (``VARIABLES``, the fields of every kind,
the shipped rules' literals) with every operator of the simple subset, with and without parentheses, and
some forms outside it. Each is evaluated through ``Expr`` (the fast path where it answers) and by the
CEL library alone, against two kinds of events: scopes whose variables hold values of any type (null,
big ints, doubles, maps, lists of mixed values ...: the fast path must leave all of these to CEL) and
real ``Enriched`` events built from generated fields. The same holds for ``specialize``: for events with
the fixed ``kind`` and ``page``, the specialised expression gives CEL's value, and its ``const`` is what
``test`` gives on each.
"""

from __future__ import annotations

import functools
import math
from datetime import UTC, datetime
from typing import Any

import cel
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sentinel.conditions.expr import ERROR, Expr, ExprError, compile_expr
from sentinel.config.schema import PageConfig
from sentinel.enrich import KIND_FIELDS, VARIABLES, Enriched, PageKnowledge
from sentinel.model import Actor, Event

KNOWN = frozenset(VARIABLES)
BOOLS = [
    "by_page",
    "question",
    "asks_reply",
    "foreign_lang",
    "app_known",
    "admin_known",
    "actor_known",
    "manage_granted",
    "staffed",
    "learning",
    "unprompted",
]
STRINGS = [
    *("id", "kind", "page", "platform", "time", "text", "lang", "page_lang", "app", "admin_id", "weekday", "thread"),
    "post",
]
LISTS = ["links", "domains", "new_domains", "tasks"]
OTHERS = ["actor", "object", "hour", "sentiment"]
FIELDS = [*sorted({f for fields in KIND_FIELDS.values() for f in fields}), "nope"]
KINDS = sorted(KIND_FIELDS)
WORDS = ["", "druvan", "MANAGE", "page", "thread:", "x", "åäö", "sv", "facebook", "c1", "t1", "1"]
SETTINGS = settings(max_examples=1000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_generator_knows_every_variable() -> None:
    assert set(BOOLS + STRINGS + LISTS + OTHERS) == set(VARIABLES)


# -- expressions ------------------------------------------------------------------------------------------

strings = st.sampled_from(WORDS + KINDS).flatmap(lambda w: st.sampled_from([f'"{w}"', f"'{w}'"]))
literals = st.one_of(
    strings,
    st.sampled_from(["true", "false", "null", "0", "1", "23", "9223372036854775807"]),
    st.sampled_from(["1.5", "-1", "1u", r'"a\"b"', 'r"x"', '"""x"""']),  # outside the subset
)
names = st.one_of(
    st.sampled_from(BOOLS + STRINGS + LISTS + OTHERS),
    st.sampled_from(FIELDS).map(lambda f: f"object.{f}"),
)


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    wrapped = st.tuples(inner, st.booleans()).map(lambda t: f"({t[0]})" if t[1] else t[0])
    binary = st.sampled_from(["&&", "||", "==", "!=", "<", "<=", ">", ">=", "in", "+"])
    return st.one_of(
        wrapped.map(lambda a: f"!{a}"),
        st.tuples(wrapped, binary, wrapped).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(wrapped, wrapped, wrapped).map(lambda t: f"{t[0]} ? ({t[1]}) : {t[2]}"),
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.tuples(wrapped, st.lists(strings, max_size=4)).map(lambda t: f"{t[0]} in [{', '.join(t[1])}]"),
        inner.map(lambda a: f"size({a})"),
        st.sampled_from(FIELDS).map(lambda f: f"has(object.{f})"),
        st.sampled_from(["links.exists(u, u == 'x')", "text.startsWith('x')", "hour * 2 > 10", "actor.type"]),
    )


expressions = st.recursive(st.one_of(literals, names), _compound, max_leaves=8)


def compiled(source: str) -> Expr:
    try:
        return compile_expr(source, KNOWN)
    except ExprError:
        assume(False)
        raise


# -- values and events -------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(WORDS + KINDS),
    st.sampled_from([0, 1, 23, -(2**63), 2**63 - 1, 2**63, 2**64]),
    st.sampled_from([0.0, 1.0, -0.5, 1e300]),
)
wild = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3),
    max_leaves=4,
)
TYPED: dict[str, st.SearchStrategy[Any]] = {
    **{n: st.booleans() for n in BOOLS},
    **{n: st.sampled_from(WORDS + KINDS) for n in STRINGS},
    **{n: st.lists(st.sampled_from(WORDS), max_size=3) for n in LISTS},
    "hour": st.integers(0, 23),
    "sentiment": st.sampled_from([-0.5, 0.0, 0.25]),
    "actor": st.none() | st.fixed_dictionaries({"id": st.sampled_from(WORDS), "type": st.sampled_from(["page", "x"])}),
    "object": st.sampled_from([*WORDS, None]),  # (a field's value)
}


class WildScope:
    """Variables with values of the type ``VARIABLES`` says, or now and then of any other; ``object`` is a map
    (as ``Scope`` requires) with values of any type, and ``field`` reads it."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def value(self, name: str) -> Any:
        return self.values[name]

    def field(self, name: str) -> Any:
        return self.values["object"][name]

    def cel_context(self, names: frozenset[str]) -> Any:
        return cel.Context({n: self.values[n] for n in names})


@functools.cache
def wild_scopes(names: frozenset[str]) -> st.SearchStrategy[WildScope]:
    """Scopes with values for ``names`` (and ``kind`` and ``page``, for ``specialize``)."""
    values = {n: st.one_of(TYPED[n], TYPED[n], TYPED[n], wild) for n in names | {"kind", "page"}}
    values["object"] = st.dictionaries(st.sampled_from(FIELDS[:-1]), st.one_of(TYPED["object"], wild), max_size=6)
    return st.fixed_dictionaries(values).map(WildScope)


PAGE = PageConfig(id="druvan", timezone="Europe/Stockholm", staffed_hours={"mon-fri": "08:00-17:00"}, language="sv")
MESSAGES = ["Varför?", "Har ni öppet i dag", "Hej", "see https://evil.example/x", "Help me please", ""]
field_values: dict[str, st.SearchStrategy[Any]] = {
    "message": st.sampled_from(MESSAGES),
    "links": st.lists(st.sampled_from(["https://a.se/x", "http://evil.example"]), max_size=2),
    "tasks": st.lists(st.sampled_from(["MANAGE", "CREATE_CONTENT"]), max_size=2),
    "previous_tasks": st.none() | st.lists(st.sampled_from(["MANAGE", "MODERATE"]), max_size=2),
    "code": st.sampled_from([190, 4, "190"]),
    "admin": st.none() | st.fixed_dictionaries({"id": st.sampled_from(["a1", "a2"])}),
    "user": st.none() | st.fixed_dictionaries({"id": st.sampled_from(["u1"])}),
}


@st.composite
def events(draw: st.DrawFn) -> Enriched:
    kind = draw(st.sampled_from(KINDS))
    obj = {}
    for f in KIND_FIELDS[kind]:
        if draw(st.integers(0, 5)):  # now and then a field is missing
            obj[f] = draw(field_values.get(f, st.sampled_from(["c1", "c2", "t1", "name", None])))
    actor = draw(st.sampled_from([None, Actor("p1", "Druvan", "page"), Actor("u1", "Anna", "person")]))
    t = datetime(2024, 3, draw(st.integers(4, 10)), draw(st.integers(0, 23)), tzinfo=UTC)
    page = draw(st.sampled_from(["druvan", "other"]))
    return Enriched(
        Event(id="e1", time=t, platform="facebook", page=page, kind=kind, actor=actor, object=obj),
        PAGE,
        PageKnowledge(),
    )


# -- the property ------------------------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types (``1 == True`` and ``1 == 1.0`` are not the same), or both errors."""
    if a is ERROR or b is ERROR:
        return a is b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def check(expr: Expr, scope: Any, fixed: dict[str, Any]) -> None:
    truth = expr.cel(scope)
    got = expr.outcome(scope)
    assert same(got, truth), (expr.text, got, truth)
    assert expr.test(scope) is (truth is True)
    assert same(expr.eval(scope), None if truth is ERROR else truth)
    special = expr.specialize({k: v for k, v in fixed.items() if isinstance(v, str)})
    assert same(special.outcome(scope), truth), (expr.text, special.tree, truth)
    if special.const is not None:
        assert special.const is (truth is True), (expr.text, special.tree, truth)


@SETTINGS
@given(expressions, st.data())
def test_the_fast_path_gives_what_cel_gives_for_values_of_any_type(source: str, data: st.DataObject) -> None:
    expr = compiled(source)
    scope = data.draw(wild_scopes(expr.variables))
    check(expr, scope, {"kind": scope.values["kind"], "page": scope.values["page"]})


@settings(SETTINGS, max_examples=500)
@given(expressions, events())
def test_the_fast_path_gives_what_cel_gives_on_enriched_events(source: str, scope: Enriched) -> None:
    check(compiled(source), scope, {"kind": scope.kind, "page": scope.event.page})
