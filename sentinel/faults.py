"""Fault injection for crash and store-error tests: kill the process, or fail a store write, at a named point.

``SENTINEL_FAULT_KILL=NAME[:N]`` (read once, at import) makes the N-th call
(default the first) of ``point(NAME)`` end the process with SIGKILL, as a
power cut would: no ``finally``, no flush, no goodbye.
``SENTINEL_FAULT_FAIL=NAME[:N]`` makes the N-th call raise ``StoreError`` once
instead, as a full disk or a locked database would (the calls before and after
it pass). Unset, ``point`` is a dictionary miss. The points sit just before and
just after each commit that matters for durability (see
``docs/durability.md``), so a test can show what a crash or a failed write
there leaves behind.

``SENTINEL_FAULT_FULL=PATH`` (tests only) makes the SQLite store's disk
"full" while the file ``PATH`` exists: the store cannot grow by a page
(SQLite's own ``SQLITE_FULL``), and can again once the file is gone.
"""

from __future__ import annotations

import os
import signal

from sentinel.errors import StoreError

ENV = "SENTINEL_FAULT_KILL"
FULL_ENV = "SENTINEL_FAULT_FULL"
FAIL_ENV = "SENTINEL_FAULT_FAIL"


def _plan(spec: str) -> dict[str, int]:
    name, _, n = spec.partition(":")
    return {name.strip(): int(n) if n.strip().isdigit() else 1} if name.strip() else {}


_remaining = _plan(os.environ.get(ENV, ""))
_full_flag = os.environ.get(FULL_ENV, "").strip() or None
_failing = _plan(os.environ.get(FAIL_ENV, ""))


def point(name: str) -> None:
    """A commit boundary: the process dies here, or the write fails here, if a test asked for it."""
    if name in _failing:
        _failing[name] -= 1
        if _failing[name] == 0:
            raise StoreError(f"fault injected at {name} ({FAIL_ENV})")
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
