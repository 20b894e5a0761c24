"""The whole config file: each stage's own schema, composed here; parsed and validated on load.

The ``pages:`` section accepts exactly the minimal config of ``sentinel replay`` (docs/events.md); the other
sections have defaults, so a file with only ``pages:`` is a complete config. ``sentinel.config`` holds the
machinery (YAML with positions, durations, secrets) and the sections that belong to no stage; it imports no
stage, and no stage imports this package.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from sentinel.cluster.config import ClusterConfig, store_problem
from sentinel.config import ConfigSource, _remember
from sentinel.config.schema import (
    LoggingConfig,
    PageConfig,
    PipelineConfig,
    RulesConfig,
    ServerConfig,
    StoreConfig,
)
from sentinel.config.types import SentinelModel
from sentinel.errors import ConfigError, Issue
from sentinel.escalation.config import (
    EscalationSection,
    PersonConfig,
    ScheduleConfig,
    TeamConfig,
    reference_problems,
)
from sentinel.notify.config import NotifyConfig
from sentinel.rules.silences import SilenceConfig
from sentinel.security.config import SecurityConfig
from sentinel.sources.graph_config import SourcesConfig

if TYPE_CHECKING:
    from sentinel.config.yamlpos import Positions

__all__ = ["Config", "PageConfig", "load_config", "parse_config"]


class Config(SentinelModel):
    pages: list[PageConfig] = Field(default_factory=list)
    store: StoreConfig = StoreConfig()
    server: ServerConfig = ServerConfig()
    logging: LoggingConfig = LoggingConfig()
    rules: RulesConfig = RulesConfig()
    pipeline: PipelineConfig = PipelineConfig()
    people: list[PersonConfig] = Field(default_factory=list)
    teams: list[TeamConfig] = Field(default_factory=list)
    schedules: list[ScheduleConfig] = Field(default_factory=list)
    escalation: EscalationSection = EscalationSection()
    notify: NotifyConfig = NotifyConfig()
    sources: SourcesConfig = SourcesConfig()
    silences: list[SilenceConfig] = Field(default_factory=list)  # maintenance windows, planned campaigns
    security: SecurityConfig = SecurityConfig()
    cluster: ClusterConfig | None = None  # several replicas on PostgreSQL (docs/replicas.md); after ``store``

    @field_validator("cluster")
    @classmethod
    def _cluster_store(cls, v: ClusterConfig | None, info: ValidationInfo) -> ClusterConfig | None:
        store = info.data.get("store")
        if v is not None and isinstance(store, StoreConfig) and (problem := store_problem(store.url)):
            raise ValueError(problem)
        return v

    @model_validator(mode="after")
    def _references(self) -> Config:
        problems = reference_problems(self.people, self.teams, self.schedules, self.escalation)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _unique_pages(self) -> Config:
        seen: set[str] = set()
        for p in self.pages:
            if p.id in seen:
                raise ValueError(f"page id {p.id!r} appears twice")
            seen.add(p.id)
        return self

    def page(self, page_id: str) -> PageConfig | None:
        return next((p for p in self.pages if p.id == page_id), None)


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
    from sentinel.config.types import READ_ONLY
    from sentinel.config.validate import validate
    from sentinel.config.yamlpos import load_yaml

    data, positions, issues = load_yaml(text, filename, env, keep_unset=read_only)
    if data is None and not issues:  # an empty file (truncated by a deploy, saved half-way): never "all defaults"
        raise ConfigError([Issue(filename, 1, 1, "", "the config is empty: it names at least the pages to watch")])
    if data is not None and not isinstance(data, dict):
        raise ConfigError([Issue(filename, 1, 1, "", "the config must be a YAML mapping (key: value)")])
    if base_dir is not None:
        data, path_issues = resolve_paths(data, Path(base_dir), positions)
        issues += path_issues
    unset = [i for i in issues if "environment variable" in i.what] if read_only else []
    token = READ_ONLY.set(read_only)
    try:
        if read_only:
            config = _validate_read_only(data, positions, [i for i in issues if i not in unset], unset)
        else:
            config = validate(Config, data, positions, issues)
    finally:
        READ_ONLY.reset(token)
    _remember(config, ConfigSource(filename, positions, tuple(unset)))
    return config


#: sections only the daemon reads: a read-only load takes a ``${VAR}`` there that is not set, and that its field
#: cannot take as written (``server.port: ${PORT}``), as not given, so the default stands in
DAEMON_ONLY = ("server",)


def _validate_read_only(data: Any, positions: Positions, issues: list[Issue], unset: list[Issue]) -> Config:
    """``validate`` for a read-only load, whose unset variables (``unset``) are left as written: notes, not errors.
    When the config is invalid, an unset variable where it fails is named beside the error (``e.issues``), and the
    others stay notes (``e.notes``)."""
    from sentinel.config.validate import validate

    try:
        return validate(Config, data, positions, issues)
    except ConfigError as e:
        failed = {i.where for i in e.issues}
        unused = {u.where for u in unset if u.where in failed and u.where.split(".")[0] in DAEMON_ONLY}
        if not unused:
            raise _naming(e.issues, unset) from None
    try:
        return validate(Config, _without(data, unused), positions, issues)
    except ConfigError as e:
        raise _naming(e.issues, unset) from None


def _naming(errors: list[Issue], unset: list[Issue]) -> ConfigError:
    failed = {i.where for i in errors}
    named = [u for u in unset if u.where in failed]  # perhaps the reason: said with the error
    issues = sorted([*errors, *named], key=lambda i: (i.line or 0, i.col or 0))
    return ConfigError(issues, notes=[u for u in unset if u not in named])


def _without(node: Any, wheres: set[str], path: tuple[Any, ...] = ()) -> Any:
    """``node`` without the values at ``wheres`` (``format_loc`` of their paths)."""
    from sentinel.config.yamlpos import format_loc

    if isinstance(node, dict):
        return {k: _without(v, wheres, (*path, k)) for k, v in node.items() if format_loc((*path, k)) not in wheres}
    if isinstance(node, list):
        return [_without(v, wheres, (*path, n)) for n, v in enumerate(node) if format_loc((*path, n)) not in wheres]
    return node


def load_config(path: str | Path, env: Mapping[str, str] | None = None, *, read_only: bool = False) -> Config:
    """Load the config file at ``path``; its relative paths are read from the file's own folder."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError([Issue(str(path), None, None, "", f"cannot read config: {e.strerror}")]) from None
    except UnicodeDecodeError:
        raise ConfigError([Issue(str(path), None, None, "", "config is not UTF-8 text")]) from None
    return parse_config(text, str(path), env, base_dir=Path(path).resolve().parent, read_only=read_only)
