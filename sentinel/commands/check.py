"""Rule checks for ``sentinel check``: ``check_rules(dirs) -> list[Issue]`` (empty when all is well)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sentinel.errors import ConfigError, Issue
from sentinel.rules.ruleset import load_rules


def check_rules(
    dirs: Sequence[Path | str] = (), *, include_shipped: bool = True, disabled: Sequence[str] = ()
) -> list[Issue]:
    """Every problem in the shipped packs and ``dirs``: file:line, and a clear reason."""
    try:
        load_rules(list(dirs), include_shipped=include_shipped, disabled=disabled)
    except ConfigError as e:
        return list(e.issues)
    return []
