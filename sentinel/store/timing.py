"""How long store operations take: ``sentinel_store_operation_duration_seconds{operation}``.

Each backend times its own calls, so every area's reads and writes are
measured whatever they are. ``transaction`` is the whole of an outermost
transaction, from its start to its commit or rollback (the statements inside
are timed on their own too); a nested one joins the outer and is not timed.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from enum import StrEnum
from typing import Any

from sentinel.metrics import STORE_LATENCY


class Operation(StrEnum):
    """The ``operation`` label: the ``Database`` method that was called."""

    EXECUTE = "execute"
    EXECUTEMANY = "executemany"
    FETCHALL = "fetchall"
    FETCHONE = "fetchone"
    TRANSACTION = "transaction"
    MIGRATE = "migrate"


_SERIES = {op: STORE_LATENCY.labels(operation=str(op)) for op in Operation}


def timed(op: Operation) -> AbstractContextManager[Any]:
    """A ``with`` block whose duration is observed under ``op`` (an exception too)."""
    timer: AbstractContextManager[Any] = _SERIES[op].time()
    return timer
