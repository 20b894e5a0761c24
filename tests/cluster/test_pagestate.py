"""A page's part of the engine snapshot, as the replica that takes the page over reads it (``split``, ``merge``)."""

from __future__ import annotations

import json
from pathlib import Path

from sentinel.cluster.pagestate import merge, split
from sentinel.config.schema import PageConfig
from sentinel.model import AlertStatus
from sentinel.rules import RuleEngine, load_rules
from sentinel.testing import at, event, person


def pages(pid: str) -> PageConfig:
    return PageConfig(id=pid, timezone="Europe/Stockholm", staffed_hours={"mon-fri": "08:00-17:00"})


def test_a_hijacks_aftermath_moves_with_its_page_to_the_next_owner(tmp_path: Path) -> None:
    """The owner saw a takeover on druvan end (a manager added on a Friday night: critical); the replica that takes
    druvan over still mutes its next day's crisis alerts, and the part of another page carries none of it."""
    (tmp_path / "x.yaml").write_text(
        "rules:\n- id: t.crisis\n  category: crisis\n  severity: warning\n  match: {kinds: [comment.created]}\n"
    )
    owner = RuleEngine(load_rules([tmp_path]), pages)
    grant = event("role.granted", at("0s"), actor=person(), user={"id": "9", "name": "X"}, tasks=["MANAGE"])
    owner.process(grant, grant.time)
    other = event("comment.created", at("10m"), page="other", actor=person(), message="hej")
    owner.process(other, other.time)
    assert [t.status for t in owner.advance(at("2h")) if t.page == "druvan"] == [AlertStatus.RESOLVED]

    parts = split(json.loads(json.dumps(owner.snapshot())), lambda page: page)
    assert len(parts["druvan"]["ended"]) == 1 and parts["other"]["ended"] == []
    taker = RuleEngine(load_rules([tmp_path]), pages)
    taker.restore(merge(owner.snapshot()["version"], [parts["druvan"]]))
    c = event("comment.created", at("7h"), actor=person(), message="hej", comment_id="c7")
    assert [(t.status, t.reason) for t in taker.process(c, c.time)] == [(AlertStatus.SUPPRESSED, "inhibited")]
