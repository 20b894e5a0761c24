import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import sentinel.rules  # noqa: F401  (import order: sentinel.detectors.common imports the rule engine)
from sentinel.config.schema import PageConfig
from sentinel.detectors.common import ParamError
from sentinel.detectors.rate_spike import Baseline, RateSpikeDetector, Series
from sentinel.detectors.rate_spike.baseline import DAY_MEMORY, LEVEL_MEMORY, SPREAD_MEMORY, SPREAD_MIN_RATE, WEEK_MEMORY
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.model import Severity
from sentinel.testing import event

T0 = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)
PAGE = PageConfig(id="druvan")  # in UTC


def comment(t, post="p1", message="hej"):
    """A comment as the engine hands it to the detector."""
    return Enriched(event("comment.created", t, post_id=post, message=message), PAGE, PageKnowledge())


def feed(det, st, per_hour, start, hours, post="p1"):
    sigs = []
    for h in range(hours):
        n = per_hour(start + timedelta(hours=h))
        for k in range(n):
            t = start + timedelta(hours=h, seconds=(k + 0.5) * 3600 / n)
            sigs += det.observe(st, comment(t, post), t)
    return sigs


def quiet(t):
    return 6 if 8 <= t.hour < 20 else 1


def test_steady_volume_never_fires_and_surge_fires_once_then_ends():
    det = RateSpikeDetector({"min_count": 10, "ratio": 3, "z": 3, "learn_for": "2d"})
    st = det.new_state()
    assert feed(det, st, quiet, T0, 24 * 7) == []
    start = T0 + timedelta(days=7, hours=10)
    sigs = feed(det, st, lambda t: 120, start, 2)
    assert [s.active for s in sigs] == [True]
    rest = det.advance(st, start + timedelta(hours=2, minutes=5))
    later = feed(det, st, quiet, start + timedelta(hours=2), 10)
    assert [s.active for s in rest + later] == [False]


def test_zero_to_one_is_not_a_spike():
    det = RateSpikeDetector({"learn_for": "0s", "min_hours": 0})
    st = det.new_state()
    assert feed(det, st, lambda t: 0 if t < T0 + timedelta(days=3) else 2, T0, 24 * 4) == []


def test_growing_surge_turns_critical():
    det = RateSpikeDetector({"min_count": 10, "ratio": 3, "z": 3, "critical_growth": 2, "learn_for": "2d"})
    st = det.new_state()
    feed(det, st, quiet, T0, 24 * 4)
    start = T0 + timedelta(days=4, hours=10)
    sigs = feed(det, st, lambda t: 60 + 200 * (t.hour - 10), start, 3)
    assert sigs[0].active and sigs[0].severity is None
    assert any(s.severity == Severity.CRITICAL for s in sigs)


def test_old_post_surge_fires_per_post_but_new_post_does_not():
    det = RateSpikeDetector({"by": "post_id", "seasonal": False, "learn_for": "1d", "min_hours": 0})
    st = det.new_state()
    feed(det, st, lambda t: 1, T0, 48, post="old")
    assert feed(det, st, lambda t: 80, T0 + timedelta(hours=48), 1, post="new") == []
    sigs = feed(det, st, lambda t: 80, T0 + timedelta(hours=49), 1, post="old")
    assert len(sigs) == 1 and sigs[0].labels == {"post_id": "old"}


def test_state_round_trips_through_json():
    det = RateSpikeDetector({})
    st = det.new_state()
    feed(det, st, quiet, T0, 30)
    again = det.from_json(det.to_json(st))
    assert det.to_json(again) == det.to_json(st)


def test_unknown_parameter_is_refused():
    with pytest.raises(ParamError):
        RateSpikeDetector({"ratioo": 3})


NOISE_RULE = {
    "window": "30m",
    "long_window": "2h",
    "min_count": 10,
    "ratio": 3,
    "confirm": 2,
    "z": 6,
    "noise": 4,
    "seasonal": False,
    "learn_for": "2d",
}


def steady(t):
    return 100


def bursty(t):
    return 50 if t.hour % 2 else 150


@pytest.mark.parametrize(
    ("usual", "noise", "fires"),
    [
        (steady, 4, True),  # a steady page: 5x is a surge
        (bursty, 0, True),  # without the noise term the bursty page fires too ...
        (bursty, 4, False),  # ... with it, 5x is within what is usual for that page
    ],
)
def test_noise_term_asks_a_bursty_page_for_a_bigger_multiple(usual, noise, fires):
    det = RateSpikeDetector(NOISE_RULE | {"noise": noise})
    st = det.new_state()
    assert feed(det, st, usual, T0, 24 * 7) == []
    sigs = feed(det, st, lambda t: 500, T0 + timedelta(days=7), 1)
    assert [s.active for s in sigs] == ([True] if fires else [])


def test_learned_noise_survives_a_json_round_trip():
    det = RateSpikeDetector(NOISE_RULE)
    st = det.new_state()
    feed(det, st, bursty, T0, 24 * 3)
    again = det.from_json(det.to_json(st))
    assert again.series[""].baseline.spread == pytest.approx(st.series[""].baseline.spread)
    assert st.series[""].baseline.spread > 0.3


def test_negative_noise_is_refused():
    with pytest.raises(ParamError):
        RateSpikeDetector({"noise": -1})


RECORD_RULE = {
    "window": "30m",
    "long_window": "2h",
    "min_count": 10,
    "ratio": 3,
    "z": 6,
    "seasonal": False,
    "learn_for": "2d",
    "record": 0.8,
    "record_memory": "90d",
}


def surge_then(det, st, first, second, gap_days=1.0, t0=T0):
    """A week of 100/h, an hour at ``first``/h, ``gap_days`` of 100/h, an hour at ``second``/h: their signals."""
    feed(det, st, steady, t0, 24 * 7)
    start = t0 + timedelta(days=7)
    sigs1 = feed(det, st, lambda t: first, start, 1)
    gap_h = int(gap_days * 24)
    feed(det, st, steady, start + timedelta(hours=1), gap_h)
    sigs2 = feed(det, st, lambda t: second, start + timedelta(hours=1 + gap_h), 1)
    return sigs1, sigs2


@pytest.mark.parametrize(
    ("record", "second", "fires"),
    [
        (0.8, 500, False),  # half the first surge's excess, a day later: within what this page has just seen
        (0.0, 500, True),  # ... without the record it is announced again
        (0.8, 2000, True),  # a bigger surge than the record is news
    ],
)
def test_record_keeps_a_smaller_surge_after_a_big_one_quiet(record, second, fires):
    det = RateSpikeDetector(RECORD_RULE | {"record": record})
    st = det.new_state()
    sigs1, sigs2 = surge_then(det, st, 1000, second)
    assert [s.active for s in sigs1] == [True]
    assert [s.active for s in sigs2 if s.active] == ([True] if fires else [])


def test_record_is_forgotten_over_its_memory():
    det = RateSpikeDetector(RECORD_RULE | {"record_memory": "1d"})
    st = det.new_state()
    _, sigs2 = surge_then(det, st, 1000, 500, gap_days=3)
    assert [s.active for s in sigs2 if s.active] == [True]


def test_record_is_learned_only_after_the_learning_period_and_survives_json():
    det = RateSpikeDetector(RECORD_RULE)
    st = det.new_state()
    feed(det, st, lambda t: 1000 if t == T0 + timedelta(hours=5) else 100, T0, 24)
    assert st.series[""].record == 0.0  # a surge while learning sets no record
    surge_then(det, st, 1000, 100, t0=T0 + timedelta(days=1))
    again = det.from_json(det.to_json(st))
    assert st.series[""].record > 1.5
    assert again.series[""].record == pytest.approx(st.series[""].record)


@pytest.mark.parametrize("params", [{"record": -0.5}, {"record_memory": "0s"}])
def test_bad_record_parameters_are_refused(params):
    with pytest.raises(ParamError):
        RateSpikeDetector(params)


@settings(max_examples=300, deadline=None)
@given(
    level=hs.floats(0.0, 5000.0),
    short=hs.floats(0.0, 3000.0),
    long=hs.floats(0.0, 12000.0),
    noise=hs.sampled_from([0.0, 4.0]),
    spread=hs.floats(0.0, 1.0),
)
def test_hourly_pre_check_never_turns_down_a_surge(level, short, long, noise, spread):
    """The once-per-hour pre-check is exact: whenever it turns an event down, the full surge test fails too."""
    det = RateSpikeDetector(NOISE_RULE | {"noise": noise, "confirm": 2, "long_ratio": 4})
    s = Series(
        first_seen=0.0,
        hour=1000,
        short=short,
        long=long,
        baseline=Baseline(level=level, hours=100, spread=spread, nspread=100),
    )
    hour = det.thresholds.hour(s.baseline, s.hour)
    if short < hour.gate_short and long < hour.gate_long:
        assert not det.thresholds.firing(short, long, hour, 1.0)[0]


@settings(max_examples=300, deadline=None)
@given(
    level=hs.floats(0.0, 5000.0),
    noise=hs.sampled_from([0.0, 4.0]),
    spread=hs.floats(0.0, 1.0),
    relax=hs.floats(0.0, 1.0),
    min_rate=hs.floats(0.01, 5.0),
)
def test_hourly_hold_check_never_keeps_a_surge_that_ended(level, noise, spread, relax, min_rate):
    """The once-per-hour hold check is exact: counts right at its bounds pass the full relaxed surge test too."""
    det = RateSpikeDetector(
        NOISE_RULE | {"noise": noise, "confirm": 2, "long_ratio": 4, "end_relax": relax, "min_rate": min_rate}
    )
    s = Series(first_seen=0.0, hour=1000, baseline=Baseline(level=level, hours=100, spread=spread, nspread=100))
    hour = det.thresholds.hour(s.baseline, s.hour)
    hold_short, hold_confirm, hold_long = det.thresholds.holds(hour)
    for short, long in [(hold_short, hold_confirm), (0.0, hold_long)]:
        assert det.thresholds.firing(short, long, hour, relax)[0]


@pytest.mark.parametrize("seed", range(6))
def test_skipped_checks_of_an_active_surge_would_have_found_nothing(seed):
    """``advance`` schedules an active surge's next check where it could first have ended (``_next_check``).
    Against a twin checked every ``check_every`` as before: the same signals at the same times, through surges of
    random size and length with lulls, for a page and per post."""
    rng = random.Random(seed)
    params = {"min_count": 10, "ratio": 3, "z": 3, "learn_for": "2d", "critical_growth": 2, "end_relax": 0.5}
    if seed % 2:
        params |= {"by": "post_id", "seasonal": False, "min_hours": 0}
    skip, every = RateSpikeDetector(params), RateSpikeDetector(params)
    a, b = skip.new_state(), every.new_state()
    step = every._check_s
    times = []
    for hour in range(24 * 10):  # an ordinary page; from the fourth day on, a surge a day of 1-8 hours
        t = T0 + timedelta(hours=hour)
        times += [t + timedelta(seconds=rng.uniform(0, 3600)) for _ in range(8 if 8 <= t.hour < 20 else 1)]
    for day in range(3, 10):
        start = T0 + timedelta(days=day, hours=rng.randint(0, 15))
        for h in range(rng.randint(1, 8)):
            n = rng.choice([100, 300, 1000, 3000]) if h == 0 or rng.random() < 0.8 else 0  # a lull, now and then
            times += [start + timedelta(hours=h, seconds=rng.uniform(0, 3600)) for _ in range(n)]
    got: list[tuple] = []
    want: list[tuple] = []

    def seen(signals):
        return [(s.active, s.at, s.severity, s.labels) for s in signals]

    def run_until(limit: float) -> None:
        while a.due is not None and a.due <= limit:
            got.extend(seen(skip.advance(a, datetime.fromtimestamp(a.due, UTC))))
        while b.due is not None and b.due <= limit:
            at = b.due
            want.extend(seen(every.advance(b, datetime.fromtimestamp(at, UTC))))
            if b.due is not None:
                b.due = at + step  # checked every check_every, as before

    for when in sorted(times):
        run_until(when.timestamp())
        post = f"p{rng.randint(1, 3)}"
        ev = comment(when, post)
        got.extend(seen(skip.observe(a, ev, when)))
        want.extend(seen(every.observe(b, ev, when)))
    run_until(times[-1].timestamp() + 86400)
    assert sum(1 for w in want if w[0]) >= 3  # surges started ...
    assert sum(1 for w in want if not w[0]) >= 3  # ... and ended
    assert got == want


def learn_every_hour(b: Baseline, how: int, counts: list[int], seasonal: bool, clip: float) -> None:
    """``Baseline.learn`` as the docstrings define it, each hour's expectation worked out (no short cut)."""
    if seasonal and not b.daily:
        b.daily, b.nday, b.weekly, b.nweek = [0.0] * 24, [0] * 24, [0.0] * 168, [0] * 168
    for count in counts:
        x = float(count)
        if b.hours >= 24:
            e = b.expected(how, seasonal)
            if count:
                x = min(x, clip * e + 3.0 * math.sqrt(e) + 3.0)
            ref = max(b.expected((how - 1) % 168, seasonal), e)
            if ref >= SPREAD_MIN_RATE:
                b.nspread += 1
                d = abs(math.log((count + 1.0) / (ref + 1.0)))
                b.spread += (d - b.spread) * (1.0 / min(b.nspread, SPREAD_MEMORY))
        b.hours += 1
        b.level += (x - b.level) * (1.0 / min(b.hours, LEVEL_MEMORY))
        if seasonal:
            hod = how % 24
            b.nday[hod] += 1
            b.daily[hod] += (x - b.daily[hod]) * (1.0 / min(b.nday[hod], DAY_MEMORY))
            b.nweek[how] += 1
            b.weekly[how] += (x - b.weekly[how]) * (1.0 / min(b.nweek[how], WEEK_MEMORY))
        how = (how + 1) % 168


@settings(max_examples=400, deadline=None)
@given(
    seed=hs.integers(0, 2**32 - 1),
    scale=hs.sampled_from([0.01, 1.0, 10.0, 19.0, 19.99999, 20.0, 25.0, 300.0]),
    hours=hs.integers(0, 400),
    n=hs.integers(0, 400),
    how=hs.integers(0, 167),
    seasonal=hs.booleans(),
    busy=hs.booleans(),
)
def test_learning_skips_only_expectations_that_cannot_change_the_baseline(seed, scale, hours, n, how, seasonal, busy):
    """``learn`` skips working out the hours' expectations only where no hour is clipped and none can reach the
    spread's rate; the values it leaves are the very floats that working every hour out leaves (empty hours and
    busy ones, pages just below the rate, young baselines too)."""
    rng = random.Random(seed)

    def baseline() -> Baseline:
        b = Baseline(level=rng.random() * scale, hours=hours, spread=rng.random(), nspread=rng.randrange(300))
        if seasonal or rng.random() < 0.5:
            b.daily = [rng.random() * scale for _ in range(24)]
            b.nday = [rng.randrange(15) for _ in range(24)]
            b.weekly = [rng.random() * scale for _ in range(168)]
            b.nweek = [rng.randrange(6) for _ in range(168)]
        return b

    state = rng.getstate()
    fast = baseline()
    rng.setstate(state)
    slow = baseline()
    counts = [rng.randrange(int(scale * 3) + 2) if busy else 0 for _ in range(n)]
    fast.learn(how, counts, seasonal, 3.0)
    learn_every_hour(slow, how, counts, seasonal, 3.0)
    assert fast == slow


ANGRY = "Skandal! Ni är fruktansvärda, det här är helt oacceptabelt och äckligt."
# crisis.negative_surge's settings (rules/crisis.yaml)
NEGATIVE_SURGE = {
    "window": "15m",
    "long_window": "3h",
    "min_count": 10,
    "ratio": 3,
    "long_ratio": 3,
    "z": 3,
    "negative_share": 0.35,
    "negative_lift": 2,
    "false_alarms": 1,
    "min_scored": 8,
    "critical_growth": 2,
    "learn_for": "3d",
}


def feed_mix(det, st, start, n, every_s, negative):
    """``n`` comments ``every_s`` seconds apart from ``start``; the k-th is angry when ``negative(k)``."""
    sigs = []
    for k in range(n):
        t = start + timedelta(seconds=k * every_s)
        sigs += det.observe(st, comment(t, message=ANGRY if negative(k) else "hej"), t)
    return sigs


def busy_page(det, days=7):
    """A busy page where a quarter of the comments complain: 20 an hour by day, 4 by night."""
    st = det.new_state()
    sigs = []
    for h in range(24 * days):
        t = T0 + timedelta(hours=h)
        n = 20 if 8 <= t.hour < 20 else 4
        sigs += feed_mix(det, st, t, n, 3600 / n, lambda k: k % 4 == 0)
    assert sigs == []
    return st


@pytest.mark.parametrize(
    ("params", "fires"),
    [
        ({**NEGATIVE_SURGE, "negative_lift": 0, "false_alarms": None}, True),  # the fixed 35 % alone: a false alarm
        (NEGATIVE_SURGE, False),
    ],
)
def test_a_burst_of_the_usual_complaints_on_a_busy_page_is_no_angry_surge(params, fires):
    det = RateSpikeDetector(params)
    st = busy_page(det)
    assert det._hour(st.series[""]).usual_share == pytest.approx(0.25, abs=0.01)
    # a post's cascade: 40 comments in 15 minutes, 40 % of them complaints (the page's usual is 25 %)
    sigs = feed_mix(det, st, T0 + timedelta(days=7, hours=10), 40, 22, lambda k: k % 5 in (0, 2))
    assert bool(sigs) is fires


def test_an_angry_surge_on_a_busy_page_fires_with_its_evidence():
    det = RateSpikeDetector(NEGATIVE_SURGE)
    st = busy_page(det)
    start = T0 + timedelta(days=7, hours=10)
    sigs = feed_mix(det, st, start, 40, 22, lambda k: k % 5 != 0)  # 80 % complaints
    assert [s.active for s in sigs] == [True]
    v = sigs[0].values
    assert v["negative_share"] >= 0.5 and v["evidence"] >= v["threshold"] >= 2.3  # ln(10): one surge of looks a month
    assert v["usual_share"] == pytest.approx(0.25, abs=0.01)


@pytest.mark.parametrize(("growth", "critical"), [(lambda k: k % 5 != 0, True), (lambda k: k % 10 == 0, False)])
def test_a_surge_turns_critical_only_while_it_is_still_negative(growth, critical):
    det = RateSpikeDetector(NEGATIVE_SURGE)
    st = busy_page(det)
    start = T0 + timedelta(days=7, hours=10)
    sigs = feed_mix(det, st, start, 20, 30, lambda k: k % 5 != 0)
    assert [(s.active, s.severity) for s in sigs] == [(True, None)]
    # then it grows to several times its onset volume: angry still, or mostly ordinary comments (10 % complaints)
    sigs = feed_mix(det, st, start + timedelta(seconds=20 * 30), 80, 10, growth)
    assert any(s.severity == Severity.CRITICAL for s in sigs) is critical
    assert all(s.active for s in sigs)


def test_the_usual_share_is_learned_outside_surges_and_survives_json():
    det = RateSpikeDetector(NEGATIVE_SURGE)
    st = busy_page(det)
    s = st.series[""]
    before = (s.usual_n, s.usual_neg)
    start = T0 + timedelta(days=7, hours=10)
    assert feed_mix(det, st, start, 60, 20, lambda k: True)  # an angry surge: not learned as usual
    det.advance(st, start + timedelta(hours=3))
    feed_mix(det, st, start + timedelta(hours=3), 1, 1, lambda k: False)
    s = st.series[""]
    decayed = math.exp(-4 / (4 * 168))  # four hours since (the surge's two and the quiet ones after it)
    assert s.usual_neg <= before[1] + 1e-9 and s.usual_n < before[0] + 2 * decayed + 1
    again = det.from_json(det.to_json(st))
    assert det.to_json(again) == det.to_json(st)


@pytest.mark.parametrize(
    "params",
    [
        {"negative_share": 0.35, "false_alarms": 0},
        {"negative_share": 0.35, "negative_lift": -1},
        {"false_alarms": 1},
        {"negative_lift": 2},
    ],
)
def test_bad_negativity_parameters_are_refused(params):
    with pytest.raises(ParamError):
        RateSpikeDetector(params)


def test_a_state_saved_before_the_usual_share_judges_by_the_fixed_share_until_it_has_learned_one():
    """An upgrade: the state of a busy page saved by a version without the usual share. Its Laplace prior (one half)
    would ask for every comment of a surge to be negative, blinding the rule for a day; the fixed share judges
    until the page's hours have taught a usual one."""
    det = RateSpikeDetector(NEGATIVE_SURGE)
    st = busy_page(det)
    saved = det.to_json(st)
    for series in saved["series"].values():
        for name in ("usual_n", "usual_neg", "looks", "looks_hours", "hour_neg", "hour_looks"):
            series.pop(name)
        series["hour_count"] = 0  # saved in a quiet hour: the hours closed after it teach nothing
    old = det.from_json(saved)
    assert old.series[""].usual_n == 0.0
    start = T0 + timedelta(days=7, hours=10)
    sigs = feed_mix(det, old, start, 40, 22, lambda k: k % 5 in (0, 1, 2))  # 60 % angry
    assert [s.active for s in sigs] == [True]
    assert feed_mix(det, st, start, 40, 22, lambda k: k % 5 in (0, 1, 2))  # as the state that kept its share does
