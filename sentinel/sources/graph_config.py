"""The ``sources:`` config section: how Sentinel talks to Meta's Graph API.

Page tokens live on each page (``pages[].page_id`` / ``pages[].access_token``);
this section holds what is shared: API version, base URL, the app secret that
signs webhook deliveries, the webhook verify token, poll bounds and budget.
"""

from __future__ import annotations

import math
from datetime import timedelta

from pydantic import Field, model_validator

from sentinel.config.types import Duration, Secret, SentinelModel


class EdgeBounds(SentinelModel):
    """How often one edge of a page is read: ``min`` when busy, ``max`` when quiet."""

    min: Duration
    max: Duration

    @model_validator(mode="after")
    def _ordered(self) -> EdgeBounds:
        if self.min <= timedelta(0):
            raise ValueError("min must be positive")
        if self.max < self.min:
            raise ValueError("max must not be shorter than min")
        return self


class PollConfig(SentinelModel):
    # settings + roles + assigned users + agencies: the hijack tripwire (no webhook exists). ``max`` is
    # its gap on a quiet page: 57 s leaves 3 s of the minute for scheduling and request latency.
    # ``min`` is its gap for a while after a security change.
    security: EdgeBounds = EdgeBounds(min=timedelta(seconds=30), max=timedelta(seconds=57))
    # content: ``min`` on a busy page (calls of their own, paced by the budget), ``max`` when quiet
    feed: EdgeBounds = EdgeBounds(min=timedelta(seconds=25), max=timedelta(minutes=15))
    conversations: EdgeBounds = EdgeBounds(min=timedelta(seconds=30), max=timedelta(minutes=15))
    # a page that answers with an expired token is retried this often
    auth_retry: Duration = timedelta(minutes=10)
    # posts younger than this are watched for comments, edits and deletion
    post_window: Duration = timedelta(days=2)
    # count the reactions on the posts of each feed read (emitted as ``reaction.created``): true, false, or unset
    # to count them only when no ``app_secret`` is set (with it, Meta's webhooks bring each reaction, by name)
    reactions: bool | None = None
    feed_limit: int = Field(default=25, ge=1, le=100)
    comments_limit: int = Field(default=25, ge=1, le=100)
    concurrency: int = Field(default=16, ge=1, le=256)


class BudgetConfig(SentinelModel):
    """Stay under Meta's limits: slow down from ``slow_at`` percent, stop at ``stop_at``; never
    more than ``max_calls_per_page_hour`` calls for one page in any sliding hour (batch items and
    paging included)."""

    slow_at: int = Field(default=60, ge=1, le=100)
    stop_at: int = Field(default=90, ge=1, le=100)
    max_calls_per_page_hour: int = Field(default=120, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> BudgetConfig:
        if self.stop_at < self.slow_at:
            raise ValueError("stop_at must not be below slow_at")
        return self


class SourcesConfig(SentinelModel):
    """Hangs under the top-level ``sources:`` key."""

    graph_version: str = Field(default="v21.0", pattern=r"^v\d+\.\d+$")
    base_url: str = "https://graph.facebook.com"
    business_id: str | None = None  # for /{page}/assigned_users?business=
    app_secret: Secret | None = None
    verify_token: Secret | None = None
    webhook_max_body_bytes: int = Field(default=2 * 1024 * 1024, gt=0)
    poll: PollConfig = PollConfig()
    budget: BudgetConfig = BudgetConfig()
    request_timeout: Duration = timedelta(seconds=30)
    # a page not read successfully for this long counts as stale (exported for SentinelSourceStale)
    stale_after: Duration = timedelta(minutes=15)

    @model_validator(mode="after")
    def _tripwire_fits(self) -> SourcesConfig:
        # the tripwire's own cadence must fit under the cap; shorter gaps after a signal are extras
        # that the budget grants only when there is room
        gap = self.poll.security.max.total_seconds()
        need = math.ceil(3600 / gap)
        if need > self.budget.max_calls_per_page_hour:
            raise ValueError(
                f"poll.security.max {gap:g}s needs {need} calls per page hour, more than"
                f" budget.max_calls_per_page_hour ({self.budget.max_calls_per_page_hour})"
            )
        return self

    @property
    def polls_reactions(self) -> bool:
        """Whether feed reads count reactions: as ``poll.reactions`` says, else only where webhooks cannot be
        received (no ``app_secret``): a reaction that came by webhook and was counted too would count twice."""
        return self.poll.reactions if self.poll.reactions is not None else self.app_secret is None

    @property
    def api_root(self) -> str:
        return f"{self.base_url.rstrip('/')}/{self.graph_version}"
