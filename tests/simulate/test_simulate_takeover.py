"""``simulate --content``: a takeover that looks routine, and the team's own campaign or rebrand; page languages."""

from __future__ import annotations

from datetime import datetime

import pytest

from sentinel.simulate import ScenarioSpec, iter_records, page_configs
from sentinel.simulate.spec import TIMEZONE, page_profile
from sentinel.simulate.takeover import plan
from sentinel.simulate.timebase import LocalTime


def _page_posts(spec: ScenarioSpec) -> list[dict]:
    key = page_profile(spec, 0).key
    return [
        r
        for r in iter_records(spec)
        if r["page"] == key and r["kind"] == "post.created" and (r["actor"] or {}).get("type") == "page"
    ]


def _staffed(spec: ScenarioSpec, when: str) -> bool:
    p = page_profile(spec, 0)
    t = datetime.fromisoformat(when)
    hours = p.staffed.get(t.weekday())
    return hours is not None and hours[0] <= t.hour < hours[1]


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_takeover_posts_scam_through_a_usual_app_in_staffed_hours(seed: int) -> None:
    spec = ScenarioSpec(days=35, seed=seed, content="takeover", hijack=False, language="sv")
    pl = plan(spec)
    assert pl is not None and pl.day.weekday() in (1, 2, 3)
    records = list(iter_records(spec))
    posts = [r for r in records if r["kind"] == "post.created" and (r["actor"] or {}).get("type") == "page"]
    bad = [r for r in posts if any(pl.link_host in u for u in r["object"]["links"])]
    before = [r for r in posts if r not in bad]
    assert 3 <= len(bad) <= 6
    usual_apps = {r["object"]["app"] for r in before}
    for r in bad:
        assert _staffed(spec, r["time"]) and r["object"]["app"] in usual_apps
    replies = [
        r
        for r in records
        if r["kind"] == "comment.created"
        and (r["actor"] or {}).get("type") == "page"
        and any(pl.link_host in u for u in r["object"]["links"])
    ]
    assert bad[0]["time"] == datetime.fromtimestamp(pl.start, LocalTime(TIMEZONE).zone).isoformat()
    assert all(r["time"] > bad[0]["time"] for r in replies)


@pytest.mark.parametrize("kind", ["campaign", "rebrand"])
def test_campaign_and_rebrand_are_the_teams_own_posts_in_office_hours(kind: str) -> None:
    spec = ScenarioSpec(days=35, seed=3, content=kind, hijack=False)
    pl = plan(spec)
    assert pl is not None
    posts = _page_posts(spec)
    own = [r for r in posts if pl.name in r["object"]["message"]]
    assert len(own) == len(pl.gaps) + 1
    admins = {a.id for a in page_profile(spec, 0).admins}
    for r in own:
        assert _staffed(spec, r["time"]) and r["object"]["admin"]["id"] in admins
    assert any(pl.link_host in u for r in own for u in r["object"]["links"])


def test_a_pages_language_sets_its_posts_and_its_config() -> None:
    spec = ScenarioSpec(days=10, seed=2, language="da")
    assert page_configs(spec)[0]["language"] == "da"
    texts = [r["object"]["message"] for r in _page_posts(spec)]
    assert texts and not any("Välkommen" in t or "butiker." in t for t in texts)
    assert any("butikk" in t or "Vi " in t or "Tak" in t for t in texts)


def test_unknown_content_or_language_is_refused() -> None:
    with pytest.raises(ValueError, match="content"):
        ScenarioSpec(content="party")
    with pytest.raises(ValueError, match="language"):
        ScenarioSpec(language="de")
