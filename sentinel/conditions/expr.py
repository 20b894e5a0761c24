"""Rule conditions in CEL (the Common Expression Language), compiled once at load.

An expression sees the variables of ``sentinel.enrich.VARIABLES`` (``kind``, ``object``, ``actor``,
``by_page``, ``lang``, ``staffed``, ...). Named ``lists`` and ``macros`` of a rule file are expanded
before compiling: a macro is a named CEL expression used as a bare identifier, a list becomes a CEL list
literal. Nothing here ever calls Python ``eval``.

What an expression means is what CEL (the ``cel`` library) answers. An expression in the simple subset
most rules use (``syntax.py``) is also evaluated in Python (``fast.py``), which answers for the usual
values and leaves the others to CEL; ``tests/conditions/test_fast_equals_cel.py`` proves the two agree.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Protocol

import cel

from sentinel.conditions.fast import Defer, Fast, build, fold, scalar
from sentinel.conditions.syntax import Lit, Node, parse

_IDENT = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')|(?<![\w.])([A-Za-z_]\w*)(?![\w(])")
_CEL_RESERVED = {"true", "false", "null", "in", "has"}
_COMPREHENSION = re.compile(r"\.(?:all|exists|exists_one|map|filter)\(\s*([A-Za-z_]\w*)\s*,")
# what the library raises for an error of evaluation (no such key, no such overload, overflow, ...)
_CEL_ERRORS = (LookupError, ValueError, TypeError, RuntimeError, ArithmeticError)


class ExprError(ValueError):
    """An expression does not compile or refers to an unknown variable."""


class _Error:
    """The outcome of an expression whose evaluation fails in CEL."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ERROR"


ERROR: Final = _Error()


class Scope(Protocol):
    """What an expression is evaluated against (an ``Enriched`` event)."""

    def value(self, name: str) -> Any:
        """A variable's value."""

    def field(self, name: str) -> Any:
        """``object[name]`` (the ``object`` variable is a map); ``KeyError`` where it has no such key."""

    def cel_context(self, names: frozenset[str]) -> Any:
        """A ``cel.Context`` holding (at least) the variables ``names``, with ``value``'s values."""


@dataclass(frozen=True, slots=True)
class Expr:
    """A compiled condition: ``eval`` its value, ``test`` whether it holds."""

    source: str  # as written
    text: str  # with macros and lists expanded: what CEL compiled
    variables: frozenset[str]  # the variables it reads
    program: Any  # ``cel.Program``
    tree: Node | None = None  # its syntax in the simple subset (``None``: outside it, CEL alone)
    fast: Fast | None = None  # ``tree`` compiled to Python
    const: bool | None = None  # ``test``'s answer whatever the event, once ``specialize`` fixed what it reads

    def outcome(self, scope: Scope) -> Any:
        """The value, or ``ERROR``."""
        if self.fast is not None:
            try:
                return self.fast(scope)
            except Defer:
                pass
        return self.cel(scope)

    def cel(self, scope: Scope) -> Any:
        """The value CEL gives, or ``ERROR`` (the fast path's reference)."""
        context = scope.cel_context(self.variables)
        try:
            return self.program.execute(context)
        except _CEL_ERRORS:
            return ERROR

    def eval(self, scope: Scope) -> Any:
        """The expression's value; an error (a missing field, a type clash) counts as ``null``."""
        value = self.outcome(scope)
        return None if value is ERROR else value

    def test(self, scope: Scope) -> bool:
        """Whether the expression is ``true`` (an error or any other value is not)."""
        return self.outcome(scope) is True

    def specialize(self, fixed: Mapping[str, str]) -> Expr:
        """This expression for events whose variables in ``fixed`` have those values (``kind`` and ``page``
        when the engine plans the rules of a page's events of one kind): ``kind == "x" || question`` becomes
        ``question`` or ``true``, and an expression they decide gets ``const``."""
        fixed = {k: v for k, v in fixed.items() if k in self.variables}
        if not fixed:
            return self
        if self.variables <= fixed.keys():  # decided by them alone: CEL says how, once
            value = _cel_value(self.program, fixed)
            return _folded(self, Lit(value)) if scalar(value) else replace(self, const=value is True)
        if self.tree is None:
            return self
        return _folded(self, fold(self.tree, fixed))


def _folded(expr: Expr, tree: Node) -> Expr:
    const = (tree.value is True) if isinstance(tree, Lit) else None
    return replace(expr, tree=tree, fast=build(tree), const=const)


def _cel_value(program: Any, values: Mapping[str, Any]) -> Any:
    try:
        return program.execute(cel.Context(dict(values)))
    except _CEL_ERRORS:
        return ERROR


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
    bound = frozenset(_COMPREHENSION.findall(text))
    unknown = sorted(used - known - bound - _CEL_RESERVED)
    if unknown:
        hints = [h for u in unknown for h in difflib.get_close_matches(u, sorted(known), n=1)]
        hint = f"; did you mean {hints[0]!r}?" if hints else f" (known: {', '.join(sorted(known))})"
        raise ExprError(f"unknown name {unknown[0]!r} in {source!r}{hint}")
    for literal in _MATCHES_LITERAL.findall(text):
        _check_pattern(literal, source)
    tree = parse(text, known)
    fast = build(tree) if tree is not None else None
    return Expr(source, text, frozenset(used & known), program, tree, fast)


# A constant pattern of ``x.matches("...")`` or ``matches(x, "...")``: CEL compiles it only when it runs, so a bad one
# would make the condition an error on every event (never true) while ``sentinel check`` said the rule was fine.
_MATCHES_LITERAL = re.compile(r"""matches\((?:[^()"']*,)?\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)""")


def _check_pattern(literal: str, source: str) -> None:
    """``ExprError`` if CEL's regex engine (RE2's syntax: no backreferences, no look-around) refuses ``literal``."""
    try:
        cel.compile(f'"".matches({literal})').execute(cel.Context({}))
    except _CEL_ERRORS as e:
        detail = " ".join(str(e).split("error:")[-1].split()).removesuffix(" Check function arguments and their types.")
        raise ExprError(f"bad regular expression {literal} in {source!r}: {detail}") from None
