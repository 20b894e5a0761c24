"""The ``cluster:`` section: this replica's name and how long its page leases last (several replicas on PostgreSQL).

```yaml
cluster:
  replica: sentinel-a     # default: host name and process id
  lease_ttl: 15s          # a replica that stops renewing loses its pages to the others after this
```

The environment overrides both, so that one config file serves every replica: ``SENTINEL_REPLICA`` (Kubernetes
sets it to the pod's name) and ``SENTINEL_LEASE_TTL`` (a duration, or a number of seconds). The section is for a
PostgreSQL store only: on SQLite one daemon runs and owns every page (``sentinel.settings`` refuses the section).
"""

from __future__ import annotations

import math
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from pydantic import field_validator

from sentinel.config.types import Duration, SentinelModel, format_duration, parse_duration
from sentinel.errors import ConfigError, Issue

REPLICA_ENV = "SENTINEL_REPLICA"
LEASE_TTL_ENV = "SENTINEL_LEASE_TTL"
LEASE_TTL = timedelta(seconds=15)
# the replicas renew every second: under this, one slow second (a busy host, a slow database) loses live pages
MIN_LEASE_TTL = timedelta(seconds=5)
# over this, a replica that dies leaves its pages unwatched too long for a monitor that pages about hijacks
MAX_LEASE_TTL = timedelta(minutes=10)
MAX_REPLICA_LEN = 200
_REPLICA = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@-]*$")


def replica_problem(name: str) -> str | None:
    """Why ``name`` cannot name a replica (None: it can)."""
    if len(name) > MAX_REPLICA_LEN:
        return f"a replica name has at most {MAX_REPLICA_LEN} characters"
    if not _REPLICA.match(name):
        return f"{name!r} is not a replica name: letters, digits and . _ : @ - (a pod's name, a host name)"
    return None


def lease_ttl_problem(ttl: timedelta) -> str | None:
    """Why ``ttl`` cannot be the lease time (None: it can)."""
    if ttl < MIN_LEASE_TTL:
        return (
            f"{format_duration(ttl)} is too short: at least {format_duration(MIN_LEASE_TTL)} (the replicas renew"
            " their leases every second; one slow second would hand a live replica's pages to the others)"
        )
    if ttl > MAX_LEASE_TTL:
        return (
            f"{format_duration(ttl)} is too long: at most {format_duration(MAX_LEASE_TTL)} (a replica that dies"
            " leaves its pages unwatched this long)"
        )
    return None


class ClusterConfig(SentinelModel):
    replica: str | None = None  # this replica's name in page_leases and `sentinel cluster status`
    lease_ttl: Duration = LEASE_TTL  # a lease lasts this long past its last renewal

    @field_validator("replica")
    @classmethod
    def _replica(cls, v: str | None) -> str | None:
        if v is not None and (problem := replica_problem(v)):
            raise ValueError(problem)
        return v

    @field_validator("lease_ttl")
    @classmethod
    def _lease_ttl(cls, v: timedelta) -> timedelta:
        if problem := lease_ttl_problem(v):
            raise ValueError(problem)
        return v


def store_problem(url: str) -> str | None:
    """Why a ``cluster`` section cannot go with the store at ``url`` (None: it can). A ``${VAR}`` left unset by a
    command that only reads is not judged."""
    if "${" in url or url.startswith(("postgres://", "postgresql://")):  # the schemes sentinel.store.factory opens
        return None
    return (
        "several replicas need a PostgreSQL store (store.url: postgresql://...); on SQLite one daemon owns every"
        " page: remove the cluster section"
    )


@dataclass(frozen=True, slots=True)
class Membership:
    """This replica's name and lease time, as the daemon runs with them."""

    replica: str
    lease_ttl_s: float


def membership(config: ClusterConfig | None, environ: Mapping[str, str] = os.environ) -> Membership:
    """The config's ``cluster`` section with the environment over it; ``ConfigError`` naming the variable when
    the environment's value is not one the section would take."""
    cfg = config or ClusterConfig()
    issues: list[Issue] = []
    replica = environ.get(REPLICA_ENV, "").strip()
    if replica and (problem := replica_problem(replica)):
        issues.append(Issue("environment", None, None, REPLICA_ENV, problem))
    ttl = cfg.lease_ttl
    text = environ.get(LEASE_TTL_ENV, "").strip()
    if text:
        try:
            ttl = parse_duration(_seconds(text))
        except (ValueError, OverflowError) as e:
            issues.append(Issue("environment", None, None, LEASE_TTL_ENV, str(e)))
        else:
            if problem := lease_ttl_problem(ttl):
                issues.append(Issue("environment", None, None, LEASE_TTL_ENV, problem))
    if issues:
        raise ConfigError(issues)
    name = replica or cfg.replica or f"{socket.gethostname()}-{os.getpid()}"
    return Membership(name[:MAX_REPLICA_LEN], ttl.total_seconds())


def _seconds(text: str) -> float | str:
    """``"15"`` (the variable's old form, seconds) as a number; anything else as written (``15s``)."""
    try:
        seconds = float(text)
    except ValueError:
        return text
    return seconds if math.isfinite(seconds) else text
