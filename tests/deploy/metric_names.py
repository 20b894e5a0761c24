"""The metric families in ``sentinel.metrics.REGISTRY`` and the series names Prometheus sees for them."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client.metrics import MetricWrapperBase

from sentinel import metrics

_SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("", "_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
    "info": ("_info",),
    "gauge": ("",),
}


@dataclass(frozen=True, slots=True)
class Family:
    name: str  # as users query it: sentinel_events_ingested_total, sentinel_build_info
    type: str
    labels: tuple[str, ...]
    series: frozenset[str]


def families() -> list[Family]:
    out = []
    for collector in metrics.REGISTRY._collector_to_names:
        if not isinstance(collector, MetricWrapperBase):
            continue
        base, kind = str(collector._name), str(collector._type)
        series = frozenset(base + s for s in _SUFFIXES[kind])
        shown = {"counter": base + "_total", "info": base + "_info"}.get(kind, base)
        labels = tuple(collector._labelnames)  # an info metric's own labels are set at run time
        out.append(Family(shown, kind, labels, series))
    return sorted(out, key=lambda f: f.name)


def exposed_names() -> set[str]:
    return {s for f in families() for s in f.series}
