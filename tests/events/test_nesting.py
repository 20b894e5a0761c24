"""The nesting guard: exact for JSON (brackets in strings, escapes), a bound for anything else, and quick on a bomb."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pytest

from sentinel.events.nesting import TooDeep, check_nesting, field_name, loads


def depth_of(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    return 0


def random_value(rng: random.Random, levels: int) -> Any:
    if levels == 0 or rng.random() < 0.2:
        return rng.choice(
            [1, None, "x", "a[[[", '"]}{', "\\", '\\"[', "}}]]"]
        )  # brackets, quotes and escapes in strings
    if rng.random() < 0.5:
        return [random_value(rng, levels - 1) for _ in range(rng.randint(0, 3))]
    return {
        rng.choice(["k", "[", '\\"{', "\\"]) + str(i): random_value(rng, levels - 1) for i in range(rng.randint(0, 3))
    }


def test_the_guard_finds_the_depth_of_json_exactly_whatever_its_strings_hold() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        value = random_value(rng, rng.randint(1, 12))
        text, depth = orjson.dumps(value), depth_of(value)
        check_nesting(text, depth)
        check_nesting(text.decode(), depth)
        if depth:
            with pytest.raises(TooDeep):
                check_nesting(text, depth - 1)


@pytest.mark.parametrize("levels", [65, 140_000, 5_000_000])
def test_a_bomb_is_refused_with_where_it_goes_too_deep(levels: int) -> None:
    text = b'{"object": {"v": ' + b"[" * levels + b"]" * levels + b"}}"
    with pytest.raises(TooDeep) as exc:
        check_nesting(text, 64)
    assert exc.value.path is not None and field_name(exc.value.path) == "object.v" + "[0]" * 62
    assert str(exc.value) == "nests deeper than 64 levels"


def test_brackets_that_never_close_are_refused_and_the_decoder_never_sees_them() -> None:
    for text in (b"[" * 10_000_000, b"[[]" * 1_000_000, b"]" + b"[" * 100, b'["' + b"[" * 100):
        with pytest.raises(TooDeep):
            loads(text, 64)


def test_a_wide_shallow_text_passes() -> None:
    text = orjson.dumps([{"a": [[i], {"b": "[[[{{{"}]} for i in range(10_000)])
    check_nesting(text, 4)
    with pytest.raises(TooDeep) as exc:
        check_nesting(text[:-1] + b',{"a": [[[[1]]]]}]', 4)
    assert exc.value.path == (10_000, "a", 0, 0)
