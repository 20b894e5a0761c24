"""Fault injection for crash tests: kill the process at a named commit boundary; a full disk.

``SENTINEL_FAULT_KILL=NAME[:N]`` (read once, at import) makes the N-th call
(default the first) of ``point(NAME)`` end the process with SIGKILL, as a
power cut would: no ``finally``, no flush, no goodbye. Unset, ``point`` is a
dictionary miss. The points sit just before and just after each commit that
matters for durability (see ``docs/durability.md``), so a test can show what a
crash there leaves behind.

``SENTINEL_FAULT_FULL=PATH`` (tests only) makes the SQLite store's disk
"full" while the file ``PATH`` exists: the store cannot grow by a page
(SQLite's own ``SQLITE_FULL``), and can again once the file is gone.
"""

from __future__ import annotations

import os
import signal

ENV = "SENTINEL_FAULT_KILL"
FULL_ENV = "SENTINEL_FAULT_FULL"


def _plan(spec: str) -> dict[str, int]:
    name, _, n = spec.partition(":")
    return {name.strip(): int(n) if n.strip().isdigit() else 1} if name.strip() else {}


_remaining = _plan(os.environ.get(ENV, ""))
_full_flag = os.environ.get(FULL_ENV, "").strip() or None


def point(name: str) -> None:
    """A commit boundary: the process dies here if a test asked for it."""
    left = _remaining.get(name)
    if left is None:
        return
    if left > 1:
        _remaining[name] = left - 1
        return
    os.kill(os.getpid(), signal.SIGKILL)


def disk_full() -> bool | None:
    """Whether a test has made the store's disk full now (None: no test asked; the store leaves its limits alone)."""
    if _full_flag is None:
        return None
    return os.path.exists(_full_flag)
