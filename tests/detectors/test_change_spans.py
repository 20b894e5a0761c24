"""The change detector with ``within``: the changes one key (an admin) makes within the span of the first of them
are one finding that lists them all (a rebrand is one alert, not one per field); its state survives a restart."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sentinel.conditions.expr import compile_expr
from sentinel.config.schema import PageConfig
from sentinel.detectors.base import Signal
from sentinel.detectors.change import MAX_FIELDS, ChangeDetector, ChangeParams, ChangeState
from sentinel.detectors.common import ParamError
from sentinel.enrich import VARIABLES, Enriched, PageKnowledge
from sentinel.testing import at, event, person

PAGE = PageConfig(id="druvan", timezone="UTC")
LENA, MRX = person("Lena", "1"), person("Mr X", "9")


def comp(src: str) -> Any:
    return compile_expr(src, frozenset(VARIABLES))


def detector(**params: Any) -> ChangeDetector:
    return ChangeDetector(ChangeParams.model_validate({"type": "change", **params}), comp)


def changes(det: ChangeDetector, state: ChangeState, *steps: tuple[str, Any, str, str, str]) -> list[Signal]:
    know, out = PageKnowledge(), []
    for when, actor, field, old, new in steps:
        e = Enriched(event("page.changed", at(when), actor=actor, field=field, old=old, new=new), PAGE, know)
        out += det.observe(state, e, e.time)
    return out


def test_a_rebrand_by_one_admin_is_one_finding_that_lists_every_field() -> None:
    det = detector(within="10m", key="actor.id")
    state = det.new_state()
    sigs = changes(
        det,
        state,
        ("0s", LENA, "name", "Druvan", "Druvan Vinbar"),
        ("1m", LENA, "username", "druvan", "druvanvinbar"),
        ("2m", LENA, "website", "https://druvan.se", "https://druvanvinbar.se"),
    )
    assert len(sigs) == 3 and len({tuple(sorted(s.labels.items())) for s in sigs}) == 1, "one alert instance"
    last = sigs[-1]
    assert last.labels["key"] == "1" and last.labels["since"].endswith("Z")
    assert last.values["fields"] == ["name", "username", "website"] and last.values["count"] == 3
    assert last.values["changes"] == (
        "name 'Druvan' → 'Druvan Vinbar'; username 'druvan' → 'druvanvinbar'; "
        "website 'https://druvan.se' → 'https://druvanvinbar.se'"
    )
    assert len(last.evidence) == 3


def test_a_change_after_the_span_or_by_another_admin_is_a_finding_of_its_own() -> None:
    det = detector(within="10m", key="actor.id")
    sigs = changes(
        det,
        det.new_state(),
        ("0s", LENA, "name", "Druvan", "Druvan Vinbar"),
        ("3m", MRX, "website", "https://druvan.se", "https://druvan-login.example"),
        ("10m", LENA, "username", "druvan", "druvanvinbar"),  # still in Lena's span (10 minutes after its first)
        ("10m1s", LENA, "phone", "+4640123", "+4640999"),  # past it: a new one
    )
    labels = [dict(s.labels) for s in sigs]
    assert labels[0] == labels[2] != labels[1] and labels[3] != labels[0]
    assert sigs[2].values["fields"] == ["name", "username"] and sigs[3].values["fields"] == ["phone"]
    assert sigs[1].values["fields"] == ["website"]


def test_a_setting_changed_twice_in_a_span_is_listed_once_from_its_first_value_to_its_last() -> None:
    det = detector(within="10m")
    sigs = changes(
        det,
        det.new_state(),
        ("0s", LENA, "name", "Druvan", "Druvan Bistro"),
        ("1m", LENA, "name", "Druvan Bistro", "Druvan Vinbar"),
        ("2m", LENA, "name", "Druvan Vinbar", "Druvan Vinbar"),  # the same value again is no change
    )
    assert len(sigs) == 2 and "key" not in sigs[-1].labels
    assert sigs[-1].values["changes"] == "name 'Druvan' → 'Druvan Vinbar'"


def test_a_span_lists_a_bounded_number_of_settings() -> None:
    det = detector(within="10m")
    steps = [("0s", LENA, f"f{n}", "a", "b") for n in range(MAX_FIELDS + 5)]
    last = changes(det, det.new_state(), *steps)[-1]
    assert len(last.values["fields"]) == MAX_FIELDS and last.values["count"] == MAX_FIELDS + 5
    assert last.values["changes"].endswith("; +5")


def test_an_open_span_survives_a_restart() -> None:
    det = detector(within="10m", key="actor.id")
    state = det.new_state()
    first = changes(det, state, ("0s", LENA, "name", "Druvan", "Druvan Vinbar"))[0]
    state = det.from_json(det.to_json(state))
    again = changes(det, state, ("1m", LENA, "username", "druvan", "druvanvinbar"))[0]
    assert again.labels == first.labels and again.values["fields"] == ["name", "username"]
    assert det.from_json(det.to_json(detector().new_state())).spans == {}, "old state (no spans) reads"


def test_without_within_each_setting_is_its_own_finding_as_before() -> None:
    det = detector()
    sigs = changes(
        det,
        det.new_state(),
        ("0s", LENA, "name", "Druvan", "Druvan Vinbar"),
        ("1m", LENA, "username", "druvan", "druvanvinbar"),
    )
    assert [dict(s.labels) for s in sigs] == [{"field": "name"}, {"field": "username"}]
    assert sigs[0].values == {"field": "name", "old": "Druvan", "new": "Druvan Vinbar"}


def test_wrong_span_params_are_refused() -> None:
    with pytest.raises(ParamError, match="within"):
        detector(within="0s")
    with pytest.raises(ParamError, match="key"):
        detector(key="actor.id")
    with pytest.raises(ValidationError):
        detector(within="soon")
