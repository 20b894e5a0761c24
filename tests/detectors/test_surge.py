import math
import random
from datetime import UTC, datetime, timedelta

import pytest

import sentinel.rules  # noqa: F401  (import order: sentinel.detectors.common imports the rule engine)
from sentinel.config.schema import PageConfig
from sentinel.detectors.common import ParamError
from sentinel.detectors.registry import DETECTORS
from sentinel.detectors.surge import SurgeDetector, count_at, fit_threshold, score
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.testing import event

T0 = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)
PAGE = PageConfig(id="druvan")  # in UTC


def comment(t):
    """A comment as the engine hands it to the detector."""
    return Enriched(event("comment.created", t, post_id="p1", message="hej"), PAGE, PageKnowledge())


def feed(det, st, per_hour, start, hours, rng=None):
    sigs = []
    for h in range(hours):
        t0 = start + timedelta(hours=h)
        n = per_hour(t0)
        if rng is not None:
            n = max(0, round(n * math.exp(rng.gauss(0.0, 0.2))))
        for k in range(n):
            t = t0 + timedelta(seconds=(k + 0.5) * 3600 / n)
            due = det.next_due(st)
            if due is not None and due <= t:
                sigs += det.advance(st, t)
            sigs += det.observe(st, comment(t), t)
    return sigs


def daily(t):
    return 40 if 8 <= t.hour < 20 else 5


def test_surge_is_registered():
    assert "surge" in DETECTORS


def test_score_and_count_at_are_inverse():
    for e in (0.5, 20.0, 500.0):
        for z in (1.0, 3.0, 6.0):
            assert score(count_at(z, e), e) == pytest.approx(z)


def test_threshold_rises_with_a_lower_accepted_rate():
    rng = random.Random(4)
    scores = [rng.gauss(0.0, 1.0) for _ in range(672)]
    lenient, strict = fit_threshold(scores, 4 / 720), fit_threshold(scores, 0.5 / 720)
    assert 2.0 < lenient < strict < 5.0


def test_a_noisy_normal_month_stays_quiet_and_a_tenfold_surge_fires_once_then_ends():
    det = SurgeDetector({"false_alarms": 1})
    st = det.new_state()
    assert feed(det, st, daily, T0, 24 * 21, random.Random(1)) == []
    start = T0 + timedelta(days=21, hours=10)
    sigs = feed(det, st, lambda t: 400, start, 2)
    sigs += feed(det, st, daily, start + timedelta(hours=2), 6)
    assert [s.active for s in sigs] == [True, False]
    assert sigs[0].values["baseline"] > 0


def test_one_long_surge_counts_once_in_the_tail():
    rng = random.Random(5)
    base = [rng.gauss(0.0, 1.0) for _ in range(672)]
    short = [*base[:300], 9.0, *base[301:]]
    long = [*base[:300], 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, *base[306:]]
    # six tail hours of one surge would stretch an undeclustered tail; here they barely move it
    assert fit_threshold(long, 4 / 720) == pytest.approx(fit_threshold(short, 4 / 720), abs=0.2)


@pytest.mark.parametrize(("hold_for", "burst_reported"), [("0s", True), ("20m", False)])
def test_a_burst_over_before_hold_for_is_not_reported_but_a_held_surge_is(hold_for, burst_reported):
    det = SurgeDetector({"false_alarms": 1, "hold_for": hold_for})
    st = det.new_state()
    assert feed(det, st, daily, T0, 24 * 21, random.Random(1)) == []
    burst_at = T0 + timedelta(days=21, hours=10)
    burst = [comment(burst_at + timedelta(seconds=k)) for k in range(60)]  # 60 comments in a minute, then the usual
    sigs = [s for c in burst for s in det.observe(st, c, c.event.time)]
    sigs += feed(det, st, daily, burst_at + timedelta(minutes=1), 6)
    assert [s.active for s in sigs] == ([True, False] if burst_reported else [])
    start = T0 + timedelta(days=22, hours=10)
    sigs = feed(det, st, lambda t: 400, start, 1)
    assert [s.active for s in sigs] == [True]
    # held: reported once sure to stay at the gate until hold_for after reaching it (here well before the 20 min)
    assert sigs[0].at - start >= (timedelta(minutes=10) if not burst_reported else timedelta(0))


def test_a_burst_sure_to_outlast_hold_for_is_reported_at_once():
    det = SurgeDetector({"false_alarms": 1, "hold_for": "10m"})
    st = det.new_state()
    assert feed(det, st, daily, T0, 24 * 21, random.Random(1)) == []
    burst_at = T0 + timedelta(days=21, hours=10)
    burst = [comment(burst_at + timedelta(seconds=k / 5)) for k in range(300)]  # a minute of 300 comments
    sigs = [s for c in burst for s in det.observe(st, c, c.event.time)]
    # decaying from here, the count stays at the gate for longer than hold_for: no need to wait and see
    assert [s.active for s in sigs] == [True]
    assert sigs[0].at < burst_at + timedelta(minutes=1)


def test_a_second_surge_within_the_re_arm_time_is_the_same_surge():
    det = SurgeDetector({"false_alarms": 1, "hold_for": "0s"})
    st = det.new_state()
    feed(det, st, daily, T0, 24 * 21, random.Random(1))
    start = T0 + timedelta(days=21, hours=10)
    surge, calm = (lambda t: 400), daily
    sigs = feed(det, st, surge, start, 1) + feed(det, st, calm, start + timedelta(hours=1), 1)
    sigs += feed(det, st, surge, start + timedelta(hours=2), 1)  # within three hours of the end: no new onset
    sigs += feed(det, st, calm, start + timedelta(hours=3), 4)
    sigs += feed(det, st, surge, start + timedelta(hours=7), 1)  # later: a new one
    assert [s.active for s in sigs] == [True, False, True]


def test_no_surge_while_learning():
    det = SurgeDetector({"learn_for": "3d"})
    st = det.new_state()
    assert feed(det, st, lambda t: 2 if t < T0 + timedelta(days=2) else 300, T0, 24 * 3) == []


def test_state_survives_a_json_round_trip():
    det = SurgeDetector()
    st = det.new_state()
    feed(det, st, daily, T0, 24 * 5)
    back = det.from_json(det.to_json(st))
    assert det.to_json(back) == det.to_json(st)


@pytest.mark.parametrize(
    "params",
    [
        {"false_alarms": 0},
        {"false_alarms": 1000},
        {"min_ratio": -1},
        {"window": "0s"},
        {"hold_for": "-5m"},
        {"nope": 1},
    ],
)
def test_bad_params_are_refused(params):
    with pytest.raises(ParamError):
        SurgeDetector(params)
