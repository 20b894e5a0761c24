"""The simple subset of CEL that ``fast.py`` evaluates in Python: its syntax tree and a parser for it.

The subset is what rules mostly write: names, ``object.field``, string, int, bool and null literals,
``!``, ``&&``, ``||``, ``c ? a : b``, one comparison (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``),
string ``+``, list literals, ``size(x)`` and ``has(object.field)``. ``parse`` gives ``None`` for anything
else (an escape in a string, a float, a method call, a chain of comparisons ...): such an expression is
CEL's alone. It only ever sees text that CEL compiled, and it parses with CEL's precedence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

I64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True, slots=True)
class Lit:
    value: str | bool | int | None


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class Field:
    """``object.name``."""

    name: str


@dataclass(frozen=True, slots=True)
class Has:
    """``has(object.name)``."""

    name: str


@dataclass(frozen=True, slots=True)
class Size:
    arg: Node


@dataclass(frozen=True, slots=True)
class Not:
    arg: Node


@dataclass(frozen=True, slots=True)
class Bool:
    """``arg``, which must be a bool (what ``true && arg`` leaves once ``true`` is folded away)."""

    arg: Node


@dataclass(frozen=True, slots=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Cond:
    test: Node
    then: Node
    other: Node


@dataclass(frozen=True, slots=True)
class Compare:
    op: str  # == != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class In:
    item: Node
    items: Node


@dataclass(frozen=True, slots=True)
class Plus:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class ListOf:
    items: tuple[Node, ...]


Node = Lit | Var | Field | Has | Size | Not | Bool | And | Or | Cond | Compare | In | Plus | ListOf

_TOKEN = re.compile(
    r"""[ \t\r\n]*(?:
      (?P<string>"[^"\\\r\n]*"|'[^'\\\r\n]*')
    | (?P<op>&&|\|\||==|!=|>=|<=|[<>!()\[\],.?:+])
    | (?P<int>(?:0|[1-9][0-9]*)(?![A-Za-z0-9_.]))
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_"']))
    )""",
    re.VERBOSE,
)
_RELATIONS = ("==", "!=", "<", "<=", ">", ">=", "in")
_KEYWORDS = {"true": True, "false": False, "null": None}


class _Outside(Exception):
    """The text is not in the subset."""


def tokens(text: str) -> list[tuple[str, str]] | None:
    """``(kind, text)`` pairs, kind one of string, op, int, name; ``None`` if a token is outside the subset."""
    out: list[tuple[str, str]] = []
    pos, end = 0, len(text.rstrip())
    while pos < end:
        m = _TOKEN.match(text, pos)
        if m is None or m.lastgroup is None:
            return None
        out.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    return out


def parse(text: str, known: frozenset[str]) -> Node | None:
    """The tree of ``text`` (CEL that compiled, names from ``known``), or ``None`` outside the subset."""
    toks = tokens(text)
    if not toks:
        return None
    try:
        return _Parser(toks, known).whole()
    except _Outside:
        return None


class _Parser:
    """Recursive descent with CEL's grammar: ``expr = or ['?' or ':' expr]``, ``or = and {'||' and}``,
    ``and = relation {'&&' relation}``, ``relation = sum [op sum]``, ``sum = unary {'+' unary}``,
    ``unary = '!' unary | primary``."""

    def __init__(self, toks: list[tuple[str, str]], known: frozenset[str]) -> None:
        self.toks = toks
        self.pos = 0
        self.known = known

    def peek(self) -> str | None:
        return self.toks[self.pos][1] if self.pos < len(self.toks) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.pos >= len(self.toks) or (expected is not None and self.toks[self.pos] != ("op", expected)):
            raise _Outside
        self.pos += 1
        return self.toks[self.pos - 1]

    def whole(self) -> Node:
        node = self.expr()
        if self.pos != len(self.toks):
            raise _Outside  # e.g. a second comparison: ``a == b == c``
        return node

    def expr(self) -> Node:
        test = self.or_()
        if self.peek() != "?":
            return test
        self.take("?")
        then = self.or_()
        self.take(":")
        return Cond(test, then, self.expr())

    def or_(self) -> Node:
        node = self.and_()
        while self.peek() == "||":
            self.take()
            node = Or(node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.relation()
        while self.peek() == "&&":
            self.take()
            node = And(node, self.relation())
        return node

    def relation(self) -> Node:
        left = self.sum()
        op = self.peek()
        if op not in _RELATIONS:
            return left
        self.take()
        right = self.sum()
        return In(left, right) if op == "in" else Compare(op, left, right)

    def sum(self) -> Node:
        node = self.unary()
        while self.peek() == "+":
            self.take()
            node = Plus(node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek() == "!":
            self.take()
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        kind, tok = self.take()
        if kind == "string":
            return Lit(tok[1:-1])
        if kind == "int":
            value = int(tok)
            if value > I64[1]:
                raise _Outside
            return Lit(value)
        if kind == "op":
            if tok == "(":
                node = self.expr()
                self.take(")")
                return node
            if tok == "[":
                return self.list_()
            raise _Outside
        if tok in _KEYWORDS:
            return Lit(_KEYWORDS[tok])
        if tok == "size" and self.peek() == "(":
            self.take("(")
            node = self.expr()
            self.take(")")
            return Size(node)
        if tok == "has" and self.peek() == "(":
            self.take("(")
            name = self.field()
            self.take(")")
            return Has(name)
        if tok == "object" and self.peek() == ".":
            self.pos -= 1
            return Field(self.field())
        if tok not in self.known or self.peek() in ("(", "."):
            raise _Outside
        return Var(tok)

    def field(self) -> str:
        """``object.name``: the name."""
        if self.take() != ("name", "object"):
            raise _Outside
        self.take(".")
        kind, name = self.take()
        if kind != "name" or self.peek() in ("(", ".") or "object" not in self.known:
            raise _Outside
        return name

    def list_(self) -> ListOf:
        items: list[Node] = []
        while self.peek() != "]":
            if items:
                self.take(",")
            items.append(self.expr())
        self.take("]")
        return ListOf(tuple(items))
