"""Config loading: ``load_config(path)`` / ``parse_config(text, filename)``.

The root schema (``schema.py``) gathers every area's section model, and the
areas' models import ``sentinel.config.types``; so this package imports the
schema lazily, on first use of ``Config``/``load_config``, to keep an area's
``import sentinel.config.types`` from pulling in every other area.
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sentinel.config.types import Duration, Secret, SentinelModel, parse_duration
from sentinel.config.yamlpos import Positions
from sentinel.errors import ConfigError, Issue

if TYPE_CHECKING:
    from sentinel.config.schema import Config, PageConfig

__all__ = [
    "Config",
    "ConfigError",
    "ConfigSource",
    "Duration",
    "PageConfig",
    "Secret",
    "SentinelModel",
    "load_config",
    "parse_config",
    "parse_duration",
    "source_of",
]


def __getattr__(name: str) -> Any:
    if name in ("Config", "PageConfig"):
        return getattr(importlib.import_module("sentinel.config.schema"), name)
    raise AttributeError(f"module 'sentinel.config' has no attribute {name!r}")


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


def parse_config(
    text: str,
    filename: str = "<config>",
    env: Mapping[str, str] | None = None,
    *,
    base_dir: str | Path | None = None,
    read_only: bool = False,
) -> Config:
    """Parse and validate a config; every issue at once in one ``ConfigError``.

    ``base_dir``: relative paths in the config (the SQLite store, rule dirs, ``x_file`` secrets) are read from
    there (``load_config`` passes the file's folder). ``read_only``: for commands that only read; a ``${VAR}``
    that is not set and an unreadable secret file are no error unless the config is invalid without them.
    """
    from sentinel.config.paths import resolve_paths
    from sentinel.config.schema import Config
    from sentinel.config.types import READ_ONLY
    from sentinel.config.validate import validate
    from sentinel.config.yamlpos import load_yaml

    data, positions, issues = load_yaml(text, filename, env, keep_unset=read_only)
    if data is not None and not isinstance(data, dict):
        raise ConfigError([Issue(filename, 1, 1, "", "the config must be a YAML mapping (key: value)")])
    if base_dir is not None:
        data, path_issues = resolve_paths(data, Path(base_dir), positions)
        issues += path_issues
    unset = [i for i in issues if "environment variable" in i.what] if read_only else []
    token = READ_ONLY.set(read_only)
    try:
        if read_only:
            try:
                config = validate(Config, data, positions, [i for i in issues if i not in unset])
            except ConfigError as e:  # perhaps because of an unset variable: name it too
                raise ConfigError(sorted([*e.issues, *unset], key=lambda i: (i.line or 0, i.col or 0))) from None
        else:
            config = validate(Config, data, positions, issues)
    finally:
        READ_ONLY.reset(token)
    _remember(config, ConfigSource(filename, positions, tuple(unset)))
    return config


def load_config(path: str | Path, env: Mapping[str, str] | None = None, *, read_only: bool = False) -> Config:
    """Load the config file at ``path``; its relative paths are read from the file's own folder."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError([Issue(str(path), None, None, "", f"cannot read config: {e.strerror}")]) from None
    except UnicodeDecodeError:
        raise ConfigError([Issue(str(path), None, None, "", "config is not UTF-8 text")]) from None
    return parse_config(text, str(path), env, base_dir=Path(path).resolve().parent, read_only=read_only)
