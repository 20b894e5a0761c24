"""Compiled rules and the set of them, indexed by event kind.

``load_rules(dirs)`` reads the shipped packs and the user's directories,
applies overrides and disables, compiles every CEL expression and builds
every detector once. All problems are reported together as a ``ConfigError``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

import sentinel
from sentinel.conditions.expr import Expr, ExprError, compile_expr
from sentinel.config.validate import _message
from sentinel.detectors.common import ParamError
from sentinel.detectors.registry import DETECTORS
from sentinel.enrich import VARIABLES
from sentinel.errors import ConfigError, Issue
from sentinel.model import Category, Severity
from sentinel.rules import templates
from sentinel.rules.exceptions import RuleException, compile_exception
from sentinel.rules.format import (
    Located,
    ParsedFile,
    RuleOverride,
    RuleSpec,
    merge_override,
    read_rule_file,
    rule_files,
)

KNOWN = frozenset(VARIABLES)
DEFAULT_PULSE_KEEP = timedelta(hours=1)


def shipped_rules_dir() -> Path:
    """Where the shipped rule packs are: ``SENTINEL_RULES_DIR``; else the checkout's ``rules/``
    (editable installs); else ``<prefix>/share/sentinel/rules``, where a wheel installs them."""
    env = os.environ.get("SENTINEL_RULES_DIR")
    if env:
        return Path(env)
    checkout = Path(sentinel.__file__).resolve().parent.parent / "rules"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "sentinel" / "rules"


@dataclass(frozen=True, slots=True)
class PageRule:
    """A rule as it applies to one page (after that page's overrides)."""

    detector: Any
    severity: Severity
    for_: timedelta
    keep_firing_for: timedelta
    exceptions: tuple[RuleException, ...]
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class CompiledRule:
    id: str
    category: Category
    severity: Severity
    description: str
    tags: tuple[str, ...]
    kinds: frozenset[str]
    when: Expr | None
    severity_when: tuple[tuple[Expr, Severity], ...]
    labels: Mapping[str, str]
    annotations: Mapping[str, Mapping[str, str]]
    group_by: tuple[str, ...]
    default: PageRule
    pages: Mapping[str, PageRule] = field(default_factory=dict)
    source: str = ""
    detect_type: str = "match"

    @property
    def pulse(self) -> bool:
        return bool(getattr(self.default.detector, "pulse", False))

    def for_page(self, page: str) -> PageRule:
        return self.pages.get(page, self.default)


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[CompiledRule, ...]
    files: tuple[str, ...] = ()
    tests: tuple[tuple[str, dict[str, Any]], ...] = ()  # (file, inline test)

    def by_id(self, rule_id: str) -> CompiledRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def kinds_index(self) -> dict[str, tuple[CompiledRule, ...]]:
        idx: dict[str, list[CompiledRule]] = {}
        for r in self.rules:
            for k in r.kinds:
                idx.setdefault(k, []).append(r)
        return {k: tuple(v) for k, v in idx.items()}


class _Compiler:
    def __init__(self, macros: Mapping[str, str], lists: Mapping[str, list[Any]]) -> None:
        self.macros = macros
        self.lists = lists

    def __call__(self, source: str) -> Expr:
        return compile_expr(source, KNOWN, macros=self.macros, lists=self.lists)


def _detector(
    detect: Mapping[str, Any], comp: _Compiler, at: Located, loc: tuple[Any, ...], issues: list[Issue]
) -> Any:
    dtype = detect.get("type")
    factory = DETECTORS.get(str(dtype))
    if factory is None:
        import difflib

        hint = difflib.get_close_matches(str(dtype), sorted(DETECTORS), n=1)
        what = f"unknown detector {dtype!r}" + (
            f"; did you mean {hint[0]!r}?" if hint else f" (known: {', '.join(sorted(DETECTORS))})"
        )
        issues.append(at.issue((*loc, "type"), what))
        return None
    try:
        return factory(detect, comp)
    except ValidationError as e:
        for err in e.errors():
            sub = tuple(err["loc"])
            extra = err["type"] == "extra_forbidden"
            what = f"unknown key {sub[-1]!r} for detector {dtype}" if extra else _message(err)
            issues.append(at.issue(loc + sub, what))
    except ParamError as e:
        issues.append(at.issue((*loc, e.key), e.what))
    return None


def _expr(source: str, comp: _Compiler, at: Located, loc: tuple[Any, ...], issues: list[Issue]) -> Expr | None:
    try:
        return comp(source)
    except ExprError as e:
        issues.append(at.issue(loc, str(e)))
        return None


def compile_rule(spec: RuleSpec, at: Located, comp: _Compiler, issues: list[Issue]) -> CompiledRule | None:
    n = len(issues)
    when = _expr(spec.match.when, comp, at, ("match", "when"), issues) if spec.match.when else None
    sev_when: list[tuple[Expr, Severity]] = []
    for i, sw in enumerate(spec.severity_when):
        e = _expr(sw.when, comp, at, ("severity_when", i, "when"), issues)
        if e is not None:
            sev_when.append((e, sw.severity))
    det = _detector(spec.detect, comp, at, ("detect",), issues)
    pulse = bool(getattr(det, "pulse", False))
    if pulse and spec.for_ > timedelta(0):
        issues.append(
            at.issue(
                ("for",),
                f"'for' needs a detector whose condition lasts (threshold, share, absence, "
                f"sla, ...); {spec.detect.get('type')} reports single events",
            )
        )
    keep = spec.keep_firing_for if spec.keep_firing_for is not None else (DEFAULT_PULSE_KEEP if pulse else timedelta(0))
    excs = []
    for i, ex in enumerate(spec.exceptions):
        try:
            excs.append(compile_exception(ex, KNOWN))
        except ValueError as e:
            issues.append(at.issue(("exceptions", i), str(e)))
    annotations: dict[str, dict[str, str]] = {}
    for name, text in spec.annotations.items():
        texts = {"en": text} if isinstance(text, str) else dict(text)
        for lang, t in texts.items():
            why = templates.check(t)
            if why:
                issues.append(
                    at.issue(("annotations", name, lang) if not isinstance(text, str) else ("annotations", name), why)
                )
        annotations[name] = texts
    for name, t in spec.labels.items():
        why = templates.check(t)
        if why:
            issues.append(at.issue(("labels", name), why))
    default = PageRule(det, spec.severity, spec.for_, keep, tuple(excs), disabled=not spec.enabled)
    pages: dict[str, PageRule] = {}
    for page, o in spec.pages.items():
        pdet = det
        if o.detect:
            pdet = _detector({**spec.detect, **o.detect}, comp, at, ("pages", page, "detect"), issues)
        pexc = list(excs)
        for i, ex in enumerate(o.exceptions):
            try:
                pexc.append(compile_exception(ex, KNOWN))
            except ValueError as e:
                issues.append(at.issue(("pages", page, "exceptions", i), str(e)))
        pages[page] = PageRule(
            pdet,
            o.severity or spec.severity,
            o.for_ if o.for_ is not None else spec.for_,
            o.keep_firing_for if o.keep_firing_for is not None else keep,
            tuple(pexc),
            disabled=o.disabled or not spec.enabled,
        )
    if len(issues) > n:
        return None
    line, _ = at.positions.of(at.loc)
    return CompiledRule(
        id=spec.id,
        category=spec.category,
        severity=spec.severity,
        description=spec.description,
        tags=tuple(spec.tags),
        kinds=frozenset(spec.match.kinds),
        when=when,
        severity_when=tuple(sev_when),
        labels=dict(spec.labels),
        annotations=annotations,
        group_by=tuple(spec.group_by),
        default=default,
        pages=pages,
        source=f"{at.file}:{line}",
        detect_type=str(spec.detect.get("type")),
    )


def _disabled(rule: RuleSpec, names: set[str]) -> bool:
    return rule.id in names or any(f"tag:{t}" in names for t in rule.tags)


def build(files: Sequence[ParsedFile], disabled: Sequence[str] = ()) -> RuleSet:
    """Compile the rules of ``files``; ``ConfigError`` lists every problem, those found when the files were
    parsed (``ParsedFile.issues``) with those of the rules that parsed, in file and line order."""
    issues: list[Issue] = [i for f in files for i in f.issues]
    broken = {rule_id for f in files for rule_id in f.broken}  # left out: no "unknown rule" about them
    macros: dict[str, str] = {}
    lists: dict[str, list[Any]] = {}
    off = set(disabled)
    for f in files:
        macros.update(f.macros)
        lists.update(f.lists)
        off.update(f.disable)
    specs: dict[str, tuple[RuleSpec, Located]] = {}
    for f in files:
        for at in f.rules:
            s = at.spec
            if isinstance(s, RuleOverride):
                if s.id not in specs:
                    if s.id in broken:
                        continue
                    issues.append(
                        at.issue(
                            ("id",),
                            f"override of unknown rule {s.id!r} (overrides must come after "
                            "the rule they change, e.g. a shipped one)",
                        )
                    )
                    continue
                try:
                    specs[s.id] = (merge_override(specs[s.id][0], s), at)
                except ValidationError as e:
                    issues += [at.issue(tuple(err["loc"]), _message(err)) for err in e.errors()]
            elif s.id in specs:
                prev = specs[s.id][1]
                line, _ = prev.positions.of(prev.loc)
                issues.append(
                    at.issue(
                        ("id",),
                        f"rule {s.id!r} is already defined at {prev.file}:{line}; "
                        "add 'override: append' or 'override: replace' to change it",
                    )
                )
            else:
                specs[s.id] = (s, at)
    comp = _Compiler(macros, lists)
    rules: list[CompiledRule] = []
    for spec, at in specs.values():
        if _disabled(spec, off):
            continue
        r = compile_rule(spec, at, comp, issues)
        if r is not None:
            rules.append(r)
    if issues:
        raise ConfigError(sorted(issues, key=lambda i: (i.file, i.line or 0, i.col or 0)))
    tests = tuple((f.path, t) for f in files for t in f.tests)
    return RuleSet(tuple(rules), tuple(f.path for f in files), tests)


def load_rules(dirs: Sequence[Path | str], *, include_shipped: bool = True, disabled: Sequence[str] = ()) -> RuleSet:
    """Read, validate and compile rule files; raises ``ConfigError`` with every issue."""
    paths = [Path(d) for d in dirs]
    if include_shipped:
        shipped = shipped_rules_dir()
        paths = [shipped, *[p for p in paths if p.resolve() != shipped.resolve()]]
    files, issues = rule_files(paths)
    parsed: list[ParsedFile] = []
    for f in files:
        try:
            parsed.append(read_rule_file(f))
        except ConfigError as e:
            issues += e.issues
    try:
        rules = build(parsed, disabled)
    except ConfigError as e:
        issues += e.issues
    if issues:
        raise ConfigError(issues)
    return rules
