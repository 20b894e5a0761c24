"""Config loading: ``load_config(path)`` / ``parse_config(text, filename)``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sentinel.config.schema import Config, PageConfig
from sentinel.config.types import Duration, Secret, SentinelModel, parse_duration
from sentinel.config.validate import validate
from sentinel.config.yamlpos import load_yaml
from sentinel.errors import ConfigError, Issue

__all__ = ["Config", "ConfigError", "Duration", "PageConfig", "Secret", "SentinelModel", "load_config",
           "parse_config", "parse_duration"]


def parse_config(text: str, filename: str = "<config>", env: Mapping[str, str] | None = None) -> Config:
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
