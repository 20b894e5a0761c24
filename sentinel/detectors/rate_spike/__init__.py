"""``rate_spike``: event volume far above what is usual for this hour of the week.

Per page (or per ``by`` key, e.g. each post) the detector keeps:

- two exponentially decayed counters of matching events (``window``, default
  15 min, and ``long_window``, default 3 h): O(1) per event, smooth, and with a
  known expectation ``rate × window`` under a steady rate;
- a learned baseline of events per hour: an overall level, a 24-slot hour-of-day
  profile and a 168-slot hour-of-week profile (in the page's local time, so DST
  moves nothing), blended by how much each slot has seen. It learns from whole
  hours only, each hour's count clipped to a few times the baseline and skipped
  while a surge is active, so past spikes do not pollute it;
- a surge state: ``inactive → active(severity)``.

A surge starts when, for either window, the decayed count is at least
``min_count``, at least ``ratio`` × the expected count, and at least ``z``
Poisson standard deviations above it (so 0 → 1 is never a spike, and a busy
page needs a real multiple). With ``noise`` set, the multiple is also at least
``e^(noise × spread)``, where ``spread`` is the page's own learned mean absolute
log deviation of ordinary busy hours from their baseline: a bursty page (a
large brand on Twitter) needs a bigger jump than a steady one before a burst
is unusual *for it*. With ``record`` set, the surge's size must also reach
that share of the page's own record size (the largest of its past hours,
slowly forgotten over ``record_memory``): a page that had a 40x burst last
week does not announce a 6x one today, and a smaller re-surge right after a
big one is not news either. A surge's size is ``log(1 + excess / level)``:
the short-window count above the expected one, in units of the page's usual
(all-hours) volume for that window, so a night-time burst is measured by the
people it adds rather than by its multiple of a quiet hour. The record
moves once per hour (one comparison per event keeps the hour's peak). With
``negative_share`` set, the share of
negative comments (``sentiment <= negative_below``) in the short window must
also be at least that, and at least ``negative_lift`` × the page's **usual
negative share** ``q`` (its negative comments over all of them in the hours
outside its surges, decayed over about four weeks, one of each added:
Laplace's rule, as ``sustained`` has it). With ``false_alarms`` set, the
negative comments must also be more than chance makes of ``q``: the binomial
evidence ``n × KL(k/n || q)`` of the window's ``k`` negative of ``n``
comments (decayed counts: with weights of at most 1, Chernoff's bound
``P(K >= k) <= e^-evidence`` still holds) must reach ``ln(L / false_alarms)``,
``L`` the page's **looks** a month: the comments at which its volume surged
and the negativity was tested, over the same four weeks (at least
``min_count``, one surge's worth). By the union bound, chance reaches it at
most ``false_alarms`` times a page-month. A busy page where a quarter of the
comments are complaints needs more than 35 % of ten comments in a surge.
The detector signals once at onset, stays active while
the volume stays well above baseline (no re-fire storm), signals again only
to raise severity to ``critical`` when the surge keeps growing
(``critical_growth`` × the onset volume) **and** its comments pass the
negativity test at that moment (a later burst of ordinary comments is not an
angrier surge), and signals the end.

The package: ``baseline`` (what a stream learns hour by hour), ``thresholds`` (what a surge must reach in the
current hour, worked out once an hour), ``series`` (the state kept), ``params`` (the ``detect:`` block) and
``detector`` (the ``Detector`` that ties them together).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sentinel.detectors.common import Compile
from sentinel.detectors.rate_spike.baseline import Baseline, hour_of_week
from sentinel.detectors.rate_spike.detector import RateSpikeDetector
from sentinel.detectors.rate_spike.params import RateSpikeParams
from sentinel.detectors.rate_spike.series import RateSpikeState, Series

__all__ = ["Baseline", "RateSpikeDetector", "RateSpikeParams", "RateSpikeState", "Series", "hour_of_week"]


def factory(params: Mapping[str, Any], compile: Compile) -> RateSpikeDetector:
    """Registry entry: ``params`` is the rule's ``detect:`` block; raises ``ParamError``."""
    return RateSpikeDetector(params)
