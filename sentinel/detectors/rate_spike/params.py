"""The ``detect:`` block of a ``type: rate_spike`` rule (``RateSpikeParams``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sentinel.config.types import parse_duration
from sentinel.detectors.common import ParamError


@dataclass(frozen=True, slots=True)
class RateSpikeParams:
    """The rule's ``detect:`` block for ``type: rate_spike``."""

    by: str | None = None  # object field to count per value (e.g. post_id); None = per page
    window: timedelta = timedelta(minutes=15)  # short decayed-count time constant
    long_window: timedelta = timedelta(hours=3)  # long one, for slow builds
    min_count: float = 10.0  # events (short window) before anything is a surge
    ratio: float = 3.0  # times the expected count (short window)
    confirm: float = 0.0  # ... while the long window is at least this × expected
    long_ratio: float = 3.0  # slow build: long window alone at this × expected
    z: float = 4.0  # Poisson standard deviations above the expected count
    noise: float = 0.0  # > 0: ratios also at least e^(noise × the page's log spread)
    record: float = 0.0  # > 0: onset size at least this share of the page's record size
    record_memory: timedelta = timedelta(days=90)  # the record decays by e each record_memory
    min_rate: float = 0.5  # expected events/hour never assumed below this
    seasonal: bool = True  # learn hour-of-day/hour-of-week profiles
    learn_for: timedelta = timedelta(days=3)  # no surge before a stream has been seen this long
    min_hours: int = 24  # ... and this many hours learned
    clip: float = 3.0  # learned hourly counts clipped to clip × expected
    end_relax: float = 0.6  # the surge ends when even relaxed thresholds fail
    check_every: timedelta = timedelta(minutes=5)
    negative_share: float | None = None  # also require this share of negative events
    negative_below: float = -0.25  # sentiment at or below this is negative
    min_scored: float = 5.0
    negative_lift: float = 0.0  # > 0: the share also at least this x the page's usual negative share
    false_alarms: float | None = None  # set: the negative events' binomial evidence against the usual share must
    # reach ln(looks a month / false_alarms) (see the package's docstring)
    critical_growth: float | None = None  # critical when the short count reaches this × onset
    max_keys: int = 2000
    forget_after: timedelta = timedelta(days=14)

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> RateSpikeParams:
        """Build from a ``detect:`` mapping; raises ``ValueError`` naming the bad key."""
        known = set(cls.__dataclass_fields__) - {"type"}
        kw: dict[str, Any] = {}
        for key, value in raw.items():
            if key == "type":
                continue
            if key not in known:
                raise ParamError(key, f"unknown rate_spike parameter (known: {', '.join(sorted(known))})")
            default = getattr(cls(), key)
            try:
                if isinstance(default, timedelta):
                    kw[key] = parse_duration(value)
                elif key == "by":
                    kw[key] = None if value is None else str(value)
                elif isinstance(default, bool):
                    if not isinstance(value, bool):
                        raise ParamError(key, "must be true or false")
                    kw[key] = value
                elif isinstance(default, int):
                    kw[key] = int(value)
                elif value is None:
                    kw[key] = None
                else:
                    kw[key] = float(value)
            except (TypeError, ValueError) as e:
                raise ParamError(key, str(e)) from None
        params = cls(**kw)
        for name in (
            "min_count",
            "ratio",
            "confirm",
            "long_ratio",
            "z",
            "noise",
            "record",
            "min_rate",
            "clip",
            "end_relax",
            "negative_lift",
        ):
            if getattr(params, name) < 0:
                raise ParamError(name, "must not be negative")
        if params.window.total_seconds() <= 0 or params.long_window.total_seconds() <= 0:
            raise ParamError("window", "window and long_window must be positive")
        if params.false_alarms is not None and params.false_alarms <= 0:
            raise ParamError("false_alarms", "must be above 0")
        if (params.negative_lift > 0 or params.false_alarms is not None) and params.negative_share is None:
            raise ParamError("negative_share", "negative_lift and false_alarms test the negative share: set it too")
        if params.record_memory.total_seconds() <= 0:
            raise ParamError("record_memory", "must be positive")
        return params
