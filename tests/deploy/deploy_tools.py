"""Shared by the deploy tests: paths, and finding the Debian binaries.

A test that needs a binary calls ``require_binary(name)``: it returns the
path, or skips with the reason when the binary is missing, unless ``CI=true``,
where a missing binary is a failure (CI installs them with
``deploy/ci-system-deps.sh``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
RULES_DIR = DEPLOY / "prometheus" / "rules"
RULE_TESTS_DIR = DEPLOY / "prometheus" / "tests"

_PACKAGE = {
    "promtool": "prometheus",
    "prometheus": "prometheus",
    "amtool": "prometheus-alertmanager",
    "prometheus-alertmanager": "prometheus-alertmanager",
    "systemd-analyze": "systemd",
}


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def find_binary(*names: str) -> str | None:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def require_binary(*names: str) -> str:
    """The first of ``names`` on PATH; skip (or fail when CI=true) when none is."""
    path = find_binary(*names)
    if path:
        return path
    package = _PACKAGE.get(names[0], names[0])
    reason = f"{' / '.join(names)} not found on PATH: install Debian's {package} (sh deploy/ci-system-deps.sh)"
    if in_ci():
        pytest.fail(f"{reason}; CI=true, so this test must run", pytrace=False)
    pytest.skip(reason)


def run(*cmd: str | Path, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
