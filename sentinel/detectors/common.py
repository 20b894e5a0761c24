"""Helpers shared by the detector modules: parameter models, expression hooks, list values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from sentinel.conditions.expr import Expr, ExprError
from sentinel.config.types import SentinelModel

Compile = Callable[[str], Expr]
P = TypeVar("P", bound=BaseModel)


class ParamError(ValueError):
    """A detector parameter is wrong: ``key`` names it inside the ``detect:`` block."""

    def __init__(self, key: str, what: str) -> None:
        self.key = key
        self.what = what
        super().__init__(f"{key}: {what}")


class Params(SentinelModel):
    """Base of every detector's parameter model (``type`` is the detector name)."""

    type: str


class Gate(Protocol):
    """Which events can change a detector's state at all (see ``RuleEngine._make_plan``): an ``Expr``, or
    ``Either`` of two."""

    @property
    def const(self) -> bool | None: ...

    def test(self, scope: Any) -> bool: ...


class Either:
    """The gate ``a || b`` (an event that neither opens nor closes anything, say)."""

    __slots__ = ("a", "b", "const")

    def __init__(self, a: Expr, b: Expr) -> None:
        self.a, self.b = a, b
        self.const: bool | None = None

    def test(self, scope: Any) -> bool:
        return self.a.test(scope) or self.b.test(scope)


def either(a: Expr, b: Expr) -> Gate:
    """``a || b`` as a gate, folded where either side is a constant."""
    if a.const is True or b.const is False:
        return a
    if b.const is True or a.const is False:
        return b
    return Either(a, b)


def parse_params(model: type[P], params: Mapping[str, Any]) -> P:
    """Validate ``params``; pydantic's ``ValidationError`` carries the key path for the loader."""
    return model.model_validate(dict(params))


def compile_param(compile: Compile, key: str, source: str | None) -> Expr | None:
    if source is None:
        return None
    try:
        return compile(source)
    except ExprError as e:
        raise ParamError(key, str(e)) from None


def as_list(value: Any) -> list[str]:
    """An expression's value as a list of non-empty strings (a scalar is a list of one)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None and v != ""]
    if value == "":
        return []
    return [str(value)]


def key_value(expr: Expr | None, event: Any) -> str:
    """The grouping key an optional ``key`` expression gives (``""`` = one group per page)."""
    if expr is None:
        return ""
    v = expr.eval(event)
    return "" if v is None else str(v)


def ts(t: datetime) -> str:
    return t.isoformat()
