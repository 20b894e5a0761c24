"""Config loading: ``load_config(path)`` / ``parse_config(text, filename)``.

The root schema (``schema.py``) gathers every area's section model, and the
areas' models import ``sentinel.config.types``; so this package imports the
schema lazily, on first use of ``Config``/``load_config``, to keep an area's
``import sentinel.config.types`` from pulling in every other area.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sentinel.config.types import Duration, Secret, SentinelModel, parse_duration
from sentinel.errors import ConfigError, Issue

if TYPE_CHECKING:
    from sentinel.config.schema import Config, PageConfig

__all__ = ["Config", "ConfigError", "Duration", "PageConfig", "Secret", "SentinelModel", "load_config",
           "parse_config", "parse_duration"]


def __getattr__(name: str) -> Any:
    if name in ("Config", "PageConfig"):
        return getattr(importlib.import_module("sentinel.config.schema"), name)
    raise AttributeError(f"module 'sentinel.config' has no attribute {name!r}")


def parse_config(text: str, filename: str = "<config>", env: Mapping[str, str] | None = None) -> Config:
    from sentinel.config.schema import Config
    from sentinel.config.validate import validate
    from sentinel.config.yamlpos import load_yaml

    data, positions, issues = load_yaml(text, filename, env)
    if data is not None and not isinstance(data, dict):
        raise ConfigError([Issue(filename, 1, 1, "", "the config must be a YAML mapping (key: value)")])
    return validate(Config, data, positions, issues)


def load_config(path: str | Path, env: Mapping[str, str] | None = None) -> Config:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError([Issue(str(path), None, None, "", f"cannot read config: {e.strerror}")]) from None
    except UnicodeDecodeError:
        raise ConfigError([Issue(str(path), None, None, "", "config is not UTF-8 text")]) from None
    return parse_config(text, str(path), env)
