"""Silence matchers: RE2 regexes (Alertmanager's dialect), anchored at both ends, compiled once when made, and a
pattern RE2 refuses is refused when the matcher is parsed, naming it."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from sentinel.rules.silences import Matcher


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail, instead of hanging, if the block runs longer than ``seconds`` (Python's ``re`` checks for signals while
    it backtracks, so a regression to it fails here rather than stalling the suite)."""

    def late(*_: object) -> None:
        raise AssertionError(f"took longer than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("text", "value", "want"),
    [
        ("rule=~crisis\\..*", "crisis.volume_spike", True),
        ("rule=~crisis", "crisis.volume_spike", False),  # anchored at both ends: no search inside the value
        ("rule=~volume", "crisis.volume_spike", False),
        ("rule=~.*volume.*", "crisis.volume_spike", True),
        ("category=~sla|health", "sla", True),  # the anchors hold the whole alternation: ^(?:sla|health)$
        ("category=~sla|health", "slack", False),
        ("category=~sla|health", "myhealth", False),
        ("category!~sla|health", "crisis", True),
        ("category!~sla|health", "health", False),
        ("page=~[[:alpha:]]+", "druvan", True),  # RE2's POSIX classes
        ("page=~\\pL+", "åkeriet", True),  # Unicode classes, on text, not bytes
        ("page=~.", "å", True),
        ("summary=~a.b", "a\nb", False),  # '.' does not match a newline, as in Go and Alertmanager
        ("summary=~(?s)a.b", "a\nb", True),
        ("page=~(?i)DRUVAN", "druvan", True),
    ],
)
def test_a_regex_matcher_is_re2_and_matches_the_whole_value(text: str, value: str, want: bool) -> None:
    m = Matcher.parse(text)
    assert m.matches({m.name: value}) is want


def test_a_missing_label_is_the_empty_string_as_in_alertmanager() -> None:
    assert Matcher.parse("team=~").matches({})
    assert not Matcher.parse("team=~.+").matches({})
    assert Matcher.parse("team!~.+").matches({})
    assert Matcher.parse("team!=ops").matches({})


def test_a_regex_is_compiled_once_when_the_matcher_is_made() -> None:
    m = Matcher.parse("rule=~crisis\\..*")
    compiled = m.regex
    assert compiled is not None
    assert m.matches({"rule": "crisis.x"}) and not m.matches({"rule": "hijack.x"})
    assert m.regex is compiled
    assert Matcher("rule", "crisis\\..*", "=~") == m  # the compiled pattern takes no part in equality
    assert Matcher.parse("page=druvan").regex is None


@pytest.mark.parametrize("text", ["rule=~(.|.|.)*QQ", "rule=~(a+)+$", "rule=~(a|aa)*b", "rule!~(x+x+)+y"])
def test_a_pathological_pattern_answers_at_once(text: str) -> None:
    m = Matcher.parse(text)
    values = ["a" * 30, "a" * 10_000 + "!", "x" * 50_000, "(.|.|.)" * 1000]
    with deadline(2.0):
        started = time.monotonic()
        for v in values:
            m.matches({"rule": v})
        took = time.monotonic() - started
    assert took < 1.0


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("rule=~(a)\\1", "invalid escape sequence: \\1"),  # a backreference
        ("rule=~(?=hijack)", "invalid perl operator: (?="),  # look-ahead
        ("rule!~(?<!x)y", "invalid perl operator: (?<"),  # look-behind
        ("rule=~crisis(", "missing )"),
    ],
)
def test_a_pattern_re2_refuses_is_refused_at_parse_naming_the_matcher(text: str, needle: str) -> None:
    with pytest.raises(ValueError) as e:
        Matcher.parse(text)
    message = str(e.value)
    assert message.startswith(f"bad regular expression in matcher {text!r}: ")
    assert needle in message
    assert "RE2" in message


def test_a_matcher_made_directly_with_a_pattern_re2_refuses_raises() -> None:
    with pytest.raises(ValueError, match="invalid escape sequence"):
        Matcher("rule", "(a)\\1", "=~")
