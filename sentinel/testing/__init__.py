"""Test helpers shipped with the package (like ``structlog.testing``).

``FakeClock`` is the simulated clock; ``event(...)`` builds valid events
with sensible defaults so that a test states only what matters to it.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sentinel.clock import SimulatedClock
from sentinel.model import Actor, ActorType, Event

FakeClock = SimulatedClock

_ids = itertools.count(1)

T0 = datetime(2025, 9, 26, 19, 0, tzinfo=UTC)


def at(offset: str | float | timedelta = 0, *, start: datetime = T0) -> datetime:
    """``at("10m")`` is 10 minutes after ``T0``."""
    from sentinel.config.types import parse_duration

    d = offset if isinstance(offset, timedelta) else parse_duration(offset)
    return start + d


def person(name: str = "Anna Berg", pid: str | None = None) -> Actor:
    return Actor(id=pid or f"p{abs(hash(name)) % 10**8}", name=name, type=ActorType.PERSON)


def page_actor(page: str = "druvan") -> Actor:
    return Actor(id=f"page-{page}", name=page, type=ActorType.PAGE)


def event(
    kind: str,
    time: datetime | None = None,
    *,
    page: str = "druvan",
    actor: Actor | None = None,
    id: str | None = None,
    platform: str = "facebook",
    **obj: Any,
) -> Event:
    """An event of ``kind``; keyword arguments become its ``object`` fields."""
    n = next(_ids)
    return Event(
        id=id or f"test:{kind}:{n}", time=time or T0, platform=platform, page=page, kind=kind, actor=actor, object=obj
    )
