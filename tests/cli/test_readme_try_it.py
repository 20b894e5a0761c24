"""README's "Try it": each command shown with its output gives that output (the daemon's, with secrets, aside)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _shown() -> list[tuple[str, list[str]]]:
    """(command, output lines) of every ``$ command`` in the Try it section's console blocks."""
    text = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    section = text.split("## Try it", 1)[1].split("\n## ", 1)[0]
    out: list[tuple[str, list[str]]] = []
    for block in section.split("```console\n")[1:]:
        for line in block.split("```", 1)[0].splitlines():
            if line.startswith("$ "):
                out.append((line[2:], []))
            else:
                out[-1][1].append(line)
    return out


def test_try_it_shows_its_commands_with_their_real_output(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if k not in ("ELKS_PASSWORD", "SMTP_PASSWORD", "SENTINEL_CONFIG")}
    demo = subprocess.run(
        [sys.executable, "-m", "sentinel", "demo"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert demo.returncode == 0, demo.stderr
    shown = _shown()
    assert [c.split()[1] for c, _ in shown if c.startswith("sentinel ")][:2] == ["incidents", "check"]
    for command, expected in shown:
        if "=..." in command:
            continue  # the daemon, with secrets: its output has times
        argv = shlex.split(command)
        if argv[0] == "cp":
            shutil.copy(tmp_path / argv[1], tmp_path / argv[2])
            continue
        assert argv[0] == "sentinel", command
        r = subprocess.run(
            [sys.executable, "-m", "sentinel", *argv[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert sorted((r.stdout + r.stderr).splitlines()) == sorted(expected), command
