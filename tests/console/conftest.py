"""The console tests' fixtures live in ``console_env`` (importable by the test modules for their helpers)."""

from __future__ import annotations

from console_env import browser, env

__all__ = ["browser", "env"]
