"""Suite-wide fixtures."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest

from sentinel import logs


@pytest.fixture(autouse=True)
def _logging_follows_stderr() -> Iterator[None]:
    """A test may configure logging onto its own stream; the next test must not log into a closed one."""
    logs.configure("info")
    yield
    logs.configure("info")


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A throw-away PostgreSQL database's URL (``SENTINEL_TEST_PG`` names the server's admin URL): skipped with the
    reason where PostgreSQL is not running, a failure in CI (``CI=true``), where ``.ci/run`` starts it."""
    admin_url = os.environ.get("SENTINEL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        admin = await asyncpg.connect(admin_url, timeout=5)
    except (OSError, asyncpg.PostgresError) as e:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL not reachable at {admin_url}: {e}")
    name = f"sentinel_test_{uuid.uuid4().hex[:10]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
