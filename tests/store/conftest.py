"""The store tests' fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store's URL, once for each backend: a SQLite file, and a throw-away PostgreSQL database (``pg_url``:
    skipped with the reason where PostgreSQL is not running)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sentinel.db'}"
    return str(request.getfixturevalue("pg_url"))
