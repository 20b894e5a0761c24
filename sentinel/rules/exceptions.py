"""Rule ``exceptions``: (field, operator, value) tuples that keep an event from alerting.

``{field: actor.id, op: in, values: ["1001", "1002"]}`` skips events by an
approved agency's admins. ``field`` is an enrichment variable, optionally
with a dotted path into it (``object.user.id``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sentinel.rules.format import ExceptionSpec


@dataclass(frozen=True, slots=True)
class RuleException:
    root: str
    path: tuple[str, ...]
    test: Callable[[Any], bool]
    text: str

    def applies(self, event: Any) -> bool:
        v = event.value(self.root)
        for p in self.path:
            v = v.get(p) if isinstance(v, Mapping) else None
        return self.test(v)


def _s(v: Any) -> str:
    return "" if v is None else str(v)


def compile_exception(spec: ExceptionSpec, known: frozenset[str]) -> RuleException:
    root, *path = spec.field.split(".")
    if root not in known:
        raise ValueError(f"unknown field {spec.field!r} (known: {', '.join(sorted(known))})")
    op = spec.op
    if op in ("in", "not_in"):
        if spec.values is None:
            raise ValueError(f"op {op!r} needs 'values: [...]'")
        vals = frozenset(_s(v) for v in spec.values)
        test: Callable[[Any], bool] = (lambda v: _s(v) in vals) if op == "in" else (lambda v: _s(v) not in vals)
    else:
        if spec.value is None:
            raise ValueError(f"op {op!r} needs 'value'")
        want = _s(spec.value)
        tests: dict[str, Callable[[Any], bool]] = {
            "eq": lambda v: _s(v) == want,
            "ne": lambda v: _s(v) != want,
            "contains": lambda v: want in v if isinstance(v, list) else want in _s(v),
            "startswith": lambda v: _s(v).startswith(want),
            "endswith": lambda v: _s(v).endswith(want),
        }
        test = tests[op]
    return RuleException(root, tuple(path), test, f"{spec.field} {op} {spec.values or spec.value}")
