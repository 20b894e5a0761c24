"""The cluster's metrics (``sentinel_cluster_*``), in the one registry ``/metrics`` serves (docs/replicas.md)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

from sentinel.metrics import REGISTRY

LEASES_HELD = Gauge(
    "sentinel_cluster_leases_held",
    "Page leases this replica holds (one per page it polls and evaluates).",
    registry=REGISTRY,
)
REPLICAS_LIVE = Gauge(
    "sentinel_cluster_replicas_live",
    "Replicas whose heartbeat is within the lease time, as this one sees them.",
    registry=REGISTRY,
)
TAKEOVERS = Counter(
    "sentinel_cluster_takeovers_total",
    "Page leases this replica took from a replica that stopped renewing them (expired), or was handed (released).",
    ["how"],
    registry=REGISTRY,
)
LEASES_LOST = Counter(
    "sentinel_cluster_leases_lost_total",
    "Page leases this replica lost: given up for a fair share (released) or found taken (lost).",
    ["how"],
    registry=REGISTRY,
)
CLAIM_CONFLICTS = Counter(
    "sentinel_cluster_claim_conflicts_total",
    "Writes refused because another replica held the row or page: an outbox claim that ran out (outbox), an "
    "owner write whose fencing token no longer matched (lease).",
    ["kind"],
    registry=REGISTRY,
)
OUTBOX_CLAIMED = Counter(
    "sentinel_cluster_outbox_claimed_total", "Outbox rows this replica claimed for delivery.", registry=REGISTRY
)
