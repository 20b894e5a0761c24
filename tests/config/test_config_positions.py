"""A finding about one entry is reported at that entry's line, not at the file's start; an absent key has no line."""

from __future__ import annotations

import pytest

from sentinel.errors import ConfigError
from sentinel.settings import parse_config

REFS = """\
people:
  - {name: erik}
teams:
  - {name: sec, members: [erik, bob]}
escalation:
  policies:
    - name: p
      steps: [{targets: [{team: nope}]}]
  routes:
    - {policy: p}
    - {policy: q}
"""


def test_names_used_but_not_defined_are_reported_at_the_entry_that_uses_them() -> None:
    with pytest.raises(ConfigError) as e:
        parse_config(REFS, "s.yaml")
    assert [str(i) for i in e.value.issues] == [
        "s.yaml:4:5: teams[0]: sec: unknown person 'bob'",
        "s.yaml:7:7: escalation.policies[0]: p: unknown team 'nope'",
        "s.yaml:11:7: escalation.routes[1]: unknown policy 'q'",
    ]


def test_a_key_the_file_does_not_have_gets_no_line() -> None:
    config = parse_config("pages: []\n", "s.yaml")
    from sentinel.config import source_of

    source = source_of(config)
    assert source is not None
    assert str(source.positions.issue(("server", "port"), "in use")) == "s.yaml: server.port: in use"
    assert str(source.positions.issue(("pages",), "x")) == "s.yaml:1:1: pages: x"
