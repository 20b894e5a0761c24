"""The ``sustained`` detector: a trailing hour at twice the page's normal whose extra comments are negative, beyond
what chance makes of the page's usual share, starts a shift."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

import sentinel.rules  # noqa: F401  (import order: sentinel.detectors.common imports the rule engine)
from sentinel.config.schema import PageConfig
from sentinel.detectors.common import ParamError
from sentinel.detectors.registry import DETECTORS
from sentinel.detectors.sustained import KEEP, SustainedDetector, SustainedState, evidence, expected_hour
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.testing import event, person

T0 = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)  # a Monday; the page is in UTC
PAGE = PageConfig(id="druvan", language="sv")
HAPPY = "Fantastiskt, jag älskar det här! Så bra!"
ANGRY = "Skandal! Ni är fruktansvärda, det här är helt oacceptabelt och äckligt."
PLAIN = "Finns den i blått"


def comment(t: datetime, text: str) -> Enriched:
    return Enriched(event("comment.created", t, post_id="p1", message=text), PAGE, PageKnowledge())


def run(det: SustainedDetector, burst: list[tuple[timedelta, str]], days: int = 5) -> list[tuple[datetime, bool]]:
    """Four comments an hour, one in eight negative, for ``days`` days (the page's normal), then ``burst`` (offsets
    from the last day's 10:00, with texts); the signals as (time, active)."""
    st = det.new_state()
    out: list[tuple[datetime, bool]] = []
    times = [(T0 + timedelta(minutes=15 * k), ANGRY if k % 8 == 0 else PLAIN) for k in range(days * 96)]
    day = T0 + timedelta(days=days, hours=10)
    times += [(day + dt, text) for dt, text in burst]
    for t, text in sorted(times):
        due = det.next_due(st)
        if due is not None and due <= t:
            out += [(s.at, s.active) for s in det.advance(st, t)]
        out += [(s.at, s.active) for s in det.observe(st, comment(t, text), t)]
    end = day + timedelta(hours=4)
    while (due := det.next_due(st)) is not None and due <= end:
        out += [(s.at, s.active) for s in det.advance(st, due)]
    return out


def spread(n: int, minutes: int, text: str, start: int = 0) -> list[tuple[timedelta, str]]:
    return [(timedelta(minutes=start) + timedelta(minutes=minutes) * k / n, text) for k in range(n)]


def building(text: str, first: int = 4, second: int = 12) -> list[tuple[timedelta, str]]:
    """``first`` comments in one hour, ``second`` in the next: a burn that builds."""
    return spread(first, 60, text) + spread(second, 60, text, 60)


@pytest.mark.parametrize(
    ("case", "burst", "starts"),
    [
        ("angry comments building over two hours start a shift", building(ANGRY), True),
        ("the same build-up of happy comments (a launch) does not", building(HAPPY), False),
        ("plain comments building up do not either", building(PLAIN), False),
        (
            "twelve angry comments in one hour, on a page with one in eight, are evidence enough alone",
            spread(12, 60, ANGRY),
            True,
        ),
        (
            "two angry comments in a doubled hour are too few, however unusual",
            spread(2, 60, ANGRY) + spread(8, 60, PLAIN),
            False,
        ),
        (
            "a doubled hour as negative as usual (one in eight) is chance",
            spread(8, 60, PLAIN) + spread(1, 60, ANGRY, 30) + spread(8, 60, PLAIN, 60) + spread(1, 60, ANGRY, 90),
            False,
        ),
        (
            "half the extra comments angry, among plain ones, is enough",
            building(ANGRY, 5, 10) + spread(12, 60, PLAIN, 61),
            True,
        ),
        (
            "a third of them is not, on a page where one in eight is negative anyway (10 of 29: chance, 0.3 %)",
            building(ANGRY, 3, 6) + spread(12, 60, PLAIN, 61),
            False,
        ),
        (
            "a few angry among many happy ones is not",
            building(ANGRY, 3, 5) + spread(30, 60, HAPPY, 61),
            False,
        ),
    ],
)
def test_a_shift_starts_only_when_the_hour_is_raised_and_negative(
    case: str, burst: list[tuple[timedelta, str]], starts: bool
) -> None:
    sigs = run(SustainedDetector(), burst)
    assert bool(sigs) == starts, case
    if starts:
        assert [a for _, a in sigs] == [True, False], "one onset and one end, no re-fire storm"


def test_the_shift_ends_when_the_trailing_hour_falls_back() -> None:
    burst = building(ANGRY)
    sigs = run(SustainedDetector(), burst)
    (on, _), (off, _) = sigs
    last = T0 + timedelta(days=5, hours=10) + burst[-1][0]
    assert on < last < off <= last + timedelta(hours=1), "over within the hour after the last angry comment"


def test_a_burn_in_an_hour_otherwise_quiet_is_raised_by_its_own_comments() -> None:
    """The usual count is a mean of hours that come in cascades; a burn as large as a normal hour in an hour whose
    other comments stayed away has doubled what the page's people write, though not the hour's total."""
    det = SustainedDetector()
    st = det.new_state()
    sigs = []
    times = [(T0 + timedelta(minutes=15 * k), ANGRY if k % 8 == 0 else PLAIN) for k in range(5 * 96)]
    day = T0 + timedelta(days=5, hours=10)  # the page's usual four comments an hour stop; five angry ones come
    times += [(day + timedelta(minutes=12 * k), ANGRY) for k in range(5)]
    for t, text in times:
        sigs += det.observe(st, comment(t, text), t)
    assert [s.active for s in sigs] == [True]
    # the fifth: 4.5 more negative comments than the usual half of one, more than the usual hour's four comments
    assert sigs[0].at == day + timedelta(minutes=48)
    assert sigs[0].values["count"] == 5 and sigs[0].values["ratio"] < 2


def test_a_young_page_raises_nothing_while_learning() -> None:
    assert run(SustainedDetector({"learn_for": "10d"}), building(ANGRY, 10, 20)) == []


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({24 * k + 10: 4 for k in range(7)}, 4.0),  # the same hour every day
        ({**{24 * k + 10: 4 for k in range(7)}, 24 * 6 + 10: 100}, 4.0),  # one past burst is left out
        ({24 * k + 10: 1 for k in range(7)} | {24 * 2 + 10: 0}, 5 / 6),  # a quiet day counts
        ({}, 0.5),  # nothing seen: the floor
    ],
)
def test_usual_count_is_the_mean_of_the_same_hour_without_its_largest(counts: dict[int, int], expected: float) -> None:
    slots = [-1] * KEEP
    for h, c in counts.items():
        slots[h % KEEP] = c
    newest = 24 * 7
    assert expected_hour(slots, newest + 10, newest, 0.5) == pytest.approx(expected)


def four_days(det: SustainedDetector) -> SustainedState:
    """A state fed 400 comments, one every 15 minutes, one in eight negative."""
    st = det.new_state()
    for k in range(400):
        t = T0 + timedelta(minutes=15 * k)
        det.observe(st, comment(t, ANGRY if k % 8 == 0 else PLAIN), t)
    return st


def test_state_survives_a_snapshot_and_restore() -> None:
    det = SustainedDetector()
    st = four_days(det)
    again = det.from_json(det.to_json(st))
    assert det.to_json(again) == det.to_json(st)


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"ratio": 0.5}, "ratio"),
        ({"negative_share": 2}, "negative_share"),
        ({"min_negative": -1}, "min_negative"),
        ({"false_alarms": 0}, "false_alarms"),
        ({"building": 0.4}, "building"),
        ({"window": "0s"}, "window"),
        ({"windw": "1h"}, "windw"),
    ],
)
def test_bad_parameters_are_refused_by_name(params: dict[str, object], key: str) -> None:
    with pytest.raises(ParamError) as e:
        SustainedDetector(params)
    assert e.value.key == key


def test_it_is_registered_as_sustained() -> None:
    assert isinstance(DETECTORS["sustained"]({"type": "sustained"}, None), SustainedDetector)


def test_a_slow_build_is_paged_sooner_at_a_higher_false_alarm_rate() -> None:
    """The threshold is ln(2M / false_alarms), M the page's comments a month (4 an hour here): 5.7 at 20 false
    alarms a page-month, 13.3 at 0.01. A burn that builds for three hours passes the first well before the second."""
    burn = building(ANGRY, 3, 3) + spread(6, 60, PLAIN, 60) + spread(12, 60, ANGRY, 120) + spread(8, 60, PLAIN, 120)
    lax = [t for t, active in run(SustainedDetector({"false_alarms": 20}), burn) if active]
    strict = [t for t, active in run(SustainedDetector({"false_alarms": 0.01}), burn) if active]
    assert lax, "the lax threshold pages the burn"
    assert not strict or strict[0] > lax[0]


@pytest.mark.parametrize(
    ("k", "n", "q"),
    [(3, 10, 0.05), (5, 13, 0.068), (8, 40, 0.05), (12, 16, 0.125), (20, 20, 0.3), (30, 200, 0.1)],
)
def test_evidence_bounds_the_binomial_tail(k: int, n: int, q: float) -> None:
    """Chernoff: the chance of ``k`` or more negative of ``n`` at the usual share is at most exp(-evidence)."""
    tail = sum(math.comb(n, j) * q**j * (1 - q) ** (n - j) for j in range(k, n + 1))
    assert evidence(k, n, q) > 0
    assert tail <= math.exp(-evidence(k, n, q)) * (1 + 1e-9)  # equal when k == n
    assert tail >= math.exp(-evidence(k, n, q)) / (4 * n)  # and not far from it (a bound that says something)


def test_no_evidence_at_or_below_the_usual_share() -> None:
    assert evidence(1, 20, 0.05) == 0.0
    assert evidence(0, 5, 0.1) == 0.0
    assert evidence(0, 0, 0.1) == 0.0


def test_a_state_saved_before_the_evidence_restores_its_window_before_and_hours() -> None:
    det = SustainedDetector()
    st = four_days(det)
    saved = dict(det.to_json(st))
    old = {k: v for k, v in saved.items() if k not in ("before", "seen")}  # what the version before saved
    again = det.from_json(old)
    assert (again.before, again.seen) == (st.before, st.seen)
    assert st.before > 0 and st.seen > 0


def test_the_night_the_clocks_go_back_is_one_hour_long() -> None:
    """The trailing hour is an hour of time: when a Swedish page's clocks go back (03:00 CEST becomes 02:00 CET on
    26 October 2025), the repeated hour's comments do not pile up in one five-minute bin and double the window."""
    page = PageConfig(id="druvan", language="sv", timezone="Europe/Stockholm")
    det = SustainedDetector()
    st = det.new_state()
    start = datetime(2025, 10, 25, 12, 0, tzinfo=UTC)
    for k in range(18 * 12):  # one comment every five minutes, over the change at 01:00 UTC
        t = start + timedelta(minutes=5 * k)
        det.observe(st, Enriched(event("comment.created", t, post_id="p1", message=PLAIN), page, PageKnowledge()), t)
        assert st.count <= 12, f"{st.count} comments in the trailing hour at {t:%H:%M} UTC"


def test_a_state_saved_when_bins_counted_wall_time_is_read_in_time() -> None:
    page = PageConfig(id="druvan", language="sv", timezone="Europe/Stockholm")
    det = SustainedDetector()
    st = det.new_state()
    t = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)  # 10:00 in Stockholm (CET, an hour ahead)
    det.observe(st, Enriched(event("comment.created", t, post_id="p1", message=PLAIN), page, PageKnowledge()), t)
    old = dict(det.to_json(st))
    del old["v"]
    old["bin"] = st.bin + 12  # the version before counted bins of five minutes in local time
    assert det.from_json(old).bin == st.bin
    assert det.from_json(det.to_json(st)).bin == st.bin


def test_a_burn_that_dips_and_comes_back_within_rearm_is_one_alarm() -> None:
    """A burn that ends and builds again an hour later is the same burn (as ``surge`` counts one surge); with
    ``rearm: 0s`` the return starts a second shift."""
    burst = building(ANGRY) + [(dt + timedelta(hours=3), text) for dt, text in building(ANGRY)]
    once = run(SustainedDetector(), burst)
    assert [a for _, a in once] == [True, False]
    twice = run(SustainedDetector({"rearm": "0s"}), burst)
    assert [a for _, a in twice][:3] == [True, False, True]
    assert twice[2][0] - twice[1][0] < timedelta(hours=3)


def test_a_flood_of_angry_reactions_is_counted_whole_and_raised_within_minutes() -> None:
    """crisis.angry_reactions' settings on reactions: a like every 20 minutes (one in 25 angry) for four and a half
    days, then 200 angry and sad reactions in 30 minutes from 12:00. The trailing hour counts every one of them (no
    sampling, no merging by post or by reactor), and the shift starts as soon as ten more angry ones than usual are
    in it: the detector never saw a tenth of a flood; the rule's `for: 30m` held its warning back."""
    det = SustainedDetector(
        {"min_excess": 10, "min_negative": 10, "negative_share": 0.25, "negative_lift": 2, "false_alarms": 1}
    )
    st = det.new_state()

    def reaction(t: datetime, kind: str, who: str) -> Enriched:
        e = event("reaction.created", t, actor=person(who, who), target_id="p9", reaction=kind)
        return Enriched(e, PAGE, PageKnowledge())

    normal = [(T0 + timedelta(minutes=20 * k), "angry" if k % 25 == 0 else "like") for k in range(4 * 72 + 36)]
    noon = T0 + timedelta(days=4, hours=12)
    flood = [(noon + timedelta(seconds=9 * k), "sad" if k % 5 == 0 else "angry") for k in range(200)]
    sigs = []
    for k, (t, kind) in enumerate(normal + flood):
        sigs += det.observe(st, reaction(t, kind, f"v{k}"), t)
    assert [s.active for s in sigs] == [True]
    assert sigs[0].at - noon < timedelta(minutes=2), f"raised at {sigs[0].at:%H:%M:%S}"
    assert sigs[0].values["negative"] >= 10
    # at 12:30 the trailing hour holds the flood whole, and the one like since 11:30 (11:40)
    assert (st.neg, st.count) == (200, 201)
