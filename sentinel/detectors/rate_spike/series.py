"""What the detector keeps per counted stream (``Series``) and per rule and page (``RateSpikeState``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sentinel.detectors.heated import Heated
from sentinel.detectors.rate_spike.baseline import Baseline
from sentinel.detectors.rate_spike.thresholds import Hour


@dataclass(slots=True)
class Series:
    """One counted stream (the page, or one value of the ``by`` key)."""

    first_seen: float
    last_t: float = 0.0
    short: float = 0.0  # decayed count, time constant params.window
    long: float = 0.0  # decayed count, time constant params.long_window
    neg: float = 0.0  # decayed count of negative events (short window)
    scored: float = 0.0  # decayed count of events with a sentiment (short window)
    hour: int = -1  # current local hour index (hours since epoch, local wall time)
    hour_count: int = 0
    hour_surge: bool = False  # the surge was active during the current hour
    hour_peak: float = 0.0  # highest short count in the current hour (folded into ``record`` at its end)
    hour_neg: int = 0  # negative events in the current hour (with ``negative_share``)
    hour_looks: int = 0  # events in the current hour at which the onset's negativity was tested (volume surging)
    # The page's usual negativity, learned from whole hours outside surges once the stream is learned (decayed sums
    # over about four weeks, see ``SHARE_MEMORY``): events, negative ones, looks, and hours.
    usual_n: float = 0.0
    usual_neg: float = 0.0
    looks: float = 0.0
    looks_hours: float = 0.0
    record: float = 0.0  # the page's decayed largest hourly surge size (see ``Thresholds.size``)
    heated: Heated = field(default_factory=Heated)  # the negativity of its raised hours (with ``negative_share``)
    baseline: Baseline = field(default_factory=Baseline)
    active: bool = False
    severity: str = ""  # "" = the rule's severity
    onset_count: float = 0.0
    peak: float = 0.0
    onset_event: str = ""
    # the current hour's view of the baseline (see ``Hour``): the baseline only moves when an hour is learned, so
    # this is worked out once per hour, not per event; None = not yet (not persisted)
    memo: Hour | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "first_seen": self.first_seen,
            "last_t": self.last_t,
            "short": self.short,
            "long": self.long,
            "neg": self.neg,
            "scored": self.scored,
            "hour": self.hour,
            "hour_count": self.hour_count,
            "hour_surge": self.hour_surge,
            "hour_peak": self.hour_peak,
            "hour_neg": self.hour_neg,
            "hour_looks": self.hour_looks,
            "usual_n": self.usual_n,
            "usual_neg": self.usual_neg,
            "looks": self.looks,
            "looks_hours": self.looks_hours,
            "record": self.record,
            "heated": self.heated.to_json(),
            "baseline": self.baseline.to_json(),
            "active": self.active,
            "severity": self.severity,
            "onset_count": self.onset_count,
            "peak": self.peak,
            "onset_event": self.onset_event,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Series:
        return cls(
            first_seen=float(d["first_seen"]),
            last_t=float(d.get("last_t", 0.0)),
            short=float(d.get("short", 0.0)),
            long=float(d.get("long", 0.0)),
            neg=float(d.get("neg", 0.0)),
            scored=float(d.get("scored", 0.0)),
            hour=int(d.get("hour", -1)),
            hour_count=int(d.get("hour_count", 0)),
            hour_surge=bool(d.get("hour_surge", False)),
            hour_peak=float(d.get("hour_peak", 0.0)),
            hour_neg=int(d.get("hour_neg", 0)),
            hour_looks=int(d.get("hour_looks", 0)),
            usual_n=float(d.get("usual_n", 0.0)),
            usual_neg=float(d.get("usual_neg", 0.0)),
            looks=float(d.get("looks", 0.0)),
            looks_hours=float(d.get("looks_hours", 0.0)),
            record=float(d.get("record", 0.0)),
            heated=Heated.from_json(d.get("heated")),
            baseline=Baseline.from_json(d.get("baseline", {})),
            active=bool(d.get("active", False)),
            severity=str(d.get("severity", "")),
            onset_count=float(d.get("onset_count", 0.0)),
            peak=float(d.get("peak", 0.0)),
            onset_event=str(d.get("onset_event", "")),
        )


@dataclass(slots=True)
class RateSpikeState:
    series: dict[str, Series] = field(default_factory=dict)
    offset_s: int = 0  # the page's UTC offset as last seen (for hours counted in advance())
    due: float | None = None  # epoch seconds of the next advance() while a surge is active
