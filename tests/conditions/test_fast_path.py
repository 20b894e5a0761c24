"""The native fast path of conditions (``expr.native``) answers as CEL does, for values of every type."""

from __future__ import annotations

import itertools
from typing import Any

import cel
import pytest

from sentinel.conditions.expr import _TERMS, compile_expr

KNOWN = frozenset({"a", "b", "kind", "object"})
VALUES: list[Any] = [True, False, "x", None, 1]

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
    # lists of fields (the SLA rule's keys), and a list with something else in it
    "[object.a, object.b]",
    "[object.c, object.a, object.b]",
    "[object.a]",
    '[object.a, "k"]',
    "[object.d]",
]


class Scope:
    """Variables ``a`` and ``b``, ``kind``, and ``object`` with the fields ``a`` and ``b`` (and ``c`` null); CEL
    sees the same values."""

    def __init__(self, a: Any, b: Any) -> None:
        self.a, self.b, self.kind = a, b, "x"
        self.object = {"a": a, "b": b, "c": None}

    def field(self, name: str) -> Any:
        return self.object[name]  # (``KeyError`` for another name, as ``Enriched.field``)

    def cel_context(self, names: frozenset[str]) -> Any:
        return cel.Context({n: getattr(self, n) for n in names})


def cel_value(program: Any, scope: Scope) -> Any:
    try:
        return program.execute(scope.cel_context(KNOWN))
    except (KeyError, ValueError, TypeError, RuntimeError):
        return None


@pytest.mark.parametrize("source", EXPRESSIONS)
def test_native_answers_as_cel(source: str) -> None:
    expr = compile_expr(source, KNOWN)
    assert expr.fast is not None, source
    for a, b in itertools.product(VALUES, VALUES):
        scope = Scope(a, b)
        expected = cel_value(expr.program, scope)
        assert expr.eval(scope) == expected and type(expr.eval(scope)) is type(expected), (source, a, b)
        assert expr.test(scope) is (expected is True), (source, a, b)


@pytest.mark.parametrize("source", ["a", "!a", "!a && b", "a || !b", '!a && kind == "x"'])
def test_a_variable_its_negation_and_two_joined_are_one_function(source: str) -> None:
    """No call per operator: the function reads the variables itself (``kind`` fixed to "x" drops out)."""
    fast = compile_expr(source, KNOWN).specialize({"kind": "x"}).fast
    assert fast in _TERMS or (
        fast.__name__ == "junction"
        and fast.__closure__ is not None
        and all(not callable(c.cell_contents) for c in fast.__closure__)
    ), source


@pytest.mark.parametrize("source", ["[object.a, object.b]", "[object.c, object.a, object.b]"])
def test_a_list_of_fields_is_read_natively_for_null_bool_and_string_values(source: str) -> None:
    """The fast path answers by itself (no fall back to CEL) for the values the SLA keys have."""
    expr = compile_expr(source, KNOWN)
    for a, b in itertools.product([True, False, "x", None], repeat=2):
        scope = Scope(a, b)
        assert expr.fast(scope) == cel_value(expr.program, scope), (source, a, b)
