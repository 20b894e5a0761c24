"""Every metric Sentinel exports, in one place (documented in docs/metrics.md).

Names follow ``sentinel_<subsystem>_<noun>_<unit>``; labels take values from
closed sets only (page keys from config, event kinds, categories, severities,
channel names, reason enums): never a phone number, an address or a message.
Metrics live in their own registry so that tests and several app instances
in one process do not collide; ``REGISTRY`` is what ``/metrics`` serves.
"""

from __future__ import annotations

from collections.abc import Collection

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
)

REGISTRY = CollectorRegistry(auto_describe=True)

UNKNOWN_PAGE = "(unknown)"  # the ``page`` label of a page not in the config
OWN_PAGES = frozenset({"sentinel.config", "sentinel.delivery", "-"})  # the pages of Sentinel's self-alerts


def page_label(page: str, configured: Collection[str]) -> str:
    """The ``page`` label of ``page``: its id when the config names it (or a page of Sentinel's own self-alerts),
    else ``UNKNOWN_PAGE``: labels take values from closed sets only, and anyone who can send an event names its
    page."""
    return page if page in configured or page in OWN_PAGES else UNKNOWN_PAGE


# the process's CPU, memory and open files (process_*) and the interpreter's collections (python_*)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

BUILD_INFO = Info("sentinel_build", "Version of the running Sentinel.", registry=REGISTRY)

# -- intake ---------------------------------------------------------------
EVENTS_INGESTED = Counter(
    "sentinel_events_ingested_total",
    "Events accepted into the store (new occurrences only).",
    ["page", "kind", "source"],
    registry=REGISTRY,
)
EVENTS_DUPLICATE = Counter(
    "sentinel_events_duplicate_total",
    "Events dropped because the same occurrence (platform, page and id) was already stored.",
    ["source"],
    registry=REGISTRY,
)
EVENTS_REJECTED = Counter(
    "sentinel_events_rejected_total", "Malformed events refused at intake.", ["source"], registry=REGISTRY
)
EVENTS_UNEVALUATED = Counter(
    "sentinel_events_unevaluated_total",
    "Events of a page not in pages: stored and counted but not evaluated: more such pages than "
    "pipeline.max_unknown_pages were seen.",
    registry=REGISTRY,
)
EVENTS_UNKNOWN_PAGE = Counter(
    "sentinel_events_unknown_page_total",
    "Events accepted for a page not in the config (evaluated with defaults).",
    ["source"],
    registry=REGISTRY,
)
EVENTS_PROCESSED = Counter(
    "sentinel_events_processed_total",
    "Events through the rules and incidents (ingested minus processed and passed over: waiting in the log).",
    registry=REGISTRY,
)
PIPELINE_LAG = Gauge(
    "sentinel_pipeline_lag_seconds", "Age of the newest processed event when it was processed.", registry=REGISTRY
)
EVENTS_FUTURE = Counter(
    "sentinel_events_future_total",
    "Events dated further ahead of their arrival than the allowed skew.",
    ["source"],
    registry=REGISTRY,
)
PIPELINE_LATENESS = Gauge(
    "sentinel_pipeline_allowed_lateness_seconds",
    "How far the rules' event-time watermark stays behind the wall clock between events.",
    registry=REGISTRY,
)

# -- rules ----------------------------------------------------------------
RULE_EVALUATIONS = Counter(
    "sentinel_rule_evaluations_total", "Rule evaluations, by rule category.", ["category"], registry=REGISTRY
)
RULE_EVALUATION_SECONDS = Histogram(
    "sentinel_rule_evaluation_duration_seconds",
    "Time to evaluate all rules for one event.",
    buckets=(1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 5e-2),
    registry=REGISTRY,
)
ALERTS_FIRING = Gauge("sentinel_alerts_firing", "Alerts firing now.", ["category", "severity"], registry=REGISTRY)
ALERTS_SUPPRESSED = Counter(
    "sentinel_alerts_suppressed_total",
    "Alerts not notified, by reason (inhibited, silenced, dedup, rate_limited).",
    ["reason"],
    registry=REGISTRY,
)
RULES_RELOAD_SUCCESS = Gauge(
    "sentinel_config_last_reload_successful", "1 when the last config/rules reload succeeded.", registry=REGISTRY
)

# -- incidents --------------------------------------------------------------
INCIDENTS = Gauge("sentinel_incidents", "Incidents by state.", ["state"], registry=REGISTRY)

# -- notifications --------------------------------------------------------
NOTIFICATIONS = Counter(
    "sentinel_notifications_total",
    "Notification delivery attempts by channel and outcome.",
    ["channel", "outcome"],
    registry=REGISTRY,
)
ESCALATION_UNREACHED = Counter(
    "sentinel_escalation_steps_unreached_total",
    "Escalation steps that paged nobody (no one on call, nobody with a way to be reached), by severity.",
    ["severity"],
    registry=REGISTRY,
)
NOTIFICATIONS_SUPPRESSED = Counter(
    "sentinel_notifications_suppressed_total", "Notifications not sent, by reason.", ["reason"], registry=REGISTRY
)
NOTIFICATION_LATENCY = Histogram(
    "sentinel_notification_delivery_latency_seconds",
    "From enqueue to the provider's acceptance.",
    ["channel"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
    registry=REGISTRY,
)
OUTBOX_BACKLOG = Gauge("sentinel_outbox_backlog", "Notifications written but not yet delivered.", registry=REGISTRY)

# -- sources ----------------------------------------------------------------
SOURCE_LAST_SUCCESS = Gauge(
    "sentinel_source_last_success_timestamp_seconds",
    "When a source last read a page successfully.",
    ["page", "source"],
    registry=REGISTRY,
)
SOURCE_API_USAGE = Gauge(
    "sentinel_source_api_usage_percent",
    "Highest API usage percent the platform reported.",
    ["source"],
    registry=REGISTRY,
)
SOURCE_ERRORS = Counter(
    "sentinel_source_errors_total", "Source read errors by platform error code.", ["source", "code"], registry=REGISTRY
)
SOURCE_CALLS = Counter("sentinel_source_calls_total", "Platform API calls made.", ["source"], registry=REGISTRY)

# -- store ----------------------------------------------------------------
STORE_LATENCY = Histogram(
    "sentinel_store_operation_duration_seconds",
    "Store operation latency (each backend times every call).",
    ["operation"],
    buckets=(1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 5e-2, 0.1, 0.5, 1),
    registry=REGISTRY,
)

# -- self-monitoring (deploy/prometheus rules read these) --------------------
INCIDENT_OLDEST_UNACKNOWLEDGED = Gauge(
    "sentinel_incident_oldest_unacknowledged_timestamp_seconds",
    "When the oldest incident still triggered (not yet acknowledged) was opened; series removed when none is.",
    ["page", "severity"],
    registry=REGISTRY,
)
SOURCE_STALE_AFTER = Gauge(
    "sentinel_source_stale_after_seconds",
    "How long a source may go without a successful read before it counts as stale (from config).",
    ["page", "source"],
    registry=REGISTRY,
)

# -- HTTP bodies ------------------------------------------------------------------
HTTP_BODY_BUDGET_USED = Gauge(
    "sentinel_http_body_budget_used_bytes",
    "Bytes of request bodies being read now, by family (ingest, webhook, small); at most server.body_budget_bytes.",
    ["family"],
    registry=REGISTRY,
)
HTTP_BODIES_REFUSED_BUSY = Counter(
    "sentinel_http_bodies_refused_busy_total",
    "Requests answered 503 because their family's body budget was spent by bodies being read at once.",
    ["family"],
    registry=REGISTRY,
)

# -- webhooks (Meta) ----------------------------------------------------------
WEBHOOK_DELIVERIES = Counter(
    "sentinel_webhook_deliveries_total",
    "Webhook deliveries by outcome (accepted, bad_signature, malformed, too_large, busy, store_failed).",
    ["source", "outcome"],
    registry=REGISTRY,
)
WEBHOOK_CHANGES_SKIPPED = Counter(
    "sentinel_webhook_changes_skipped_total",
    "Webhook changes not understood and skipped.",
    ["source"],
    registry=REGISTRY,
)

# -- customers (the community team's report, live) -----------------------------
SLA_FIRST_RESPONSE = Histogram(
    "sentinel_sla_first_response_staffed_seconds",
    "Staffed seconds from a customer's item that asks for an answer to the page's first answer.",
    ["page", "channel"],
    buckets=(300, 900, 1800, 3600, 7200, 14400, 28800, 57600, 86400, 172800),
    registry=REGISTRY,
)
SLA_OVERDUE_ITEMS = Gauge(
    "sentinel_sla_overdue_items",
    "Customer items past the page's response_sla in staffed time, not answered, liked, hidden or deleted.",
    ["page", "channel"],
    registry=REGISTRY,
)

# -- several replicas on PostgreSQL (sentinel.cluster, docs/replicas.md) --------------------------------------------
CLUSTER_LEASES_HELD = Gauge(
    "sentinel_cluster_leases_held",
    "Page leases this replica holds (one per page it polls and evaluates).",
    registry=REGISTRY,
)
CLUSTER_REPLICAS_LIVE = Gauge(
    "sentinel_cluster_replicas_live",
    "Replicas whose heartbeat is within the lease time, as this one sees them.",
    registry=REGISTRY,
)
CLUSTER_TAKEOVERS = Counter(
    "sentinel_cluster_takeovers_total",
    "Page leases this replica took from a replica that stopped renewing them (expired), or was handed (released).",
    ["how"],
    registry=REGISTRY,
)
CLUSTER_LEASES_LOST = Counter(
    "sentinel_cluster_leases_lost_total",
    "Page leases this replica lost: handed back for a fair share (released), found taken (lost), or given up "
    "because it could not renew them (given_up: the store was away).",
    ["how"],
    registry=REGISTRY,
)
CLUSTER_CLAIM_CONFLICTS = Counter(
    "sentinel_cluster_claim_conflicts_total",
    "Writes refused because another replica held the row or page: an outbox claim that ran out (outbox), an "
    "owner write whose fencing token no longer matched (lease).",
    ["kind"],
    registry=REGISTRY,
)
CLUSTER_OUTBOX_CLAIMED = Counter(
    "sentinel_cluster_outbox_claimed_total", "Outbox rows this replica claimed for delivery.", registry=REGISTRY
)
