"""Turn pydantic's validation errors into ``file:line:col: key.path: what``.

Unknown keys get a "did you mean" hint from the keys allowed at that place.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sentinel.config.yamlpos import Positions
from sentinel.errors import ConfigError, Issue

M = TypeVar("M", bound=BaseModel)


def _unwrap(tp: Any) -> list[Any]:
    """The model classes an annotation may hold (through Optional, list, dict, Annotated)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, dict, set, frozenset) or (
        origin is not None and getattr(origin, "__module__", "") == "collections.abc"
    ):
        out: list[Any] = []
        for a in typing.get_args(tp):
            out += _unwrap(a)
        return out
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    return []


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> set[str]:
    """Field names (and aliases) allowed in the mapping found at ``loc``."""
    current: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for m in current:
            f = m.model_fields.get(part) or next((f for f in m.model_fields.values() if f.alias == part), None)
            if f is not None:
                nxt += _unwrap(f.annotation)
        if not nxt:  # a dict key, e.g. a page id in a mapping: stay at this level's value type
            continue
        current = nxt
    keys: set[str] = set()
    for m in current:
        for name, f in m.model_fields.items():
            keys.add(f.alias or name)
    return keys


def _message(err: Any) -> str:
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if err["type"] == "missing":
        return "is required"
    if err["type"] in ("literal_error", "enum"):
        return f"{msg}, got {err.get('input')!r}"
    return msg


# A whole-config check (names used but not defined) words its findings "teams.NAME: ...", "escalation.routes[2]: ...":
# each is placed at the entry it names rather than at the file's start.
_NAMED = re.compile(r"^(teams|schedules|escalation\.policies)\.(.+?)(\.overrides)?: (.+)$")
_ROUTE = re.compile(r"^escalation\.routes\[(\d+)\]: (.+)$")


def _named_entry(data: Any, section: str, name: str) -> tuple[Any, ...]:
    node, loc = data, tuple(section.split("."))
    for part in loc:
        node = node.get(part) if isinstance(node, dict) else None
    items = node if isinstance(node, list) else []
    index = next((i for i, item in enumerate(items) if isinstance(item, dict) and item.get("name") == name), None)
    return loc if index is None else (*loc, index)


_PATH = re.compile(r"^([A-Za-z_]\w*(?:\[\d+\])?(?:\.[A-Za-z_]\w*(?:\[\d+\])?)*): (.+)$")


def _within(data: Any, loc: tuple[Any, ...], message: str) -> tuple[tuple[Any, ...], str] | None:
    """A section's own check worded "templates[1].channel: ..." (a path inside the section at ``loc``): that
    path and what is wrong, when the path is in the data; else None."""
    m = _PATH.match(message)
    if m is None:
        return None
    path: list[Any] = []
    for part in m.group(1).split("."):
        key, _, index = part.partition("[")
        path += [key, int(index[:-1])] if index else [key]
    node = data
    for p in (*loc, *path):
        found = (isinstance(node, dict) and p in node) or (
            isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node)
        )
        if not found:
            return None
        node = node[p]
    return tuple(path), m.group(2)


def _placed(data: Any, positions: Positions, message: str) -> list[Issue]:
    """One issue per "; "-joined finding of a whole-config check, each at the entry it names."""
    out = []
    for part in message.split("; "):
        if m := _ROUTE.match(part):
            out.append(positions.issue(("escalation", "routes", int(m.group(1))), m.group(2)))
        elif m := _NAMED.match(part):
            loc = _named_entry(data, m.group(1), m.group(2)) + (("overrides",) if m.group(3) else ())
            out.append(positions.issue(loc, f"{m.group(2)}: {m.group(4)}"))
        else:
            out.append(positions.issue((), part))
    return out


def validate(model: type[M], data: Any, positions: Positions, earlier: list[Issue] | None = None) -> M:
    """Validate ``data``; raise one ``ConfigError`` with every issue (``earlier`` ones included)."""
    issues: list[Issue] = list(earlier or [])
    try:
        result = model.model_validate(data if data is not None else {})
    except ValidationError as e:
        seen: set[tuple[Any, ...]] = set()
        for err in e.errors():
            # drop pydantic's union-branch and function tags from the path
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
            if err["type"] == "extra_forbidden":
                key = loc[-1]
                options = sorted(allowed_keys(model, loc[:-1]))
                hint = difflib.get_close_matches(str(key), options, n=1)
                what = f"unknown key {key!r}"
                what += f"; did you mean {hint[0]!r}?" if hint else f" (allowed: {', '.join(options)})"
                issue = positions.issue(loc, what)
            elif not loc and err["type"] == "value_error":
                issues += _placed(data, positions, _message(err))
                continue
            elif err["type"] == "value_error" and (sub := _within(data, loc, _message(err))) is not None:
                issue = positions.issue(loc + sub[0], sub[1])  # a section's check naming its own entry
            else:
                issue = positions.issue(loc, _message(err))
            if (loc, issue.what) in seen:
                continue
            seen.add((loc, issue.what))
            issues.append(issue)
    if issues:
        issues.sort(key=lambda i: (i.line or 0, i.col or 0))
        raise ConfigError(issues) from None
    return result
