"""The cluster's metrics (``sentinel_cluster_*``, defined with the others in ``sentinel.metrics``; docs/replicas.md)."""

from sentinel.metrics import CLUSTER_CLAIM_CONFLICTS as CLAIM_CONFLICTS
from sentinel.metrics import CLUSTER_LEASES_HELD as LEASES_HELD
from sentinel.metrics import CLUSTER_LEASES_LOST as LEASES_LOST
from sentinel.metrics import CLUSTER_OUTBOX_CLAIMED as OUTBOX_CLAIMED
from sentinel.metrics import CLUSTER_REPLICAS_LIVE as REPLICAS_LIVE
from sentinel.metrics import CLUSTER_TAKEOVERS as TAKEOVERS

__all__ = ["CLAIM_CONFLICTS", "LEASES_HELD", "LEASES_LOST", "OUTBOX_CLAIMED", "REPLICAS_LIVE", "TAKEOVERS"]
