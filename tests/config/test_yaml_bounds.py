"""YAML that would take the loader down is refused before it is built: nesting too deep (a ``RecursionError`` in
the composer) and aliases that expand too far (a "billion laughs" bomb), each as one issue naming the file, the
line and the column of the node at fault. Every other document loads as it did."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from sentinel.config.yamlbounds import MAX_ALIAS_VALUES, MAX_DEPTH, check_bounds
from sentinel.config.yamlpos import load_yaml
from sentinel.errors import ConfigError
from sentinel.rules.format import parse_rule_file
from sentinel.settings import parse_config

ROOT = Path(__file__).resolve().parents[2]


def laughs(levels: int = 8) -> str:
    """The alias bomb: level 0 is nine strings, each further level nine aliases to the one before (9**levels)."""
    lines = ["l0: &l0 [" + ", ".join(['"lol"'] * 9) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def nested(depth: int, *, flow: bool) -> str:
    """``pages:`` holding ``depth - 1`` lists in lists (the root mapping is the first level)."""
    if flow:
        return "pages: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"
    return "pages:\n" + "".join("  " * i + "-\n" for i in range(1, depth - 1)) + "  " * (depth - 1) + "- x\n"


def refusal(text: str, filename: str = "sentinel.yaml") -> str:
    with pytest.raises(ConfigError) as exc:
        load_yaml(text, filename)
    assert len(exc.value.issues) == 1, exc.value.issues
    return str(exc.value.issues[0])


def test_an_alias_bomb_is_refused_at_the_alias_that_passes_the_limit_and_says_the_limit() -> None:
    # l0..l4 add 9 + 81 + 729 + 6561 values through aliases; the first *l4 in l5 (line 6) passes 100,000
    assert refusal(laughs()) == (
        "sentinel.yaml:6:10: invalid YAML: alias *l4: aliases would expand the document by more than 100000 values "
        "(allowed: 10 per value written out, at least 100000); refused as an alias bomb"
    )


def test_the_bomb_is_refused_wherever_it_is_used_in_a_config() -> None:
    text = laughs() + "pages:\n  - id: a\n    extra: *l7\n"
    with pytest.raises(ConfigError) as exc:
        parse_config(text, "sentinel.yaml", env={})
    assert [i.line for i in exc.value.issues] == [6]
    assert "alias bomb" in str(exc.value)


@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 5000])
def test_nesting_deeper_than_the_limit_is_refused_at_the_first_node_too_deep(depth: int, flow: bool) -> None:
    where = "1:107" if flow else f"{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}"  # the 101st opening bracket or dash
    assert refusal(nested(depth, flow=flow)) == (
        f"sentinel.yaml:{where}: invalid YAML: nesting deeper than {MAX_DEPTH} levels is refused"
    )


@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
def test_nesting_as_deep_as_the_limit_still_loads(flow: bool) -> None:
    data, _, issues = load_yaml(nested(MAX_DEPTH, flow=flow), "sentinel.yaml")
    depth = 1
    while isinstance(data, dict | list) and data:
        data = data["pages"] if isinstance(data, dict) else data[0]
        depth += 1
    assert depth == MAX_DEPTH + (0 if flow else 1) and issues == []  # block: the innermost list holds "x"


def test_deep_nesting_in_a_rule_file_is_refused_with_its_file_and_line() -> None:
    with pytest.raises(ConfigError) as exc:
        parse_rule_file("rules:\n  - id: x\n    labels: " + "[" * 500 + "]" * 500 + "\n", "rules/mine.yaml")
    assert str(exc.value) == "rules/mine.yaml:3:110: invalid YAML: nesting deeper than 100 levels is refused"


def test_an_alias_inside_the_node_it_names_is_refused() -> None:
    assert refusal("pages: &p\n  - id: a\n  - *p\n") == (
        "sentinel.yaml:3:5: invalid YAML: alias *p refers to a node that contains it"
    )


def test_aliases_may_add_ten_values_per_value_written_out() -> None:
    # a hundred pages sharing one 15-value staffed_hours: 24 values written out up to the anchor's end, then each
    # page writes 6 and its alias adds 15 (1,485 added, 618 written)
    hours = "{" + ", ".join(f'{d}: "08:00-17:00"' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")) + "}"
    pages = [f"  - {{id: p0, timezone: UTC, staffed_hours: &hours {hours}}}"]
    pages += [f"  - {{id: p{i}, timezone: UTC, staffed_hours: *hours}}" for i in range(1, 100)]
    text = "pages:\n" + "\n".join(pages) + "\n"
    check_bounds(text, "x.yaml", max_alias_values=100)
    # at 2 per value written out, the 17th alias is one too many: 15 * 17 > 2 * (24 + 6 * 17)
    with pytest.raises(ConfigError, match=r"^x\.yaml:19:45: .*than 252 values \(allowed: 2 per value written out"):
        check_bounds(text, "x.yaml", max_alias_values=1, alias_ratio=2)
    shared = parse_config(text, "x.yaml", env={})
    assert parse_config(text.replace("*hours", hours), "x.yaml", env={}) == shared
    assert shared.pages[99].staffed_hours == shared.pages[0].staffed_hours


def test_the_limits_leave_far_more_room_than_the_shipped_files_need() -> None:
    files = sorted({*ROOT.glob("rules/**/*.yaml"), *ROOT.glob("examples/*.yaml"), *ROOT.glob("deploy/**/*.yaml")})
    assert len(files) > 20
    for f in files:
        check_bounds(f.read_text(encoding="utf-8"), str(f), max_depth=MAX_DEPTH // 8, max_alias_values=0)
    assert MAX_ALIAS_VALUES >= 100_000


@pytest.mark.parametrize("name", ["examples/druvan.yaml", "rules/hijack.yaml", "rules/tests/crisis_test.yaml"])
def test_a_shipped_file_loads_to_the_same_data_as_a_plain_yaml_load(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    data, _, _ = load_yaml(text, name, env={}, keep_unset=True)  # ${VAR} stays as written, as a plain load has it
    assert data == YAML(typ="safe", pure=True).load(text)
