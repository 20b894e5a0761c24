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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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

    def eval(self, scope: Scope) -> Any:
        """The expression's value; a missing field or a type clash counts as ``null``."""
        try:
            return self.program.execute(scope.cel_context(self.variables))
        except (KeyError, ValueError, TypeError, RuntimeError):
            return None

    def test(self, scope: Scope) -> bool:
        return self.eval(scope) is True


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


def compile_expr(source: str, known: frozenset[str], *, macros: Mapping[str, str] | None = None,
                 lists: Mapping[str, Sequence[Any]] | None = None) -> Expr:
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
    return Expr(source=source, variables=frozenset(used & known), program=program)


_COMPREHENSION = re.compile(r"\.(?:all|exists|exists_one|map|filter)\(\s*([A-Za-z_]\w*)\s*,")


def _comprehension_vars(text: str) -> frozenset[str]:
    return frozenset(_COMPREHENSION.findall(text))
