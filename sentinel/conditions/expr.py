"""Rule conditions in CEL (the Common Expression Language), compiled once at load.

An expression sees the variables of ``sentinel.enrich.VARIABLES`` (``kind``,
``object``, ``actor``, ``by_page``, ``lang``, ``staffed``, ...). Named
``lists`` and ``macros`` of a rule file are expanded before compiling: a
macro is a named CEL expression used as a bare identifier, a list becomes a
CEL list literal. Nothing here ever calls Python ``eval``.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

import cel

_IDENT = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')|(?<![\w.])([A-Za-z_]\w*)(?![\w(])")
_CEL_RESERVED = {"true", "false", "null", "in", "has"}


class ExprError(ValueError):
    """An expression does not compile or refers to an unknown variable."""


class Scope(Protocol):
    """What an expression is evaluated against (an ``Enriched`` event)."""

    def cel_context(self, names: frozenset[str]) -> Any: ...


@dataclass(frozen=True, slots=True)
class Expr:
    source: str
    variables: frozenset[str]
    program: Any
    fast: Any = None  # the same expression evaluated natively (``native``), when it is simple enough
    text: str = ""  # ``source`` with macros and lists expanded
    known: frozenset[str] = frozenset()
    const: bool | None = None  # the value whatever the event, once ``specialize`` fixed the variables it uses

    def specialize(self, values: Mapping[str, str]) -> Expr:
        """This expression with some variables fixed (``kind`` and ``page`` when the engine plans the rules of a
        page's events of one kind): ``kind == "x" || question`` becomes ``question`` or ``true``, and an
        expression decided by the fixed values alone gets ``const``. Its value for events that have those
        values is unchanged."""
        fixed = {k: v for k, v in values.items() if k in self.variables}
        if self.fast is None or not fixed:
            return self
        fast = native(self.text, self.known, fixed)
        if fast is None:
            return self
        const = fast.value if isinstance(fast, _Const) and type(fast.value) is bool else None
        return Expr(self.source, self.variables, self.program, fast, self.text, self.known, const)

    def eval(self, scope: Scope) -> Any:
        """The expression's value; a missing field or a type clash counts as ``null``."""
        fast = self.fast
        if fast is not None:
            try:
                return fast(scope)
            except (_Fallback, AttributeError):
                pass
        try:
            return self.program.execute(scope.cel_context(self.variables))
        except (KeyError, ValueError, TypeError, RuntimeError):
            return None

    def test(self, scope: Scope) -> bool:
        fast = self.fast
        if fast is not None:  # ``eval`` inlined: this runs several times per event
            try:
                return fast(scope) is True
            except (_Fallback, AttributeError):
                pass
        try:
            return self.program.execute(scope.cel_context(self.variables)) is True
        except (KeyError, ValueError, TypeError, RuntimeError):
            return False


def expand(source: str, macros: Mapping[str, str], lists: Mapping[str, Sequence[Any]], _depth: int = 0) -> str:
    """Replace macro and list names (outside string literals) by their definitions."""
    if _depth > 10:
        raise ExprError("macros nest too deeply (a macro that uses itself?)")

    def sub(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1)
        name = m.group(2)
        if name in macros:
            return "(" + expand(macros[name], macros, lists, _depth + 1) + ")"
        if name in lists:
            return json.dumps(list(lists[name]), ensure_ascii=False)
        return name

    return _IDENT.sub(sub, source)


def compile_expr(
    source: str,
    known: frozenset[str],
    *,
    macros: Mapping[str, str] | None = None,
    lists: Mapping[str, Sequence[Any]] | None = None,
) -> Expr:
    """Compile ``source``; ``ExprError`` names a syntax error or an unknown variable."""
    if not isinstance(source, str) or not source.strip():
        raise ExprError("an expression must be a non-empty string")
    text = expand(source, macros or {}, lists or {})
    try:
        program = cel.compile(text)
    except (ValueError, RuntimeError) as e:
        msg = str(e).split("\n", 1)[0].replace(f"Failed to parse expression '{text}': ", "")
        raise ExprError(f"bad expression {source!r}: {msg}") from None
    used = frozenset(program.variables())
    bound = _comprehension_vars(text)
    unknown = sorted(used - known - bound - _CEL_RESERVED)
    if unknown:
        import difflib

        hints = [h for u in unknown for h in difflib.get_close_matches(u, sorted(known), n=1)]
        hint = f"; did you mean {hints[0]!r}?" if hints else f" (known: {', '.join(sorted(known))})"
        raise ExprError(f"unknown name {unknown[0]!r} in {source!r}{hint}")
    return Expr(
        source=source,
        variables=frozenset(used & known),
        program=program,
        fast=native(text, known),
        text=text,
        known=known,
    )


_COMPREHENSION = re.compile(r"\.(?:all|exists|exists_one|map|filter)\(\s*([A-Za-z_]\w*)\s*,")


def _comprehension_vars(text: str) -> frozenset[str]:
    return frozenset(_COMPREHENSION.findall(text))


# -- a native fast path for the simple conditions most rules use ---------------------------------------
#
# ``!by_page``, ``kind in ["a", "b"]``, ``by_page && (kind == "x" || question)``, ``[object.a, object.b]``:
# such expressions are evaluated in Python, without building a CEL context. Anything else compiles to CEL
# only. At run time a value of an unexpected type (a null compared with a string, a missing field ...)
# raises ``_Fallback`` and the CEL program decides, so the result is always CEL's.


class _Fallback(Exception):
    pass


_FALLBACK = _Fallback()
Native = Callable[[Any], Any]
_TOKENS = re.compile(
    r"\s*(?:(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
    r"|(&&|\|\||==|!=|>=|<=|[<>!()\[\],.])|([A-Za-z_]\w*|\d+(?![\w.])))"
)
_SIMPLE_STRING = re.compile(r"^[^\\\"']*$")


def _tokenize(text: str) -> list[str] | None:
    out: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKENS.match(text, pos)
        if m is None or m.end() == pos:
            return None
        out.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
    return out


class _Parser:
    """Recursive descent over the subset: ||, &&, !, ==, !=, in, (), list literals, names, object.f, strings."""

    def __init__(self, tokens: list[str], known: frozenset[str], fixed: Mapping[str, str | bool]) -> None:
        self.t = tokens
        self.i = 0
        self.known = known
        self.fixed = fixed

    def peek(self) -> str | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, tok: str | None = None) -> str:
        cur = self.peek()
        if cur is None or (tok is not None and cur != tok):
            raise _Fallback
        self.i += 1
        return cur

    def parse(self) -> Native:
        fn = self.or_()
        if self.peek() is not None:
            raise _Fallback
        return fn

    def or_(self) -> Native:
        left = self.and_()
        while self.peek() == "||":
            self.take()
            left = _or(left, self.and_())
        return left

    def and_(self) -> Native:
        left = self.rel()
        while self.peek() == "&&":
            self.take()
            left = _and(left, self.rel())
        return left

    def rel(self) -> Native:
        left = self.unary()
        op = self.peek()
        if op in ("==", "!="):
            self.take()
            return _eq(left, self.unary(), op == "!=")
        if op in _COMPARE:
            self.take()
            return _cmp(left, self.unary(), _COMPARE[op])
        if op == "in":
            self.take()
            if self.peek() != "[":
                raise _Fallback
            items = self.list_items()
            if not all(isinstance(x, str) for x in items):
                raise _Fallback
            return _in(left, frozenset(items))
        return left

    def unary(self) -> Native:
        if self.peek() == "!":
            self.take()
            return _not(self.unary())
        return self.primary()

    def list_items(self) -> list[Any]:
        self.take("[")
        items: list[Any] = []
        while self.peek() != "]":
            tok = self.take()
            if tok[0] in "\"'" and _SIMPLE_STRING.match(tok[1:-1]):
                items.append(tok[1:-1])
            else:
                raise _Fallback
            if self.peek() == ",":
                self.take()
        self.take("]")
        return items

    def primary(self) -> Native:
        tok = self.peek()
        if tok is None:
            raise _Fallback
        if tok == "(":
            self.take()
            fn = self.or_()
            self.take(")")
            return fn
        if tok == "[":
            self.take()
            parts: list[Native] = []
            while self.peek() != "]":
                parts.append(self.primary())
                if self.peek() == ",":
                    self.take()
                elif self.peek() != "]":
                    raise _Fallback
            self.take("]")
            return _list(tuple(parts))
        self.take()
        if tok[0] in "\"'":
            if not _SIMPLE_STRING.match(tok[1:-1]):
                raise _Fallback
            return _Const(tok[1:-1])
        if tok in ("true", "false"):
            return _Const(tok == "true")
        if tok.isdigit():
            return _Const(int(tok))
        if tok == "size" and self.peek() == "(":
            self.take("(")
            name = self.take()
            self.take(")")
            if name not in self.known or name in _CEL_RESERVED:
                raise _Fallback
            return _size(name)
        if tok not in self.known or tok in _CEL_RESERVED:
            raise _Fallback
        if self.peek() == ".":
            self.take()
            field = self.take()
            if tok != "object" or not re.fullmatch(r"[A-Za-z_]\w*", field) or self.peek() in ("(", "."):
                raise _Fallback
            return _field(field)
        if self.peek() == "(":
            raise _Fallback
        if tok in self.fixed:
            return _Const(self.fixed[tok])
        return _var(tok)


class _Const:
    """A value known when the expression is compiled (a literal, or a variable ``specialize`` fixed)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, e: Any) -> Any:
        return self.value


def _is(fn: Native, value: bool) -> bool:
    return isinstance(fn, _Const) and fn.value is value


_BOOLEAN: weakref.WeakSet[Native] = weakref.WeakSet()  # functions that give a bool or raise ``_Fallback``


def _bool(fn: Native) -> Native:
    _BOOLEAN.add(fn)
    return fn


def _boolean(fn: Native) -> Native:
    """``fn`` where only a bool may come out (what ``&&`` with a ``true`` operand leaves)."""
    if (isinstance(fn, _Const) and type(fn.value) is bool) or fn in _BOOLEAN:
        return fn
    if fn in _TERMS:
        return _term(_TERMS[fn][0], False)

    def check(e: Any) -> Any:
        v = fn(e)
        if v is True or v is False:
            return v
        raise _FALLBACK

    return _bool(check)


def _var(name: str) -> Native:
    if name in ("id", "page", "platform", "time"):
        return _value(name)

    def get(e: Any) -> Any:
        v = getattr(e, name)  # an ``Enriched`` feature (what ``value`` returns for these names)
        if v is True or v is False or type(v) is str:
            return v
        raise _FALLBACK

    _TERMS[get] = (name, False)  # as an operand of ``&&`` or ``||``, a term (a string there is CEL's to judge)
    return get


# The most common conditions are a variable, its negation, or two such joined (``!by_page``, ``by_page``,
# ``!by_page && question``): each such function is one call that reads its variables itself, instead of one call per
# operator and variable (they run for nearly every event). ``_TERMS``: function -> (variable, negated) of the ones
# that give a variable's bool, or its negation, and raise ``_Fallback`` on anything else (a plain ``_var`` too: it
# gives a string, but an operator of the subset given a string raises, as a term does).
_TERMS: weakref.WeakKeyDictionary[Native, tuple[str, bool]] = weakref.WeakKeyDictionary()


def _term(name: str, negated: bool) -> Native:
    """The bool ``name`` (``!name`` if ``negated``): ``_Fallback`` for any other value."""
    if negated:

        def term(e: Any) -> Any:
            v = getattr(e, name)
            if v is True:
                return False
            if v is False:
                return True
            raise _FALLBACK
    else:

        def term(e: Any) -> Any:
            v = getattr(e, name)
            if v is True or v is False:
                return v
            raise _FALLBACK

    _TERMS[term] = (name, negated)
    return _bool(term)


def _terms(a: tuple[str, bool], b: tuple[str, bool], absorbing: bool) -> Native:
    """``a && b`` (``absorbing`` false) or ``a || b`` (true) of two terms, as ``_junction`` computes it."""
    (na, neg_a), (nb, neg_b) = a, b

    def junction(e: Any) -> Any:
        x = getattr(e, na)
        if x is not True and x is not False:
            raise _FALLBACK
        if (x is not absorbing) if neg_a else (x is absorbing):
            return absorbing
        y = getattr(e, nb)
        if y is True:
            return not neg_b
        if y is False:
            return neg_b
        raise _FALLBACK

    return _bool(junction)


def _value(name: str) -> Native:
    def get(e: Any) -> Any:
        v = e.value(name)
        if v is True or v is False or type(v) is str:
            return v
        raise _FALLBACK

    return get


def _field(name: str) -> Native:
    def get(e: Any) -> Any:
        try:
            v = e.field(name)  # ``Enriched.field``: ``object[name]`` without copying the object
        except KeyError:
            raise _FALLBACK from None
        if v is None or v is True or v is False or type(v) is str:
            return v
        raise _FALLBACK

    _FIELDS[get] = name
    return get


_FIELDS: weakref.WeakKeyDictionary[Native, str] = weakref.WeakKeyDictionary()  # ``_field``'s functions -> the field


def _list(parts: tuple[Native, ...]) -> Native:
    names = tuple(None if isinstance(p, _Const) else _FIELDS.get(p) for p in parts)  # (a ``_Const`` has no weakref)
    if names and None not in names:
        return _fields(cast(tuple[str, ...], names))
    return lambda e: [p(e) for p in parts]


def _fields(names: tuple[str, ...]) -> Native:
    """``[object.a, object.b, ...]`` (the SLA rule's keys, for every question and answer) as one function: the list
    of ``_field``'s values, without a call per element."""

    def get(e: Any) -> Any:
        field = e.field
        out = []
        for name in names:
            try:
                v = field(name)
            except KeyError:
                raise _FALLBACK from None
            if v is None or v is True or v is False or type(v) is str:
                out.append(v)
            else:
                raise _FALLBACK
        return out

    return get


def _not(fn: Native) -> Native:
    if isinstance(fn, _Const) and type(fn.value) is bool:
        return _Const(not fn.value)
    if fn in _TERMS:
        name, negated = _TERMS[fn]
        return _term(name, not negated)

    def neg(e: Any) -> Any:
        v = fn(e)
        if v is True:
            return False
        if v is False:
            return True
        raise _FALLBACK

    return _bool(neg)


def _fold(a: Native, b: Native, absorbing: bool) -> Native | None:
    """``a && b`` (``absorbing`` false) or ``a || b`` (true) when a constant side decides it or drops out.
    CEL's && and || are commutative over errors: the absorbing value on either side decides."""
    if _is(a, absorbing) or _is(b, absorbing):
        return _Const(absorbing)
    if _is(a, not absorbing):
        return _boolean(b)
    if _is(b, not absorbing):
        return _boolean(a)
    return None


def _junction(a: Native, b: Native, absorbing: bool) -> Native:
    """``a && b`` (``absorbing`` false) or ``a || b`` (true): both sides must be bools, else CEL decides."""
    folded = _fold(a, b, absorbing)
    if folded is not None:
        return folded
    if a in _TERMS and b in _TERMS:
        return _terms(_TERMS[a], _TERMS[b], absorbing)
    other = not absorbing

    def junction(e: Any) -> Any:
        x = a(e)
        if x is absorbing:
            return absorbing
        if x is not other:
            raise _FALLBACK
        y = b(e)
        if y is True or y is False:
            return y
        raise _FALLBACK

    return _bool(junction)


def _and(a: Native, b: Native) -> Native:
    return _junction(a, b, False)


def _or(a: Native, b: Native) -> Native:
    return _junction(a, b, True)


def _eq(a: Native, b: Native, negate: bool) -> Native:
    if isinstance(a, _Const) and isinstance(b, _Const) and type(a.value) is type(b.value) and a.value is not None:
        return _Const((a.value != b.value) if negate else (a.value == b.value))

    def eq(e: Any) -> Any:
        x, y = a(e), b(e)
        if type(x) is not type(y) or x is None:
            raise _FALLBACK
        return (x != y) if negate else (x == y)

    return _bool(eq)


_COMPARE: dict[str, Callable[[int, int], bool]] = {
    ">": lambda x, y: x > y,
    "<": lambda x, y: x < y,
    ">=": lambda x, y: x >= y,
    "<=": lambda x, y: x <= y,
}


def _size(name: str) -> Native:
    def size(e: Any) -> Any:
        v = getattr(e, name)
        if type(v) is list or type(v) is str:
            return len(v)
        raise _FALLBACK

    return size


def _cmp(a: Native, b: Native, op: Callable[[int, int], bool]) -> Native:
    def compare(e: Any) -> Any:
        x, y = a(e), b(e)
        if type(x) is not int or type(y) is not int:
            raise _FALLBACK
        return op(x, y)

    return _bool(compare)


def _in(a: Native, items: frozenset[str]) -> Native:
    if isinstance(a, _Const) and type(a.value) is str:
        return _Const(a.value in items)

    def member(e: Any) -> Any:
        x = a(e)
        if type(x) is not str:
            raise _FALLBACK
        return x in items

    return _bool(member)


def native(text: str, known: frozenset[str], fixed: Mapping[str, str | bool] | None = None) -> Native | None:
    """A Python function computing ``text`` as CEL would, or ``None`` if it is outside the simple subset.
    ``fixed``: variables whose value is known now; the parts they decide are computed once, here."""
    tokens = _tokenize(text)
    if not tokens:
        return None
    try:
        return _Parser(tokens, known, fixed or {}).parse()
    except _Fallback:
        return None
