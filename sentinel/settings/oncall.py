"""Load a config file and the on-call view of it (``OnCallConfig``) for the on-call commands."""

from __future__ import annotations

from pathlib import Path

from sentinel.escalation.config import OnCallConfig
from sentinel.settings import Config, load_config, parse_config


def parse_oncall(text: str, filename: str = "<config>") -> tuple[Config, OnCallConfig]:
    cfg = parse_config(text, filename)
    return cfg, OnCallConfig.of(cfg)


def load_oncall(path: str | Path) -> tuple[Config, OnCallConfig]:
    cfg = load_config(path, read_only=True)  # the on-call view needs none of the daemon's secrets
    return cfg, OnCallConfig.of(cfg)
