"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sentinel import logs


@pytest.fixture(autouse=True)
def _logging_follows_stderr() -> Iterator[None]:
    """A test may configure logging onto its own stream; the next test must not log into a closed one."""
    logs.configure("info")
    yield
    logs.configure("info")
