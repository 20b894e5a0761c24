"""The rule engine: rule format, compiled rules, alert state machine, silences, rule tests.

    rules = load_rules([Path("my-rules")])
    engine = RuleEngine(rules, page_config)
    transitions = engine.process(event, now)

The names are imported lazily: detectors import ``sentinel.rules.expr``, and
the engine imports the detectors, so an eager import here would be a cycle.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentinel.rules.engine import RuleEngine
    from sentinel.rules.ruleset import CompiledRule, RuleSet, load_rules, shipped_rules_dir

__all__ = ["CompiledRule", "RuleEngine", "RuleSet", "load_rules", "shipped_rules_dir"]

_WHERE = {
    "RuleEngine": "sentinel.rules.engine",
    "CompiledRule": "sentinel.rules.ruleset",
    "RuleSet": "sentinel.rules.ruleset",
    "load_rules": "sentinel.rules.ruleset",
    "shipped_rules_dir": "sentinel.rules.ruleset",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'sentinel.rules' has no attribute {name!r}")
