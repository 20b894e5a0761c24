"""Annotation templates: ``{{ labels.user }}``, ``{{ values.count }}``, ``{{ event.actor.name }}``.

A deliberately tiny language: dotted lookups, nothing else (no code runs).
A missing value renders as ``?``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_FIELD = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")
ROOTS = frozenset({"labels", "values", "event", "page", "rule"})


def check(template: str) -> str | None:
    """A reason why ``template`` is wrong, or None."""
    for m in _FIELD.finditer(template):
        root = m.group(1).split(".", 1)[0]
        if root not in ROOTS:
            return f"unknown template name {root!r} in {m.group(0)!r} (use one of: {', '.join(sorted(ROOTS))})"
    if "{{" in _FIELD.sub("", template):
        return "unclosed or malformed '{{ ... }}' (write {{ labels.name }})"
    return None


def _lookup(data: Mapping[str, Any], path: str) -> Any:
    cur: Any = data
    for part in path.split("."):
        if isinstance(cur, Mapping) and part in cur:
            cur = cur[part]
        else:
            return None
    return cur


def _fmt(v: Any) -> str:
    if v is None:
        return "?"
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    if isinstance(v, list | tuple):
        return ", ".join(_fmt(x) for x in v)
    return str(v)


def render(template: str, data: Mapping[str, Any]) -> str:
    return _FIELD.sub(lambda m: _fmt(_lookup(data, m.group(1))), template)


def pick_language(texts: Mapping[str, str], lang: str | None) -> str:
    """The text in the page's language (``sv`` or ``en``), else English, else any."""
    if lang and lang in texts:
        return texts[lang]
    if "en" in texts:
        return texts["en"]
    return next(iter(texts.values()), "")
