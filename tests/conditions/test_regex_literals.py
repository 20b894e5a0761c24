"""A constant pattern in a condition is compiled when the rule loads: a bad one made the condition an error on every
event (never true, the rule silent) while ``sentinel check`` said the rule was fine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sentinel.conditions.expr import ExprError, compile_expr

KNOWN = frozenset({"object", "kind"})


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ('object.message.matches("(")', "unclosed group"),
        ('matches(object.message, "(a)\\\\1")', "backreferences are not supported"),
        ("object.message.matches('[z-a]')", "invalid character class range"),
    ],
)
def test_a_pattern_cels_engine_refuses_is_an_error_at_load(source: str, why: str) -> None:
    with pytest.raises(ExprError, match="bad regular expression") as e:
        compile_expr(source, KNOWN)
    assert why in str(e.value) and repr(source) in str(e.value)


def test_a_good_pattern_and_a_pattern_from_a_variable_load() -> None:
    assert compile_expr('object.message.matches("(?i)gratis|free")', KNOWN).source
    assert compile_expr("object.message.matches(object.pattern)", KNOWN).source  # decided when it runs


def test_sentinel_check_names_the_rule_file_and_the_pattern(tmp_path: Path) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        """rules:
  - id: mine.giveaway
    description: a giveaway post
    severity: warning
    category: hijack
    match:
      kinds: [post.created]
      when: 'object.message.matches("(gratis")'
    detect:
      type: threshold
      count: 1
      window: 1h
""",
        encoding="utf-8",
    )
    r = subprocess.run(
        [sys.executable, "-m", "sentinel", "check", "--rules", str(rules)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "mine.yaml" in r.stderr and "bad regular expression" in r.stderr, r.stderr
