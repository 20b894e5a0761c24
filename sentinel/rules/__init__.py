"""The rule engine: rule format, compiled rules, alert state machine, silences, rule tests.

rules = load_rules([Path("my-rules")])
engine = build_engine(rules, pages, silences)  # sentinel.rules.build: the one place an engine is made
transitions = engine.process(event, now)
"""

from sentinel.rules.engine import RuleEngine
from sentinel.rules.ruleset import CompiledRule, RuleSet, load_rules, shipped_rules_dir

__all__ = ["CompiledRule", "RuleEngine", "RuleSet", "load_rules", "shipped_rules_dir"]
