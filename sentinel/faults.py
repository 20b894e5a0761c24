"""Fault injection for crash tests: kill the process at a named commit boundary.

``SENTINEL_FAULT_KILL=NAME[:N]`` (read once, at import) makes the N-th call
(default the first) of ``point(NAME)`` end the process with SIGKILL, as a
power cut would: no ``finally``, no flush, no goodbye. Unset, ``point`` is a
dictionary miss. The points sit just before and just after each commit that
matters for durability (see ``docs/durability.md``), so a test can show what a
crash there leaves behind.
"""

from __future__ import annotations

import os
import signal

ENV = "SENTINEL_FAULT_KILL"


def _plan(spec: str) -> dict[str, int]:
    name, _, n = spec.partition(":")
    return {name.strip(): int(n) if n.strip().isdigit() else 1} if name.strip() else {}


_remaining = _plan(os.environ.get(ENV, ""))


def point(name: str) -> None:
    """A commit boundary: the process dies here if a test asked for it."""
    left = _remaining.get(name)
    if left is None:
        return
    if left > 1:
        _remaining[name] = left - 1
        return
    os.kill(os.getpid(), signal.SIGKILL)
