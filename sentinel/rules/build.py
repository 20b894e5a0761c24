"""The one place a rule engine is made: from the rules, the pages and the silences, for the daemon (at start and
on reload), replay, the demo and rule tests alike."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sentinel.config.schema import PageConfig, RulesConfig, page_resolver
from sentinel.rules.engine import MAX_UNKNOWN_PAGES, RuleEngine
from sentinel.rules.ruleset import RuleSet, load_rules
from sentinel.rules.silences import Silence


def load_ruleset(cfg: RulesConfig, dirs: Sequence[Path] | None = None) -> RuleSet:
    """The rules the config names (``rules.dirs``, the shipped packs unless ``include_shipped: false``, less
    ``disabled``); ``dirs`` given on a command line (``sentinel replay --rules``) take the place of
    ``rules.dirs``, and with none the shipped packs are loaded whatever ``include_shipped`` says."""
    if dirs is None:
        return load_rules([Path(d) for d in cfg.dirs], include_shipped=cfg.include_shipped, disabled=cfg.disabled)
    return load_rules(list(dirs), include_shipped=cfg.include_shipped or not dirs, disabled=cfg.disabled)


def build_engine(
    rules: RuleSet,
    pages: Sequence[PageConfig],
    silences: Sequence[Silence] = (),
    *,
    metrics: bool = True,
    max_unknown_pages: int = MAX_UNKNOWN_PAGES,
) -> RuleEngine:
    """An engine for ``rules`` over ``pages`` (pages not listed get the defaults, at most ``max_unknown_pages`` of
    them) with ``silences``. ``metrics=False``: no alert gauges or evaluation timings (replay and rule tests serve
    no /metrics)."""
    return RuleEngine(
        rules,
        page_resolver(pages),
        silences=list(silences),
        metrics=metrics,
        configured=frozenset(p.id for p in pages),
        max_unknown_pages=max_unknown_pages,
    )
