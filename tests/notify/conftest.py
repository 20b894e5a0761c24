from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from notify_helpers import Mailhost, serving

from sentinel.notify import Notifier, build_channel
from sentinel.notify.config import DeliveryConfig, NotifyConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import T0, FakeClock


@pytest.fixture
def mailhost() -> Iterator[tuple[Mailhost, int]]:
    """A real SMTP server on loopback that keeps every mail: ``(host, port)``."""
    with serving(Mailhost(set())) as served:
        yield served


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sentinel.db"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[SqliteDatabase]:
    d = SqliteDatabase.open(str(db_path))
    yield d
    await d.close()


Factory = Callable[..., Notifier]


@pytest.fixture
def make_notifier(db: SqliteDatabase, clock: FakeClock) -> Factory:
    """``make_notifier({"sms": {...channel config...}}, **delivery)``: a notifier over the test store."""

    def make(channels: dict[str, dict[str, Any]], database: Any = None, **delivery: Any) -> Notifier:
        delivery.setdefault("timeout", "2s")
        cfg = NotifyConfig.model_validate({"channels": channels, "delivery": delivery})
        built = {n: build_channel(n, c, clock, cfg.delivery.timeout.total_seconds()) for n, c in cfg.channels.items()}
        fallbacks = {n: c.fallback for n, c in cfg.channels.items() if c.fallback}
        return Notifier(
            database or db, clock, built, fallbacks, DeliveryConfig.model_validate(delivery), rng=random.Random(7)
        )

    return make
