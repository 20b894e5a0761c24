"""The ``sources:`` config section: how Sentinel talks to Meta's Graph API.

Page tokens live on each page (``pages[].page_id`` / ``pages[].access_token``);
this section holds what is shared: API version, base URL, the app secret that
signs webhook deliveries, the webhook verify token, poll bounds and budget.
"""

from __future__ import annotations

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
    # settings + roles + assigned users + agencies: the hijack tripwire (no webhook exists)
    security: EdgeBounds = EdgeBounds(min=timedelta(seconds=30), max=timedelta(seconds=50))
    feed: EdgeBounds = EdgeBounds(min=timedelta(seconds=60), max=timedelta(minutes=15))
    conversations: EdgeBounds = EdgeBounds(min=timedelta(seconds=60), max=timedelta(minutes=15))
    # a page that answers with an expired token is retried this often
    auth_retry: Duration = timedelta(minutes=10)
    # posts younger than this are watched for comments, edits and deletion
    post_window: Duration = timedelta(days=2)
    feed_limit: int = Field(default=25, ge=1, le=100)
    comments_limit: int = Field(default=25, ge=1, le=100)
    concurrency: int = Field(default=16, ge=1, le=256)


class BudgetConfig(SentinelModel):
    """Stay under Meta's limits: slow down from ``slow_at`` percent, stop at ``stop_at``."""

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

    @property
    def api_root(self) -> str:
        return f"{self.base_url.rstrip('/')}/{self.graph_version}"
