"""The simple subset of CEL (``syntax.py``) evaluated in Python, and folded where some variables are fixed.

``build(node)`` gives a function of the scope. It answers only where the operands have the types it
expects (bools for ``!``, ``&&``, ``||`` and ``?:``; null, bool, string or 64-bit int for ``==``, ``!=`` and
``in``; ints for ``<``; strings for ``+``; a list for ``size``) and raises ``Defer`` for anything else: CEL
then decides (an error, ``error && false``, a comparison of a double with an int ...). So where it
answers, the answer is CEL's; ``tests/conditions/test_fast_equals_cel.py`` checks that over generated
expressions and events.

``fold(node, fixed)`` is the same expression for events whose ``fixed`` variables have those values:
``kind == "x" || question`` becomes ``question`` (which must be a bool) when ``kind`` is ``"y"``, and
``true`` when it is ``"x"``.

Why a fast path at all: CEL through the library costs a context per event (every variable converted)
and a call into Rust per expression; the conditions of the shipped rules are evaluated several times
for nearly every event. ``bench/rule_cost.py --conditions`` prices both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sentinel.conditions.syntax import (
    I64,
    And,
    Bool,
    Compare,
    Cond,
    Field,
    Has,
    In,
    ListOf,
    Lit,
    Node,
    Not,
    Or,
    Plus,
    Size,
    Var,
)

Fast = Callable[[Any], Any]


class Defer(Exception):
    """The fast path has no answer for these values: ask CEL."""


def scalar(v: Any) -> bool:
    """Null, a bool, a string or an int CEL holds (64 bits): the values ``==`` and ``in`` compare here."""
    t = type(v)
    return v is None or t is bool or t is str or _int64(v)


def plain(v: Any) -> bool:
    """A value CEL gives back as it was given: a scalar, a double, or a list of plain values."""
    if type(v) is list:
        return all(plain(x) for x in v)
    return type(v) is float or scalar(v)


def _int64(v: Any) -> bool:
    return type(v) is int and I64[0] <= v <= I64[1]


def equal(x: Any, y: Any) -> bool:
    """``x == y`` for two scalars, as CEL has it: values of different types are never equal."""
    return type(x) is type(y) and x == y


_ORDER: dict[str, Callable[[int, int], bool]] = {
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


def build(node: Node, whole: bool = True) -> Fast:
    """``node`` as a function of the scope; ``whole``: its value is the expression's (so it must be plain)."""
    match node:
        case Lit(value):
            return lambda s: value
        case Var(name):
            return _checked(lambda s: s.value(name)) if whole else lambda s: s.value(name)
        case Field(name):
            return _checked(_field(name)) if whole else _field(name)
        case Has(name):
            return _has(name)
        case Not(arg):
            return _not(build(arg, False))
        case Bool(arg):
            return _bool(build(arg, False))
        case And(left, right):
            return _junction(build(left, False), build(right, False), False)
        case Or(left, right):
            return _junction(build(left, False), build(right, False), True)
        case Cond(test, then, other):
            return _cond(build(test, False), build(then, whole), build(other, whole))
        case Compare(op, left, right):
            a, b = build(left, False), build(right, False)
            return _equals(a, b, op == "!=") if op in ("==", "!=") else _order(a, b, _ORDER[op])
        case In(item, items):
            literals = _literals(items)
            if literals is not None:
                return _member(build(item, False), literals)
            return _contains(build(item, False), build(items, False))
        case Plus(left, right):
            return _concat(build(left, False), build(right, False))
        case ListOf(items):
            return _list(tuple(build(i, False) for i in items))
        case Size(arg):
            return _size(build(arg, False))
    raise AssertionError(node)


def _literals(node: Node) -> frozenset[tuple[type, Any]] | None:
    """A list of literals as ``(type, value)`` pairs (``true`` is not ``1``), else ``None``."""
    if not isinstance(node, ListOf):
        return None
    values = [i.value for i in node.items if isinstance(i, Lit)]
    return frozenset((type(v), v) for v in values) if len(values) == len(node.items) else None


def _checked(fn: Fast) -> Fast:
    def get(s: Any) -> Any:
        v = fn(s)
        if not plain(v):
            raise Defer  # a map, a tuple, an int beyond 64 bits ...: CEL converts it
        return list(v) if type(v) is list else v  # (a list of its own, as CEL gives)

    return get


def _field(name: str) -> Fast:
    def get(s: Any) -> Any:
        try:
            return s.field(name)
        except KeyError:
            raise Defer from None  # CEL: no such key

    return get


def _has(name: str) -> Fast:
    def has(s: Any) -> Any:
        try:
            s.field(name)
        except KeyError:
            return False
        return True

    return has


def _not(arg: Fast) -> Fast:
    def negate(s: Any) -> Any:
        v = arg(s)
        if v is True or v is False:
            return not v
        raise Defer

    return negate


def _bool(arg: Fast) -> Fast:
    def boolean(s: Any) -> Any:
        v = arg(s)
        if v is True or v is False:
            return v
        raise Defer

    return boolean


def _junction(left: Fast, right: Fast, absorbing: bool) -> Fast:
    """``left && right`` (``absorbing`` false) or ``left || right`` (true). A left side that is not a bool
    defers: CEL's ``&&`` and ``||`` look at both sides for the absorbing value."""

    other = not absorbing

    def junction(s: Any) -> Any:
        x = left(s)
        if x is absorbing:
            return x
        if x is not other:
            raise Defer
        y = right(s)
        if y is True or y is False:
            return y
        raise Defer

    return junction


def _cond(test: Fast, then: Fast, other: Fast) -> Fast:
    def cond(s: Any) -> Any:
        v = test(s)
        if v is True:
            return then(s)
        if v is False:
            return other(s)
        raise Defer

    return cond


def _equals(left: Fast, right: Fast, negate: bool) -> Fast:
    def equals(s: Any) -> Any:
        x, y = left(s), right(s)
        if scalar(x) and scalar(y):
            return equal(x, y) is not negate
        raise Defer

    return equals


def _order(left: Fast, right: Fast, op: Callable[[int, int], bool]) -> Fast:
    def order(s: Any) -> Any:
        x, y = left(s), right(s)
        if _int64(x) and _int64(y):
            return op(x, y)
        raise Defer

    return order


def _member(item: Fast, items: frozenset[tuple[type, Any]]) -> Fast:
    """``item in [literals]``."""

    def member(s: Any) -> Any:
        x = item(s)
        if scalar(x):
            return (type(x), x) in items
        raise Defer

    return member


def _contains(item: Fast, items: Fast) -> Fast:
    def contains(s: Any) -> Any:
        x, xs = item(s), items(s)
        if scalar(x) and type(xs) is list and all(scalar(v) for v in xs):
            return any(equal(x, v) for v in xs)
        raise Defer  # a map, an element of another type ...

    return contains


def _concat(left: Fast, right: Fast) -> Fast:
    def concat(s: Any) -> Any:
        x, y = left(s), right(s)
        if type(x) is str and type(y) is str:
            return x + y
        raise Defer

    return concat


def _list(items: tuple[Fast, ...]) -> Fast:
    def make(s: Any) -> Any:
        out = [item(s) for item in items]
        if all(plain(v) for v in out):
            return out
        raise Defer

    return make


def _size(arg: Fast) -> Fast:
    """``size`` of a list (the library counts a string's UTF-8 bytes, not its characters: that is CEL's)."""

    def size(s: Any) -> Any:
        v = arg(s)
        if type(v) is list:
            return len(v)
        raise Defer

    return size


# -- folding ---------------------------------------------------------------------------------------------


def fold(node: Node, fixed: Mapping[str, Any]) -> Node:
    """``node`` for events whose variables in ``fixed`` have those (scalar) values; what they decide is
    decided here. Literal operands are computed by ``build``'s functions, so folding cannot disagree."""
    match node:
        case Var(name) if name in fixed and scalar(fixed[name]):
            return Lit(fixed[name])
        case Lit() | Var() | Field() | Has():
            return node
        case And(left, right) | Or(left, right):
            return _fold_junction(fold(left, fixed), fold(right, fixed), isinstance(node, Or))
        case Cond(test, then, other):
            test = fold(test, fixed)
            if isinstance(test, Lit) and type(test.value) is bool:
                return fold(then if test.value else other, fixed)
            return Cond(test, fold(then, fixed), fold(other, fixed))
        case Not(arg):
            return _computed(Not(fold(arg, fixed)))
        case Bool(arg):
            return _computed(Bool(fold(arg, fixed)))
        case Size(arg):
            return _computed(Size(fold(arg, fixed)))
        case Compare(op, left, right):
            return _computed(Compare(op, fold(left, fixed), fold(right, fixed)))
        case In(item, items):
            return _computed(In(fold(item, fixed), fold(items, fixed)))
        case Plus(left, right):
            return _computed(Plus(fold(left, fixed), fold(right, fixed)))
        case ListOf(items):
            return ListOf(tuple(fold(i, fixed) for i in items))  # (a list is made afresh for each event)
    raise AssertionError(node)


def _fold_junction(left: Node, right: Node, absorbing: bool) -> Node:
    """``left && right`` (``absorbing`` false) or ``left || right`` (true): the absorbing value on either side
    decides (CEL: ``error && false`` is false); the other value drops out, leaving a side that must be a bool."""
    if _is(left, absorbing) or _is(right, absorbing):
        return Lit(absorbing)
    if _is(left, not absorbing):
        return _computed(Bool(right))
    if _is(right, not absorbing):
        return _computed(Bool(left))
    return Or(left, right) if absorbing else And(left, right)


def _is(node: Node, value: bool) -> bool:
    return isinstance(node, Lit) and node.value is value


def _computed(node: Node) -> Node:
    """``node`` as a literal where its operands are constants and the fast path has its value; a ``Bool`` of
    a node that gives only bools is that node."""
    if isinstance(node, Bool) and isinstance(node.arg, Not | Bool | And | Or | Compare | In | Has):
        return node.arg
    if not all(_constant(o) for o in _operands(node)):
        return node
    try:
        value = build(node, False)(None)  # (no scope: constant operands read none)
    except Defer:
        return node  # CEL's to answer (an error, or a comparison across types) for every event
    return Lit(value) if scalar(value) else node


def _operands(node: Node) -> tuple[Node, ...]:
    match node:
        case Not(arg) | Bool(arg) | Size(arg):
            return (arg,)
        case Compare(_, left, right) | Plus(left, right) | In(left, right):
            return (left, right)
    return ()


def _constant(node: Node) -> bool:
    """A literal, or a list of constants."""
    return isinstance(node, Lit) or (isinstance(node, ListOf) and all(_constant(i) for i in node.items))
