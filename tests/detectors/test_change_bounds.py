"""The change detector remembers a bounded prefix of a setting's value (its state is written after every batch)."""

from __future__ import annotations

from typing import Any

from sentinel.conditions.expr import compile_expr
from sentinel.config.schema import PageConfig
from sentinel.detectors.change import MAX_KEPT, ChangeDetector, ChangeParams
from sentinel.enrich import VARIABLES, Enriched, PageKnowledge
from sentinel.testing import at, event

PAGE = PageConfig(id="druvan", timezone="UTC")


def comp(src: str) -> Any:
    return compile_expr(src, frozenset(VARIABLES))


def test_a_long_setting_is_remembered_as_a_bounded_prefix_and_still_told_apart() -> None:
    det = ChangeDetector(ChangeParams.model_validate({"type": "change"}), comp)
    state, know = det.new_state(), PageKnowledge()
    first, second = "a" * 100_000, "a" * 99_999 + "b"  # the same for far beyond the prefix
    changes = []
    for n, value in enumerate([first, first, second]):
        e = Enriched(event("page.changed", at(f"{n}m"), field="about", old=None, new=value), PAGE, know)
        changes += det.observe(state, e, e.time)
    assert len(changes) == 2, "the same long value again is no change; one that differs past the prefix is"
    kept = state.last["about"]
    assert kept.startswith("a" * MAX_KEPT) and len(kept) < MAX_KEPT + 40
    assert len(str(det.to_json(state))) < MAX_KEPT + 100
    assert all(len(str(c.values["new"])) < MAX_KEPT + 40 for c in changes)
