"""The config sections that belong to no stage: pages, store, server, logging, rules, pipeline.

Each stage owns its own section's schema; ``sentinel.settings`` composes them into the whole file.

The ``pages:`` section accepts exactly the minimal config of
``docs/replay.md``; the other sections have defaults, so a file with only
``pages:`` is a complete config.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import cached_property
from typing import Literal

from pydantic import Field, field_validator, model_validator

from sentinel.config.types import (
    UNREAD_SECRET,
    Duration,
    HolidayCountry,
    LanguageCode,
    Secret,
    SentinelModel,
    StaffedSpec,
    format_duration,
)
from sentinel.staffed import StaffedHours, StaffedHoursError, parse_timezone


class PageConfig(SentinelModel):
    id: str = Field(min_length=1)
    platform: str = "facebook"
    name: str | None = None
    timezone: str = "UTC"
    language: LanguageCode | None = None  # sv, en, da, no, ...: its comments' lexicon, its alerts' language
    staffed_hours: StaffedSpec = None
    holidays: HolidayCountry = None
    response_sla: Duration = timedelta(hours=24)
    closed: list[date] = Field(default_factory=list)  # the page's own closed days (issue 24)
    special_hours: dict[date, str] = Field(default_factory=dict)  # date -> that day's hours, or "closed"
    weekly_report: bool = False  # the daemon mails last week's report to the page's team on Mondays (issue 24)
    # Graph API / platform access for live polling (issue: Meta source)
    page_id: str | None = None
    access_token: Secret | None = None

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            parse_timezone(v)
        except StaffedHoursError as e:
            raise ValueError(str(e)) from None
        return v

    @field_validator("special_hours")
    @classmethod
    def _special(cls, v: dict[date, str]) -> dict[date, str]:
        try:
            StaffedHours.parse(None, special=v)
        except StaffedHoursError as e:
            raise ValueError(str(e)) from None
        return v

    @model_validator(mode="after")
    def _staffed(self) -> PageConfig:
        try:
            StaffedHours.parse(self.staffed_hours, tz=self.timezone, holidays=self.holidays)
        except StaffedHoursError as e:
            raise ValueError(f"staffed_hours: {e}") from None
        # a promise that cannot fall due within the year a deadline is looked for is refused here, where the
        # operator can fix it, rather than tracked by nobody (the SLA detector has no deadline to keep)
        why = self.staffed.shortfall(self.response_sla)
        if why is not None:
            raise ValueError(f"response_sla: {format_duration(self.response_sla)} {why}")
        return self

    @cached_property
    def staffed(self) -> StaffedHours:
        return StaffedHours.parse(
            self.staffed_hours, tz=self.timezone, holidays=self.holidays, closed=self.closed, special=self.special_hours
        )

    @property
    def display_name(self) -> str:
        return self.name or self.id


def page_resolver(pages: Sequence[PageConfig]) -> Callable[[str], PageConfig]:
    """The config of a page key; pages not in ``pages`` are monitored with the defaults (UTC, no staffed hours)."""
    known = {p.id: p for p in pages}
    defaults: dict[str, PageConfig] = {}

    def resolve(page: str) -> PageConfig:
        pc = known.get(page)
        if pc is None:
            pc = defaults.get(page)
            if pc is None:
                pc = defaults[page] = PageConfig(id=page)
        return pc

    return resolve


class StoreConfig(SentinelModel):
    url: str = "sqlite:////var/lib/sentinel/sentinel.db"  # four slashes: an absolute path
    full_sync: bool = False


class ServerConfig(SentinelModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    ingest_token: Secret | None = None
    max_body_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    # a request's head must arrive within header_timeout of the connection opening (or of the last answer on
    # a kept-alive one), its whole body within body_timeout (else 408): slow clients cannot hold the server
    header_timeout: Duration = Field(default=timedelta(seconds=10), gt=timedelta(0))
    body_timeout: Duration = Field(default=timedelta(seconds=60), gt=timedelta(0))
    # bytes of bodies being read at once, for each family of endpoints (the ingest API, the Meta webhooks, the
    # small bodies of the rest) on its own; a body that would go over it is refused at once with 503
    body_budget_bytes: int = Field(default=64 * 1024 * 1024, gt=0)

    @field_validator("ingest_token")
    @classmethod
    def _sendable(cls, v: Secret | None) -> Secret | None:
        """A token with a space or a control character in it (a NUL, an environment variable's line break) can be
        sent in no ``Authorization`` header: every ingest would be refused with 401, and nothing would say why. (A
        command that only reads leaves a token file it cannot read as ``UNREAD_SECRET``: nothing to judge.)"""
        if v is None or v.reveal() == UNREAD_SECRET:
            return v
        bad = next((c for c in v.reveal() if c.isspace() or unicodedata.category(c) == "Cc"), None)
        if bad is not None:
            raise ValueError(
                f"contains {'a space' if bad == ' ' else f'U+{ord(bad):04X}'}: no Authorization header can carry"
                " it (write the token alone, as its senders send it)"
            )
        return v


class LoggingConfig(SentinelModel):
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["auto", "json", "console"] = "auto"


class PipelineConfig(SentinelModel):
    """Event time in the daemon (``sentinel/pipeline/eventtime.py``, ``docs/durability.md``)."""

    future_skew: Duration = timedelta(minutes=5)  # an event dated further ahead of its arrival is future-dated
    min_lateness: Duration = timedelta(minutes=2)  # the rules' watermark stays at least this far behind the wall
    max_lateness: Duration = timedelta(hours=36)  # ... and at most this far (Meta retries a webhook for 36 h)
    lateness_memory: Duration = timedelta(hours=24)  # how long a late delivery keeps the watermark waiting
    # pages not in ``pages:`` the rules evaluate (with the defaults); the events of any more are stored, not evaluated
    max_unknown_pages: int = Field(default=200, ge=0)


class RulesConfig(SentinelModel):
    dirs: list[str] = Field(default_factory=list)
    include_shipped: bool = True
    disabled: list[str] = Field(default_factory=list)
