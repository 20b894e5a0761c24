"""Annotation templates: ``{{ labels.user }}``, ``{{ values.count }}``, ``{{ event.actor.name }}``.

A deliberately tiny language: dotted lookups, nothing else (no code runs).
A missing value renders as ``?``. A value given in several languages (a
mapping from language codes, such as a detector's explanation
``{"en": ..., "sv": ...}``) renders in the language asked for, else English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sentinel.model import LANGUAGES

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


def is_localized(v: Any) -> bool:
    """A text in several languages: a non-empty mapping whose keys are all languages Sentinel writes."""
    return isinstance(v, Mapping) and bool(v) and all(k in LANGUAGES for k in v)


def _fmt(v: Any, lang: str | None) -> str:
    if v is None:
        return "?"
    if is_localized(v):
        return _fmt(pick_language(v, lang), lang)
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    if isinstance(v, list | tuple):
        return ", ".join(_fmt(x, lang) for x in v)
    return str(v)


def render(template: str, data: Mapping[str, Any], lang: str | None = None) -> str:
    """``template`` filled from ``data``; a value given in several languages is written in ``lang``."""
    return _FIELD.sub(lambda m: _fmt(_lookup(data, m.group(1)), lang), template)


def pick_language(texts: Mapping[str, str], lang: str | None) -> str:
    """The text in the page's language (``sv`` or ``en``), else English, else any."""
    if lang and lang in texts:
        return texts[lang]
    if "en" in texts:
        return texts["en"]
    return next(iter(texts.values()), "")
