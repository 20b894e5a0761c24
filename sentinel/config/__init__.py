"""Config machinery that belongs to no stage: YAML with positions, durations, secrets, where a config came from.

Each stage owns its section's schema (``sentinel.escalation.config``, ``sentinel.notify.config``, ...);
``sentinel.settings`` composes them into the whole file and loads it. This package imports no stage.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from sentinel.config.schema import PageConfig
from sentinel.config.types import Duration, Secret, SentinelModel, parse_duration
from sentinel.config.yamlpos import Positions
from sentinel.errors import ConfigError, Issue

__all__ = [
    "ConfigError",
    "ConfigSource",
    "Duration",
    "PageConfig",
    "Secret",
    "SentinelModel",
    "parse_duration",
    "source_of",
]


@dataclass(frozen=True, slots=True)
class ConfigSource:
    """Where a loaded config came from: to place later findings (``sentinel check``) at their line."""

    filename: str
    positions: Positions
    unset: tuple[Issue, ...] = ()  # ${VARS} not set, left as written by a read-only load


_SOURCES: dict[int, ConfigSource] = {}


def source_of(config: Any) -> ConfigSource | None:
    """The file, positions and unset variables of a config ``parse_config`` made (None for one built in code)."""
    return _SOURCES.get(id(config))


def _remember(config: Any, source: ConfigSource) -> None:
    key = id(config)
    _SOURCES[key] = source
    weakref.finalize(config, _SOURCES.pop, key, None)
