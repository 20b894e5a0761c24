"""One module per CLI subcommand: ``register(subparsers)`` and ``run(args) -> int``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sentinel.errors import ConfigError, Issue, StoreError

if TYPE_CHECKING:
    from sentinel.settings import Config
    from sentinel.store import Database


def positive_int(text: str) -> int:
    """An argparse ``type`` for counts: a whole number, at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


# -- the config file: one option, one default, for every command -----------------------------------------------------

CONFIG_ENV = "SENTINEL_CONFIG"
DEFAULT_CONFIG = "sentinel.yaml"
CONFIG_DEFAULT_HELP = f"${CONFIG_ENV}, else ./{DEFAULT_CONFIG}"


def add_config_option(
    parser: argparse.ArgumentParser, what: str = "the config file", *, optional: bool = False
) -> None:
    """``-c/--config FILE``, spelled and defaulted the same way by every command."""
    default = f"{CONFIG_DEFAULT_HELP}; none when neither exists" if optional else CONFIG_DEFAULT_HELP
    parser.add_argument("-c", "--config", metavar="FILE", default=None, help=f"{what} (default: {default})")


def config_path(args: argparse.Namespace, *, optional: bool = False) -> str | None:
    """The config file ``args`` names, else ``$SENTINEL_CONFIG``, else ``./sentinel.yaml`` (None: an optional
    config that is not there)."""
    given = getattr(args, "config", None) or os.environ.get(CONFIG_ENV)
    if given:
        return str(given)
    if optional and not Path(DEFAULT_CONFIG).exists():
        return None
    return DEFAULT_CONFIG


def read_config(args: argparse.Namespace, *, read_only: bool = True) -> Config:
    """Load the command's config; ``read_only`` commands need none of the daemon's secrets."""
    from sentinel.settings import load_config

    path = config_path(args)
    assert path is not None
    if path == DEFAULT_CONFIG and not getattr(args, "config", None) and not Path(path).exists():
        raise ConfigError([Issue(path, None, None, "", f"no config file: give one with -c FILE (or set {CONFIG_ENV})")])
    return load_config(path, read_only=read_only)


async def open_store_for_reading(config: Config) -> Database:
    """The config's store, refused when its SQLite file does not exist (a read never creates an empty store)."""
    from sentinel.store.factory import open_database

    require_set(config, ("store", "url"))
    require_store_file(config)
    try:
        return await open_database(config.store.url)
    except StoreError as e:  # there, but not ours to read: permissions, not a database
        raise ConfigError([issue_at(config, ("store", "url"), str(e))]) from None


def issue_at(config: Config, loc: tuple[str | int, ...], what: str) -> Issue:
    """An issue at ``loc`` of the file ``config`` was loaded from (``file:line:col: where: what``)."""
    from sentinel.config import source_of
    from sentinel.config.yamlpos import format_loc

    source = source_of(config)
    return source.positions.issue(loc, what) if source else Issue("<config>", None, None, format_loc(loc), what)


def require_set(config: Config, *locs: tuple[str | int, ...]) -> None:
    """Raise ``ConfigError`` when a value at or under ``locs`` that a read-only load left unresolved is one this
    command needs: a ``${VAR}`` that is not set (left as written), or a secret file it could not read."""
    from sentinel.config import source_of
    from sentinel.config.yamlpos import format_loc

    source = source_of(config)
    wheres = [format_loc(loc) for loc in locs]
    issues = [
        u
        for u in (source.unset if source else ())
        if any(u.where == w or u.where.startswith((f"{w}.", f"{w}[")) for w in wheres)
    ]
    for loc in locs:
        value: object = config
        for part in loc:
            if isinstance(value, list) and isinstance(part, int):
                value = value[part]
            elif isinstance(value, dict):
                value = value.get(part)
            else:
                value = getattr(value, str(part), None)
        issues += [issue_at(config, at, "cannot read the file") for at in _unread(value, loc)]
    if issues:
        raise ConfigError(issues)


def _unread(value: object, loc: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """Where under ``value`` (at ``loc``) a read-only load left a secret file it could not read (``x_file``)."""
    from pydantic import BaseModel

    from sentinel.config.types import UNREAD_SECRET, Secret

    if isinstance(value, Secret):
        return [(*loc[:-1], f"{loc[-1]}_file")] if value.reveal() == UNREAD_SECRET else []
    if isinstance(value, BaseModel):
        return [at for k in type(value).model_fields for at in _unread(getattr(value, k), (*loc, k))]
    if isinstance(value, dict):
        return [at for k, v in value.items() for at in _unread(v, (*loc, str(k)))]
    if isinstance(value, list):
        return [at for n, v in enumerate(value) for at in _unread(v, (*loc, n))]
    return []


def require_store_file(config: Config) -> None:
    """Raise ``ConfigError`` when the config's SQLite store file does not exist."""
    from sentinel.config.paths import sqlite_file

    path = sqlite_file(config.store.url)
    if path is not None and not Path(path).exists():
        raise ConfigError(
            [
                issue_at(
                    config,
                    ("store", "url"),
                    f"no store at {path}: nothing to read (the daemon "
                    "creates it when it first starts; is this the daemon's config?)",
                )
            ]
        )
