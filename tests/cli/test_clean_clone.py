""".ci/clean-clone.sh: the README's demo from a clean clone of HEAD, then its incident read back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "clean-clone.sh"


def test_clean_clone_script_passes_offline() -> None:
    """Offline here (the clone's code from PYTHONPATH); CI runs it with the README's install step too."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    r = subprocess.run(
        ["bash", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
            "CLEAN_CLONE_INSTALL": "no",
        },
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert r.stdout.rstrip().endswith("clean-clone: ok")
