"""The rule file format: parse and validate, every issue with file:line:col.

A rule file holds ``rules:``, and optionally ``lists:``, ``macros:``,
``disable:`` (rule ids or ``tag:NAME``) and ``tests:``. A rule with
``override: append|replace`` tunes a rule of the same id loaded before it
(a shipped one) instead of defining a new one. See docs/rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from sentinel.config.types import Duration, SentinelModel
from sentinel.config.validate import validate
from sentinel.config.yamlpos import Positions, load_yaml
from sentinel.errors import ConfigError, Issue
from sentinel.model import Category, EventKind, Severity

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class MatchSpec(SentinelModel):
    kinds: list[str] = Field(min_length=1)
    when: str | None = None


class SeverityWhen(SentinelModel):
    when: str
    severity: Severity


class ExceptionSpec(SentinelModel):
    """Do not alert when ``field`` ``op`` ``value(s)``: e.g. an approved agency's admin ids."""

    field: str
    op: Literal["eq", "ne", "in", "not_in", "contains", "startswith", "endswith"] = "eq"
    value: str | int | float | bool | None = None
    values: list[str | int | float | bool] | None = None


class PageOverride(SentinelModel):
    disabled: bool = False
    severity: Severity | None = None
    detect: dict[str, Any] | None = None
    for_: Duration | None = Field(default=None, alias="for")
    keep_firing_for: Duration | None = None
    exceptions: list[ExceptionSpec] = Field(default_factory=list)


Annotations = dict[str, str | dict[str, str]]


class RuleSpec(SentinelModel):
    id: str
    category: Category
    severity: Severity
    description: str = ""
    false_alarms: str = ""
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True
    match: MatchSpec
    detect: dict[str, Any] = Field(default_factory=lambda: {"type": "match"})
    severity_when: list[SeverityWhen] = Field(default_factory=list)
    for_: Duration = Field(default=timedelta(0), alias="for")
    keep_firing_for: Duration | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: Annotations = Field(default_factory=dict)
    group_by: list[str] = Field(default_factory=list)
    exceptions: list[ExceptionSpec] = Field(default_factory=list)
    pages: dict[str, PageOverride] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"bad rule id {v!r}: use lower-case letters, digits, '.', '_' and '-'")
        return v

    @field_validator("detect")
    @classmethod
    def _detect(cls, v: dict[str, Any]) -> dict[str, Any]:
        if "type" not in v:
            raise ValueError("detect needs a 'type' (match, threshold, new_value, change, share, absence, sla, ...)")
        return v


class RuleOverride(SentinelModel):
    """``override: append`` merges into the earlier rule; ``replace`` swaps the given fields."""

    id: str
    override: Literal["append", "replace"]
    category: Category | None = None
    severity: Severity | None = None
    description: str | None = None
    false_alarms: str | None = None
    tags: list[str] | None = None
    enabled: bool | None = None
    match: MatchSpec | None = None
    detect: dict[str, Any] | None = None
    severity_when: list[SeverityWhen] | None = None
    for_: Duration | None = Field(default=None, alias="for")
    keep_firing_for: Duration | None = None
    labels: dict[str, str] | None = None
    annotations: Annotations | None = None
    group_by: list[str] | None = None
    exceptions: list[ExceptionSpec] | None = None
    pages: dict[str, PageOverride] | None = None


class RuleFileModel(SentinelModel):
    lists: dict[str, list[str | int | float | bool]] = Field(default_factory=dict)
    macros: dict[str, str] = Field(default_factory=dict)
    disable: list[str] = Field(default_factory=list)
    rules: list[dict[str, Any]] = Field(default_factory=list)
    tests: list[dict[str, Any]] = Field(default_factory=list)


class _Prefixed(Positions):
    """Positions of a sub-document: locations are given relative to ``prefix``."""

    def __init__(self, base: Positions, prefix: tuple[Any, ...]) -> None:
        super().__init__(base._root, base.filename)
        self.prefix = prefix

    def issue(self, loc: tuple[Any, ...], what: str) -> Issue:
        return super().issue(self.prefix + tuple(loc), what)


@dataclass(frozen=True, slots=True)
class Located:
    """A parsed rule (or override) and where it came from."""

    spec: RuleSpec | RuleOverride
    file: str
    positions: Positions
    loc: tuple[Any, ...]

    def issue(self, sub: tuple[Any, ...], what: str) -> Issue:
        return self.positions.issue(self.loc + sub, what)


@dataclass(frozen=True, slots=True)
class ParsedFile:
    path: str
    lists: Mapping[str, list[Any]]
    macros: Mapping[str, str]
    disable: tuple[str, ...]
    rules: tuple[Located, ...]
    tests: tuple[dict[str, Any], ...]
    positions: Positions
    # what is wrong with the rules left out of ``rules`` (so the others are still compiled and checked: one
    # wrong key does not hide the other problems of the file), and those rules' ids where they had one
    issues: tuple[Issue, ...] = ()
    broken: frozenset[str] = frozenset()


def parse_rule_file(text: str, filename: str) -> ParsedFile:
    """Parse one rule file. A file that is not a rule file raises ``ConfigError``; a rule or a macro that is
    wrong is left out and its problems are kept in ``ParsedFile.issues``, with their positions."""
    data, positions, issues = load_yaml(text, filename)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([Issue(filename, 1, 1, "", "a rule file must be a YAML mapping with a 'rules:' list")])
    model = validate(RuleFileModel, data, positions, issues)
    issues = []
    broken: set[str] = set()
    located: list[Located] = []
    for i, raw in enumerate(model.rules):
        loc: tuple[Any, ...] = ("rules", i)
        sub = _Prefixed(positions, loc)
        if not isinstance(raw, dict):
            issues.append(positions.issue(loc, "a rule must be a mapping"))
            continue
        try:
            spec: RuleSpec | RuleOverride = (
                validate(RuleOverride, raw, sub) if "override" in raw else validate(RuleSpec, raw, sub)
            )
        except ConfigError as e:
            issues += e.issues
            if isinstance(raw.get("id"), str):
                broken.add(raw["id"])
            continue
        if typos := _kind_typos(spec, positions, loc):
            issues += typos
            broken.add(spec.id)
            continue
        located.append(Located(spec, filename, positions, loc))
    macros = {}
    for name, src in model.macros.items():
        if not isinstance(src, str) or not src.strip():
            issues.append(positions.issue(("macros", name), "a macro must be a non-empty CEL expression"))
        else:
            macros[name] = src
    return ParsedFile(
        filename,
        model.lists,
        macros,
        tuple(model.disable),
        tuple(located),
        tuple(model.tests),
        positions,
        tuple(issues),
        frozenset(broken),
    )


def _kind_typos(spec: RuleSpec | RuleOverride, positions: Positions, loc: tuple[Any, ...]) -> list[Issue]:
    """A matched kind that is no kind of the event format but nearly one ("post.delted"): the rule could never
    fire. A kind of one's own platform may be matched (events.md keeps unknown kinds), if it is not this close."""
    import difflib

    known = [str(k) for k in EventKind]
    out: list[Issue] = []
    for j, kind in enumerate(spec.match.kinds if spec.match is not None else ()):
        if kind == "*" or kind in known:
            continue
        if near := difflib.get_close_matches(kind, known, n=1, cutoff=0.85):
            what = f"{kind!r} is no kind of the event format: did you mean {near[0]!r}? (docs/events.md)"
            out.append(positions.issue((*loc, "match", "kinds", j), what))
    return out


def read_rule_file(path: Path) -> ParsedFile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError([Issue(str(path), None, None, "", f"cannot read rule file: {e.strerror}")]) from None
    except UnicodeDecodeError:
        raise ConfigError([Issue(str(path), None, None, "", "rule file is not UTF-8 text")]) from None
    return parse_rule_file(text, str(path))


def rule_files(paths: list[Path]) -> tuple[list[Path], list[Issue]]:
    """The ``*.yaml``/``*.yml`` files of each path (a directory's, sorted; not its ``tests/``)."""
    out: list[Path] = []
    issues: list[Issue] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml") and f.is_file())
        elif p.is_file():
            out.append(p)
        else:
            issues.append(Issue(str(p), None, None, "", "no such rule file or directory"))
    return out, issues


def merge_override(base: RuleSpec, o: RuleOverride) -> RuleSpec:
    """Apply ``o`` to ``base``: ``replace`` swaps each given field; ``append`` extends lists and maps."""
    data = base.model_dump(by_alias=True)
    given = o.model_dump(by_alias=True, exclude_unset=True, exclude={"id", "override"})
    for key, value in given.items():
        old = data.get(key)
        if o.override == "append" and isinstance(old, list) and isinstance(value, list):
            data[key] = old + value
        elif o.override == "append" and isinstance(old, dict) and isinstance(value, dict):
            if key == "match" and value.get("when") and old.get("when"):
                value = {**value, "when": f"({old['when']}) && ({value['when']})"}
            data[key] = {**old, **value}
        else:
            data[key] = value
    return RuleSpec.model_validate(data)
